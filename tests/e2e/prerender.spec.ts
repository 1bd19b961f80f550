/**
 * A prerendered page (Speculation Rules; Chrome also prerenders the address bar's predictions) is
 * marked before it is shown, and its count reaches the toolbar badge once it is. A DevTools session
 * on a page turns prerendering off in Chromium (`PrerenderingDisabledByDevTools`), and Playwright
 * opens one on every page: so Chromium is started here by hand, the pages are served by a real
 * server on 127.0.0.1 (one of the built-in sites), and Playwright connects over CDP only once the
 * prerendered page is shown.
 */
import { chromium, type Browser } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { badgeOf, card, expect, hoverMention, test } from './fixtures';
import { startChromium } from './own-chromium';

const ISSUE_PATH = '/erdewit/ib_insync/issues/4242';

/**
 * The start page asks for the issue to be prerendered and goes to it when the test says so; the
 * issue tells the server when the content script has marked it while still prerendering.
 */
function pages(): { server: Server; markedWhilePrerendering: Promise<number>; go: () => void; shown: Promise<void> } {
  let marked!: (count: number) => void;
  const markedWhilePrerendering = new Promise<number>((resolve) => (marked = resolve));
  let wasShown!: () => void;
  const shown = new Promise<void>((resolve) => (wasShown = resolve));
  let going = false;
  const issue = readFileSync(new URL('pages/github-issue.html', import.meta.url), 'utf8').replace(
    '</body>',
    `<script>
      // Nothing is laid out while prerendering, so the markers are never placed and the test
      // build's scan state stays busy: their count is what tells. (At most 8 s, whatever it is.)
      const since = performance.now();
      const look = setInterval(() => {
        const count = document.querySelectorAll('[data-ibkr-error]').length;
        if (!document.prerendering || (count < 6 && performance.now() - since < 8000)) return;
        clearInterval(look);
        fetch('/marked?' + count);
      }, 50);
      document.addEventListener('prerenderingchange', () => fetch('/shown'));
    </script></body>`,
  );
  const start = `<!doctype html><title>Start</title><p>Nothing to mark here.</p>
    <script type="speculationrules">{"prerender": [{"source": "list", "urls": ["${ISSUE_PATH}"], "eagerness": "immediate"}]}</script>
    <script>const ask = setInterval(() => fetch('/go').then((r) => r.text()).then((go) => go === 'yes' && (clearInterval(ask), location.href = '${ISSUE_PATH}')), 100);</script>`;
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/marked?')) marked(Number(url.slice('/marked?'.length)));
    if (url === '/shown') wasShown();
    const body = url === ISSUE_PATH ? issue : url === '/start' ? start : url === '/go' ? (going ? 'yes' : 'no') : '';
    res.writeHead(200, { 'content-type': url === '/go' ? 'text/plain' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body);
  });
  return { server, markedWhilePrerendering, go: () => (going = true), shown };
}

test('a prerendered page is marked before it is shown, and its count is on the badge once it is', async () => {
  const { server, markedWhilePrerendering, go, shown } = pages();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const own = startChromium(`${origin}/start`);
  let browser: Browser | null = null;
  try {
    // The content script marked the issue while it was being prerendered (six markers, five errors).
    expect(await markedWhilePrerendering).toBe(6);
    go();
    await shown;
    // Attached only now: a DevTools session while it was prerendering would have stopped that.
    browser = await chromium.connectOverCDP(await own.endpoint);
    const context = browser.contexts()[0];
    const page = context.pages().find((p) => p.url() === `${origin}${ISSUE_PATH}`)!;
    // It was prerendered, then shown in the tab.
    expect(await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming & { activationStart: number }).activationStart)).toBeGreaterThan(0);
    const serviceWorker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ?? (await context.waitForEvent('serviceworker'));
    const badge = await badgeOf(serviceWorker, page);
    await expect.poll(badge).toBe('5');
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(6);
    await hoverMention(page, page.locator('#comment-3 [data-ibkr-error]'));
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toContainText('Server validation error on an API request');
  } finally {
    await browser?.close();
    await own.stop();
    server.close();
  }
});
