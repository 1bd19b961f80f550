/**
 * Pages as they really are: errors split by highlighters, highlighted again after load, in
 * shadow roots, in notebooks, in single-page apps and live apps. Each test asserts on the page's
 * own text (never changed), the marker ids and the marker counts.
 */
import type { Page } from '@playwright/test';
import { expect, openFixture, PAGES, scanSettled, test } from './fixtures';

interface Mention {
  id: string | null;
  /** The marked text: a marker's accessible name (a marker holds no text; the page's is painted). */
  text: string | null;
  /** Whether the marker takes the keyboard focus (not inside a link). */
  focusable: boolean;
}

/** The mentions marked under `selector`, one marker each, in document order. */
function mentions(page: Page, selector: string): Promise<Mention[]> {
  return page.evaluate((sel) => {
    const found: Mention[] = [];
    for (const scope of document.querySelectorAll(sel)) {
      for (const m of scope.querySelectorAll('[data-ibkr-error]')) {
        found.push({ id: m.getAttribute('data-ibkr-error'), text: m.getAttribute('aria-label'), focusable: m.getAttribute('tabindex') === '0' });
      }
    }
    return found;
  }, selector);
}

const text = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el.textContent);

test.describe('pages as they really are', () => {
  test('marks errors split by GitHub and highlight.js spans in place, also after a late re-highlight', async ({ context }) => {
    const page = await openFixture(context, 'githubHighlighted');
    const plText = await text(page, '#github-pl pre');
    // GitHub's pl- spans: one mention over many spans, one marker, its text painted across them.
    await expect.poll(() => mentions(page, '#github-pl')).toEqual([
      {
        id: 'connection-refused',
        text: 'ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it',
        focusable: true,
      },
    ]);
    expect(await text(page, '#github-pl pre')).toBe(plText);

    // Highlighted by the real highlight.js before the content script ran.
    await expect(page.locator('#hljs-load code .hljs-number').first()).toBeAttached();
    const atLoad = await mentions(page, '#hljs-load');
    expect(atLoad.map((m) => m.id)).toEqual(['ibkr-326', 'ibkr-321']);
    expect(atLoad[0].text).toMatch(/^Error 326, reqId -1: Unable to connect as the client id is already in use/);
    expect(atLoad[1].text).toMatch(/^Error 321, reqId 17: Error validating request/);

    // Highlighted after the plain text was marked: highlight.js replaces the children of <code>;
    // the block is marked again, with no duplicate and nothing lost.
    // Marked before the re-highlight (the fixture waits for that before highlighting), then again after it.
    const lateText = await text(page, '#hljs-late code');
    await expect(page.locator('body[data-late-highlighted="yes"]')).toBeAttached({ timeout: 5000 });
    expect(await page.evaluate(() => document.body.dataset.markedBeforeHighlight)).toBe('yes');
    await expect(page.locator('#hljs-late code .hljs-string').first()).toBeAttached();
    await scanSettled(page);
    const late = await mentions(page, '#hljs-late');
    // The same mentions as before the highlight, each once.
    expect(late.map((m) => m.id).join(' ')).toBe(await page.evaluate(() => document.body.dataset.idsBeforeHighlight));
    expect(late.map((m) => [m.id, m.text])).toEqual([
      ['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use'],
      ['connection-refused', 'ConnectionRefusedError'],
      ['connection-refused', '[WinError 10061] No connection could be made because the target machine actively refused it'],
    ]);
    expect(late.every((m) => m.focusable)).toBe(true);
    expect(await text(page, '#hljs-late code')).toBe(lateText);

    // A line break (<br>) inside a mention: one mention on two lines.
    expect(await mentions(page, '#br-lines')).toEqual([{ id: 'ibkr-326', text: 'Error 326, reqId -1: Unable to connect as theclient id is already in use', focusable: true }]);
    expect(await text(page, '#br-lines p')).toBe('Error 326, reqId -1: Unable to connect as theclient id is already in use');
    await page.close();
  });

  test('Jupyter: marks ANSI-coloured tracebacks, with the cell input as context, and never the editor', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await expect
      .poll(async () => (await mentions(page, '#cell-ib')).map((m) => m.text))
      .toContain("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)");
    expect(new Set((await mentions(page, '#cell-ib')).map((m) => m.id))).toEqual(new Set(['connection-refused']));
    // The same error in a redis notebook (another tab) is not an IBKR error.
    expect(await mentions(page, '#cell-redis')).toEqual([]);
    // Classic Notebook: the connect call in the input is context for the output.
    expect((await mentions(page, '#classic-cell')).map((m) => m.id)).toContain('ibkr-504');
    await expect(page.locator('.cm-editor [data-ibkr-error], .CodeMirror [data-ibkr-error]')).toHaveCount(0);
    await page.close();
  });

  test('marks text in open shadow roots, also rendered later, and in a custom element\'s closed one (docs/page-integrity.md, "Closed shadow roots")', async ({ context }) => {
    const page = await openFixture(context, 'redditShadow');
    // Playwright's CSS locators pierce open shadow roots.
    await expect(page.locator('#open p:not(.reply) [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-326');
    await expect(page.locator('#open p.reply [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-504');
    await expect(page.locator('#open p.reply')).toHaveText('Reply: ERROR -1 504 Not connected');
    await scanSettled(page);
    expect(await page.evaluate(() => (window as unknown as { closedCommentText(): unknown }).closedCommentText())).toEqual({
      text: 'And then Error 321, reqId 5: Error validating request',
      markers: 1,
    });
    await page.close();
  });

  test('a big page (42,000 nodes): errors past the first 20,000 nodes are marked as on a small one, the text unchanged', async ({ context }) => {
    const page = await openFixture(context, 'githubLongLog');
    const before = await text(page, '#l5999');
    // Six split 326 lines and one 504 (and the 200 in a custom element's shadow root, below).
    await expect.poll(() => mentions(page, 'main').then((m) => m.length), { timeout: 15_000 }).toBe(7);
    const found = await mentions(page, 'main');
    // In document order: lines 999, 1999 … 4999, then 5500, then 5999.
    expect(found.map((m) => m.id)).toEqual(['ibkr-326', 'ibkr-326', 'ibkr-326', 'ibkr-326', 'ibkr-326', 'ibkr-504', 'ibkr-326']);
    for (const m of found.filter((f) => f.id === 'ibkr-326')) {
      expect(m.text).toMatch(/^Error 326, reqId -1: Unable to connect as the client id is already in use/);
      expect(m.focusable).toBe(true);
    }
    expect(found[5].text).toBe('ERROR -1 504 Not connected');
    await expect(page.locator('x-log-line [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-200');
    expect(await text(page, '#l5999')).toBe(before);
    expect(before).toBe('t=5999 Error 326, reqId -1: Unable to connect as the client id is already in use.');
    expect(await text(page, '#l5500')).toBe('worker 3: ERROR -1 504 Not connected');
    expect(await text(page, '#l4321')).toBe('Line 4321 of the log: heartbeat ok (worker 2)');
    await page.close();
  });

  test('client-side navigation: context is computed again, markers only the old page justified go', async ({ context }) => {
    const page = await openFixture(context, 'spaIbInsync');
    await expect(page.locator('#ib-comment pre [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-504');
    // The sidebar's generic "Not connected" counts on an ib_insync issue (title and heading).
    await expect(page.locator('#last-status [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-504');

    await page.click('#to-redis');
    await expect(page).toHaveURL(PAGES.spaRedis.url);
    await expect(page.locator('#redis-comment')).toBeAttached();
    await scanSettled(page);
    // On a redis-py issue neither the Errno 111 refusal nor "Not connected" is an IBKR error.
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    expect(await text(page, '#redis-comment pre')).toBe(
      'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.\nConnectionRefusedError: [Errno 111] Connection refused',
    );
    expect(await text(page, '#last-status')).toBe('Last status: Not connected');
    expect(await page.locator('#last-status').evaluate((p) => p.childNodes.length)).toBe(1);

    await page.goBack();
    await expect(page).toHaveURL(PAGES.spaIbInsync.url);
    await expect(page.locator('#ib-comment pre [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-504');
    await expect(page.locator('#last-status [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-504');
    await page.close();
  });

  test('live updates: page text stays what the page wrote, markers stay one per mention, a repairing app is left alone', async ({ context }) => {
    const page = await openFixture(context, 'githubLive');
    type Model = { status: string; replaced: string; owned: string[]; rerender: string; repair: string };
    const snapshot = () =>
      page.evaluate(() => {
        const model = (window as unknown as { model: Model }).model;
        return {
          model,
          status: document.getElementById('status')!.textContent,
          replaced: document.getElementById('status-replaced')!.textContent,
          owned: [...document.querySelectorAll('#owned p')].map((p) => p.textContent),
          rerender: document.getElementById('rerender')!.textContent,
          repair: document.getElementById('repair')!.textContent,
        };
      });
    // While the page updates: after each of the framework's updates, every text is exactly what
    // the page last wrote.
    for (let i = 0; i < 6; i++) {
      const seen = (await snapshot()).model.owned[0];
      await page.waitForFunction((prev) => (window as unknown as { model: Model }).model.owned[0] !== prev, seen);
      const s = await snapshot();
      expect(s.status).toBe(s.model.status);
      expect(s.replaced).toBe(s.model.replaced);
      expect(s.owned).toEqual(s.model.owned);
      expect(s.rerender).toBe(s.model.rerender);
      expect(s.repair).toBe(s.model.repair);
    }
    await page.evaluate(() => (window as unknown as { stopAll(): void }).stopAll());
    await expect(page.locator('#feed > .comment-body')).toHaveCount(20);
    await scanSettled(page);
    const s = await snapshot();
    expect(s.owned).toEqual(s.model.owned);
    expect(s.status).toBe(s.model.status);
    expect(await mentions(page, '#status')).toEqual([{ id: 'ibkr-504', text: 'ERROR -1 504 Not connected', focusable: true }]);
    expect((await mentions(page, '#status-replaced')).map((m) => m.id)).toEqual(['ibkr-321']);
    const owned = await mentions(page, '#owned');
    expect(owned).toHaveLength(50);
    expect(owned.every((m) => m.id === 'ibkr-326')).toBe(true);
    expect((await mentions(page, '#rerender')).map((m) => m.id)).toEqual(['connection-refused']);
    // Infinite scroll: twenty comments, one marker each.
    await expect(page.locator('#feed > .comment-body')).toHaveCount(20);
    const feed = await page.locator('#feed > .comment-body').evaluateAll((cs) => cs.map((c) => c.querySelectorAll('[data-ibkr-error="ibkr-321"]').length));
    expect(feed).toEqual(Array(20).fill(1));
    // The repairing app: a few tries, then the extension backs off (no endless loop).
    // Settled (no endless repair loop keeps the content script busy), after at most a few tries.
    const repairs = await page.evaluate(() => (window as unknown as { repairs: number }).repairs);
    expect(repairs).toBeGreaterThan(0);
    expect(repairs).toBeLessThanOrEqual(4);
    expect(s.repair).toBe('Repairing app: ERROR -1 504 Not connected');
    await page.close();
  });

  test('a page listening for message events hears nothing from the extension', async ({ context }) => {
    const page = await openFixture(context, 'githubLive');
    await scanSettled(page);
    expect(await page.evaluate(() => (window as unknown as { __messages: string[] }).__messages)).toEqual([]);
    await page.close();
  });
});
