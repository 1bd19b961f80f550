/**
 * Pages that replace their whole document while we are on it: a body swapped by in-app navigation
 * (Turbo on GitHub), often with pushState in the same task; a new `<html>`; a page that writes
 * itself anew with document.open(). The new content is marked, nothing of ours stays on what is
 * gone, the badge counts what is shown, the card opens on hover and on focus, and the page's text
 * is what it wrote (docs/marking.md, "Shadow roots, notebooks, navigation"). Copies of our markers
 * the page makes (Turbo's snapshot of the page put back on Back, `innerHTML +=`) are taken out.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { badgeOf, card, expect, hoverMention, openFixture, scanSettled, test } from './fixtures';

/** The page the test pages turn into: two errors the fixture page also has (so a stale count shows as 5). */
const NEW_PAGE = `<main><h1>Read-only API after the upgrade</h1><div class="comment-body">
<pre>Error 321, reqId 17: Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode.</pre>
<p>Then: <code>ERROR -1 504 Not connected</code></p></div></main>`;

type Swap = (html: string) => void;

/** The ways a page replaces its body or its whole document; each keeps what it took out as `window.gone`. */
const SWAPS: Record<string, Swap> = {
  'body.replaceWith, then pushState': (html) => {
    const body = document.createElement('body');
    body.innerHTML = html;
    Object.assign(window, { gone: document.body });
    document.body.replaceWith(body);
    history.pushState({}, '', '/erdewit/ib_insync/issues/4243');
  },
  'documentElement.replaceChild of the body, then pushState': (html) => {
    const body = document.createElement('body');
    body.innerHTML = html;
    Object.assign(window, { gone: document.body });
    document.documentElement.replaceChild(body, document.body);
    history.pushState({}, '', '/erdewit/ib_insync/issues/4243');
  },
  'documentElement.replaceWith': (html) => {
    const root = document.createElement('html');
    root.innerHTML = `<head><title>Read-only API</title></head><body>${html}</body>`;
    Object.assign(window, { gone: document.documentElement });
    document.documentElement.replaceWith(root);
  },
  'document.open, write, close': (html) => {
    Object.assign(window, { gone: document.documentElement });
    document.open();
    document.write(`<!doctype html><html><head><title>Read-only API</title></head><body>${html}</body></html>`);
    document.close();
  },
};

const markerIds = (page: Page) => page.locator('[data-ibkr-error]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ibkr-error')));

/** Opens the GitHub issue (five distinct errors on the badge) and has it replace itself with NEW_PAGE. */
async function replaced(context: BrowserContext, serviceWorker: Worker, swap: Swap) {
  const page = await openFixture(context, 'githubIssue');
  await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
  const badge = await badgeOf(serviceWorker, page);
  await expect.poll(badge).toBe('5');
  await page.evaluate(swap, NEW_PAGE);
  await scanSettled(page);
  return { page, badge };
}

/** What every way of replacing the document must leave: the new page marked and counted, its card, its text as written. */
async function expectNewPage(page: Page, badge: () => Promise<string>): Promise<void> {
  expect(await markerIds(page)).toEqual(['ibkr-321', 'ibkr-504']);
  await expect.poll(badge).toBe('2');
  // Nothing of ours on what the page took out (a page may keep it, and show it again).
  expect(await page.evaluate(() => (window as unknown as { gone: Element }).gone.querySelectorAll('[data-ibkr-error]').length)).toBe(0);
  const text = await page.evaluate((html) => ({ shown: document.body.textContent, written: new DOMParser().parseFromString(html, 'text/html').body.textContent }), NEW_PAGE);
  expect(text.shown).toBe(text.written);
  await hoverMention(page, page.locator('[data-ibkr-error="ibkr-321"]'));
  await expect(card(page)).toBeVisible();
  await expect(card(page)).toContainText('Server validation error on an API request');
}

for (const [how, swap] of Object.entries(SWAPS)) {
  test(`${how}: the new content is marked and counted, its card opens, nothing stays on the old`, async ({ context, serviceWorker, consoleErrors }) => {
    const { page, badge } = await replaced(context, serviceWorker, swap);
    await expectNewPage(page, badge);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
}

test('after document.open: a marker takes the focus and shows its card, and the badge is reported again on navigation', async ({ context, serviceWorker, consoleErrors }) => {
  const { page, badge } = await replaced(context, serviceWorker, SWAPS['document.open, write, close']);
  await expect.poll(badge).toBe('2');
  // The first focusable thing on the new page is our marker.
  await page.keyboard.press('Tab');
  await expect(card(page)).toBeVisible();
  await expect(card(page)).toContainText('Server validation error on an API request');
  await page.keyboard.press('Escape');
  await expect(card(page)).toBeHidden();
  // The browser blanks the badge when the address changes: the page reports its count again.
  await page.evaluate(() => history.pushState({}, '', '/erdewit/ib_insync/issues/4243'));
  await scanSettled(page);
  await expect.poll(badge).toBe('2');
  expect(consoleErrors).toEqual([]);
  await page.close();
});

test.describe('copies of our markers the page makes', () => {
  test("Turbo's snapshot of the page put back on Back: one marker per mention, each opens its card, the badge counts the page", async ({ context, serviceWorker, consoleErrors }) => {
    const page = await openFixture(context, 'githubIssue');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    const badge = await badgeOf(serviceWorker, page);
    await expect.poll(badge).toBe('5');
    const before = await markerIds(page);
    // Turbo keeps a deep clone of the page it leaves (our markers in it), shows the next one...
    await page.evaluate((html) => {
      Object.assign(window, { snapshot: document.body.cloneNode(true) });
      const body = document.createElement('body');
      body.innerHTML = html;
      document.body.replaceWith(body);
      history.pushState({}, '', '/erdewit/ib_insync/issues/4243');
    }, NEW_PAGE);
    await scanSettled(page);
    await expect.poll(badge).toBe('2');
    // ...and puts the clone back on Back.
    await page.evaluate(() => {
      history.replaceState({}, '', '/erdewit/ib_insync/issues/4242');
      document.body.replaceWith((window as unknown as { snapshot: HTMLElement }).snapshot);
    });
    await scanSettled(page);
    expect(await markerIds(page)).toEqual(before);
    await expect.poll(badge).toBe('5');
    // Every marker is a live one: each shows its card (a copy would do nothing).
    const markers = page.locator('[data-ibkr-error]');
    for (let i = 0; i < before.length; i++) {
      await hoverMention(page, markers.nth(i));
      await expect(card(page)).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(card(page)).toBeHidden();
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test('a log tail that appends with innerHTML += gets one marker per mention, its text as written', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    await scanSettled(page);
    const first = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';
    await page.evaluate((text) => document.querySelector('main')!.append(Object.assign(document.createElement('pre'), { id: 'tail', textContent: text })), first);
    await scanSettled(page);
    let written = first;
    for (let i = 0; i < 3; i++) {
      const line = `\nline ${i}: ERROR -1 504 Not connected`;
      written += line;
      // Reading innerHTML serialises our markers; writing it back parses copies of them.
      await page.evaluate((next) => (document.getElementById('tail')!.innerHTML += next), line);
      await scanSettled(page);
    }
    expect(await page.locator('#tail [data-ibkr-error]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ibkr-error')))).toEqual(['ibkr-326', 'ibkr-504', 'ibkr-504', 'ibkr-504']);
    expect(await page.locator('#tail').evaluate((pre) => pre.textContent)).toBe(written);
    await page.close();
  });
});
