/**
 * A page opened in a background tab (a link opened with a middle click, a session restored): its
 * document is hidden from its start, so the browser runs no frame for it (no requestAnimationFrame,
 * no ResizeObserver) and throttles its timers. Its errors are marked and counted on the badge all
 * the same, and once the tab comes to the front its markers are placed at their mentions (they are
 * placed after a frame: lib/annotate/marker-geometry.ts).
 *
 * Playwright keeps every page it is attached to visible (it emulates a focused page), so Chromium
 * is started by hand (tests/e2e/own-chromium.ts) and the background tab is opened with the
 * DevTools protocol's `Target.createTarget({ background: true })`: the page itself tells what it
 * sees while hidden (requests to the test's server), and Playwright attaches only to bring it to
 * the front.
 */
import { chromium, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import puppeteer, { type Browser as CdpBrowser } from 'puppeteer-core';
import { expect, expectAtMention, test } from './fixtures';
import { startChromium } from './own-chromium';

const ISSUE_PATH = '/erdewit/ib_insync/issues/4242';

/** What the page reports of itself every 250 ms, from its first script on. */
interface Seen {
  /** Its visibility when its first script ran, its changes since, the frames run. */
  start: DocumentVisibilityState;
  changes: DocumentVisibilityState[];
  frames: number;
  now: DocumentVisibilityState;
  /** The entry ids of its markers, in document order. */
  markers: string[];
}

const REPORTER = `<script>
  const seen = { start: document.visibilityState, changes: [], frames: 0 };
  document.addEventListener('visibilitychange', () => seen.changes.push(document.visibilityState));
  requestAnimationFrame(function frame() { seen.frames++; requestAnimationFrame(frame); });
  setInterval(() => {
    seen.now = document.visibilityState;
    seen.markers = [...document.querySelectorAll('[data-ibkr-error]')].map((m) => m.getAttribute('data-ibkr-error'));
    fetch('/seen', { method: 'POST', body: JSON.stringify(seen) });
  }, 250);
</script>`;

type Chrome = {
  tabs: { query(q: object): Promise<{ id?: number }[]> };
  action: { getBadgeText(d: { tabId: number }): Promise<string> };
};

test('a page opened in a background tab is marked and counted while hidden; shown, its markers are placed at their mentions', async () => {
  const issue = readFileSync(new URL('pages/github-issue.html', import.meta.url), 'utf8').replace('<head>', `<head>${REPORTER}`);
  expect(issue).toContain('seen.frames++');
  let seen: Seen | null = null;
  const server = createServer((req, res) => {
    if (req.url === '/seen') {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => ((seen = JSON.parse(body) as Seen), res.end()));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.url === ISSUE_PATH ? issue : '<!doctype html><title>Front</title><p>The tab in front.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const own = startChromium(`${origin}/front`);
  let cdp: CdpBrowser | null = null;
  let browser: Browser | null = null;
  try {
    cdp = await puppeteer.connect({ browserWSEndpoint: await own.endpoint, defaultViewport: null });
    const session = await cdp.target().createCDPSession();
    await session.send('Target.createTarget', { url: `${origin}${ISSUE_PATH}`, background: true });

    // Marked while hidden: hidden from its first script on, no frame run, every error marked.
    // The title's Error 326, the log's 326 and its connection errors, the answer's 504, the late 321.
    const marked = ['ibkr-326', 'ibkr-326', 'api-connection-failed', 'connection-refused', 'ibkr-504', 'ibkr-321'];
    await expect.poll(() => seen?.markers, { message: 'the markers of the hidden page', timeout: 15_000 }).toEqual(marked);
    expect(seen).toMatchObject({ start: 'hidden', changes: [], frames: 0, now: 'hidden' });
    // Counted on the badge while hidden: five errors.
    const worker = await (await cdp.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith('chrome-extension://'))).worker();
    // The page's tab is the one not active (the extension is not granted the address of either).
    const badge = () =>
      worker!.evaluate(async () => {
        const { tabs, action } = (globalThis as unknown as { chrome: Chrome }).chrome;
        const background = await tabs.query({ active: false });
        return background.length === 1 ? action.getBadgeText({ tabId: background[0].id! }) : `${background.length} tabs in the background`;
      });
    await expect.poll(badge, { message: 'the badge of the hidden tab' }).toBe('5');
    expect(seen, 'still hidden, no frame run').toMatchObject({ changes: [], frames: 0, now: 'hidden' });
    await cdp.disconnect();
    cdp = null;

    // Brought to the front: its first frames place the markers at their mentions.
    browser = await chromium.connectOverCDP(await own.endpoint);
    const page = browser.contexts()[0].pages().find((p) => p.url() === `${origin}${ISSUE_PATH}`)!;
    await page.bringToFront();
    await expect.poll(() => page.evaluate(() => document.visibilityState)).toBe('visible');
    const markers = page.locator('[data-ibkr-error]');
    await expect(markers).toHaveCount(marked.length);
    for (let i = 0; i < marked.length; i++) {
      const placed = () => expectAtMention(markers.nth(i)).then(() => true, () => false);
      await expect.poll(placed, { message: `marker ${i + 1} (${marked[i]}) at its mention` }).toBe(true);
    }
    expect(seen!.start).toBe('hidden');
  } finally {
    await cdp?.disconnect();
    await browser?.close();
    await own.stop();
    server.close();
  }
});
