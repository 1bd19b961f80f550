/**
 * What users do in Firefox ESR, through Firefox's own UI where the extension meets it: "Explain
 * selection" from the real context menu and from the key Firefox bound to the command, the toolbar
 * popup as a panel (its size, its search, its switch and "Allow" on a withheld site, its note over
 * Firefox's JSON viewer), the popup's keyboard, the analyzer with a dropped or chosen file, Cancel
 * and the Markdown report, and the dark scheme. The Chromium specs drive the same functions through
 * test hooks; here nothing but the built add-on runs.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import type { Firefox } from './harness';
import {
  boundKeys,
  chooseExplainSelection,
  clearPref,
  clickInToolbarPopup,
  clipboardText,
  closeToolbarPopup,
  inToolbarPopup,
  openContextMenu,
  openToolbarPopup,
  pressBoundKey,
  selectText,
  toolbarPopupBox,
} from './browser-ui';
import { cardState, expect, markerIds, test } from './fixtures';
import { pdfWithLine } from './pdf';

/** What has focus in the extension's UI on the page (the card's shadow root), by class. */
const cardFocus = (page: Page) => page.evaluate(() => document.querySelector('[data-ibkr-error-lookup-ui]')?.shadowRoot?.activeElement?.className ?? null);
const cardRole = (page: Page) => page.evaluate(() => document.querySelector('[data-ibkr-error-lookup-ui]')?.shadowRoot?.querySelector('.card')?.getAttribute('role') ?? null);

test.describe('Firefox ESR: "Explain selection"', () => {
  test("Firefox's context menu offers it for a selection; chosen, the card explains the selected line, and Escape closes it", async ({ firefox }) => {
    const page = await firefox.openFixture('stackoverflow-ibkr.html');
    await expect.poll(() => markerIds(page)).not.toEqual([]);
    const selected = await selectText(page, 'pre');
    expect(selected).toContain('Code: 321');
    expect(await openContextMenu(firefox, page, 'pre')).toContain('Explain selection');
    await chooseExplainSelection(firefox);
    await expect.poll(async () => (await cardState(page)).visible, { message: 'the card after "Explain selection"' }).toBe(true);
    const { text } = await cardState(page);
    for (const part of ['Explain selection', 'Selected: Error. Id: 3, Code: 321', 'Server validation error on an API request', 'Reduce to the smallest reproducible request', 'Educational boundary']) {
      expect(text).toContain(part);
    }
    expect(await cardRole(page)).toBe('dialog');
    await expect.poll(() => cardFocus(page), { message: 'focus in the card' }).toContain('close');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await cardState(page)).visible).toBe(false);
  });

  test('a selection with no known error says so; the menu is not offered without a selection', async ({ firefox }) => {
    const page = await firefox.openFixture('github-issue.html');
    await expect.poll(() => markerIds(page, '#comment-3')).not.toEqual([]);
    await page.evaluate(() => getSelection()!.removeAllRanges());
    expect(await openContextMenu(firefox, page, '#comment-1 p:last-of-type')).not.toContain('Explain selection');
    expect(await selectText(page, '#comment-1 p:last-of-type')).toContain('$504.00');
    expect(await openContextMenu(firefox, page, '#comment-1 p:last-of-type')).toContain('Explain selection');
    await chooseExplainSelection(firefox);
    await expect.poll(async () => (await cardState(page)).text).toContain('No known IBKR API error found in the selection');
  });

  test('the key Firefox bound to the command (Alt+Shift+K) explains a selection inside a comment box', async ({ firefox }) => {
    expect(await boundKeys(firefox)).toEqual(['alt,shift+E', 'alt,shift+K']);
    const page = await firefox.openFixture('github-issue.html');
    await page.$eval('#new_comment_field', (el) => {
      const area = el as HTMLTextAreaElement;
      area.focus();
      area.setSelectionRange(0, area.value.length);
    });
    await pressBoundKey(firefox, 'alt,shift+K');
    await expect.poll(async () => (await cardState(page)).text, { message: 'the card after the shortcut' }).toContain(
      'Selected: Error 326, reqId -1: Unable to connect as the client id is already in use',
    );
    expect((await cardState(page)).text).toContain('Client ID is already in use');
    // The page's text is the user's: the comment box holds what it held.
    expect(await page.$eval('#new_comment_field', (el) => (el as HTMLTextAreaElement).value)).toBe('Error 326, reqId -1: Unable to connect as the client id is already in use');
  });

  test('on a site the user withheld, the menu item injects the script (activeTab) and explains; the shortcut does too', async ({ firefox }) => {
    await firefox.setGrantByDefault(false);
    const page = await firefox.openFixture('stackoverflow-ibkr.html');
    await selectText(page, 'pre');
    await openContextMenu(firefox, page, 'pre');
    await chooseExplainSelection(firefox);
    await expect.poll(async () => (await cardState(page)).text, { message: 'the card on a withheld site' }).toContain('Server validation error on an API request');
    expect(await firefox.grantedOrigins()).toEqual([]);

    const other = await firefox.openFixture('github-issue.html');
    expect(await markerIds(other)).toEqual([]);
    await other.$eval('#new_comment_field', (el) => {
      (el as HTMLTextAreaElement).focus();
      (el as HTMLTextAreaElement).select();
    });
    await pressBoundKey(firefox, 'alt,shift+K');
    await expect.poll(async () => (await cardState(other)).text, { message: 'the card after the shortcut on a withheld site' }).toContain('Client ID is already in use');
  });

  test('a selection in a frame the script does not run in is explained in that frame', async ({ firefox }) => {
    firefox.server.serve('/frame-log.html', '<!doctype html><title>log</title><pre id="log">ERROR -1 504 Not connected</pre>');
    const url = firefox.server.serve('/frame-host.html', '<!doctype html><title>host</title><h1>Runbook</h1><iframe id="f" style="width:600px;height:200px" src="/frame-log.html"></iframe>');
    const page = await firefox.browser.newPage();
    await page.goto(url);
    const frame = (await (await page.waitForSelector('#f'))!.contentFrame())!;
    await frame.waitForSelector('#log');
    expect(await frame.$$eval('[data-ibkr-error]', (els) => els.length)).toBe(0);
    await selectText(frame, '#log');
    const box = await page.$eval('#f', (el) => el.getBoundingClientRect().toJSON() as DOMRect);
    await openContextMenu(firefox, page, '#f', { x: box.left + 20, y: box.top + 15 });
    await chooseExplainSelection(firefox);
    await expect.poll(async () => (await cardState(frame as unknown as Page)).text, { message: 'the card in the frame' }).toContain('Request sent while the IBKR client is not connected');
    expect((await cardState(page)).visible).toBe(false);
  });
});

test.describe('Firefox ESR: the toolbar popup', () => {
  test.afterEach(async ({ firefox }) => {
    await closeToolbarPopup(firefox);
    await firefox.setPref('extensions.webextOptionalPermissionPrompts', true);
  });

  test('opens 420 by 600 pixels with the search focused and the page’s marked errors first, no sideways scroll', async ({ firefox }) => {
    const page = await firefox.openFixture('stackoverflow-ibkr.html');
    await expect.poll(() => markerIds(page)).toHaveLength(3);
    const viewer = await firefox.openExtensionPage('options.html');
    await page.bringToFront();
    await openToolbarPopup(firefox);
    await expect.poll(() => inToolbarPopup<string>(viewer, '(w, d) => d.querySelector("#status").textContent'), { message: 'the popup’s status line' }).toMatch(
      /^\d{3} results, the 2 marked on this page first/,
    );
    // Firefox sizes the panel to the page as the page reports its size: the box is polled.
    await expect.poll(() => toolbarPopupBox(firefox), { message: 'the panel’s size' }).toEqual({ open: true, width: 420, height: 600 });
    // Focus: the panel has given the page the focus (Firefox does so once the page is in the
    // panel), and the search holds it.
    const view = () => inToolbarPopup<{ focused: string; first: string[]; sideways: number; site: string | undefined }>(
      viewer,
      `(w, d) => ({
        focused: d.hasFocus() ? d.activeElement.id : 'the panel has no focus yet',
        first: [...d.querySelectorAll('#results [data-entry-id]')].slice(0, 2).map((e) => e.getAttribute('data-entry-id')),
        sideways: d.documentElement.scrollWidth - w.innerWidth,
        site: d.querySelector('#site-switch')?.closest('[data-state]').dataset.state,
      })`,
    );
    // The switch is drawn once the settings and the grants are read.
    await expect.poll(view, { message: 'the popup once its switch is drawn' }).toEqual({ focused: 'q', first: ['ibkr-321', 'ibkr-504'], sideways: 0, site: 'on' });
  });

  test('on a site the user withheld: opened there, it marks that page and says so, offers Allow; a click on Allow grants the site', async ({ firefox }) => {
    await firefox.setGrantByDefault(false);
    await firefox.setPref('extensions.webextOptionalPermissionPrompts', false);
    const page = await firefox.openFixture('stackoverflow-ibkr.html');
    const viewer = await firefox.openExtensionPage('options.html');
    await page.bringToFront();
    expect(await markerIds(page)).toEqual([]);
    await openToolbarPopup(firefox);
    const site = () => inToolbarPopup<[string, string]>(viewer, '(w, d) => { const box = d.querySelector("#site-switch")?.closest("[data-state]"); return box && [box.dataset.state, box.querySelector(".site-note")?.textContent ?? ""]; }');
    // Firefox runs the content script on the page the toolbar button was used on (activeTab):
    // the popup must not say that nothing is marked there.
    await expect.poll(() => markerIds(page), { message: 'markers once the popup opened on a withheld site' }).toHaveLength(3);
    // The popup asks the page again while its script starts: the page's errors lead the list.
    const first = () => inToolbarPopup<string[]>(viewer, '(w, d) => [...d.querySelectorAll("#results [data-entry-id]")].slice(0, 2).map((e) => e.getAttribute("data-entry-id"))');
    await expect.poll(first, { message: 'the page’s errors first in the popup opened on a withheld site' }).toEqual(['ibkr-321', 'ibkr-504']);
    expect(await inToolbarPopup<boolean>(viewer, '(w, d) => d.querySelector("#page-note").hidden')).toBe(true);
    await expect.poll(site, { message: 'the site switch' }).toEqual([
      'not-allowed',
      'The browser has not allowed this extension on localhost (Jupyter, local notebooks, the Client Portal Gateway): it marks a page there only when you open it on that page.',
    ]);
    await clickInToolbarPopup(firefox, viewer, 'button.allow');
    await expect.poll(async () => (await site())?.[0], { message: 'the site switch after Allow' }).toBe('on');
    expect((await firefox.grantedOrigins()).sort()).toEqual(['http://127.0.0.1/*', 'http://localhost/*', 'https://127.0.0.1/*', 'https://localhost/*']);
    // Granted for good: the page loaded again is marked without the popup.
    await closeToolbarPopup(firefox);
    await page.reload();
    await expect.poll(() => markerIds(page), { message: 'markers after a reload once the site is allowed' }).toHaveLength(3);
  });
});

test.describe("Firefox ESR: the JSON and PDF viewers", () => {
  test.afterEach(async ({ firefox }) => {
    await closeToolbarPopup(firefox);
    await clearPref(firefox, 'devtools.jsonview.enabled');
  });

  test("a gateway's JSON answer shown in Firefox's JSON viewer (no extension may run there): the popup says nothing is marked on it and why", async ({ firefox }) => {
    // Firefox's default; puppeteer turns the viewer off for the browsers it starts.
    await firefox.setPref('devtools.jsonview.enabled', true);
    const url = firefox.server.serve('/v1/api/iserver/auth/status', { file: 'cpapi-auth-status.json' }, { contentType: 'application/json' });
    const page = await firefox.browser.newPage();
    await page.goto(url);
    await page.waitForSelector('.tabs-menu-item.json');
    const viewer = await firefox.openExtensionPage('options.html');
    await page.bringToFront();
    await openToolbarPopup(firefox);
    const site = () => inToolbarPopup<[string, string]>(viewer, '(w, d) => { const box = d.querySelector("#site-switch")?.closest("[data-state]"); return box && [box.dataset.state, box.querySelector(".site-note")?.textContent ?? ""]; }');
    await expect.poll(site, { message: 'the site switch over the JSON viewer' }).toEqual([
      'on',
      'Firefox shows this page in its own JSON or PDF viewer, where no extension can run: nothing is marked on it. Copy its text into the search above to look an error up.',
    ]);
    expect(await markerIds(page)).toEqual([]);
  });

  /**
   * The page of the popup window "Explain selection" opens where no extension may run, once it
   * says what it explains (puppeteer keeps such a tab's address as about:blank: it is asked).
   */
  async function explainWindow(firefox: Firefox): Promise<Page> {
    const ready = async (p: Page) => p.evaluate(() => location.href.includes('/popup.html?explain=') && document.querySelector('#explain-note') !== null).catch(() => false);
    for (let i = 0; i < 100; i++) {
      for (const p of await firefox.browser.pages()) if (await ready(p)) return p;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no "Explain selection" window');
  }

  /** Closes that window and makes the page's window the active one again (the toolbar popup opens only over an active window). */
  async function closeExplainWindow(popup: Page, page: Page): Promise<void> {
    await popup.close();
    await page.bringToFront();
  }

  test('"Explain selection" on a selection in the JSON viewer (no extension may run there) explains it in a window of the popup page', async ({ firefox }) => {
    await firefox.setPref('devtools.jsonview.enabled', true);
    const url = firefox.server.serve('/v1/api/iserver/account/trades', '{"error":"Bad Request: no bridge","statusCode":400}', { contentType: 'application/json' });
    const page = await firefox.browser.newPage();
    await page.goto(url);
    await page.waitForSelector('.tabs-menu-item.json');
    const value = '.treeValueCell .objectBox-string';
    expect(await selectText(page, value)).toContain('no bridge');
    expect(await openContextMenu(firefox, page, value)).toContain('Explain selection');
    await chooseExplainSelection(firefox);
    const popup = await explainWindow(firefox);
    expect(await popup.$eval('#detail article', (a) => a.getAttribute('data-entry-id'))).toBe('cpapi-no-bridge');
    expect(await popup.$eval('#detail', (d) => (d as HTMLElement).hidden)).toBe(false);
    expect(await popup.$eval('#explain-note', (n) => n.textContent)).toContain('the selection “"Bad Request: no bridge"”');
    expect(await popup.$eval('input[type=search]', (i) => (i as HTMLInputElement).value)).toBe('"Bad Request: no bridge"');
    // Back goes to what the search finds for the selection.
    await popup.keyboard.press('Escape');
    await popup.waitForSelector('#results [data-entry-id="cpapi-no-bridge"]');
    expect(await markerIds(page)).toEqual([]);
    await closeExplainWindow(popup, page);
  });

  test('"Explain selection" on a line of a PDF in Firefox’s PDF viewer (no extension may run there) explains it in a window of the popup page', async ({ firefox }) => {
    const line = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';
    const url = firefox.server.serve('/reports/tws-session.pdf', pdfWithLine(line), { contentType: 'application/pdf' });
    const page = await firefox.browser.newPage();
    await page.goto(url);
    // pdf.js draws the page and lays its text over it, one span a run of text.
    const text = '#viewerContainer .textLayer span';
    await page.waitForSelector(text);
    expect(await selectText(page, text)).toBe(line);
    expect(await openContextMenu(firefox, page, text)).toContain('Explain selection');
    await chooseExplainSelection(firefox);
    const popup = await explainWindow(firefox);
    expect(await popup.$eval('#detail article', (a) => a.getAttribute('data-entry-id'))).toBe('ibkr-326');
    expect(await popup.$eval('#detail', (d) => (d as HTMLElement).hidden)).toBe(false);
    expect(await popup.$eval('#explain-note', (n) => n.textContent)).toContain(`the selection “${line}”, from a page where Firefox lets no extension run`);
    expect(await popup.$eval('input[type=search]', (i) => (i as HTMLInputElement).value)).toBe(line);
    // The viewer was left as it was: no marker, no card of ours in it.
    expect(await markerIds(page)).toEqual([]);
    expect(await page.evaluate(() => document.querySelector('[data-ibkr-error-lookup-ui]'))).toBe(null);
    await closeExplainWindow(popup, page);
  });

  test('the shortcut there cannot read the selection: the window says so and offers the search', async ({ firefox }) => {
    await firefox.setPref('devtools.jsonview.enabled', true);
    const url = firefox.server.serve('/v1/api/iserver/auth/status', { file: 'cpapi-auth-status.json' }, { contentType: 'application/json' });
    const page = await firefox.browser.newPage();
    await page.goto(url);
    await page.waitForSelector('.tabs-menu-item.json');
    await pressBoundKey(firefox, 'alt,shift+K');
    const popup = await explainWindow(firefox);
    expect(await popup.$eval('#explain-note', (n) => n.textContent)).toContain('Firefox lets no extension read a selection on this page');
    expect(await popup.$eval('#detail', (d) => (d as HTMLElement).hidden)).toBe(true);
    expect(await popup.evaluate(() => document.activeElement?.id)).toBe('q');
    await closeExplainWindow(popup, page);
  });

  test('on a page the script runs on, the popup adds no such note', async ({ firefox }) => {
    const page = await firefox.openFixture('stackoverflow-ibkr.html');
    await expect.poll(() => markerIds(page)).toHaveLength(3);
    const viewer = await firefox.openExtensionPage('options.html');
    await page.bringToFront();
    await openToolbarPopup(firefox);
    const site = () => inToolbarPopup<[string, number]>(viewer, '(w, d) => { const box = d.querySelector("#site-switch")?.closest("[data-state]"); return box && [box.dataset.state, box.querySelectorAll(".site-note").length]; }');
    await expect.poll(site).toEqual(['on', 0]);
  });
});

test.describe('Firefox ESR: the popup page', () => {
  const resultIds = (popup: Page) => popup.$$eval('#results [data-entry-id]', (els) => els.map((e) => e.getAttribute('data-entry-id') ?? ''));
  const detailId = (popup: Page) => popup.$eval('#detail', (d) => ((d as HTMLElement).hidden ? null : (d.querySelector('article')?.getAttribute('data-entry-id') ?? '')));
  const focusedId = (popup: Page) => popup.evaluate(() => document.activeElement?.id ?? '');

  test('arrow keys choose a result, Enter opens it, Escape goes back to the query; a related term searches', async ({ firefox }) => {
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.setViewport({ width: 420, height: 600 });
    await popup.waitForSelector('#results [data-entry-id]');
    expect(await focusedId(popup)).toBe('q');
    await popup.keyboard.type('connect');
    await expect.poll(() => resultIds(popup).then((ids) => ids.length)).toBeGreaterThan(1);
    const ids = await resultIds(popup);
    await popup.keyboard.press('ArrowDown');
    expect(await popup.$eval(`#results [data-entry-id="${ids[1]}"]`, (el) => el.getAttribute('aria-selected'))).toBe('true');
    expect(await popup.$eval('#q', (el) => el.getAttribute('aria-activedescendant'))).toBe(`result-${ids[1]}`);
    await popup.keyboard.press('ArrowUp');
    await popup.keyboard.press('Enter');
    await expect.poll(() => detailId(popup)).toBe(ids[0]);
    const detail = await popup.$eval('#detail', (d) => d.textContent ?? '');
    for (const heading of ['Typical symptoms', 'Likely causes', 'Checks', 'Resolution path', 'Related terms:']) expect(detail).toContain(heading);
    await popup.keyboard.press('Escape');
    await expect.poll(() => detailId(popup)).toBe(null);
    expect([await focusedId(popup), await popup.$eval('#q', (el) => (el as HTMLInputElement).value)]).toEqual(['q', 'connect']);

    await popup.$eval('#q', (el) => ((el as HTMLInputElement).value = ''));
    await popup.keyboard.type('10061');
    await expect.poll(() => resultIds(popup).then((r) => r[0])).toBe('connection-refused');
    await popup.keyboard.press('Enter');
    await expect.poll(() => detailId(popup)).toBe('connection-refused');
    expect(await popup.$$eval('#detail button.term', (els) => els.map((e) => e.textContent))).toContain('connectAsync');
    await popup.$$eval('#detail button.term', (els) => (els.find((e) => e.textContent === 'connectAsync') as HTMLElement).focus());
    await popup.keyboard.press('Enter');
    await expect.poll(() => detailId(popup)).toBe(null);
    expect(await popup.$eval('#q', (el) => (el as HTMLInputElement).value)).toBe('connectAsync');
    await expect.poll(() => resultIds(popup).then((r) => r[0])).toBe('connection-refused');
  });

  test('Copy as Markdown puts the entry on the clipboard', async ({ firefox }) => {
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.waitForSelector('#results [data-entry-id]');
    await popup.keyboard.type('326');
    await expect.poll(() => resultIds(popup).then((r) => r[0])).toBe('ibkr-326');
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#detail .copy-markdown');
    await popup.click('#detail .copy-markdown');
    await expect.poll(() => popup.$eval('#detail .copy-markdown', (b) => b.textContent)).toBe('Copied');
    const md = await clipboardText(firefox);
    expect(md.split('\n')[0]).toBe('### Error 326: Client ID is already in use');
    for (const part of ['- **Severity:** Error', '**Likely causes**', '**Resolution path**', '_Educational boundary: This lookup is for technical troubleshooting']) {
      expect(md).toContain(part);
    }
  });
});

test.describe('Firefox ESR: the analyzer', () => {
  const rows = (page: Page) => page.$$eval('tr[data-entry-id]', (els) => els.map((e) => [e.getAttribute('data-entry-id'), e.getAttribute('data-count')]));
  const status = (page: Page) => page.$eval('#status', (el) => el.textContent ?? '');
  const LOG = ['ERROR -1 504 Not connected', "Error 326, reqId -1: Unable to connect as the client id is already in use.", 'ERROR -1 504 Not connected', ''].join('\n');

  test('a dropped file is read and counted; an entry opens in place; the report goes to the clipboard as Markdown', async ({ firefox }) => {
    const page = await firefox.openExtensionPage('analyze.html');
    await page.waitForSelector('textarea#log');
    await page.evaluate((text) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([text], 'tws.log', { type: 'text/plain' }));
      document.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, LOG);
    await expect.poll(() => status(page), { message: 'the analyzer status' }).toMatch(/^3 lines read from tws\.log in \d+ ms: 2 distinct errors, 0 informational notices\.$/);
    expect(await rows(page)).toEqual([
      ['ibkr-504', '2'],
      ['ibkr-326', '1'],
    ]);
    expect(await page.$eval('#drop', (el) => (el as HTMLElement).hidden)).toBe(true);
    await page.click('tr[data-entry-id="ibkr-326"] button');
    await expect.poll(() => page.$eval('tr[data-entry-id="ibkr-326"] button', (b) => b.getAttribute('aria-expanded'))).toBe('true');
    expect(await page.$eval('tr.entry-row', (el) => el.textContent)).toContain('Client ID is already in use');

    await page.click('#report-actions .copy-markdown');
    await expect.poll(() => page.$eval('#report-actions .copy-markdown', (b) => b.textContent)).toBe('Copied');
    const report = await clipboardText(firefox);
    expect(report.split('\n')[0]).toBe('### IBKR API messages in `tws.log`');
    expect(report).toMatch(/\n\| Error 504 \| [^|]+ \| Error \| 2 \| 1 \| 3 \| `ERROR -1 504 Not connected` \|\n/);
  });

  test('a file chosen with "Choose a log file…" is read and counted', async ({ firefox }) => {
    const file = join(tmpdir(), `gateway-${process.pid}.log`);
    writeFileSync(file, "ERROR -1 504 Not connected\nERROR -1 502 Couldn't connect to TWS.\n");
    const page = await firefox.openExtensionPage('analyze.html');
    const input = (await page.waitForSelector('#file')) as ElementHandle<HTMLInputElement>;
    try {
      await input.uploadFile(file);
      await expect.poll(() => status(page)).toMatch(/^2 lines read from gateway-\d+\.log in \d+ ms: 2 distinct errors/);
    } finally {
      rmSync(file);
    }
    expect(await rows(page)).toEqual([
      ['ibkr-504', '1'],
      ['ibkr-502', '1'],
    ]);
  });

  test('Cancel and Escape stop a run; the next analysis shows nothing of it', async ({ firefox }) => {
    const page = await firefox.openExtensionPage('analyze.html');
    await page.waitForSelector('textarea#log');
    // A file of 8 MB whose second half is held back (its slices' reads wait) until the status line
    // says the run was cancelled: the run cannot end before the Cancel it is meant to meet.
    await page.evaluate(() => {
      const w = window as unknown as { bigFile: File; statuses: string[] };
      const line = 'Error 326, reqId -1: Unable to connect as the client id is already in use.\n';
      w.bigFile = new File([line.repeat(Math.ceil((8 * 1024 * 1024) / line.length))], 'big.log');
      const slice = Blob.prototype.slice;
      const read = Blob.prototype.arrayBuffer;
      const held = new WeakSet<Blob>();
      const waiting: (() => void)[] = [];
      Blob.prototype.slice = function (this: Blob, start?: number, end?: number, type?: string) {
        const part = slice.call(this, start, end, type);
        if (this === w.bigFile && (start ?? 0) >= this.size / 2) held.add(part);
        return part;
      };
      Blob.prototype.arrayBuffer = function (this: Blob) {
        return held.has(this) ? new Promise<void>((resolve) => waiting.push(resolve)).then(() => read.call(this)) : read.call(this);
      };
      const statusLine = document.querySelector('#status')!;
      w.statuses = [];
      new MutationObserver(() => {
        w.statuses.push(statusLine.textContent ?? '');
        if (statusLine.textContent === 'Analysis cancelled.') for (const go of waiting.splice(0)) go();
      }).observe(statusLine, { childList: true, characterData: true, subtree: true });
    });
    const drop = () =>
      page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add((window as unknown as { bigFile: File }).bigFile);
        document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      });
    await drop();
    await expect.poll(() => status(page)).toContain('Analyzing big.log');
    await page.click('#cancel');
    await expect.poll(() => status(page)).toBe('Analysis cancelled.');
    expect(await page.$eval('#progress-line', (el) => (el as HTMLElement).hidden)).toBe(true);

    await drop();
    await expect.poll(() => status(page)).toContain('Analyzing big.log');
    await page.keyboard.press('Escape');
    await expect.poll(() => status(page)).toBe('Analysis cancelled.');
    await page.evaluate(() => ((window as unknown as { statuses: string[] }).statuses.length = 0));
    await page.$eval('textarea#log', (el) => {
      (el as HTMLTextAreaElement).value = 'ERROR -1 504 Not connected';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.click('#analyze');
    await expect.poll(() => status(page)).toContain('1 line read from the pasted log');
    expect(await rows(page)).toEqual([['ibkr-504', '1']]);
    expect((await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses)).filter((s) => s.includes('big.log'))).toEqual([]);
  });
});

test.describe('Firefox ESR: dark', () => {
  test.afterEach(async ({ firefox }) => {
    await clearPref(firefox, 'ui.systemUsesDarkTheme');
  });

  /** A colour's channels summed: under 200 is dark, over 600 light. */
  const lightness = (css: string) => css.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0);

  test('with the OS dark, the popup, the analyzer and the options page are dark; the card on a dark page is dark', async ({ firefox }) => {
    const pages = await Promise.all(['popup.html', 'analyze.html', 'options.html'].map((path) => firefox.openExtensionPage(path)));
    const backgrounds = () => Promise.all(pages.map((p) => p.evaluate(() => getComputedStyle(document.body).backgroundColor).then(lightness)));
    expect((await backgrounds()).every((l) => l > 600)).toBe(true);
    await firefox.setPref('ui.systemUsesDarkTheme', 1);
    await expect.poll(async () => (await backgrounds()).every((l) => l < 200), { message: 'the extension pages in a dark OS' }).toBe(true);

    const url = firefox.server.serve('/dark-log.html', '<!doctype html><title>log</title><style>body { background: #111; color: #eee; }</style><pre id="log">ERROR -1 504 Not connected</pre>');
    const page = await firefox.browser.newPage();
    await page.goto(url);
    await page.waitForSelector('[data-ibkr-error="ibkr-504"]');
    await page.click('[data-ibkr-error="ibkr-504"]');
    await expect.poll(async () => (await cardState(page)).visible).toBe(true);
    const card = await page.evaluate(() => {
      const el = document.querySelector('[data-ibkr-error-lookup-ui]')!.shadowRoot!.querySelector('.card')!;
      return [getComputedStyle(el).backgroundColor, getComputedStyle(el).color];
    });
    expect(lightness(card[0])).toBeLessThan(200);
    expect(lightness(card[1])).toBeGreaterThan(600);
  });
});
