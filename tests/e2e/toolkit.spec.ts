import { mkdirSync } from 'node:fs';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { card, expect, openFixture, test } from './fixtures';

/** The few extension APIs these tests call inside the service worker. */
declare const chrome: {
  tabs: { query(q: { active: boolean; lastFocusedWindow: boolean }): Promise<{ id?: number }[]> };
  action: { getBadgeText(d: { tabId: number }): Promise<string>; getTitle(d: { tabId: number }): Promise<string> };
  storage: { sync: { clear(): Promise<void> } };
};

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

/** The tab id of `page` (brought to the front, it is the active tab). */
async function tabIdOf(sw: Worker, page: Page): Promise<number> {
  await page.bringToFront();
  return sw.evaluate(async () => (await chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0].id!);
}

/** Shows the "Explain selection" panel in the tab: proves its content script is running and listening. */
async function contentScriptAnswers(sw: Worker, page: Page): Promise<void> {
  const tabId = await tabIdOf(sw, page);
  await sw.evaluate(
    (id) => (globalThis as unknown as { explainSelectionInTab: (id: number, t: string) => Promise<void> }).explainSelectionInTab(id, 'Error 326'),
    tabId,
  );
  await expect(card(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(card(page)).toBeHidden();
}

async function openExtensionPage(context: BrowserContext, extensionId: string, path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/${path}`);
  return page;
}

/** What the clipboard holds, pasted with the keyboard into a text area of an extension page. */
async function pasted(context: BrowserContext, extensionId: string): Promise<string> {
  const page = await openExtensionPage(context, extensionId, 'analyze.html');
  const area = page.locator('textarea');
  await area.focus();
  await page.keyboard.press('Control+V');
  const text = await area.inputValue();
  await page.close();
  return text;
}

const GITHUB_MARKS = ['ibkr-326', 'ibkr-326', 'api-connection-failed', 'connection-refused', 'ibkr-504', 'ibkr-321'];
const markIds = (page: Page) => page.locator('[data-ibkr-error]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ibkr-error')));

test.describe('toolkit: settings, analyzer, copy, badge', () => {
  // One browser for every test: each starts from (and leaves) the default settings.
  test.beforeEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });
  test.afterEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });

  test('options page: a site group switched off loses its markers at once and after a reload; on again, they come back without a reload', async ({
    context,
    extensionId,
    serviceWorker,
  }) => {
    const page = await openFixture(context, 'githubIssue');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    const logBefore = await page.locator('#comment-1 pre').first().innerHTML();
    const options = await openExtensionPage(context, extensionId, 'options.html');
    const github = options.getByRole('switch', { name: 'GitHub' });
    await expect(github).toBeChecked();
    await expect(options.locator('input[data-group]')).toHaveCount(6);
    await github.uncheck();
    await expect(options.locator('#saved')).toHaveText('Saved.');
    // The open tab follows without a reload, and its text is the page's own again.
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    await expect(page.locator('#comment-1 pre').first()).toHaveText(
      'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.\nAPI connection failed: TimeoutError()',
    );
    expect(await page.locator('#comment-1 pre').first().evaluate((el) => el.childNodes.length)).toBe(1);
    await page.reload();
    await contentScriptAnswers(serviceWorker, page);
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    // Another site group is untouched.
    const so = await openFixture(context, 'stackOverflowIbkr');
    await so.close();
    await options.bringToFront();
    await github.check();
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    expect(await markIds(page)).toEqual(GITHUB_MARKS);
    expect(await page.locator('#comment-1 pre').first().innerHTML()).toBe(logBefore);
    await options.close();
    await page.close();
  });

  test('options page: hides informational notices on open pages; an invalid site gets a clear message', async ({ context, extensionId }) => {
    // A page of our own, served at a GitHub URL for this test only (a page route wins over the context's).
    const page = await context.newPage();
    const url = 'https://github.com/example/tws-bot/issues/7';
    await page.route(url, (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        body:
          '<!doctype html><title>TWS bot log</title><h1>ib_insync log</h1><pre>' +
          'Error 2104, reqId -1: Market data farm connection is OK:usfarm\n' +
          'Error 326, reqId -1: Unable to connect as the client id is already in use\n' +
          'Error 2106, reqId -1: HMDS data farm connection is OK:ushmds</pre>',
      }),
    );
    await page.goto(url);
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(3);
    const options = await openExtensionPage(context, extensionId, 'options.html');
    await options.getByRole('switch', { name: /Hide informational notices/ }).check();
    await expect(options.locator('#saved')).toHaveText('Saved.');
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(1);
    await expect(page.locator('[data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-326');
    await expect(page.locator('pre')).toContainText('Error 2104, reqId -1: Market data farm connection is OK:usfarm');
    await options.getByRole('switch', { name: /Hide informational notices/ }).uncheck();
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(3);
    await page.close();

    await options.locator('#site').fill('ftp://files.example.com/*');
    await options.getByRole('button', { name: 'Add site' }).click();
    await expect(options.locator('#site-message')).toHaveText('Only http and https sites can be added (not “ftp://”).');
    await options.locator('#site').fill('https://*/*');
    await options.keyboard.press('Enter');
    await expect(options.locator('#site-message')).toContainText('adding every site is not allowed');
    await expect(options.locator('#custom-sites li')).toHaveText(['No other sites yet.']);
    await options.locator('#hover-delay').fill('400');
    await options.locator('#hover-delay').press('Tab');
    await expect(options.locator('#saved')).toHaveText('Saved.');
    await options.reload();
    await expect(options.locator('#hover-delay')).toHaveValue('400');
    mkdirSync(SHOTS, { recursive: true });
    await options.setViewportSize({ width: 820, height: 900 });
    await options.screenshot({ path: `${SHOTS}/options.png` });
    await options.close();
  });

  test('popup: shows whether this site is on and switches it in one click', async ({ context, extensionId, serviceWorker, consoleErrors }) => {
    const page = await openFixture(context, 'githubIssue');
    const tabId = await tabIdOf(serviceWorker, page);
    const popup = await openExtensionPage(context, extensionId, `popup.html?tab=${tabId}`);
    const toggle = popup.getByRole('switch');
    await expect(toggle).toBeChecked();
    await expect(popup.locator('#site-state')).toHaveText('On for GitHub');
    await toggle.click();
    await expect(popup.locator('#site-state')).toHaveText('Off for GitHub');
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    await popup.getByRole('switch').click();
    await expect(popup.locator('#site-state')).toHaveText('On for GitHub');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    expect(await markIds(page)).toEqual(GITHUB_MARKS);
    await expect(popup.getByRole('link', { name: 'Analyze a log' })).toHaveAttribute('href', '/analyze.html');
    await expect(popup.getByRole('link', { name: 'Settings' })).toBeVisible();
    expect(consoleErrors).toEqual([]);
    await popup.close();
    await page.close();
  });

  test('analyzer: a pasted log gives one row per entry with exact counts; an entry opens in place', async ({ context, extensionId, requested, consoleErrors }) => {
    const page = await openExtensionPage(context, extensionId, 'analyze.html');
    const log = [
      '2024-05-01 09:30:00 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm',
      '2024-05-01 09:30:01 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      'nginx: 504 Gateway Timeout while reading response header from upstream',
      'ERROR -1 504 Not connected',
      '2024-05-01 09:30:02 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:eufarm',
      'Error 321, reqId 17: Error validating request.-\'bN\' : cause - The API interface is currently in Read-Only mode.',
      '2024-05-01 09:30:03 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      '2024-05-01 09:30:04 ib_insync.wrapper INFO Warning 2106, reqId -1: HMDS data farm connection is OK:ushmds',
    ].join('\n');
    await page.locator('textarea').fill(log);
    await page.getByRole('button', { name: 'Analyze' }).click();
    await expect(page.locator('#status')).toContainText('8 lines read');
    const rows = await page
      .locator('tr[data-entry-id]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-entry-id'), e.getAttribute('data-count')]));
    expect(rows).toEqual([
      ['ibkr-326', '2'],
      ['ibkr-504', '1'],
      ['ibkr-321', '1'],
      ['ibkr-2104', '2'],
      ['ibkr-2106', '1'],
    ]);
    const row326 = page.locator('tr[data-entry-id="ibkr-326"]');
    await expect(row326.locator('.first-line')).toHaveText('2');
    await expect(row326.locator('.last-line')).toHaveText('7');
    await expect(row326.locator('.quote')).toHaveText(
      '2024-05-01 09:30:01 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
    );
    // Informational notices are folded away until opened.
    await expect(page.locator('tr[data-entry-id="ibkr-2104"]')).toBeHidden();
    await page.locator('#info-summary').click();
    await expect(page.locator('tr[data-entry-id="ibkr-2104"]')).toBeVisible();
    mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.screenshot({ path: `${SHOTS}/analyzer.png` });
    // The entry is one click away (keyboard too: the code is a button).
    await row326.getByRole('button', { name: 'Error 326' }).focus();
    await page.keyboard.press('Enter');
    await expect(row326.getByRole('button', { name: 'Error 326' })).toHaveAttribute('aria-expanded', 'true');
    const entryRow = page.locator('tr.entry-row');
    await expect(entryRow).toContainText('Client ID is already in use');
    await expect(entryRow).toContainText('Likely causes');
    await expect(entryRow.getByRole('link', { name: 'IBKR’s official message codes documentation' })).toHaveAttribute(
      'href',
      'https://www.interactivebrokers.com/campus/ibkr-api-page/twsapi-doc/#api-error-codes',
    );
    await expect(page.locator('[data-entry-id]')).toHaveCount(5);
    // Nothing left the browser, and nothing went wrong on the way.
    expect(requested.filter((u) => !u.startsWith('chrome-extension://'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test('analyzer: a 20 MB file dropped on the page is analysed in slices with exact counts', async ({ context, extensionId }) => {
    test.setTimeout(120_000);
    const page = await openExtensionPage(context, extensionId, 'analyze.html');
    // The file is made in the page (sending 20 MB through the test driver would take longer than the analysis).
    const expected = await page.evaluate(() => {
      const lines: string[] = [];
      let size = 0;
      let n326 = 0;
      let n2104 = 0;
      for (let i = 0; size < 20 * 1024 * 1024; i++) {
        let line: string;
        if (i % 101 === 0) {
          n326++;
          line = `Error 326, reqId -1: Unable to connect as the client id is already in use. line ${i}`;
        } else if (i % 7 === 0) {
          n2104++;
          line = 'Warning 2104, reqId -1: Market data farm connection is OK:usfarm';
        } else line = `2024-05-01 09:30:00,${i} app DEBUG nothing to see here, price 504.00, ticket #321 — é`;
        lines.push(line);
        size += line.length + 1;
      }
      const transfer = new DataTransfer();
      transfer.items.add(new File([lines.join('\n')], 'big.log', { type: 'text/plain' }));
      document.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      return { lines: lines.length, n326, n2104 };
    });
    await expect(page.locator('#status')).toContainText(`${expected.lines.toLocaleString('en-US')} lines read from big.log`, { timeout: 90_000 });
    await expect(page.locator('tr[data-entry-id="ibkr-326"]')).toHaveAttribute('data-count', String(expected.n326));
    await expect(page.locator('tr[data-entry-id="ibkr-2104"]')).toHaveAttribute('data-count', String(expected.n2104));
    await expect(page.locator('tr[data-entry-id]')).toHaveCount(2);
    await expect(page.locator('#progress-line')).toBeHidden();
    await expect(page.locator('#drop')).toBeHidden();
    await page.close();
  });

  test('copy as Markdown: the popup entry view and the analyzer report land on the clipboard', async ({ context, extensionId }) => {
    const popup = await openExtensionPage(context, extensionId, 'popup.html');
    await popup.locator('input[type=search]').fill('326');
    await popup.keyboard.press('Enter');
    const copy = popup.getByRole('button', { name: 'Copy as Markdown' });
    await copy.focus();
    await popup.keyboard.press('Enter');
    await expect(popup.locator('.copy-markdown')).toHaveText('Copied');
    const md = await pasted(context, extensionId);
    expect(md.split('\n')[0]).toBe('### Error 326: Client ID is already in use');
    for (const part of ['- **Severity:** Error', '**Likely causes**', '**Checks**', '**Resolution path**', '1. Assign a different client ID per process', '_Educational boundary: This lookup is for technical troubleshooting']) {
      expect(md).toContain(part);
    }
    await expect(popup.locator('#detail').getByRole('link', { name: 'IBKR’s official message codes documentation' })).toBeVisible();
    await popup.close();

    const analyzer = await openExtensionPage(context, extensionId, 'analyze.html');
    await analyzer.locator('textarea').fill('ERROR -1 504 Not connected\nERROR -1 504 Not connected\n');
    await analyzer.getByRole('button', { name: 'Analyze' }).click();
    await expect(analyzer.locator('tr[data-entry-id="ibkr-504"]')).toHaveAttribute('data-count', '2');
    await analyzer.getByRole('button', { name: 'Copy report as Markdown' }).click();
    await expect(analyzer.locator('#report-actions .copy-markdown')).toHaveText('Copied');
    const report = await pasted(context, extensionId);
    expect(report).toContain('### IBKR API messages in the pasted log');
    expect(report).toMatch(/\n\| 504 \| [^|]+ \| \w+ \| 2 \| 1 \| 2 \| `ERROR -1 504 Not connected` \|\n/);
    await analyzer.close();
  });

  test('shortcut: "explain the selection" explains what is selected on the page', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'stackOverflowIbkr');
    await page.locator('pre').first().evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const tabId = await tabIdOf(serviceWorker, page);
    await serviceWorker.evaluate(
      (id) => (globalThis as unknown as { ibkrRunCommand: (c: string, t: { id: number }) => Promise<void> }).ibkrRunCommand('explain-selection', { id }),
      tabId,
    );
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toContainText('Server validation error on an API request');
    await page.keyboard.press('Escape');
    await page.close();
  });

  test('badge: counts the distinct errors on the page, says so in its title, and clears on navigation', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    const tabId = await tabIdOf(serviceWorker, page);
    const badge = () => serviceWorker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId);
    // 326, api-connection-failed, connection-refused, 504, 321: five distinct errors (326 twice counts once).
    await expect.poll(badge).toBe('5');
    expect(await serviceWorker.evaluate((id) => chrome.action.getTitle({ tabId: id }), tabId)).toMatch(/5 distinct IBKR API errors marked on this page/);
    await page.goto('https://stackoverflow.com/questions/78000002/nginx-504-gateway-timeout-behind-load-balancer');
    await expect.poll(badge).toBe('');
    await page.close();
  });
});
