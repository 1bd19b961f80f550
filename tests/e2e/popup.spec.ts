import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { TOP_CODES } from '../../knowledge/quality';
import { expect, test } from './fixtures';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

async function openPopup(context: import('@playwright/test').BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 420, height: 600 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}

const resultIds = (page: Page) =>
  page.locator('[data-entry-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id') ?? ''));

test.describe('toolbar popup', () => {
  test('search puts the right entry first', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    await expect(input).toBeFocused();
    for (const [query, id] of [
      ['10061', 'connection-refused'],
      ['clientId', 'ibkr-326'],
      ['326', 'ibkr-326'],
      ['7497', 'ibkr-502'],
      ['isConnected', 'ibkr-504'],
      ['conection refused', 'connection-refused'],
      ['Error validating request', 'ibkr-321'],
      ['162', 'ibkr-162'],
      ['2104', 'ibkr-2104'],
      ['pacing violation', 'ibkr-162'],
      ['secrity definition', 'ibkr-200'],
    ]) {
      await input.fill(query);
      await expect(page.locator('#results [data-entry-id]').first(), `first result for "${query}"`).toHaveAttribute('data-entry-id', id);
    }
    await input.fill('326');
    expect(await resultIds(page)).toEqual(['ibkr-326']);
    await page.close();
  });

  test('arrow keys and Enter open a full entry; Escape goes back', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    await input.fill('connect');
    const ids = await resultIds(page);
    expect(ids.length).toBeGreaterThan(1);
    await page.keyboard.press('ArrowDown');
    await expect(page.locator(`#results [data-entry-id="${ids[1]}"]`)).toHaveAttribute('aria-selected', 'true');
    await expect(input).toHaveAttribute('aria-activedescendant', `result-${ids[1]}`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const detail = page.locator('#detail');
    await expect(detail).toBeVisible();
    await expect(detail.locator('article')).toHaveAttribute('data-entry-id', ids[0]);
    for (const heading of ['Typical symptoms', 'Likely causes', 'Checks', 'Resolution path', 'Related terms:']) {
      await expect(detail).toContainText(heading);
    }
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('connect');
    // A related term in the entry view is a search of its own.
    await input.fill('10061');
    await page.keyboard.press('Enter');
    await detail.locator('button.term', { hasText: 'connectAsync' }).click();
    await expect(detail).toBeHidden();
    await expect(input).toHaveValue('connectAsync');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'connection-refused');
    await page.close();
  });

  test('shows the full entry for ConnectionRefusedError', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    await page.locator('input[type=search]').fill('10061');
    await page.keyboard.press('Enter');
    const detail = page.locator('#detail');
    for (const text of [
      'ConnectionRefusedError / WinError 10061',
      'Python cannot open a socket to TWS or IB Gateway',
      'Nothing accepted the TCP connection on the host and port the API client dialled',
      'TWS or IB Gateway is closed',
      'Verify the API socket port in the desktop settings',
      'Paper defaults are commonly 7497 for TWS and 4002 for Gateway, but local settings are authoritative',
      'connectAsync',
    ]) {
      await expect(detail).toContainText(text);
    }
    await page.close();
  });

  test('empty query counts everything and draws a page at a time; no match shows an empty state', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const status = page.locator('#status');
    await expect(status).toContainText(/^\d{3} results, the most met first · showing 50 of \d{3}\./);
    const count = Number((await status.locator('.count').textContent())!.split(' ')[0]);
    expect(count).toBeGreaterThan(400);
    await expect(page.locator('#results [data-entry-id]')).toHaveCount(50);
    // The start page: the most met entries first (no tab with markers here), then the rest.
    expect((await resultIds(page)).slice(0, 3)).toEqual(TOP_CODES.slice(0, 3).map((code) => `ibkr-${code}`));
    const more = page.locator('#more');
    await expect(more).toHaveText(`Show 50 more (showing 50 of ${count})`);
    await more.click();
    await expect(page.locator('#results [data-entry-id]')).toHaveCount(100);
    await expect(status).toContainText(`${count} results, the most met first · showing 100 of ${count}`);
    // The first new row is chosen; ↓ past the last drawn row draws the next page.
    const input = page.locator('input[type=search]');
    await expect(input).toBeFocused();
    const selected = page.locator('#results [aria-selected=true]');
    const drawn = await resultIds(page);
    await expect(selected).toHaveAttribute('data-entry-id', drawn[50]);
    for (let i = 0; i < 49; i++) await page.keyboard.press('ArrowDown');
    await expect(selected).toHaveAttribute('data-entry-id', drawn[99]);
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('#results [data-entry-id]')).toHaveCount(150);
    await expect(selected).toHaveAttribute('data-entry-id', (await resultIds(page))[100]);

    await input.fill('2104');
    await expect(status).toHaveText('1 result. Enter opens the first.');
    await expect(more).toBeHidden();
    await input.fill('qwertyzzz');
    await expect(page.locator('#results [data-entry-id]')).toHaveCount(0);
    await expect(status.locator('.empty-title')).toHaveText('No results');
    await expect(status).toContainText('No entry matches “qwertyzzz”');
    await page.locator('#status button.example', { hasText: 'clientId' }).click();
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-326');
    await page.close();
  });

  test('a query that only says something went wrong is called too general; its list holds no code hit', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    const status = page.locator('#status');
    await input.fill('failed');
    await expect(page.locator('#results [data-entry-id]').first()).toBeVisible();
    expect((await resultIds(page))[0]).not.toBe('api-connection-failed');
    await expect(status).toContainText('“failed” only says that something went wrong: add the error’s code or more words of its message.');
    await input.fill('an error occurred');
    await expect(status.locator('.empty-title')).toHaveText('No results');
    await expect(status).toContainText('“an error occurred” only says that something went wrong');
    // A query that tells the error apart gets no such note.
    await input.fill('connection failed');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'api-connection-failed');
    await expect(status).not.toContainText('only says');
    await page.close();
  });

  test('a long pasted query that matches nothing is quoted short, and the popup does not scroll sideways', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const status = page.locator('#status');
    const main = page.locator('main');
    for (const query of ['x'.repeat(300), `${'qz'.repeat(40)} ${'w'.repeat(2000)}`]) {
      await page.locator('input[type=search]').fill(query);
      await expect(status.locator('.empty-title')).toHaveText('No results');
      // The start of the query, cut with an ellipsis: the empty state stays a few lines.
      await expect(status).toContainText(`No entry matches “${query.slice(0, 60)}…”.`);
      expect(await main.evaluate((m) => m.scrollWidth - m.clientWidth)).toBe(0);
      expect((await status.boundingBox())!.height).toBeLessThan(160);
    }
    await page.close();
  });

  test('filters by category and severity, from the keyboard too', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    const status = page.locator('#status');
    const severity = page.getByLabel('Severity');
    const category = page.getByLabel('Category');
    await severity.selectOption('info');
    await expect(status).toContainText('12 results in Information, not an error');
    expect((await resultIds(page)).sort()).toEqual([
      'cpapi-client-login-succeeds',
      'cpapi-gateway-banner',
      'cpapi-gateway-illegal-reflective-access',
      'cpapi-gateway-open-login',
      'cpapi-no-bridge-hmds',
      'cpapi-snapshot-preflight',
      'ibkr-2104',
      'ibkr-2106',
      'ibkr-2107',
      'ibkr-2108',
      'ibkr-2119',
      'ibkr-2158',
    ]);
    await input.fill('farm connection ok');
    // The OK notices by their message, then 2119, whose text says the OK notice follows it.
    await expect(page.locator('#results [data-entry-id]')).toHaveCount(4);
    const farmOk = await resultIds(page);
    expect(farmOk.slice(0, 3).sort()).toEqual(['ibkr-2104', 'ibkr-2106', 'ibkr-2158']);
    expect(farmOk[3]).toBe('ibkr-2119');
    await severity.selectOption('');
    // Under one page of results (50), so the drawn lists are the whole lists.
    await input.fill('market data subscription');
    await expect(status).toHaveText(/^[1-4]?\d results\./);
    const unfiltered = await resultIds(page);
    await category.selectOption({ label: 'Market data' });
    const filtered = await resultIds(page);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(unfiltered.length);
    expect(unfiltered.filter((id) => filtered.includes(id))).toEqual(filtered);
    await expect(status).toContainText(`${filtered.length} result${filtered.length === 1 ? '' : 's'} in Market data`);

    // A filter that leaves nothing says so and offers to clear the filters.
    await input.fill('162');
    await expect(status.locator('.empty-title')).toHaveText('No results');
    await expect(status).toContainText('No entry matches “162” in Market data');
    await status.locator('button.clear-filters').click();
    await expect(category).toHaveValue('');
    expect(await resultIds(page)).toEqual(['ibkr-162']);
    await expect(input).toBeFocused();
    // An example offered there is a search of the whole catalog: it clears the filters too.
    await category.selectOption({ label: 'Market data' });
    await input.fill('qqqqzzzz');
    await status.locator('button.example', { hasText: '326' }).click();
    await expect(category).toHaveValue('');
    expect(await resultIds(page)).toEqual(['ibkr-326']);

    // Keyboard: Tab from the search field reaches the category, then the severity filter.
    await input.fill('');
    await page.keyboard.press('Tab');
    await expect(category).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(severity).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect(severity).toHaveValue('warning');
    await expect(status).toContainText(/^\d+ results in Warning/);
    // Warnings include text-matched entries (api-rate-warning), so check the label, not the id.
    const labels = await page.locator('#results li').allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    for (const label of labels) expect(label).toContain('Warning · ');
    await page.close();
  });

  test('an informational entry says it is not an error; every entry links to the official docs', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    await input.fill('farm connection is OK');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-2104');
    await expect(page.locator('#results li').first()).toContainText('Information, not an error · Connectivity');
    await page.keyboard.press('Enter');
    const detail = page.locator('#detail');
    await expect(detail.locator('.notice-info')).toHaveText(/^Not an error: nothing to fix\./);
    await expect(detail.locator('.entry-code')).toHaveText('Notice 2104 Connectivity');
    const examples = detail.locator('.section-examples code');
    // A few examples, not all of them (2104 has more than three).
    await expect(examples).toHaveCount(3);
    await expect(examples.first()).toHaveText('Error 2104, reqId 1: Market data farm connection is OK');
    const link = detail.locator('a.docs-link, .docs a');
    await expect(link).toHaveAttribute('href', 'https://www.interactivebrokers.com/campus/ibkr-api-page/twsapi-doc/#api-error-codes');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await page.keyboard.press('Escape');

    // An error has no such notice; a connectivity notice has its own.
    await input.fill('162');
    await page.keyboard.press('Enter');
    await expect(detail.locator('.entry-code')).toHaveText('Error 162 Historical data');
    await expect(detail).not.toContainText('Not an error');
    await expect(detail.locator('.section-examples code')).toHaveCount(3);
    await page.keyboard.press('Escape');
    await input.fill('1100');
    await page.keyboard.press('Enter');
    await expect(detail.locator('.notice-system')).toContainText('Connectivity notice.');
    await page.close();
  });

  test('shows the educational boundary and the trademark notice', async ({ context, extensionId, consoleErrors }) => {
    const page = await openPopup(context, extensionId);
    const footer = page.locator('#notices');
    await expect(footer).toContainText('Educational boundary');
    await expect(footer).toContainText('This lookup is for technical troubleshooting and reproducibility.');
    await expect(footer).toContainText('Interactive Brokers, IBKR, Trader Workstation, and IB Gateway are trademarks');
    await page.locator('input[type=search]').fill('client id');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-326');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/popup.png` });
    await page.keyboard.press('Enter');
    await page.screenshot({ path: `${SHOTS}/popup-entry.png` });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test('follows the dark colour scheme', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bg();
    expect(dark).not.toBe(light);
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(200);
    await page.close();
  });

  test('severity labels and notices keep readable contrast in light and dark', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    /** WCAG contrast ratio of an element's text against the nearest opaque background behind it. */
    const contrastOf = (selector: string) =>
      page.locator(selector).first().evaluate((el) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
        const lum = ([r, g, b]: number[]) => {
          const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
          return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
        };
        let bgEl: Element | null = el;
        let bg = getComputedStyle(el).backgroundColor;
        while (bgEl && (bg === 'transparent' || rgb(bg)[3] === 0)) {
          bgEl = bgEl.parentElement;
          bg = bgEl ? getComputedStyle(bgEl).backgroundColor : 'rgb(255, 255, 255)';
        }
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg))].sort((x, y) => y - x);
        return (a + 0.05) / (b + 0.05);
      });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      // The notices (info, system) also carry a notice line of their severity's colours.
      for (const [code, severity, notice] of [['326', 'error', []], ['321', 'warning', []], ['2104', 'info', ['info']], ['1100', 'system', ['system']]] as const) {
        await input.fill(code);
        await expect(page.locator('#results li').first()).toHaveAttribute('data-entry-id', `ibkr-${code}`);
        expect(await contrastOf(`#results li .severity-${severity}`), `${severity} label, ${scheme}`).toBeGreaterThanOrEqual(4.5);
        await page.keyboard.press('Enter');
        expect(await contrastOf(`#detail .entry-code .severity-${severity}`), `${severity} badge, ${scheme}`).toBeGreaterThanOrEqual(4.5);
        for (const kind of notice) expect(await contrastOf(`#detail .notice-${kind}`), `${kind} notice, ${scheme}`).toBeGreaterThanOrEqual(4.5);
        await page.keyboard.press('Escape');
      }
    }
    await page.close();
  });
});

test.describe('popup accessibility', () => {
  const violations = async (page: Page) => {
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  test('the search field says whether its result list is shown: not while an entry is open, nor when nothing matches', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    await expect(input).toHaveAttribute('aria-expanded', 'true');
    await input.fill('162');
    await page.keyboard.press('Enter');
    await expect(page.locator('#detail')).toBeVisible();
    await expect(input).toHaveAttribute('aria-expanded', 'false');
    await expect(input).not.toHaveAttribute('aria-activedescendant', /.*/);
    await page.keyboard.press('Escape');
    await expect(input).toHaveAttribute('aria-expanded', 'true');
    await expect(input).toHaveAttribute('aria-activedescendant', 'result-ibkr-162');
    await input.fill('qqqqzzzz');
    await expect(input).toHaveAttribute('aria-expanded', 'false');
    await input.fill('326');
    await expect(input).toHaveAttribute('aria-expanded', 'true');
    await page.close();
  });

  test('axe-core finds no violation in the result list, an entry view and the empty state', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    await expect(page.locator('#results [data-entry-id]').first()).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await page.locator('input[type=search]').fill('162');
    await page.keyboard.press('Enter');
    await expect(page.locator('#detail')).toBeVisible();
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('input[type=search]').fill('qqqqzzzz');
    await expect(page.locator('#results [data-entry-id]')).toHaveCount(0);
    expect(await violations(page)).toEqual([]);
    await page.close();
  });

  test('axe-core finds no violation in the page opened as "Explain selection" where Firefox lets no extension run, light and dark, nor in its page note', async ({ context, extensionId }) => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 420, height: 600 });
      const selection = 'ERROR 1 162 Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades';
      await page.goto(`chrome-extension://${extensionId}/popup.html?explain=${encodeURIComponent(selection)}&cut=12345`);
      await expect(page.locator('#detail article')).toHaveAttribute('data-entry-id', 'ibkr-162');
      await expect(page.locator('#detail .matched-case')).toHaveAttribute('data-variant', 'no-data');
      await expect(page.locator('#explain-note')).toContainText('the other 12,345 were left out');
      expect(await violations(page), scheme).toEqual([]);
      // Back: the selection's results, and no page note over a query.
      await page.keyboard.press('Escape');
      await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-162');
      await expect(page.locator('#page-note')).toBeHidden();
      await page.locator('input[type=search]').fill('');
      await expect(page.locator('#page-note')).toBeVisible();
      expect(await violations(page), `${scheme}, start page with its note`).toEqual([]);
      await page.close();
    }
  });
});

/** The toolbar's own popup (chrome.action.openPopup): its window's width, its page's width and the body's, in CSS pixels. */
async function measureActionPopup(context: BrowserContext, serviceWorker: Worker): Promise<{ window: number; page: number; body: number }> {
  const tab = await context.newPage();
  await tab.goto('about:blank');
  await tab.bringToFront();
  await serviceWorker.evaluate(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
  // Playwright lists no popup window among the context's pages: its target is reached over CDP.
  const cdp = await context.newCDPSession(tab);
  const popupTarget = async () => (await cdp.send('Target.getTargets')).targetInfos.find((t) => t.type === 'page' && t.url.endsWith('/popup.html'));
  await expect.poll(popupTarget).toBeDefined();
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: (await popupTarget())!.targetId, flatten: false });
  const ask = (expression: string) =>
    new Promise<string>((resolve) => {
      const id = Math.floor(Math.random() * 1e9);
      const listener = (e: { message: string }) => {
        const answer = JSON.parse(e.message) as { id?: number; result?: { result: { value: string } } };
        if (answer.id !== id) return;
        cdp.off('Target.receivedMessageFromTarget', listener);
        resolve(answer.result!.result.value);
      };
      cdp.on('Target.receivedMessageFromTarget', listener);
      void cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }) });
    });
  const measure = `JSON.stringify({ window: innerWidth, page: document.documentElement.scrollWidth, body: document.body.getBoundingClientRect().width, ready: document.querySelectorAll('[data-entry-id]').length > 0 })`;
  let sizes = JSON.parse(await ask(measure)) as { window: number; page: number; body: number; ready: boolean };
  // Measured once the start page has its results (the popup's size follows its content).
  await expect.poll(async () => (sizes = JSON.parse(await ask(measure))).ready).toBe(true);
  await tab.close();
  const { window, page, body } = sizes;
  return { window, page, body };
}

test.describe('the popup in a window narrower than 420 pixels', () => {
  // 320: the popup at 250 % zoom (Chromium caps it at 800 device pixels).
  for (const [width, body] of [
    [420, 420],
    [400, 400],
    [320, 320],
  ] as const) {
    test(`a page ${width} pixels wide shows the popup ${body} pixels wide, without scrolling sideways`, async ({ context, extensionId }) => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 300 });
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      await expect(page.locator('[data-entry-id]').first()).toBeVisible();
      expect(await page.evaluate(() => document.body.getBoundingClientRect().width)).toBe(body);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
      // Every control of the header is inside the window.
      const controls = await page.locator('header input, header select, header button, header a').evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().right)));
      for (const right of controls) expect(right).toBeLessThanOrEqual(width);
      await page.close();
    });
  }

  test('the toolbar popup opens 420 pixels wide, and at 200 % zoom (the browser caps it at 400 CSS pixels) fits its window', async ({ context, serviceWorker }) => {
    const settings = await context.newPage();
    await settings.goto('chrome://settings');
    const setDefaultZoom = (zoom: number) =>
      settings.evaluate((z) => new Promise((resolve) => (globalThis as unknown as { chrome: { settingsPrivate: { setDefaultZoom(z: number, done: () => void): void } } }).chrome.settingsPrivate.setDefaultZoom(z, () => resolve(undefined))), zoom);
    try {
      const normal = await measureActionPopup(context, serviceWorker);
      expect(normal.body).toBe(420);
      expect(normal.page).toBe(normal.window);
      await setDefaultZoom(2);
      const zoomed = await measureActionPopup(context, serviceWorker);
      expect(zoomed).toEqual({ window: 400, page: 400, body: 400 });
    } finally {
      await setDefaultZoom(1);
      await settings.close();
    }
  });
});
