/**
 * A page that rewrites its DOM in every frame's own callbacks (a clock) in Firefox ESR: its changes
 * come before the frame's layout, so the markers are placed after that frame as on a still page
 * (docs/page-integrity.md, "The marker's box"; tests/e2e/busy-pages.spec.ts has Chromium's, and a
 * log appending between frames).
 */
import { startClockWithError } from '../busy-page';
import { expect, markerIds, test } from './fixtures';

test('a page that rewrites a clock in every frame gets its marker placed at its mention', async ({ firefox }) => {
  const page = await firefox.openFixture('github-issue.html', '/erdewit/ib_insync/issues/1');
  await expect.poll(() => markerIds(page, '#comment-3'), { message: 'markers of the page' }).toHaveLength(1);
  await page.evaluate(startClockWithError, 'ticker-error');
  // The marker's box against the mention's first character: 1 px high at its own place until placed.
  const distance = () =>
    page.evaluate(() => {
      const marker = document.querySelector('#ticker-error [data-ibkr-error="ibkr-326"]');
      if (!marker) return Infinity;
      const text = document.getElementById('ticker-error')!.firstChild as Text;
      const range = document.createRange();
      const at = text.data.indexOf('Error 326');
      range.setStart(text, at);
      range.setEnd(text, at + 1);
      const char = range.getBoundingClientRect();
      const box = marker.getBoundingClientRect();
      return box.height <= 1 ? Infinity : Math.max(Math.abs(box.left - char.left), Math.abs(box.top + box.height / 2 - (char.top + char.bottom) / 2));
    });
  await expect.poll(distance, { message: 'the marker, from its mention', timeout: 5_000 }).toBeLessThan(2);
});
