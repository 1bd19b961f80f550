/**
 * A long thread read near the viewport first, in Firefox ESR (tests/e2e/near-first.spec.ts has
 * Chromium's): GitHub's timeline items many screens below are unmarked at load and marked once
 * scrolled near. The production build has no "scan settled" signal: the far items are looked at
 * after a while in which the whole 40-item page would have been read.
 */
import { expect, markerIds, test } from './fixtures';

test('far timeline items are unmarked at load and marked once scrolled near; the text is unchanged', async ({ firefox }) => {
  const page = await firefox.openFixture('github-tall-thread.html', '/erdewit/ib_insync/issues/4960');
  const text = await page.evaluate(() => document.body.textContent);
  await expect.poll(() => markerIds(page), { message: 'the items near the top marked' }).toEqual(['ibkr-1100', 'ibkr-326']);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await markerIds(page), 'the far items left unread').toEqual(['ibkr-1100', 'ibkr-326']);
  await page.evaluate(() => window.scrollTo(0, document.getElementById('item-24')!.getBoundingClientRect().top + window.scrollY));
  await expect.poll(() => markerIds(page, '#item-25'), { message: 'the item scrolled near marked' }).toEqual(['ibkr-2110']);
  expect(await markerIds(page, '#item-35'), 'an item still far').toEqual([]);
  expect(await page.evaluate(() => document.body.textContent)).toBe(text);
});
