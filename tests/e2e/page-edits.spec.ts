/**
 * The page edits the text nodes we marked, in place, in every way the DOM allows: each element's
 * text (`textContent` and `innerText`) is exactly what the page wrote, the node the page holds reads
 * back what it wrote, and the text is marked again where an error remains (docs/page-integrity.md).
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageLayout } from '../marker-layout';
import { MARKER_TEXT_CASES, readMarkerTextCases, STREAM_AFTER_MARKER } from '../marker-text-cases';
import { expect, expectAtMention, openFixture, PAGES, scanSettled, test } from './fixtures';

const PAGES_DIR = new URL('./pages', import.meta.url).pathname;

const E504 = 'ERROR -1 504 Not connected';
const E326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use';
const E321 = 'Error 321, reqId 5: Error validating request';
const LOG = `${E504}\n${E326}.`;

/** The marked mentions under `selector`: [entry id, marked text], in document order. */
const marked = (page: Page, selector: string) =>
  page.locator(`${selector} [data-ibkr-error]`).evaluateAll((els) => els.map((e) => [e.getAttribute('data-ibkr-error'), e.getAttribute('aria-label')]));

/** How many mentions are painted on the page (every range of every highlight of ours). */
const painted = (page: Page) =>
  page.evaluate(() => [...CSS.highlights].filter(([name]) => name.startsWith('ibkr-error-lookup-')).reduce((n, [, h]) => n + h.size, 0));

/** The element's text both ways a script reads it. */
const texts = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => ({ textContent: el.textContent, innerText: (el as HTMLElement).innerText }));

interface Edit {
  name: string;
  /** Runs in the page: `log` is the <pre>, `node` its one text node (the page's own reference). */
  edit: string;
  text: string;
  marks: [string, string][];
}

const EDITS: Edit[] = [
  { name: 'appendData', edit: "node.appendData(' +tail')", text: `${LOG} +tail`, marks: [['ibkr-504', E504], ['ibkr-326', E326]] },
  { name: 'insertData', edit: "node.insertData(0, '[12:00:01] ')", text: `[12:00:01] ${LOG}`, marks: [['ibkr-504', E504], ['ibkr-326', E326]] },
  { name: 'deleteData', edit: `node.deleteData(0, ${E504.length + 1})`, text: `${E326}.`, marks: [['ibkr-326', E326]] },
  { name: 'replaceData', edit: `node.replaceData(${E504.length + 1}, ${E326.length + 1}, '${E321}.')`, text: `${E504}\n${E321}.`, marks: [['ibkr-504', E504], ['ibkr-321', E321]] },
  { name: 'data written', edit: "node.data = 'all good now'", text: 'all good now', marks: [] },
  { name: 'data += …', edit: `node.data += '\\n${E321}.'`, text: `${LOG}\n${E321}.`, marks: [['ibkr-504', E504], ['ibkr-326', E326], ['ibkr-321', E321]] },
  { name: 'nodeValue written', edit: `node.nodeValue = '${E504}'`, text: E504, marks: [['ibkr-504', E504]] },
  { name: 'nodeValue += …', edit: "node.nodeValue += ' (retry 2)'", text: `${LOG} (retry 2)`, marks: [['ibkr-504', E504], ['ibkr-326', E326]] },
  { name: "the node's textContent", edit: `node.textContent = '${E321}.'`, text: `${E321}.`, marks: [['ibkr-321', E321]] },
  { name: "the element's textContent", edit: `log.textContent = '${E321}.'`, text: `${E321}.`, marks: [['ibkr-321', E321]] },
  { name: 'splitText', edit: 'node.splitText(12)', text: LOG, marks: [['ibkr-504', E504], ['ibkr-326', E326]] },
  {
    name: 'normalize() after appending text',
    edit: "log.appendChild(document.createTextNode(' +tail')); log.normalize()",
    text: `${LOG} +tail`,
    marks: [['ibkr-504', E504], ['ibkr-326', E326]],
  },
];

test.describe('a marked text node the page edits in place', () => {
  for (const { name, edit, text, marks } of EDITS) {
    test(`${name}: the text is exactly what the page wrote, marked again where an error remains`, async ({ context }) => {
      const page = await openFixture(context, 'githubLogTail');
      await scanSettled(page);
      expect(await marked(page, '#log')).toEqual([
        ['ibkr-504', E504],
        ['ibkr-326', E326],
      ]);
      // The page edits through its own reference to its node, which holds its whole text.
      const read = await page.evaluate((code) => {
        const log = document.getElementById('log')!;
        const node = log.firstChild as Text;
        const before = node.data;
        new Function('log', 'node', code)(log, node);
        return { before, after: log.textContent };
      }, edit);
      expect(read.before).toBe(LOG);
      expect(read.after).toBe(text);
      await scanSettled(page);
      expect(await texts(page, '#log')).toEqual({ textContent: text, innerText: text });
      expect(await marked(page, '#log')).toEqual(marks);
      expect(await painted(page)).toBe(marks.length + 1); // and #pair's mention
      await page.close();
    });
  }

  test('normalize() merges the page\'s two adjacent text nodes as it expects: no marker stands between them', async ({ context }) => {
    const page = await openFixture(context, 'githubLogTail');
    await scanSettled(page);
    const pair = page.locator('#pair');
    expect(await marked(page, '#pair')).toEqual([['ibkr-326', E326]]);
    expect(await pair.evaluate((p) => [...p.childNodes].map((n) => n.nodeName))).toEqual(['#text', '#text', 'IBKR-ERROR-MARK']);
    expect(await pair.evaluate((p) => (p.normalize(), [...p.childNodes].map((n) => n.nodeName)))).toEqual(['#text', 'IBKR-ERROR-MARK']);
    await scanSettled(page);
    expect(await texts(page, '#pair')).toEqual({ textContent: `${E326}.`, innerText: `${E326}.` });
    expect(await marked(page, '#pair')).toEqual([['ibkr-326', E326]]);
    await page.close();
  });

  test('a log tail appending to its node line by line ends with exactly what it wrote, each error marked once', async ({ context }) => {
    const page = await openFixture(context, 'githubLogTail');
    await scanSettled(page);
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) {
      const line = i % 4 === 1 ? `t=${i} ${E504}` : i % 4 === 3 ? `t=${i} ${E326}.` : `t=${i} heartbeat ok`;
      lines.push(line);
      await page.evaluate((l) => (window as unknown as { tail(line: string): void }).tail(l), line);
      if (i % 3 === 0) await scanSettled(page);
    }
    await scanSettled(page);
    const written = lines.map((l) => `${l}\n`).join('');
    expect(await texts(page, '#tail')).toEqual({ textContent: written, innerText: written });
    expect(await marked(page, '#tail')).toEqual([
      ['ibkr-504', E504],
      ['ibkr-326', E326],
      ['ibkr-504', E504],
      ['ibkr-326', E326],
      ['ibkr-504', E504],
      ['ibkr-326', E326],
    ]);
    await page.close();
  });
});

test.describe('marked blocks with more of their text after the marker', () => {
  const read = async (page: Page) => {
    await scanSettled(page);
    return page.evaluate(readMarkerTextCases, MARKER_TEXT_CASES.map((c) => c.id));
  };

  test('every block is marked and its textContent is what the page wrote; innerText too where the marker ends its block or flex item', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkerText');
    const blocks = await read(page);
    expect(blocks.map((b) => [b.id, b.marked, b.textContent])).toEqual(MARKER_TEXT_CASES.map((c) => [c.id, [c.entry], c.textContent]));
    const ending = MARKER_TEXT_CASES.filter((c) => !c.textAfterMarker);
    expect(blocks.filter((b) => ending.some((c) => c.id === b.id)).map((b) => [b.id, b.innerText])).toEqual(ending.map((c) => [c.id, c.innerText]));
    await page.close();
  });

  // The marker's box is block-level (a float, or absolutely positioned), and innerText puts a line
  // break around a block-level box: the marker stands where one is anyway (docs/page-integrity.md).
  test('innerText is what the page wrote where text of the block follows the marker', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkerText');
    const blocks = await read(page);
    expect(blocks.map((b) => b.marked)).toEqual(MARKER_TEXT_CASES.map((c) => [c.entry]));
    const following = MARKER_TEXT_CASES.filter((c) => c.textAfterMarker);
    expect(blocks.filter((b) => following.some((c) => c.id === b.id)).map((b) => [b.id, b.innerText])).toEqual(following.map((c) => [c.id, c.innerText]));
    await page.close();
  });

  test('every text and element box is where it is on the same page with no extension', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkerText');
    await read(page);
    const marked = await page.evaluate(pageLayout);
    // The same page where no content script runs (about:blank): no marker, no style of ours.
    const plain = await context.newPage();
    await plain.setContent(readFileSync(join(PAGES_DIR, PAGES.githubMarkerText.file), 'utf8'));
    expect(await plain.locator('ibkr-error-mark').count()).toBe(0);
    const without = await plain.evaluate(pageLayout);
    expect(marked.length).toBeGreaterThan(40);
    expect(marked).toEqual(without);
    await page.close();
    await plain.close();
  });

  test("a highlighted log the page appends lines to, inside its <code>, keeps its marker's box at its mention", async ({ context }) => {
    const page = await openFixture(context, 'githubMarkerText');
    await read(page);
    const marker = page.locator('#spans [data-ibkr-error="ibkr-326"]');
    await expectAtMention(marker, 'before the page appends');
    // The marker stands at the <pre>'s end, after the <code>: each line appended moves its own place.
    await page.evaluate(() => {
      const code = document.querySelector('#spans code')!;
      for (let i = 0; i < 5; i++) code.append(`\nINFO heartbeat ${i}`);
    });
    await scanSettled(page);
    await expectAtMention(marker, 'after the page appended 5 lines');
    await page.close();
  });

  test('a log the page appends to after its marker (text nodes, spans) reads what the page wrote', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkerText');
    await read(page);
    const inTask = await page.evaluate(STREAM_AFTER_MARKER);
    await scanSettled(page);
    const plain = await context.newPage();
    await plain.setContent(readFileSync(join(PAGES_DIR, PAGES.githubMarkerText.file), 'utf8'));
    const wrote = await plain.evaluate(STREAM_AFTER_MARKER);
    // Right after the page's append (the marker moved on in our MutationObserver callback), and
    // once the new line is marked.
    expect(inTask).toEqual(wrote);
    expect(await texts(page, '#streamed')).toEqual(wrote);
    expect(await marked(page, '#streamed')).toEqual([
      ['ibkr-326', E326],
      ['ibkr-326', E326],
    ]);
    await page.close();
    await plain.close();
  });
});
