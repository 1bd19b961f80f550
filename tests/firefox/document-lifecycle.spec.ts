/**
 * A page that writes itself anew with document.open() in Firefox ESR: Firefox too erases every
 * listener on the document and the window, the content script's included, while the Document
 * stays. The new content is marked and its card opens on hover (tests/e2e/document-lifecycle.spec.ts
 * covers the other ways in Chromium).
 */
import { cardState, expect, hoverMention, markerIds, test } from './fixtures';

const NEW_PAGE = `<main><h1>Read-only API after the upgrade</h1><div class="comment-body">
<pre>Error 321, reqId 17: Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode.</pre>
<p>Then: <code>ERROR -1 504 Not connected</code></p></div></main>`;

test('after document.open, the new content is marked and its card opens on hover', async ({ firefox }) => {
  const page = await firefox.openFixture('jupyter-lab.html', '/lab/tree/bot.ipynb');
  await expect.poll(() => markerIds(page, '#classic-cell'), { message: 'markers before the page writes itself anew' }).toEqual(['ibkr-2104', 'ibkr-504']);
  await page.evaluate((html) => {
    document.open();
    document.write(`<!doctype html><html><head><title>Read-only API</title></head><body>${html}</body></html>`);
    document.close();
  }, NEW_PAGE);
  await expect.poll(() => markerIds(page), { message: 'markers on the new content' }).toEqual(['ibkr-321', 'ibkr-504']);
  expect(await page.evaluate(() => document.body.textContent)).toBe(
    await page.evaluate((html) => new DOMParser().parseFromString(html, 'text/html').body.textContent, NEW_PAGE),
  );
  await hoverMention(page, '[data-ibkr-error="ibkr-321"]');
  await expect.poll(async () => (await cardState(page)).visible, { message: 'the card after hovering Error 321' }).toBe(true);
  expect((await cardState(page)).text).toContain('Server validation error on an API request');
});
