/**
 * What a careful user sees, light and dark: notes set apart from what they annotate, readable
 * contrast (axe-core) on the pages that had none checked, wording that says what happened.
 */
import AxeBuilder from '@axe-core/playwright';
import type { BrowserContext, Locator, Page, Worker } from '@playwright/test';
import { card, expect, openFixture, test, UI_HOST } from './fixtures';

declare const chrome: {
  tabs: { query(q: { active: boolean; lastFocusedWindow: boolean }): Promise<{ id?: number }[]> };
};

const violations = async (builder: AxeBuilder) =>
  (await builder.analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

async function explainInTab(sw: Worker, page: Page, text: string): Promise<void> {
  await page.bringToFront();
  const tabId = await sw.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0].id!);
  await sw.evaluate(
    ([id, t]) =>
      (globalThis as unknown as { explainSelectionInTab: (id: number, t: string) => Promise<void> }).explainSelectionInTab(id as number, t as string),
    [tabId, text] as const,
  );
}

/** The githubCard fixture on a laptop screen with the pacing violation's card pinned from the keyboard. */
async function pinnedCard(context: BrowserContext): Promise<{ page: Page; c: Locator }> {
  const page = await openFixture(context, 'githubCard');
  await page.setViewportSize({ width: 1366, height: 650 });
  await page.locator('#hist [data-ibkr-error]').focus();
  await page.keyboard.press('Enter');
  return { page, c: card(page) };
}

for (const scheme of ['light', 'dark'] as const) {
  test(`"Explain selection" on a long selection: the note on what was left out stands apart from the entry (${scheme})`, async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    await page.emulateMedia({ colorScheme: scheme });
    // The page is drawn dark in a dark OS (as GitHub's "auto" is), so the card takes the scheme's palette.
    await page.addStyleTag({ content: '@media (prefers-color-scheme: dark) { body { background: #0d1117 !important; color: #e6edf3 !important; } }' });
    await explainInTab(serviceWorker, page, `Error 326, reqId -1: Unable to connect as the client id is already in use.\n${'x'.repeat(20_000)}`);
    const c = card(page);
    const note = c.locator('.selection-note');
    await expect(note).toHaveRole('note');
    await expect(note).toContainText('Only the first 10,000 characters');
    const look = await note.evaluate((el) => {
      const own = getComputedStyle(el);
      const body = getComputedStyle(el.closest('.body')!);
      const summary = getComputedStyle(el.getRootNode() instanceof ShadowRoot ? (el.getRootNode() as ShadowRoot).querySelector('.summary')! : el);
      return {
        background: own.backgroundColor,
        bodyBackground: body.backgroundColor,
        border: parseFloat(own.borderLeftWidth),
        fontSize: parseFloat(own.fontSize),
        summaryFontSize: parseFloat(summary.fontSize),
      };
    });
    expect(look.background).not.toBe(look.bodyBackground);
    expect(look.background).not.toBe('rgba(0, 0, 0, 0)');
    expect(look.border).toBeGreaterThanOrEqual(2);
    expect(look.fontSize).toBeLessThan(look.summaryFontSize);
    expect(await violations(new AxeBuilder({ page }).include(UI_HOST))).toEqual([]);
    await page.close();
  });
}

const LOG = [
  '2024-05-01 09:30:00 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm',
  'Error 162, reqId 28: Historical Market Data Service error message:Historical data request pacing violation',
  '2024-01-02 10:00:00,123|E| Gateway session active but not authenticated',
  '{"error":"Bad Request: no bridge","statusCode":400}',
  'ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it',
].join('\n');

for (const scheme of ['light', 'dark'] as const) {
  test(`axe-core: the analyzer with a report and an entry open, and the options page (${scheme})`, async ({ context, extensionId }) => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`chrome-extension://${extensionId}/analyze.html`);
    await page.locator('textarea').fill(LOG);
    await page.getByRole('button', { name: 'Analyze' }).click();
    await expect(page.locator('tr[data-entry-id]').first()).toBeAttached();
    await page.locator('#info-summary').click();
    await page.locator('tr[data-entry-id="ibkr-162"] button.expand').click();
    await expect(page.locator('tr.entry-row')).toBeVisible();
    expect(await violations(new AxeBuilder({ page }))).toEqual([]);
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(page.locator('#shortcuts kbd').first()).toBeVisible();
    expect(await violations(new AxeBuilder({ page }))).toEqual([]);
    await page.close();
  });
}

test('the analyzer: a quoted line wider than its column can be scrolled from the keyboard, and axe finds nothing', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1100, height: 700 });
  await page.goto(`chrome-extension://${extensionId}/analyze.html`);
  const blob = `{"authenticated":false,"competing":true,"connected":true,"message":"","fail":"${'A'.repeat(200)}"}`;
  const mid = `Error 326, reqId -1: Unable to connect as the client id is already in use. session=${'b'.repeat(42)}`;
  await page.locator('textarea').fill(`curl https://localhost:5000/v1/api/iserver/auth/status -> ${blob}\nERROR -1 504 Not connected\n${mid}`);
  await page.getByRole('button', { name: 'Analyze' }).click();
  await expect(page.locator('tr[data-entry-id]').first()).toBeAttached();
  const wide = page.locator('tr[data-entry-id="cpapi-competing-session"] .quote code');
  const narrow = page.locator('tr[data-entry-id="ibkr-504"] .quote code');
  // The wide one is a stop of the Tab order (right after its row's code button), the short one is not.
  await expect(wide).toHaveAttribute('tabindex', '0');
  await expect(narrow).not.toHaveAttribute('tabindex', /.*/);
  await page.locator('tr[data-entry-id="cpapi-competing-session"] button.expand').focus();
  await page.keyboard.press('Tab');
  await expect(wide).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => wide.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  expect(await violations(new AxeBuilder({ page }))).toEqual([]);
  // A word that fits its column in a wide window and not in a narrow one: a stop in the narrow one only.
  const fits = page.locator('tr[data-entry-id="ibkr-326"] .quote code');
  await page.setViewportSize({ width: 1366, height: 700 });
  await expect(fits).not.toHaveAttribute('tabindex', /.*/);
  await page.setViewportSize({ width: 700, height: 700 });
  await expect(fits).toHaveAttribute('tabindex', '0');
  expect(await violations(new AxeBuilder({ page }))).toEqual([]);
  await page.close();
});

test('the options page reflows in a window 320 pixels wide (400 % zoom of 1280): nothing scrolls sideways', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.locator('#shortcuts kbd').first()).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await page.close();
});

test('the analyzer with a report reflows in a window 320 pixels wide: only its tables scroll sideways, from the keyboard too, and axe finds nothing', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 320, height: 700 });
  await page.goto(`chrome-extension://${extensionId}/analyze.html`);
  await page.locator('textarea').fill('ERROR -1 2104 Market data farm connection is OK:usfarm\nERROR 12 162 Historical Market Data Service error message:HMDS query returned no data\nERROR -1 504 Not connected');
  await page.getByRole('button', { name: 'Analyze' }).click();
  await expect(page.locator('#errors tr[data-entry-id]')).toHaveCount(2);
  await page.locator('#info-summary').click();
  const pageOverflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await pageOverflow()).toBe(0);
  // The errors table is wider than the window: its region scrolls, is labelled, and takes the focus.
  const region = page.getByRole('region', { name: 'Errors' });
  await expect(region).toHaveAttribute('tabindex', '0');
  expect(await region.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await page.locator('#errors tr[data-entry-id="ibkr-162"] button.expand').click();
  await expect(page.locator('#errors tr.entry-row')).toHaveCount(1);
  expect(await pageOverflow()).toBe(0);
  expect(await violations(new AxeBuilder({ page }))).toEqual([]);
  // Wide enough for the table: no stop in the Tab order for a region with nothing to scroll.
  await page.setViewportSize({ width: 1366, height: 700 });
  await expect(region).not.toHaveAttribute('tabindex', /.*/);
  await page.setViewportSize({ width: 455, height: 700 });
  expect(await pageOverflow()).toBe(0);
  await page.close();
});

test('the analyzer says how long a short log took in milliseconds, not "0.0 s"', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/analyze.html`);
  await page.locator('textarea').fill(LOG);
  await page.getByRole('button', { name: 'Analyze' }).click();
  await expect(page.locator('#status')).toHaveText(/^5 lines read from the pasted log in [1-9]\d* ms: 4 distinct errors, 1 informational notice\.$/);
  await page.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the popup's result codes wear their severity's colour, as the entry's chip does; axe finds nothing (${scheme})`, async ({ context, extensionId }) => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 420, height: 600 });
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await page.locator('input[type=search]').fill('connectivity');
    await expect(page.locator('#results li').first()).toBeVisible();
    const rows = await page.locator('#results li').evaluateAll((lis) =>
      lis.map((li) => ({
        code: getComputedStyle(li.querySelector('.result-code')!).color,
        chip: getComputedStyle(li.querySelector('.result-meta .severity')!).color,
        severity: li.querySelector('.result-meta .severity')!.getAttribute('data-severity'),
      })),
    );
    // The query finds connectivity notices and errors alike: several severities, each in its own colour.
    expect(new Set(rows.map((r) => r.severity)).size).toBeGreaterThan(1);
    for (const r of rows) expect(r.code, r.severity ?? '').toBe(r.chip);
    expect(await violations(new AxeBuilder({ page }))).toEqual([]);
    await page.close();
  });
}

test('the popup\'s scrolling area takes focus: a long result list passes axe, and Space scrolls an entry instead of leaving it', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 420, height: 600 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  const input = page.locator('input[type=search]');
  // A list longer than the popup with no button under it: nothing else inside to focus.
  await input.fill('connectivity');
  await expect(page.locator('#more')).toBeHidden();
  expect(await page.locator('#main').evaluate((m) => m.scrollHeight > m.clientHeight)).toBe(true);
  expect(await violations(new AxeBuilder({ page }))).toEqual([]);
  await input.fill('162');
  await input.press('Enter');
  const main = page.locator('#main');
  await main.focus();
  await page.keyboard.press(' ');
  await expect(page.locator('#detail')).toBeVisible();
  await expect.poll(() => main.evaluate((m) => m.scrollTop)).toBeGreaterThan(0);
  await page.close();
});

test('a pinned card shows a focus ring on every stop of its Tab order, the scrolling part included', async ({ context }) => {
  const { page, c } = await pinnedCard(context);
  await expect(c.getByRole('button', { name: 'Close' })).toBeFocused();
  const stops: { what: string; ring: string }[] = [];
  for (let i = 0; i < 6; i++) {
    const stop = await page.evaluate((host) => {
      const el = document.querySelector(host)!.shadowRoot!.activeElement as HTMLElement | null;
      if (!el) return null;
      const s = getComputedStyle(el);
      return { what: `${el.tagName.toLowerCase()}.${el.className}`, ring: s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2 ? 'none' : `${s.outlineWidth} ${s.outlineStyle}` };
    }, UI_HOST);
    if (!stop) break;
    stops.push(stop);
    await page.keyboard.press('Tab');
  }
  expect(stops.map((s) => s.what)).toContain('div.body');
  for (const s of stops) expect(s.ring, s.what).not.toBe('none');
  await page.close();
});

test('a pinned card\'s close button stays clear over the entry scrolled under it', async ({ context }) => {
  const { page, c } = await pinnedCard(context);
  const close = c.getByRole('button', { name: 'Close' });
  await expect(close).toBeFocused();
  await c.locator('.body').evaluate((b) => b.scrollBy(0, 40));
  // What is drawn at the button's centre is the button, and it hides what scrolls beneath it.
  const look = await close.evaluate((btn) => {
    const r = btn.getBoundingClientRect();
    const root = btn.getRootNode() as ShadowRoot;
    return { top: root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === btn, background: getComputedStyle(btn).backgroundColor };
  });
  expect(look.top).toBe(true);
  expect(look.background).not.toBe('rgba(0, 0, 0, 0)');
  await page.close();
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the analyzer's log field wears the same focus ring as its buttons (${scheme})`, async ({ context, extensionId }) => {
    const page = await context.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`chrome-extension://${extensionId}/analyze.html`);
    const ring = (selector: string) => page.locator(selector).evaluate((el) => `${getComputedStyle(el).outlineStyle} ${getComputedStyle(el).outlineWidth} ${getComputedStyle(el).outlineColor}`);
    await expect(page.locator('textarea')).toBeFocused();
    const field = await ring('textarea');
    await page.keyboard.press('Tab');
    await expect(page.locator('#analyze')).toBeFocused();
    expect(field).toBe(await ring('#analyze'));
    await page.close();
  });
}

test('related terms look like buttons only where they are buttons (the popup), not in the card', async ({ context, extensionId }) => {
  const { page, c } = await pinnedCard(context);
  const inCard = c.locator('.related .term').first();
  await expect(inCard).toBeVisible();
  expect(await inCard.evaluate((t) => [t.tagName, getComputedStyle(t).borderTopColor])).toEqual(['SPAN', 'rgba(0, 0, 0, 0)']);
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.locator('input[type=search]').fill('162');
  await popup.keyboard.press('Enter');
  const inPopup = popup.locator('#detail .related .term').first();
  expect(await inPopup.evaluate((t) => [t.tagName, getComputedStyle(t).borderTopColor === 'rgba(0, 0, 0, 0)'])).toEqual(['BUTTON', false]);
  await popup.close();
  await page.close();
});

test('the popup\'s empty state offers a Client Portal query beside the socket API ones', async ({ context, extensionId }) => {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  await page.locator('input[type=search]').fill('zzqxj frobnicate');
  await expect(page.locator('#status .empty-title')).toHaveText('No results');
  await expect(page.locator('#status button.example')).toHaveText(['326', '10061', 'clientId', 'pacing violation', 'no bridge']);
  await page.locator('#status button.example', { hasText: 'no bridge' }).click();
  await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'cpapi-no-bridge');
  await page.close();
});
