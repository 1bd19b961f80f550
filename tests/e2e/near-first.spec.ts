/**
 * A long thread is read near the viewport first (lib/annotate/far-units.ts): GitHub's timeline
 * items many screens below are left unread at load and read as they come near (a scroll, a jump
 * to a comment's anchor, `scrollIntoView`, an item the page shows), and a page that goes hidden
 * is read whole. The badge counts what is marked so far. On tests/e2e/pages/github-tall-thread.html:
 * 40 timeline items of at least 600 px, errors in items 1, 3, 12 (hidden), 25, 30, 35 and 38.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import puppeteer, { type Browser as CdpBrowser } from 'puppeteer-core';
import { SCAN_STATE_ATTR } from '../../lib/test-hooks';
import { badgeOf, expect, openFixture, PAGES, scanSettled, tabIdOf, test } from './fixtures';
import { startChromium } from './own-chromium';

const THREAD_PATH = '/erdewit/ib_insync/issues/4960';

/** The entry ids of the markers in each timeline item that has any. */
function markedItems(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(() => {
    const out: Record<string, string[]> = {};
    for (const m of document.querySelectorAll('[data-ibkr-error]')) {
      const item = m.closest('.js-timeline-item')!;
      (out[item.id] ??= []).push(m.getAttribute('data-ibkr-error')!);
    }
    return out;
  });
}

const NEAR_AT_LOAD = { 'item-1': ['ibkr-1100'], 'item-3': ['ibkr-326'] };

test.describe('a long thread, read near the viewport first', () => {
  test('far items are unmarked at load and marked once scrolled near; the badge follows; the text is unchanged', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubTallThread');
    const text = await page.evaluate(() => document.body.textContent);
    await scanSettled(page);
    expect(await markedItems(page)).toEqual(NEAR_AT_LOAD);
    const badge = await badgeOf(serviceWorker, page);
    await expect.poll(badge).toBe('2');

    await page.locator('#item-24').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY));
    await expect(page.locator('#item-25 [data-ibkr-error]')).toHaveCount(1);
    await scanSettled(page);
    const afterScroll = await markedItems(page);
    expect(afterScroll).toMatchObject({ ...NEAR_AT_LOAD, 'item-25': ['ibkr-2110'] });
    // Items 30 and past are more than three viewports below item 24: still unread.
    expect(afterScroll['item-35']).toBeUndefined();
    expect(afterScroll['item-38']).toBeUndefined();
    // The badge counts the errors marked so far (one each, however many mentions).
    await expect.poll(badge).toBe(String(new Set(Object.values(afterScroll).flat()).size));
    expect(await page.evaluate(() => document.body.textContent)).toBe(text);
  });

  test('a jump to a far comment (scrollIntoView, its anchor) marks it', async ({ context }) => {
    const page = await openFixture(context, 'githubTallThread');
    await scanSettled(page);
    expect(await markedItems(page)).toEqual(NEAR_AT_LOAD);
    await page.locator('#item-25').evaluate((el) => el.scrollIntoView());
    await expect(page.locator('#item-25 [data-ibkr-error]')).toHaveCount(1);
    await scanSettled(page);
    expect((await markedItems(page))['item-35']).toBeUndefined();
    await page.evaluate(() => (location.hash = '#issuecomment-1035'));
    await expect(page.locator('#item-35 [data-ibkr-error]')).toHaveCount(1);
    expect((await markedItems(page))['item-35']).toEqual(['ibkr-1100']);
  });

  test("the popup opened on the thread has the rest read and lists every error of the page first; the badge follows", async ({ context, extensionId, serviceWorker }) => {
    const page = await openFixture(context, 'githubTallThread');
    await scanSettled(page);
    expect(await markedItems(page)).toEqual(NEAR_AT_LOAD);
    const tabId = await tabIdOf(serviceWorker, page);
    const badge = await badgeOf(serviceWorker, page);
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html?tab=${tabId}`);
    // Errors and connectivity notices in page order: the items far below were read when asked.
    const all = ['ibkr-1100', 'ibkr-326', 'ibkr-1102', 'ibkr-2110', 'ibkr-502'];
    await expect(popup.locator('#status')).toContainText(/the 5 marked on this page first/);
    const ids = await popup.locator('#results [data-entry-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id')));
    expect(ids.slice(0, 5).sort()).toEqual([...all].sort());
    await scanSettled(page);
    expect(Object.keys(await markedItems(page))).toHaveLength(7);
    await expect.poll(badge).toBe('5');
    await popup.close();
  });

  test('items the browser skips while off screen (content-visibility: auto) are read when scrolled near', async ({ context }) => {
    // The item itself is rendered (its rectangle is its intrinsic size); what it holds is skipped until near.
    const page = await context.newPage();
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const style = document.head.appendChild(document.createElement('style'));
        style.textContent = '.js-timeline-item { content-visibility: auto; contain-intrinsic-size: auto 600px; }';
      });
    });
    await page.goto(PAGES.githubTallThread.url);
    await page.locator('[data-ibkr-error]').first().waitFor({ state: 'attached' });
    await scanSettled(page);
    expect(await page.locator('#item-30').evaluate((el) => getComputedStyle(el).contentVisibility)).toBe('auto');
    expect(await markedItems(page)).toEqual(NEAR_AT_LOAD);
    await page.locator('#item-24').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY));
    await expect(page.locator('#item-25 [data-ibkr-error]')).toHaveCount(1);
    await page.locator('#item-34').evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY));
    await expect(page.locator('#item-35 [data-ibkr-error]')).toHaveCount(1);
  });

  test('in a scrolling box: far items in it are read when the box scrolls them near', async ({ context }) => {
    const page = await openFixture(context, 'githubTallThread');
    await scanSettled(page);
    // The thread becomes a box of its own (an app's scrolling pane): the window no longer scrolls it.
    await page.evaluate(() => Object.assign(document.querySelector<HTMLElement>('.js-discussion')!.style, { height: '500px', overflow: 'auto' }));
    await scanSettled(page);
    expect((await markedItems(page))['item-25']).toBeUndefined();
    await page.evaluate(() => {
      const box = document.querySelector<HTMLElement>('.js-discussion')!;
      box.scrollTop = document.getElementById('item-25')!.offsetTop - box.offsetTop;
    });
    await expect(page.locator('#item-25 [data-ibkr-error]')).toHaveCount(1);
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    expect((await markedItems(page))['item-35']).toBeUndefined();
  });

  test('an item the page shows (its hidden attribute taken away) near the viewport is read', async ({ context }) => {
    const page = await openFixture(context, 'githubTallThread');
    await page.evaluate(() => window.scrollTo(0, document.getElementById('item-10')!.getBoundingClientRect().top + window.scrollY));
    await scanSettled(page);
    expect((await markedItems(page))['item-12']).toBeUndefined();
    await page.evaluate(() => document.getElementById('item-12')!.removeAttribute('hidden'));
    await expect(page.locator('#item-12 [data-ibkr-error]')).toHaveCount(1);
    expect((await markedItems(page))['item-12']).toEqual(['ibkr-1102']);
  });
});

/**
 * A page that goes hidden (another tab brought to the front) is read whole while hidden: no frame
 * comes there to tell near from far. In a Chromium started by hand (tests/e2e/own-chromium.ts):
 * Playwright keeps every page it is attached to visible. The page reports what it sees itself.
 */
test('a thread whose tab goes to the background is read whole while hidden, and counted', async () => {
  const REPORTER = `<script>
    const seen = { changes: [] };
    document.addEventListener('visibilitychange', () => seen.changes.push(document.visibilityState));
    setInterval(() => {
      seen.now = document.visibilityState;
      seen.state = document.documentElement.getAttribute('${SCAN_STATE_ATTR}');
      seen.markers = [...document.querySelectorAll('[data-ibkr-error]')].map((m) => m.closest('.js-timeline-item').id + ' ' + m.getAttribute('data-ibkr-error'));
      fetch('/seen', { method: 'POST', body: JSON.stringify(seen) });
    }, 250);
  </script>`;
  const thread = readFileSync(new URL('pages/github-tall-thread.html', import.meta.url), 'utf8').replace('<head>', `<head>${REPORTER}`);
  let seen: { changes: string[]; now: string; state: string | null; markers: string[] } | null = null;
  const server = createServer((req, res) => {
    if (req.url === '/seen') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => ((seen = JSON.parse(body) as typeof seen), res.end()));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.url === THREAD_PATH ? thread : '<!doctype html><title>Front</title><p>The tab in front.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const own = startChromium(`${origin}${THREAD_PATH}`);
  let cdp: CdpBrowser | null = null;
  try {
    // In front: the items near the top marked, the rest left for when they come near.
    const nearAtLoad = ['item-1 ibkr-1100', 'item-3 ibkr-326'];
    await expect.poll(() => seen && { now: seen.now, state: seen.state, markers: seen.markers }, { timeout: 15_000 }).toEqual({ now: 'visible', state: 'idle', markers: nearAtLoad });
    cdp = await puppeteer.connect({ browserWSEndpoint: await own.endpoint, defaultViewport: null });
    const session = await cdp.target().createCDPSession();
    await session.send('Target.createTarget', { url: `${origin}/front` });
    // Hidden: every item read, the hidden one too (as on any page read whole).
    const all = [...nearAtLoad, 'item-12 ibkr-1102', 'item-25 ibkr-2110', 'item-30 ibkr-502', 'item-35 ibkr-1100', 'item-38 ibkr-326'];
    await expect.poll(() => seen?.markers, { message: 'the markers of the hidden thread', timeout: 15_000 }).toEqual(all);
    expect(seen).toMatchObject({ changes: ['hidden'], now: 'hidden' });
    const worker = await (await cdp.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'))).worker();
    const badge = () =>
      worker!.evaluate(async () => {
        type Chrome = { tabs: { query(q: object): Promise<{ id?: number }[]> }; action: { getBadgeText(d: { tabId: number }): Promise<string> } };
        const { tabs, action } = (globalThis as unknown as { chrome: Chrome }).chrome;
        const background = await tabs.query({ active: false });
        return background.length === 1 ? action.getBadgeText({ tabId: background[0].id! }) : `${background.length} tabs in the background`;
      });
    // Five errors: 1100 and 326 are mentioned twice each.
    await expect.poll(badge, { message: 'the badge of the hidden tab' }).toBe('5');
  } finally {
    await cdp?.disconnect();
    await own.stop();
    server.close();
  }
});
