/**
 * The page's text in Firefox ESR with markers in it: every marked block's `textContent` and
 * `innerText` read what the page wrote (docs/page-integrity.md). Page scripts read innerText (a
 * code block's "Copy" button does), so a line break added there is a changed copy.
 */
import type { Page } from 'puppeteer-core';
import { MARKER_TEXT_CASES, readMarkerTextCases } from '../marker-text-cases';
import { expect, test } from './fixtures';

const PATH = '/erdewit/ib_insync/issues/4950';

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

// Known failure (docs/page-integrity.md, "Limits"): the marker's box is block-level (a float, or
// absolutely positioned), and innerText puts a line break around a block-level box, so text that
// follows the marker in its block reads after an added "\n". No box keeps innerText exact and
// takes no room: an inline-block adds no break to innerText but adds a line after a log's last
// line break and lets lines wrap beside it.
test.fail('marked blocks: innerText is what the page wrote where text of the block follows the marker', async ({ firefox }) => {
  const page = await firefox.openFixture('github-marker-text.html', PATH);
  const read = await openMarked(page);
  const following = MARKER_TEXT_CASES.filter((c) => c.textAfterMarker);
  expect(read.filter((r) => following.some((c) => c.id === r.id)).map((r) => [r.id, r.innerText])).toEqual(following.map((c) => [c.id, c.innerText]));
});
