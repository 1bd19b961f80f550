/**
 * The card on the pages and screens people really have: classic scrollbars taking room at the
 * viewport's edges, a narrow window, a right-to-left page, a page in another language, a page
 * that zooms itself. Each test reads where the card is and what it shows, as a user sees it.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { card, expect, hoverMention, launchExtension, mentionRect, openFixture, PAGES, scanSettled, serveFixtures, test } from './fixtures';

/** The part of the window a fixed box can show in: the viewport without its scrollbars. */
const visibleArea = (page: Page) =>
  page.evaluate(() => {
    const scroller = document.scrollingElement ?? document.documentElement;
    return { width: scroller.clientWidth, height: scroller.clientHeight, innerWidth: window.innerWidth };
  });

/** Does what the "Explain selection" menu item or shortcut does for `page`'s tab (the test build's hook). */
async function explainSelection(sw: Worker, page: Page): Promise<void> {
  const text = await page.evaluate(() => getSelection()!.toString());
  await page.bringToFront();
  await sw.evaluate(async (selectionText) => {
    type Tabs = { query(q: object): Promise<{ id?: number }[]> };
    const [tab] = await (globalThis as unknown as { chrome: { tabs: Tabs } }).chrome.tabs.query({ active: true, lastFocusedWindow: true });
    await (globalThis as unknown as { explainSelectionInTab: (id: number, t: string) => Promise<void> }).explainSelectionInTab(tab.id!, selectionText);
  }, text);
}

/** Pins the card of the traceback's 162 pacing violation (a click on its marker, as a user clicks the error). */
async function pin162(page: Page): Promise<void> {
  const marker = page.locator('pre:has(> #log) [data-ibkr-error="ibkr-162"]');
  await marker.scrollIntoViewIfNeeded();
  await scanSettled(page);
  await marker.click();
  await expect(card(page)).toHaveAttribute('role', 'dialog');
}

test.describe('classic scrollbars', () => {
  let context: BrowserContext;
  let profile: string;
  test.beforeAll(async () => {
    ({ context, profile } = await launchExtension({ scrollbars: true }));
    await serveFixtures(context);
  });
  test.afterAll(async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });

  for (const width of [320, 800]) {
    test(`a pinned card stays clear of the page's scrollbar, ${width} px wide`, async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 640 });
      await page.goto(PAGES.githubTraceback.url);
      await pin162(page);
      const area = await visibleArea(page);
      expect(area.width, 'the page has a vertical scrollbar').toBeLessThan(area.innerWidth);
      // The card's right edge, close button included, is inside the visible area, 8 px from its edge.
      const box = (await card(page).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(8);
      expect(box.x + box.width).toBeLessThanOrEqual(area.width - 8);
      const close = (await card(page).locator('.close').boundingBox())!;
      expect(close.x + close.width).toBeLessThanOrEqual(area.width);
      await page.close();
    });
  }

  test("a card below its mention stays clear of a wide page's horizontal scrollbar", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 800, height: 400 });
    await page.goto(PAGES.githubTraceback.url);
    await page.addStyleTag({ content: 'body { min-width: 1400px; }' });
    const marker = page.locator('pre:has(> #log) [data-ibkr-error="ibkr-162"]');
    await marker.scrollIntoViewIfNeeded();
    // The mention a little above the middle: more room below it, where the card goes.
    await page.evaluate(() => window.scrollBy(0, document.querySelector('#log')!.getBoundingClientRect().top - 10));
    await scanSettled(page);
    await marker.click();
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    const area = await visibleArea(page);
    expect(area.height, 'the page has a horizontal scrollbar').toBeLessThan(400);
    const box = (await card(page).boundingBox())!;
    const mention = (await marker.boundingBox())!;
    expect(box.y, 'the card is below its mention').toBeGreaterThan(mention.y);
    expect(box.y + box.height).toBeLessThanOrEqual(area.height - 8);
    await page.close();
  });
});

test.describe('pages in other languages', () => {
  test('on a right-to-left page the card reads left to right: chip before title, quotes and full stops in place', async ({ context }) => {
    const page = await openFixture(context, 'githubTraceback');
    // A forum in Hebrew or Arabic, a JupyterLab in Arabic: the whole document is right-to-left.
    await page.evaluate(() => document.documentElement.setAttribute('dir', 'rtl'));
    await pin162(page);
    const c = card(page);
    const chip = (await c.locator('.entry-header .code').boundingBox())!;
    const title = (await c.locator('.entry-title').boundingBox())!;
    expect(chip.x, 'the code chip comes first, on the left').toBeLessThan(title.x);
    // The page's reason in its quotes, after the label, as one piece of the line: the browser's
    // quote marks stay around the reason instead of moving to the ends of a right-to-left line.
    const reason = c.locator('.page-reason');
    await expect(reason).toContainText('The page says: Historical data request pacing violation');
    const layout = await reason.evaluate((p) => {
      const label = document.createRange();
      label.selectNodeContents(p.firstChild!);
      const q = p.querySelector('q')!;
      return { labelRight: label.getBoundingClientRect().right, quoted: [...q.getClientRects()].map((r) => Math.round(r.left)) };
    });
    // Its boxes (opening quote, reason, closing quote) run left to right, after the label.
    expect(layout.quoted).toEqual([...layout.quoted].sort((a, b) => a - b));
    expect(layout.quoted[0]).toBeGreaterThanOrEqual(Math.floor(layout.labelRight));
    // Sentences end on the right: the last line of the summary ends with its full stop at the right.
    const summary = c.locator('.summary');
    const endsRight = await summary.evaluate((el) => {
      const n = el.lastChild!;
      const r = document.createRange();
      r.setStart(n, n.textContent!.length - 1);
      r.setEnd(n, n.textContent!.length);
      const stop = r.getBoundingClientRect();
      const all = r.cloneRange();
      all.selectNodeContents(n);
      const lines = [...all.getClientRects()];
      return { char: n.textContent!.slice(-1), stopRight: stop.right, lastLineRight: Math.max(...lines.filter((l) => Math.abs(l.top - stop.top) < 2).map((l) => l.right)) };
    });
    expect(endsRight.char).toBe('.');
    expect(endsRight.stopRight).toBeCloseTo(endsRight.lastLineRight, 0);
    await page.close();
  });

  test('on a page in another language the card is marked as English (screen readers read it in an English voice)', async ({ context }) => {
    const page = await openFixture(context, 'githubTraceback');
    // A German forum: the page's language reached the card through its host.
    await page.evaluate(() => document.documentElement.setAttribute('lang', 'de'));
    await pin162(page);
    const c = card(page);
    expect(await c.evaluate((el) => ({ en: el.matches(':lang(en)'), de: el.matches(':lang(de)') }))).toEqual({ en: true, de: false });
    await page.close();
  });
});

test.describe('a page that zooms itself', () => {
  // Some sites shrink or enlarge themselves with `html { zoom: … }`; the card hung from <html> would be zoomed with them.
  for (const zoom of ['0.8', '2']) {
    test(`html { zoom: ${zoom} }: the card opens at its mention, beside it, whole in the window and at its usual size`, async ({ context }) => {
      const page = await openFixture(context, 'githubTraceback');
      await page.addStyleTag({ content: `html { zoom: ${zoom}; }` });
      await pin162(page);
      const marker = page.locator('pre:has(> #log) [data-ibkr-error="ibkr-162"]');
      const mention = await mentionRect(marker);
      const box = (await card(page).boundingBox())!;
      const area = await visibleArea(page);
      expect(box.width).toBe(480);
      expect(box.x).toBeGreaterThanOrEqual(8);
      expect(box.x + box.width).toBeLessThanOrEqual(area.width - 8);
      expect(box.y).toBeGreaterThanOrEqual(8);
      expect(box.y + box.height).toBeLessThanOrEqual(area.height - 8 + 1); // its top is rounded to a pixel
      // At the mention's start (or as near as the window's edge lets it), above or below its line, never over it.
      expect(Math.abs(box.x - Math.min(mention.left, area.width - 8 - box.width))).toBeLessThan(1);
      expect(box.y + box.height <= mention.top || box.y >= mention.bottom, `card ${box.y}-${box.y + box.height}, mention ${mention.top}-${mention.bottom}`).toBe(true);
      await page.close();
    });
  }
});

test.describe('the keyboard around a pinned card', () => {
  /** What has focus, through our UI's shadow root: a marker (entry id, place), or the card's control. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const host = document.querySelector('[data-ibkr-error-lookup-ui]');
      const inCard = host?.shadowRoot?.activeElement;
      if (inCard) return `card ${inCard.className || inCard.tagName.toLowerCase()}`;
      const el = document.activeElement;
      const id = el?.getAttribute('data-ibkr-error');
      // Which mention: the entry id and the marker's place among the page's markers.
      if (id) return `${id} #${[...document.querySelectorAll('[data-ibkr-error]')].indexOf(el!)}`;
      return el?.tagName.toLowerCase() ?? 'none';
    });

  test('the card is in the Tab order right after its marker: Tab goes in, through it and on to the next error; Shift+Tab comes back', async ({ context }) => {
    const page = await openFixture(context, 'githubTraceback');
    await scanSettled(page);
    const marker = page.locator('pre:has(> #log) [data-ibkr-error="ibkr-162"]');
    await marker.focus();
    await page.keyboard.press('Enter');
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    expect(await focused(page)).toBe('card close close-corner');
    const markerFocus = `ibkr-162 #${await marker.evaluate((m) => [...document.querySelectorAll('[data-ibkr-error]')].indexOf(m))}`;
    const nextFocus = markerFocus.replace(/^ibkr-162 #(\d+)$/, (_, i) => `ibkr-2104 #${Number(i) + 1}`);
    // Back out of the card before its first stop: to its marker, the card still open.
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe(markerFocus);
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    // From the marker, Tab goes into its open card.
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('card close close-corner');
    // Through the card's stops, then past its last one to the next error of the log.
    const stops: string[] = [];
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      const now = await focused(page);
      if (!now.startsWith('card ')) {
        expect(now, `after ${stops.join(', ')}`).toBe(nextFocus);
        break;
      }
      stops.push(now);
    }
    expect(stops.length).toBeGreaterThan(2);
    expect(await focused(page)).toBe(nextFocus);
    await expect(card(page)).toContainText('Market data farm connected');
    await page.close();
  });
});

test.describe('a card whose anchor is out of the window', () => {
  for (const where of ['below', 'above'] as const) {
    test(`"Explain selection" on a selection scrolled ${where} the window opens the panel inside the window`, async ({ context, serviceWorker }) => {
      const page = await openFixture(context, 'githubTraceback');
      await page.setViewportSize({ width: 800, height: 400 });
      // Room to scroll past the reply (more comments below it).
      await page.addStyleTag({ content: 'body { padding-bottom: 1200px; }' });
      await scanSettled(page);
      // The reply's quoted line, selected; then the page scrolled until it is out of sight (the shortcut works after a scroll too).
      await page.locator('#c2 blockquote p').evaluate((p, side) => {
        const range = document.createRange();
        range.selectNodeContents(p);
        getSelection()!.removeAllRanges();
        getSelection()!.addRange(range);
        const r = p.getBoundingClientRect();
        window.scrollBy(0, side === 'below' ? r.bottom - window.innerHeight - innerHeight : r.top + innerHeight);
      }, where);
      const selected = await page.evaluate(() => getSelection()!.getRangeAt(0).getBoundingClientRect().toJSON() as DOMRect);
      expect(where === 'below' ? selected.top > 400 : selected.bottom < 0, JSON.stringify(selected)).toBe(true);
      await explainSelection(serviceWorker, page);
      await expect(card(page)).toContainText('Historical data request pacing violation');
      const box = (await card(page).boundingBox())!;
      expect(box.y).toBeGreaterThanOrEqual(8);
      expect(box.y + box.height).toBeLessThanOrEqual(400 - 8 + 1);
      await page.close();
    });
  }
});

test.describe('a page that scrolls a box of its own', () => {
  test("a hover card stays open while a live log elsewhere on the page scrolls itself; a scroll that moves the mention closes it", async ({ context }) => {
    const page = await openFixture(context, 'githubTraceback');
    // A live log in a box of its own (a notebook's streaming output, a dashboard's tail), which
    // scrolls itself to its newest line as lines arrive.
    await page.evaluate(() => {
      const box = document.createElement('pre');
      box.id = 'live';
      box.style.cssText = 'height: 60px; overflow: auto; margin: 0 16px;';
      document.querySelector('#c2')!.after(box);
      let n = 0;
      const tick = () => {
        box.append(`tick ${++n}: position update\n`);
        box.scrollTop = box.scrollHeight;
        box.dataset.scrolls = String(n);
      };
      for (let i = 0; i < 5; i++) tick();
      (window as unknown as { tick: () => void }).tick = tick;
    });
    await scanSettled(page);
    const marker = page.locator('pre:has(> #log) [data-ibkr-error="ibkr-162"]');
    await hoverMention(page, marker);
    await expect(card(page)).toContainText('Historical data request failed');
    // The log scrolls itself twice while the pointer rests on the error.
    for (let i = 0; i < 2; i++) {
      await page.evaluate(() => (window as unknown as { tick: () => void }).tick());
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    }
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toContainText('Historical data request failed');
    // The page itself scrolled: the mention moved away from the pointer, the hover card goes.
    await page.evaluate(() => window.scrollBy(0, 40));
    await expect(card(page)).toBeHidden();
    await page.close();
  });
});

test.describe('a narrow window', () => {
  test('at 320 px a long URL or endpoint in the entry wraps inside the card: nothing runs off its right edge', async ({ context }) => {
    const page = await openFixture(context, 'githubTraceback');
    await page.setViewportSize({ width: 320, height: 640 });
    // A reply quoting a Client Portal rate limit (its symptoms quote the full URL of a snapshot call).
    await page.evaluate(() => {
      const reply = document.createElement('pre');
      reply.id = 'cp';
      reply.textContent = '429 Client Error: Too Many Requests for url: https://localhost:5000/v1/api/iserver/marketdata/snapshot?conids=265598';
      document.querySelector('#c2 .comment-body')!.append(reply);
    });
    const marker = page.locator('#cp [data-ibkr-error="cpapi-http-429"]');
    await marker.waitFor({ state: 'attached' });
    await marker.focus();
    await expect(card(page)).toContainText('https://localhost:5000/v1/api/iserver/marketdata/snapshot');
    const body = card(page).locator('.body');
    const overflow = await body.evaluate((b) => ({ scroll: b.scrollWidth, client: b.clientWidth }));
    expect(overflow.scroll, 'the card scrolls sideways').toBeLessThanOrEqual(overflow.client);
    await page.close();
  });
});
