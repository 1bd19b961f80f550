/**
 * Playwright fixtures: one Chromium per worker with the built extension loaded, fixture pages
 * served at their real URLs by context.route, and every other request refused.
 */
import { chromium, test as base, expect, type BrowserContext, type Frame, type Locator, type Page, type Worker } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCAN_STATE_ATTR } from '../../lib/test-hooks';
import { CHROMIUM, extensionArgs } from '../../scripts/chromium';
import { soakPage, SOAK_URL } from '../../scripts/perf/soak-page';
import type { TraceEvent } from '../../scripts/perf/trace';
import { findMentionRect, type MentionRect } from '../mention-rect';

const ROOT = new URL('../..', import.meta.url).pathname;
/** The test build (`npm run build:test`): the production build has none of the test hooks these tests use. */
export const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3-test');

/** Fixture pages, served at the URLs they imitate. */
export const PAGES = {
  githubIssue: {
    url: 'https://github.com/erdewit/ib_insync/issues/4242',
    file: 'github-issue.html',
  },
  githubTallThread: {
    url: 'https://github.com/erdewit/ib_insync/issues/4960',
    file: 'github-tall-thread.html',
  },
  stackOverflowIbkr: {
    url: 'https://stackoverflow.com/questions/78000001/ibapi-error-321-error-validating-request-when-placing-order',
    file: 'stackoverflow-ibkr.html',
  },
  githubHardening: {
    url: 'https://github.com/erdewit/ib_insync/issues/4243',
    file: 'github-hardening.html',
  },
  stackOverflowNginx: {
    url: 'https://stackoverflow.com/questions/78000002/nginx-504-gateway-timeout-behind-load-balancer',
    file: 'stackoverflow-nginx.html',
  },
  githubHighlighted: {
    url: 'https://github.com/erdewit/ib_insync/issues/4301',
    file: 'github-highlighted.html',
  },
  jupyterLab: {
    url: 'http://localhost:8888/lab/tree/bot.ipynb',
    file: 'jupyter-lab.html',
  },
  redditShadow: {
    url: 'https://www.reddit.com/r/interactivebrokers/comments/1abcde/tws_keeps_saying_not_connected/',
    file: 'reddit-shadow.html',
  },
  redditShadowLog: {
    url: 'https://www.reddit.com/r/interactivebrokers/comments/1abcdf/pacing_violations_in_my_bots_log/',
    file: 'reddit-shadow-log.html',
  },
  spaIbInsync: {
    url: 'https://github.com/erdewit/ib_insync/issues/4400',
    file: 'github-spa.html',
  },
  spaRedis: {
    url: 'https://github.com/redis/redis-py/issues/3100',
    file: 'github-spa.html',
  },
  githubLive: {
    url: 'https://github.com/erdewit/ib_insync/discussions/5000',
    file: 'github-live.html',
  },
  githubLongLog: {
    url: 'https://github.com/erdewit/ib_insync/issues/4500',
    file: 'github-long-log.html',
  },
  githubLogTail: {
    url: 'https://github.com/erdewit/ib_insync/issues/4700',
    file: 'github-log-tail.html',
  },
  githubFarBelow: {
    url: 'https://github.com/erdewit/ib_insync/issues/4900',
    file: 'github-far-below.html',
  },
  githubHugeLog: {
    url: 'https://github.com/erdewit/ib_insync/issues/5100',
    file: 'github-huge-log.html',
  },
  githubTraceback: {
    url: 'https://github.com/erdewit/ib_insync/issues/9101',
    file: 'github-traceback.html',
  },
  githubCard: {
    url: 'https://github.com/erdewit/ib_insync/issues/4600',
    file: 'github-card.html',
  },
  githubIbeam: {
    url: 'https://github.com/Voyz/ibeam/issues/4242',
    file: 'github-ibeam.html',
  },
  githubIbeamUnreachable: {
    url: 'https://github.com/Voyz/ibeam/issues/4251',
    file: 'github-ibeam-unreachable.html',
  },
  githubAlpaca: {
    url: 'https://github.com/alpacahq/alpaca-trade-api-python/issues/9001',
    file: 'github-alpaca.html',
  },
  // The Client Portal Gateway's own pages: an endpoint's JSON as the browser shows it, the login page.
  gatewayAuthStatus: {
    url: 'https://localhost:5000/v1/api/iserver/auth/status',
    file: 'cpapi-auth-status.json',
    contentType: 'application/json',
  },
  gatewayLogin: {
    url: 'https://localhost:5000/sso/Login?forwardTo=22&RL=1&ip2loc=on',
    file: 'cpapi-gateway-login.html',
  },
  // IBKR's own sites are IBKR context as a whole: the same lesson marks nothing on Stack Overflow.
  ibkrCampusLesson: {
    url: 'https://www.ibkrcampus.com/trading-lessons/keeping-a-trading-app-connected/',
    file: 'ibkr-campus-lesson.html',
  },
  ibkrLessonElsewhere: {
    url: 'https://stackoverflow.com/questions/78000003/keeping-a-trading-app-connected',
    file: 'ibkr-campus-lesson.html',
  },
  groupsioTopic: {
    url: 'https://groups.io/g/twsapi/topic/orders_stuck_after_the_nightly/105000001',
    file: 'groupsio-topic.html',
  },
  githubMarkers: {
    url: 'https://github.com/erdewit/ib_insync/issues/4800',
    file: 'github-markers.html',
  },
  githubMarkerText: {
    url: 'https://github.com/erdewit/ib_insync/issues/4950',
    file: 'github-marker-text.html',
  },
  githubShadowMarkerText: {
    url: 'https://github.com/erdewit/ib_insync/issues/4951',
    file: 'github-shadow-marker-text.html',
  },
  /** The same components with closed shadow roots. */
  githubShadowClosedText: {
    url: 'https://github.com/erdewit/ib_insync/issues/4951?shadow=closed',
    file: 'github-shadow-marker-text.html',
  },
  // A site the user adds (on no built-in site): two pages, and a page showing both in frames.
  teamWiki: {
    url: 'https://wiki.example.com/runbook/ib-connect',
    file: 'team-wiki.html',
  },
  teamWikiChecklist: {
    url: 'https://wiki.example.com/runbook/checklist',
    file: 'team-wiki-checklist.html',
  },
  teamWikiFrames: {
    url: 'https://wiki.example.com/incidents/0506',
    file: 'team-wiki-frames.html',
  },
} as const;

type FixturePage = { url: string; file: string; contentType?: string };
const byUrl = new Map<string, FixturePage>(Object.values(PAGES).map((p: FixturePage) => [p.url, p]));

/** A CommonJS file of a node_modules package, run in the page as a classic script. */
function commonJs(file: string, assign: string): string {
  const source = readFileSync(join(ROOT, 'node_modules', file), 'utf8');
  return `(function () { var module = { exports: {} }; var exports = module.exports;\n${source}\n${assign} })();\n`;
}

/** Scripts the fixture pages load, served at the URLs a real site would use. */
export const SCRIPTS: Record<string, () => string> = {
  // The real highlight.js (devDependency), core and Python, as the page's global `hljs`.
  'https://github.githubassets.com/assets/highlight.js': () =>
    commonJs('highlight.js/lib/core.js', 'window.hljs = module.exports;') +
    commonJs('highlight.js/lib/languages/python.js', "window.hljs.registerLanguage('python', module.exports);"),
};

/**
 * Debian's Chromium with the built extension, in a profile of its own (the caller removes
 * `profile` after closing `context`). The worker fixture below uses it; a test that needs a
 * browser nobody else touched (the sync storage's write quota is per browser) starts its own.
 * Playwright turns the back/forward cache off; `backForwardCache` leaves it on, as a user has it.
 * Scrollbars are hidden (screenshots stay the same on every machine); `scrollbars` shows them as
 * Chromium on Linux and Windows does, taking room at the viewport's edges.
 */
export async function launchExtension({ backForwardCache = false, scrollbars = false } = {}): Promise<{ context: BrowserContext; profile: string }> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No test build of the extension at ${EXTENSION_DIR}: run "npm run build:test" first.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium`);
  const profile = mkdtempSync(join(tmpdir(), 'ibkr-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false, // the real switch is --headless=new (extensionArgs): old headless cannot load extensions
    viewport: { width: 1100, height: 760 },
    colorScheme: 'light',
    args: [...extensionArgs(EXTENSION_DIR), '--disable-sync', ...(scrollbars ? [] : ['--hide-scrollbars']), '--font-render-hinting=none'],
    ...(backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
  });
  return { context, profile };
}

/** Serves the fixture pages and scripts at their URLs in `context`, and refuses every other request. */
export async function serveFixtures(context: BrowserContext): Promise<void> {
  await context.route('**/*', (route) => {
    const url = route.request().url().split('#')[0];
    // The extension's own files (popup scripts and styles) load as usual.
    if (url.startsWith('chrome-extension://')) return route.continue();
    const script = SCRIPTS[url];
    if (script) return route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: script() });
    const fixture = byUrl.get(url);
    if (fixture) {
      const contentType = `${fixture.contentType ?? 'text/html'}; charset=utf-8`;
      return route.fulfill({ status: 200, contentType, body: readFileSync(join(ROOT, 'tests/e2e/pages', fixture.file)) });
    }
    // Fixture pages are self-contained: anything else (fonts, avatars, analytics) is refused.
    return route.abort('blockedbyclient');
  });
}

export const test = base.extend<
  { requested: string[]; consoleErrors: string[]; serviceWorker: Worker },
  { extensionContext: BrowserContext; extensionId: string }
>({
  // One browser per worker (starting Chromium with an extension takes a while); each test opens
  // and closes its own pages. `context` below hands it to the tests under its usual name.
  extensionContext: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { context, profile } = await launchExtension();
      await serveFixtures(context);
      await use(context);
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  context: async ({ extensionContext }, use) => {
    await use(extensionContext);
  },
  extensionId: [
    async ({ extensionContext: context }, use) => {
      const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      await use(new URL(sw.url()).host);
    },
    { scope: 'worker' },
  ],
  /**
   * The extension's service worker as it is now, per test: a test that disables and enables the
   * extension again (lifecycle.spec.ts) leaves a new worker behind, and the old one is closed.
   */
  serviceWorker: async ({ extensionContext: context, extensionId }, use) => {
    const ours = () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`));
    await use(ours() ?? (await context.waitForEvent('serviceworker', { predicate: (w) => w.url().includes(extensionId), timeout: 10_000 })));
  },
  /** Every URL any page of the context requested, to prove nothing leaves the browser. */
  requested: async ({ context }, use) => {
    const urls: string[] = [];
    const onRequest = (r: { url(): string }) => urls.push(r.url());
    context.on('request', onRequest);
    await use(urls);
    context.off('request', onRequest);
  },
  /** console.error messages and uncaught exceptions from every page, extension pages included. */
  consoleErrors: async ({ context }, use) => {
    const errors: string[] = [];
    const watch = (page: Page) => {
      page.on('console', (m) => {
        // Refused fixture sub-resources are ours, not the extension's.
        if (m.type() === 'error' && !/ERR_BLOCKED_BY_CLIENT/.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    };
    context.pages().forEach(watch);
    context.on('page', watch);
    await use(errors);
    context.off('page', watch);
  },
});

export { expect };

/** Opens a fixture page and waits until the content script has annotated it. */
export async function openFixture(context: BrowserContext, page: keyof typeof PAGES, waitForMarkers = true): Promise<Page> {
  const tab = await context.newPage();
  await tab.goto(PAGES[page].url);
  // Attached, not "visible": a marker gets its box only once its mention is measured (docs/page-integrity.md).
  if (waitForMarkers) await tab.locator('[data-ibkr-error]').first().waitFor({ state: 'attached' });
  return tab;
}

/**
 * Waits until the content script has done all its work on the page: the page scanned, every
 * change the page made so far handled, the markers put in, the badge report sent, and no card
 * about to show or hide after a hover (the test build says so on <html>, see lib/test-hooks.ts). Wait for this, not for a fixed time, before asserting
 * that nothing was marked or that nothing changed. A page change made in the same Playwright call
 * (an evaluate, a click) counts: the content script sees it before the call returns. A change the
 * page makes later on a timer does not: wait for that change first.
 */
export async function scanSettled(page: Page | Frame, timeout = 10_000): Promise<void> {
  // Watched, not polled: on a page that keeps changing (a live feed) "idle" may last less than a
  // frame, and a poll once per frame can miss every such moment.
  await page.evaluate(
    ({ attr, ms }) =>
      new Promise<void>((resolve, reject) => {
        const root = document.documentElement;
        if (root.getAttribute(attr) === 'idle') return resolve();
        const observer = new MutationObserver((records) => {
          if (root.getAttribute(attr) !== 'idle' && !records.some((r) => r.oldValue === 'idle')) return;
          clearTimeout(timer);
          observer.disconnect();
          resolve();
        });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`the content script did not settle within ${ms} ms (${attr}="${root.getAttribute(attr)}")`));
        }, ms);
        observer.observe(root, { attributes: true, attributeFilter: [attr], attributeOldValue: true });
      }),
    { attr: SCAN_STATE_ATTR, ms: timeout },
  );
}

/**
 * Where a marker's mention is on screen: its first line of text (scrolled into view first when it
 * is off screen, as Playwright does for what it hovers). A marker holds no text (the mention is the
 * page's own text, painted; see docs/page-integrity.md): the mention is found as the user sees it,
 * as its marked text (the marker's accessible name) in the text of the marker's block, starting at
 * or before the marker.
 */
export async function mentionRect(marker: Locator): Promise<MentionRect> {
  return marker.evaluate(findMentionRect);
}

/** How far a marker's box is from its mention's first character: left edges, and line middles. */
export async function distanceToMention(marker: Locator): Promise<{ x: number; y: number }> {
  const r = await mentionRect(marker);
  const box = (await marker.boundingBox())!;
  return { x: Math.abs(box.x - r.left), y: Math.abs(box.y + box.height / 2 - (r.top + r.bottom) / 2) };
}

/** The marker's box is over its mention's first character, on its line. */
export async function expectAtMention(marker: Locator, what?: string): Promise<void> {
  const d = await distanceToMention(marker);
  expect(d.x, what).toBeLessThan(1);
  expect(d.y, what).toBeLessThan(3);
}

/** A point on a marker's mention: on its first line, near its start. */
export async function mentionPoint(marker: Locator): Promise<{ x: number; y: number }> {
  const r = await mentionRect(marker);
  return { x: r.left + Math.min((r.right - r.left) / 2, 20), y: (r.top + r.bottom) / 2 };
}

/** Moves the pointer onto a marker's mention (its painted text), as a user hovers an error. */
export async function hoverMention(page: Page, marker: Locator): Promise<void> {
  const { x, y } = await mentionPoint(marker);
  await page.mouse.move(x, y);
}

/** Clicks a marker's mention (its painted text). */
export async function clickMention(page: Page, marker: Locator): Promise<void> {
  const { x, y } = await mentionPoint(marker);
  await page.mouse.click(x, y);
}

/** The tab id of `page`, asked of the extension's service worker (the page is brought to the front for it). */
export async function tabIdOf(serviceWorker: Worker, page: Page): Promise<number> {
  await page.bringToFront();
  return serviceWorker.evaluate(async () => {
    const { tabs } = (globalThis as unknown as { chrome: { tabs: { query(q: object): Promise<{ id?: number }[]> } } }).chrome;
    return (await tabs.query({ active: true, lastFocusedWindow: true }))[0].id!;
  });
}

/** Reads the toolbar badge text of `page`'s tab (for `expect.poll`). */
export async function badgeOf(serviceWorker: Worker, page: Page): Promise<() => Promise<string>> {
  const tabId = await tabIdOf(serviceWorker, page);
  type Action = { getBadgeText(d: { tabId: number }): Promise<string> };
  return () => serviceWorker.evaluate((id) => (globalThis as unknown as { chrome: { action: Action } }).chrome.action.getBadgeText({ tabId: id }), tabId);
}

/** The extension's UI host (a plain element with an open shadow root). */
export const UI_HOST = '[data-ibkr-error-lookup-ui]';

/**
 * Grants (or takes back) a site on chrome://extensions, as a user does under "Site access: On
 * specific sites". The permission prompt cannot be answered in headless Chromium; with the site
 * granted there, the browser answers the options page's request for it without asking.
 */
export async function grantOnExtensionsPage(context: BrowserContext, extensionId: string, site: string, grant: boolean): Promise<void> {
  type DeveloperPrivate = { addHostPermission(id: string, host: string): Promise<void>; removeHostPermission(id: string, host: string): Promise<void> };
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate(
    ([id, host, add]) => {
      const api = (globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }).chrome.developerPrivate;
      return add ? api.addHostPermission(id, host) : api.removeHostPermission(id, host).catch(() => undefined);
    },
    [extensionId, site, grant] as const,
  );
  await page.close();
}

/** The card in the extension's UI host of a page or a frame (its open shadow root). */
export function card(page: Page | Frame) {
  // Playwright's CSS locators pierce open shadow roots.
  return page.locator(`${UI_HOST} .card`);
}

/**
 * A Chromium trace of `page`'s renderer while `work` runs, in `categories`: its events and the page's
 * process and main thread (named by a mark the page makes as the trace starts).
 */
export async function tracePage(
  context: BrowserContext,
  page: Page,
  categories: readonly string[],
  work: () => Promise<void>,
): Promise<{ events: TraceEvent[]; pid: number; tid: number }> {
  const cdp = await context.newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: [...categories, 'blink.user_timing'] }, transferMode: 'ReportEvents' });
  await page.evaluate(() => performance.mark('ibkr-test-main-thread'));
  await work();
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const mark = events.find((e) => e.name === 'ibkr-test-main-thread');
  return { events, pid: mark?.pid ?? -1, tid: mark?.tid ?? -1 };
}

/** Serves the soak page of bench:pages (scripts/perf/soak-page.ts) at its address, and opens it. */
export async function openSoakPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.route(SOAK_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: soakPage() }));
  await page.goto(SOAK_URL);
  return page;
}
