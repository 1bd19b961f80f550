// @vitest-environment happy-dom
/**
 * Every order question on a huge block's children is answered without the browser's
 * `compareDocumentPosition` (lib/annotate/text-order.ts), which walks the siblings between two
 * nodes (400,000 on the span block of `npm run bench:pages`): the part walked before the block's
 * rest is sampled like the rest, only the last reading's samples count, and the marks of that part
 * are told from the rest by the pass that took them in (lib/annotate/huge-blocks.ts). A counting
 * wrapper around `compareDocumentPosition` says whether the browser was asked about the block.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHighlights, mentions } from './helpers/marks';
import { errorLine, html, quietLine } from './helpers/highlighted-log';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, countingMatcher, destroySliced, settleSlices } from './helpers/slices';
import { nodeBefore, nodeOrder } from '../../lib/annotate/text-order';

installFastRangeText();

/** A `<pre><code>` of 500 lines, `errors` among them, read as a huge block's past its first run (500 elements and more). */
async function log(errors: Set<number>): Promise<HTMLElement> {
  const lines = Array.from({ length: 500 }, (_, i) => (errors.has(i) ? errorLine(i) : quietLine(i)));
  document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
  annotateInSlices(countingMatcher(), 500);
  await settleSlices();
  return document.getElementById('log')!;
}

/** The reqIds of the markers in the block, in the markers' document order (the Tab order). */
const markedLines = (code: Element) => mentions(code.parentElement!).map(([, text]) => Number(/reqId (\d+)/.exec(text)?.[1] ?? -1));

/** The text node of the word `word` (each line's seq=i is one of a kind). */
const wordOf = (code: Element, word: string) => [...code.querySelectorAll('span')].find((s) => s.textContent === word)!.firstChild as Text;

/** Counts the browser's order questions that touch `root`'s nodes, from now until `restore`. */
function countCompares(root: Node) {
  const proto = Node.prototype;
  const original = proto.compareDocumentPosition;
  const counter = { calls: 0, restore: () => void (proto.compareDocumentPosition = original) };
  proto.compareDocumentPosition = function (this: Node, other: Node) {
    if (root.contains(this) || root.contains(other)) counter.calls++;
    return original.call(this, other);
  };
  return counter;
}

let restore: (() => void) | null = null;
beforeEach(() => {
  document.title = 'ib_insync log';
  installHighlights();
});
afterEach(() => {
  restore?.();
  restore = null;
  destroySliced();
});

describe('the order of a huge block’s marks, never asked of the browser', { timeout: 60_000 }, () => {
  it('tells the marks of the part walked before the rest from the rest’s by their pass when the block is read again', async () => {
    const code = await log(new Set([10, 40, 200, 400]));
    // The walk's first run ends near the 2,000th child: lines 10 and 40 are in it.
    expect(code.childNodes.length).toBeGreaterThan(5_000);
    expect(markedLines(code)).toEqual([10, 40, 200, 400]);
    const counter = countCompares(code);
    restore = counter.restore;
    wordOf(code, 'seq=300').data = `x\nError 326, reqId 300: Unable to connect as the client id is already in use.`;
    await settleSlices();
    expect(markedLines(code)).toEqual([10, 40, 200, 300, 400]);
    expect(counter.calls).toBe(0);
  });

  it('puts the marker of a line the page inserts in the rest among the others, by the samples', async () => {
    const code = await log(new Set([100, 450]));
    const counter = countCompares(code);
    restore = counter.restore;
    const at = wordOf(code, 'seq=300').parentNode as Element;
    at.insertAdjacentHTML('beforebegin', html(errorLine(777)));
    await settleSlices();
    expect(markedLines(code)).toEqual([100, 777, 450]);
    expect(counter.calls).toBe(0);
  });

  it('orders a child of the part walked before the rest against children of the rest by the samples', async () => {
    const code = await log(new Set([450]));
    const children = [...code.childNodes];
    const counter = countCompares(code);
    restore = counter.restore;
    // Children 5 and 1,000 are in the walked part, 3,000 and the last in the rest.
    for (const [i, j] of [
      [5, 3_000],
      [1_000, 3_000],
      [5, 1_000],
      [1_000, children.length - 1],
    ]) {
      expect([i, j, nodeOrder(children[i], children[j])]).toEqual([i, j, -1]);
      expect([j, i, nodeOrder(children[j], children[i])]).toEqual([j, i, 1]);
      expect(nodeBefore(children[i], children[j])).toBe(true);
    }
    expect(counter.calls).toBe(0);
  });

  it('orders children by the last reading’s samples only, when the page moved children between two readings', async () => {
    const code = await log(new Set([450]));
    // Ten children put in early in the rest, and a line of the walked part edited so that the block
    // is read again: that reading's buckets start ten children earlier than the first one's there.
    const at = [...code.childNodes].slice(2_200).find((n) => n.nodeType === 1)!;
    (at as Element).insertAdjacentHTML('beforebegin', '<span>x</span> '.repeat(5));
    wordOf(code, 'seq=5').data = 'seq=5,';
    await settleSlices();
    expect(markedLines(code)).toEqual([450]);
    const children = [...code.childNodes];
    const counter = countCompares(code);
    restore = counter.restore;
    // Every offset from a sample of either reading, both ways.
    const untold: number[][] = [];
    for (let i = 2_300; i < 2_364; i++) {
      for (let j = 5_000; j < 5_064; j += 5) if (nodeOrder(children[i], children[j]) !== -1 || nodeOrder(children[j], children[i]) !== 1) untold.push([i, j]);
    }
    expect(untold).toEqual([]);
    expect(counter.calls).toBe(0);
  });

  it('does not ask the browser about children the page put in far from every sample since the last reading', async () => {
    const code = await log(new Set([450]));
    destroySliced();
    const at = code.childNodes[3_000];
    for (let k = 0; k < 1_500; k++) code.insertBefore(document.createTextNode(''), at);
    const children = [...code.childNodes];
    const counter = countCompares(code);
    restore = counter.restore;
    // 1,200 siblings past the last sample before it: untold, taken as coming after.
    const later = children[children.length - 100];
    expect(nodeBefore(children[3_000 + 1_200], later)).toBe(false);
    expect(nodeBefore(children[2_000], later)).toBe(true);
    expect(nodeBefore(later, children[2_000])).toBe(false);
    expect(counter.calls).toBe(0);
  });
});
