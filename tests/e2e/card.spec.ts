/**
 * The card and the popup show this case first, on a laptop screen (1366 x 650): the header names
 * what it is, the matched case's fix is in view without scrolling, the general lists are folded,
 * the notices take one line. The card reads its entry from the annotator's record, not from the
 * page's attributes. The popup's start page leads with what the current tab has marked; the
 * keyboard shortcuts exist.
 */
import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { TOP_CODES } from '../../knowledge/quality';
import { card, clickMention, expect, hoverMention, mentionRect, openFixture, scanSettled, tabIdOf, test, UI_HOST } from './fixtures';

declare const chrome: {
  commands: { getAll(): Promise<{ name?: string; shortcut?: string }[]> };
};

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';
const LAPTOP = { width: 1366, height: 650 };
/** The popup at its largest (Chromium caps popups at 600 px). */
const POPUP = { width: 420, height: 600 };

type Rect = { top: number; bottom: number; left: number; right: number };
const rectOf = (loc: Locator): Promise<Rect> =>
  loc.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: Math.round(r.top), bottom: Math.round(r.bottom), left: Math.round(r.left), right: Math.round(r.right) };
  });

/** Records a measurement in the test report (the figures docs/card.md quotes). */
function measured(name: string, value: unknown): void {
  test.info().annotations.push({ type: name, description: JSON.stringify(value) });
}

/** Scrolls the page so that `selector`'s top sits `y` px below the top of the window. */
async function scrollTo(page: Page, selector: string, y: number): Promise<void> {
  await page.evaluate(
    ([sel, at]) => {
      window.scrollBy(0, document.querySelector(sel as string)!.getBoundingClientRect().top - (at as number));
    },
    [selector, y],
  );
}

test.describe('the card shows this case first', () => {
  test('a pacing violation in the lower half of a laptop screen: header, this case, then the folded lists; the fix in view', async ({ context }) => {
    const page = await openFixture(context, 'githubCard');
    await page.setViewportSize(LAPTOP);
    await scrollTo(page, '#hist', 420);
    const marker = page.locator('#hist [data-ibkr-error="ibkr-162"]');
    await hoverMention(page, marker);
    const c = card(page);
    await expect(c).toBeVisible();
    // No title bar: the entry's header says what it is.
    await expect(c.locator('.bar')).toHaveCount(0);
    await expect(c.locator('.entry-code .code')).toHaveText('Error 162');
    // The case comes right under the title: the page's reason, the cause, the fix.
    const blocks = await c.locator('article > *').evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()}.${e.className}`));
    expect(blocks.slice(0, 4)).toEqual(['header.entry-header', 'section.section matched-case', 'p.summary', 'details.general']);
    await expect(c.locator('.matched-case')).toHaveAttribute('data-variant', 'pacing');
    await expect(c.locator('.page-reason q')).toHaveText('Historical data request pacing violation');
    const fix = c.locator('.matched-case .variant-fix');
    await expect(fix).toContainText(/^Fix: \S/);
    // The general lists are there, folded.
    await expect(c.locator('details.general')).not.toHaveAttribute('open');
    await expect(c.locator('.section-causes h3')).toBeHidden();

    const [m, box, body, fixBox, footer] = await Promise.all([mentionRect(marker), ...[c, c.locator('.body'), fix, c.locator('.notices')].map(rectOf)]);
    const scrollTop = await c.locator('.body').evaluate((el) => el.scrollTop);
    measured('card-geometry', { viewport: LAPTOP, marker: m, card: box, body, fix: fixBox, footer });
    expect(m.top).toBeGreaterThan(LAPTOP.height / 2);
    expect(scrollTop).toBe(0);
    // In the viewport and in the card's scrolling part, as shown: no scrolling needed.
    expect(fixBox.top).toBeGreaterThanOrEqual(Math.max(0, body.top));
    expect(fixBox.bottom).toBeLessThanOrEqual(Math.min(LAPTOP.height, body.bottom));
    // The notices take one line, and its short text is not cut.
    expect(footer.bottom - footer.top).toBeLessThanOrEqual(30);
    expect(await c.locator('.notices-short').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/card-case.png` });
    await page.close();
  });

  test('wherever the marker sits on a laptop screen, the case\'s fix is in view without scrolling', async ({ context }) => {
    const page = await openFixture(context, 'githubCard');
    await page.setViewportSize(LAPTOP);
    const marker = page.locator('#hist [data-ibkr-error="ibkr-162"]');
    const c = card(page);
    const seen: { marker: number; card: Rect; fixBottom: number }[] = [];
    for (const y of [40, 120, 200, 280, 300, 320, 340, 400, 480, 560, 610]) {
      await scrollTo(page, '#hist', y);
      await hoverMention(page, marker);
      await expect(c).toBeVisible();
      const [m, box, body, fix] = await Promise.all([mentionRect(marker), ...[c, c.locator('.body'), c.locator('.variant-fix')].map(rectOf)]);
      seen.push({ marker: m.top, card: box, fixBottom: fix.bottom });
      expect(Math.abs(m.top - y), 'the marker sits where asked').toBeLessThanOrEqual(2);
      expect(fix.top, `marker at ${y}`).toBeGreaterThanOrEqual(Math.max(0, body.top));
      expect(fix.bottom, `marker at ${y}`).toBeLessThanOrEqual(Math.min(LAPTOP.height, body.bottom));
      await page.mouse.move(0, 0);
      await expect(c).toBeHidden();
    }
    measured('card-sweep', seen);
    await page.close();
  });

  test('the folded lists and the full notices open from the keyboard; the notices are verbatim', async ({ context }) => {
    const page = await openFixture(context, 'githubCard');
    await page.setViewportSize(LAPTOP);
    const marker = page.locator('#hist [data-ibkr-error="ibkr-162"]');
    await marker.focus();
    await page.keyboard.press('Enter');
    const c = card(page);
    await expect(c).toHaveAttribute('role', 'dialog');
    await expect(c.getByRole('button', { name: 'Close' })).toBeFocused();
    const general = c.locator('details.general');
    await general.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(general).toHaveAttribute('open', '');
    await expect(c.locator('.section-causes h3')).toHaveText('Likely causes');
    await page.keyboard.press(' ');
    await expect(general).not.toHaveAttribute('open');
    const notices = c.locator('.notices details');
    await expect(notices.locator('summary')).toHaveText('Not financial advice. Not affiliated with Interactive Brokers. Full text');
    await notices.locator('summary').focus();
    await page.keyboard.press('Enter');
    await expect(notices.locator('.boundary')).toHaveText(
      'Educational boundary This lookup is for technical troubleshooting and reproducibility. It is not financial, investment, trading, tax, or legal advice. Prefer paper trading and read-only checks while diagnosing live connectivity or data issues.',
    );
    await expect(notices.locator('.trademark')).toHaveText(
      'Interactive Brokers, IBKR, Trader Workstation, and IB Gateway are trademarks or registered trademarks of their respective owners. InQuantWeTrust is independent and is not affiliated with, endorsed by, or sponsored by Interactive Brokers.',
    );
    // Still the dialog the user opened; Escape closes it and gives focus back to the marker.
    await page.keyboard.press('Escape');
    await expect(c).toBeHidden();
    await expect(marker).toBeFocused();
    await page.close();
  });

  test('a notice the line calls "Warning 2104" is headed so, never "Error 2104"; "Error 1100" is a notice', async ({ context }) => {
    const page = await openFixture(context, 'githubCard');
    const c = card(page);
    await hoverMention(page, page.locator('#farm [data-ibkr-error]'));
    await expect(c.locator('.entry-code .code')).toHaveText('Warning 2104');
    await expect(c.locator('.notice-info')).toContainText('Not an error');
    expect(await c.textContent()).not.toContain('Error 2104');
    // Its farm is named under the title, not quoted as a case of its own.
    await expect(c.locator('.entry-header .page-farm')).toHaveText('Farm: usfarm');
    await expect(c.locator('.matched-case')).toHaveCount(0);
    await page.mouse.move(0, 0);
    await expect(c).toBeHidden();
    await page.locator('#drop [data-ibkr-error]').focus();
    await expect(c.locator('.entry-code .code')).toHaveText('Notice 1100');
    await expect(page.locator('#drop [data-ibkr-error]')).toHaveAttribute('aria-description', /^Notice 1100: /);
    await page.close();
  });

  test('the card explains what the annotator marked, whatever the page writes into data-ibkr-error', async ({ context }) => {
    const page = await openFixture(context, 'githubCard');
    const marker = page.locator('#hist ibkr-error-mark');
    await expect(marker).toHaveAttribute('data-ibkr-error', 'ibkr-162');
    await page.evaluate(() => document.querySelector('#hist ibkr-error-mark')!.setAttribute('data-ibkr-error', 'ibkr-326'));
    await hoverMention(page, marker);
    const c = card(page);
    await expect(c).toBeVisible();
    await expect(c.locator('article')).toHaveAttribute('data-entry-id', 'ibkr-162');
    await expect(c.locator('.entry-code .code')).toHaveText('Error 162');
    await expect(c.locator('.matched-case')).toHaveAttribute('data-variant', 'pacing');
    expect(await c.textContent()).not.toContain('Client ID is already in use');
    // Without the attribute at all, the marker is still ours and still explained.
    await page.mouse.move(0, 0);
    await expect(c).toBeHidden();
    await page.evaluate(() => document.querySelector('#hist ibkr-error-mark')!.removeAttribute('data-ibkr-error'));
    await hoverMention(page, marker);
    await expect(c.locator('article')).toHaveAttribute('data-entry-id', 'ibkr-162');
    await page.close();
  });

  test('direction control characters in the page\'s reason are shown, not obeyed', async ({ context }) => {
    const page = await openFixture(context, 'githubCard');
    // The page's own code adds a comment whose reason carries a right-to-left override.
    await page.evaluate(() => {
      const pre = document.createElement('pre');
      pre.id = 'bidi';
      pre.textContent = "Error 321, reqId 17: Error validating request.-'bN' : cause - Missing order \u202Eegnahcxe\u202C";
      document.querySelector('main')!.append(pre);
    });
    const marker = page.locator('#bidi [data-ibkr-error]').first();
    await clickMention(page, marker);
    const reason = card(page).locator('.page-reason q');
    await expect(reason).toContainText('⟨RLO⟩egnahcxe⟨PDF⟩');
    await expect(reason.locator('.bidi-control').first()).toHaveAttribute('title', /right-to-left override \(U\+202E\)/);
    expect(await reason.textContent()).not.toMatch(/[\u202A-\u202E]/);
    await page.close();
  });
});

test.describe('the popup shows this case first too', () => {
  test('a query that names a case opens it first, the fix in view without scrolling; lists folded; Space on a summary stays', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await page.setViewportSize(POPUP);
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await page.locator('input[type=search]').fill('historical data pacing violation');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-162');
    await page.keyboard.press('Enter');
    const detail = page.locator('#detail');
    await expect(detail.locator('.matched-case')).toHaveAttribute('data-variant', 'pacing');
    await expect(detail.locator('.entry-code .code')).toHaveText('Error 162');
    const [main, fix, footer] = await Promise.all([page.locator('#main'), detail.locator('.variant-fix').first(), page.locator('#notices')].map(rectOf));
    const scrollTop = await page.locator('#main').evaluate((el) => el.scrollTop);
    measured('popup-geometry', { viewport: POPUP, main, fix, footer });
    expect(scrollTop).toBe(0);
    expect(fix.top).toBeGreaterThanOrEqual(main.top);
    expect(fix.bottom).toBeLessThanOrEqual(Math.min(main.bottom, POPUP.height));
    expect(footer.bottom - footer.top).toBeLessThanOrEqual(30);
    expect(await page.locator('.notices-short').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    // The general lists: folded, and Space on their summary opens them without leaving the entry.
    const general = detail.locator('details.general');
    await expect(general).not.toHaveAttribute('open');
    await general.locator('summary').focus();
    await page.keyboard.press(' ');
    await expect(general).toHaveAttribute('open', '');
    await expect(detail).toBeVisible();
    await page.close();
  });

  test('"Warning 2104" and every notice is headed as a notice in the result list and the entry view', async ({ context, extensionId }) => {
    const page = await context.newPage();
    await page.setViewportSize(POPUP);
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    const input = page.locator('input[type=search]');
    await input.fill('Warning 2104, reqId -1: Market data farm connection is OK:usfarm');
    await expect(page.locator('#results li').first()).toHaveAttribute('data-entry-id', 'ibkr-2104');
    await expect(page.locator('#results li .result-code').first()).toHaveText('Notice 2104');
    await page.keyboard.press('Enter');
    await expect(page.locator('#detail .entry-code .code')).toHaveText('Notice 2104');
    await page.keyboard.press('Escape');
    await page.getByLabel('Severity').selectOption('info');
    const codes = await page.locator('#results li .result-code').allTextContents();
    expect(codes.length).toBeGreaterThan(0);
    for (const code of codes) expect(code).toMatch(/^Notice \d+$/);
    await page.close();
  });
});

test.describe('the popup start page', () => {
  test('lists the errors marked on the current tab first, then the most met entries, never "Error -1" early', async ({ context, extensionId, serviceWorker }) => {
    const page = await openFixture(context, 'githubCard');
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(3);
    const tabId = await tabIdOf(serviceWorker, page);
    const popup = await context.newPage();
    await popup.setViewportSize(POPUP);
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    const rows = popup.locator('#results [data-entry-id]');
    // Errors and connectivity notices of the page in page order, its informational notice after them.
    await expect(rows.nth(0)).toHaveAttribute('data-entry-id', 'ibkr-162');
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id')));
    expect(ids.slice(0, 3)).toEqual(['ibkr-162', 'ibkr-1100', 'ibkr-2104']);
    const notes = await popup.locator('#results li').evaluateAll((els) => els.map((e) => e.querySelector('.result-note')?.textContent ?? ''));
    expect(notes.slice(0, 4)).toEqual(['On this page', 'On this page', 'On this page', '']);
    const mostMet = TOP_CODES.map((c) => `ibkr-${c}`).filter((id) => !ids.slice(0, 3).includes(id));
    expect(ids.slice(3, 3 + 10)).toEqual(mostMet.slice(0, 10));
    expect(ids.slice(0, 3 + mostMet.length)).not.toContain('ibkr--1');
    await expect(popup.locator('#status')).toContainText(/^\d{3} results, the 3 marked on this page first, then the most met · showing 50 of \d{3}\./);
    // Opening a page entry shows the case the page's mention matched.
    await popup.keyboard.press('Enter');
    await expect(popup.locator('#detail .matched-case')).toHaveAttribute('data-variant', 'pacing');
    await popup.close();
    await page.close();
  });

  test('with nothing marked (no content script on the tab) it starts with the most met entries', async ({ context, extensionId }) => {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    const rows = popup.locator('#results [data-entry-id]');
    await expect(rows.first()).toHaveAttribute('data-entry-id', `ibkr-${TOP_CODES[0]}`);
    const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id')));
    expect(ids.slice(0, 5)).toEqual(TOP_CODES.slice(0, 5).map((c) => `ibkr-${c}`));
    await expect(popup.locator('#status')).toContainText(/^\d{3} results, the most met first · showing 50 of \d{3}\./);
    await expect(popup.locator('.result-note')).toHaveCount(0);
    // One line above the list says why the page's own errors do not lead it.
    await expect(popup.locator('#page-note')).toHaveText('The extension does not read this page, so its errors cannot be listed first.');
    await popup.locator('input[type=search]').fill('326');
    await expect(popup.locator('#page-note')).toBeHidden();
    await popup.close();
  });

  test('on a page with nothing marked it says so; an error the page shows a moment later comes first', async ({ context, extensionId, serviceWorker }) => {
    const page = await openFixture(context, 'stackOverflowNginx', false);
    await scanSettled(page);
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    const tabId = await tabIdOf(serviceWorker, page);
    const popup = await context.newPage();
    await popup.setViewportSize(POPUP);
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await expect(popup.locator('#page-note')).toHaveText('Nothing is marked on this page.');
    await expect(popup.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', `ibkr-${TOP_CODES[0]}`);
    // The page shows an IBKR error after the popup opened (a script still starting, a log still streaming).
    await page.evaluate(() => {
      const pre = document.createElement('pre');
      pre.textContent = 'ib_insync.wrapper ERROR Error 162, reqId 3: Historical Market Data Service error message:HMDS query returned no data';
      document.querySelector('.js-post-body')!.append(pre);
    });
    await expect(page.locator('[data-ibkr-error="ibkr-162"]')).toHaveCount(1);
    await expect(popup.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-162');
    await expect(popup.locator('#results li').first().locator('.result-note')).toHaveText('On this page');
    await expect(popup.locator('#page-note')).toBeHidden();
    await popup.close();
    await page.close();
  });
});

test.describe('keyboard shortcuts', () => {
  test('every command has a key the browser really assigned', async ({ serviceWorker }) => {
    const commands = await serviceWorker.evaluate(() => chrome.commands.getAll());
    measured('commands', commands);
    expect(commands.map((c) => c.name).sort()).toEqual(['_execute_action', 'explain-selection']);
    for (const c of commands) expect(c.shortcut, `${c.name} has a key`).toMatch(/^Alt\+Shift\+[A-Z]$/);
  });

  test('the options page shows the current keys and where to change them', async ({ context, extensionId, serviceWorker }) => {
    const assigned = await serviceWorker.evaluate(() => chrome.commands.getAll());
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    const section = page.getByRole('region', { name: 'Keyboard shortcuts' });
    for (const c of assigned) {
      await expect(section.locator(`dd[data-command="${c.name}"]`)).toHaveText(c.shortcut!);
      await expect(section.locator(`dd[data-command="${c.name}"] kbd`)).toHaveCount(3);
    }
    await expect(section.locator('dt')).toHaveText(['Open the lookup popup', 'Explain the selected text']);
    await expect(section).toContainText('chrome://extensions/shortcuts');
    const opened = context.waitForEvent('page');
    await section.getByRole('button', { name: 'Open the shortcuts page' }).click();
    expect((await opened).url()).toBe('chrome://extensions/shortcuts');
    await page.close();
  });
});

test.describe('accessibility of what this file adds', () => {
  const violations = async (builder: AxeBuilder) =>
    (await builder.analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

  for (const scheme of ['light', 'dark'] as const) {
    test(`axe-core: a card with a matched case, folded lists and the notices line open (${scheme})`, async ({ context }) => {
      const page = await openFixture(context, 'githubCard');
      await page.emulateMedia({ colorScheme: scheme });
      // The page is drawn dark in a dark OS (as GitHub's "auto" is), so the card takes the scheme's palette.
      await page.addStyleTag({ content: '@media (prefers-color-scheme: dark) { body { background: #0d1117 !important; color: #e6edf3 !important; } }' });
      await clickMention(page, page.locator('#hist [data-ibkr-error]'));
      const c = card(page);
      await expect(c).toHaveAttribute('role', 'dialog');
      expect(await violations(new AxeBuilder({ page }).include(UI_HOST))).toEqual([]);
      await c.locator('.notices summary').click();
      await c.locator('details.general summary').click();
      await expect(c.locator('details.general')).toHaveAttribute('open', '');
      expect(await violations(new AxeBuilder({ page }).include(UI_HOST))).toEqual([]);
      await page.close();
    });
  }

  test('axe-core: the popup start page with page entries, an entry with its case, the shortcuts section', async ({ context, extensionId, serviceWorker }) => {
    const page = await openFixture(context, 'githubCard');
    const tabId = await tabIdOf(serviceWorker, page);
    const popup = await context.newPage();
    await popup.setViewportSize(POPUP);
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    await expect(popup.locator('.result-note').first()).toBeVisible();
    expect(await violations(new AxeBuilder({ page: popup }))).toEqual([]);
    await popup.keyboard.press('Enter');
    await expect(popup.locator('#detail .matched-case')).toBeVisible();
    expect(await violations(new AxeBuilder({ page: popup }))).toEqual([]);
    const options = await context.newPage();
    await options.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(options.locator('#shortcuts kbd').first()).toBeVisible();
    expect(await violations(new AxeBuilder({ page: options }).include('#shortcuts'))).toEqual([]);
    await options.close();
    await popup.close();
    await page.close();
  });
});

test('every outgoing link of the card, the popup and the options page sends no referrer', async ({ context, extensionId }) => {
  const outgoing = (root: Locator) =>
    root.locator('a[href^="http"]').evaluateAll((links) => links.map((a) => `${a.getAttribute('href')} ${a.getAttribute('rel')}`));
  const page = await openFixture(context, 'githubCard');
  await clickMention(page, page.locator('#hist [data-ibkr-error]'));
  const inCard = await outgoing(card(page));
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await popup.locator('input[type=search]').fill('pacing violation');
  await popup.keyboard.press('Enter');
  await expect(popup.locator('#detail')).toBeVisible();
  const inPopup = await outgoing(popup.locator('body'));
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('#shortcuts kbd').first()).toBeVisible();
  const inOptions = await outgoing(options.locator('body'));
  expect(inCard.length + inPopup.length).toBeGreaterThanOrEqual(2);
  for (const link of [...inCard, ...inPopup, ...inOptions]) expect(link).toMatch(/ noopener noreferrer$/);
  await options.close();
  await popup.close();
  await page.close();
});

test('no console errors from the card, the popup start page and the options shortcuts', async ({ context, extensionId, consoleErrors }) => {
  const page = await openFixture(context, 'githubCard');
  await hoverMention(page, page.locator('#hist [data-ibkr-error]'));
  await expect(card(page)).toBeVisible();
  await expect(page.locator(UI_HOST)).toHaveCount(1);
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('#results [data-entry-id]').first()).toBeVisible();
  expect(consoleErrors).toEqual([]);
  await popup.close();
  await page.close();
});

test('a marker below the fold reached from the keyboard keeps its card while the browser scrolls it into view', async ({ context }) => {
  const page = await openFixture(context, 'githubIssue');
  const marker = page.locator('#comment-3 [data-ibkr-error]');
  await expect(marker).toHaveCount(1);
  await scanSettled(page);
  expect(await page.evaluate(() => scrollY)).toBe(0);
  // Focus scrolls the marker into view, as Tab does; the scroll used to close the card it opened.
  await marker.focus();
  await scanSettled(page);
  expect(await page.evaluate(() => scrollY)).toBeGreaterThan(0);
  await expect(card(page)).toBeVisible();
  await expect(card(page)).toContainText('Server validation error on an API request');
  const box = (await card(page).boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(page.viewportSize()!.height);
  // Scrolled by the wheel with the pointer elsewhere, a hover tooltip still goes; this one stays with its focused marker.
  await page.mouse.wheel(0, 60);
  await scanSettled(page);
  await expect(card(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(card(page)).toBeHidden();
  await page.close();
});
