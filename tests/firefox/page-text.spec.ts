/**
 * The page's text in Firefox ESR with markers in it: every marked block's `textContent` and
 * `innerText` read what the page wrote (docs/page-integrity.md). Page scripts read innerText (a
 * code block's "Copy" button does), so a line break added there is a changed copy.
 */
import type { Page } from 'puppeteer-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageLayout } from '../marker-layout';
import { MARKER_TEXT_CASES, readMarkerTextCases, STREAM_AFTER_MARKER } from '../marker-text-cases';
import { expect, test } from './fixtures';

const PATH = '/erdewit/ib_insync/issues/4950';
const PAGES_DIR = new URL('../e2e/pages', import.meta.url).pathname;

async function openMarked(page: Page): Promise<ReturnType<typeof readMarkerTextCases>> {
  const ids = MARKER_TEXT_CASES.map((c) => c.id);
  await expect
    .poll(() => page.evaluate(readMarkerTextCases, ids).then((read) => read.map((r) => r.marked)), { message: 'every block marked' })
    .toEqual(MARKER_TEXT_CASES.map((c) => [c.entry]));
  return page.evaluate(readMarkerTextCases, ids);
}

test('marked blocks: textContent is what the page wrote, and innerText too where the marker ends its block or flex item', async ({ firefox }) => {
  const page = await firefox.openFixture('github-marker-text.html', PATH);
  const read = await openMarked(page);
  expect(read.map((r) => [r.id, r.textContent])).toEqual(MARKER_TEXT_CASES.map((c) => [c.id, c.textContent]));
  const ending = MARKER_TEXT_CASES.filter((c) => !c.textAfterMarker);
  expect(read.filter((r) => ending.some((c) => c.id === r.id)).map((r) => [r.id, r.innerText])).toEqual(ending.map((c) => [c.id, c.innerText]));
});

// The marker's box is block-level (a float, or absolutely positioned), and innerText puts a line
// break around a block-level box: the marker stands where one is anyway (docs/page-integrity.md).
test('marked blocks: innerText is what the page wrote where text of the block follows the marker', async ({ firefox }) => {
  const page = await firefox.openFixture('github-marker-text.html', PATH);
  const read = await openMarked(page);
  const following = MARKER_TEXT_CASES.filter((c) => c.textAfterMarker);
  expect(read.filter((r) => following.some((c) => c.id === r.id)).map((r) => [r.id, r.innerText])).toEqual(following.map((c) => [c.id, c.innerText]));
});

test('marked blocks: every text and element box is where it is on the same page with no extension', async ({ firefox }) => {
  const page = await firefox.openFixture('github-marker-text.html', PATH);
  await openMarked(page);
  const marked = await page.evaluate(pageLayout);
  // The same page where no content script runs (about:blank): no marker, no style of ours.
  const plain = await firefox.browser.newPage();
  await plain.setContent(readFileSync(join(PAGES_DIR, 'github-marker-text.html'), 'utf8'));
  expect(await plain.$$eval('ibkr-error-mark', (els) => els.length)).toBe(0);
  const without = await plain.evaluate(pageLayout);
  expect(marked.length).toBeGreaterThan(40);
  expect(marked).toEqual(without);
});

test('a log the page appends to after its marker (a text node, a span and its text) reads what the page wrote', async ({ firefox }) => {
  const page = await firefox.openFixture('github-marker-text.html', PATH);
  await openMarked(page);
  const inTask = await page.evaluate(STREAM_AFTER_MARKER);
  const plain = await firefox.browser.newPage();
  await plain.setContent(readFileSync(join(PAGES_DIR, 'github-marker-text.html'), 'utf8'));
  const wrote = (await plain.evaluate(STREAM_AFTER_MARKER)) as { innerText: string; textContent: string };
  // Right after the page's append (the marker moved on in our MutationObserver callback), and
  // once the new line is marked.
  expect(inTask).toEqual(wrote);
  const streamed = () => page.$eval('#streamed', (log) => ({ markers: log.querySelectorAll('[data-ibkr-error]').length, innerText: (log as HTMLElement).innerText, textContent: log.textContent }));
  await expect.poll(streamed, { message: 'the line appended marked' }).toEqual({ markers: 2, ...wrote });
});
