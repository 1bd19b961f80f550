/**
 * Markers of far blocks in Firefox ESR: a mention pages below, whose marker waits unplaced, is
 * placed at its mention when a change of the page's nodes brings it into view with no scroll and
 * the document's size unchanged (docs/page-integrity.md, "Only the markers near the viewport are
 * placed"; tests/e2e/markers.spec.ts has Chromium's).
 */
import { bringFarMentionUp, buildAttributeShell, moveByAttribute, type AttributeMove } from '../far-blocks-page';
import type { Page } from 'puppeteer-core';
import { findMentionRect } from '../mention-rect';
import { expect, markerIds, test } from './fixtures';

const FAR = '#far [data-ibkr-error="ibkr-326"]';

/** A marker's box against its mention's first character, in px (in view: finding it scrolls nothing). */
async function distanceToMention(page: Page, marker: string): Promise<number> {
  const r = await page.$eval(marker, findMentionRect);
  const box = await page.$eval(marker, (m) => m.getBoundingClientRect().toJSON() as DOMRect);
  return Math.max(Math.abs(box.left - r.left), Math.abs(box.top + box.height / 2 - (r.top + r.bottom) / 2));
}

test("a mention pages below gets its marker at its mention when the page removes the section above it and appends as tall a one, the document's size unchanged", async ({
  firefox,
}) => {
  const page = await firefox.openFixture('github-far-below.html', '/erdewit/ib_insync/issues/4900');
  await expect.poll(() => markerIds(page, '#far'), { message: 'the far mention is marked' }).toEqual(['ibkr-326']);
  // The marker near the top is placed; the far one waits at its own place, 1 px high.
  await expect.poll(() => page.$eval('#top [data-ibkr-error]', (m) => m.getBoundingClientRect().height), { message: 'the top marker placed' }).toBeGreaterThan(1);
  expect(await page.$eval(FAR, (m) => m.getBoundingClientRect().height)).toBe(1);
  const sizes = await page.evaluate(bringFarMentionUp);
  expect(sizes.after).toBe(sizes.before);
  expect(sizes.farTop).toBeLessThan(sizes.viewport);
  await expect.poll(() => distanceToMention(page, FAR), { message: 'the far marker, from its mention', timeout: 5_000 }).toBeLessThan(2);
  expect(await page.evaluate(() => scrollY)).toBe(0);
});

// In an app shell the size of the viewport, one attribute change brings a rendered far panel into
// view: no node changes, nothing scrolls, neither the document nor any block with marks changes size.
for (const how of ['class', 'details'] as AttributeMove[]) {
  test(`a mention in a far panel of a fixed-height app shell gets its marker at its mention when ${how === 'class' ? 'a class on the shell hides the tall section above it' : 'the <details> above it is closed'}`, async ({ firefox }) => {
    const page = await firefox.openFixture('github-far-below.html', '/erdewit/ib_insync/issues/4900');
    await page.evaluate(buildAttributeShell, { how, inShadow: false });
    const marker = '#in-panel [data-ibkr-error="ibkr-326"]';
    await expect.poll(() => markerIds(page, '#in-panel'), { message: 'the far mention is marked' }).toEqual(['ibkr-326']);
    await expect.poll(() => page.$eval('#top [data-ibkr-error]', (m) => m.getBoundingClientRect().height), { message: 'the top marker placed' }).toBeGreaterThan(1);
    expect(await page.$eval(marker, (m) => m.getBoundingClientRect().height)).toBe(1);
    const moved = await page.evaluate(moveByAttribute, { how, inShadow: false });
    expect(moved.after).toBe(moved.before);
    expect(moved.panelTop).toBeLessThan(moved.viewport);
    expect(moved.scrolled).toBe(0);
    await expect.poll(() => distanceToMention(page, marker), { message: 'the far marker, from its mention', timeout: 5_000 }).toBeLessThan(2);
  });
}
