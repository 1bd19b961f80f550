// @vitest-environment happy-dom
/**
 * Markers that share one point stand in the text's order, which is the keyboard's (lib/annotate/
 * text-order.ts): a highlighted log's markers all stand at its block's end, and a line the page
 * edits in the middle, or appends at the end, gets its marker among theirs where its text is.
 * The log is a `<code>` of thousands of children, read as a huge block's (past 500 elements).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHighlights, mentions } from './helpers/marks';
import { errorLine, html, quietLine } from './helpers/highlighted-log';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, countingMatcher, destroySliced, settleSlices } from './helpers/slices';
import { nodeOrder } from '../../lib/annotate/text-order';

installFastRangeText();

beforeEach(() => {
  document.title = 'ib_insync log';
  installHighlights();
});
afterEach(destroySliced);

/** The reqIds of the markers in the block (-1: a mention without one), in the markers' document order (the Tab order). */
function markedLines(root: Element): number[] {
  return mentions(root).map(([, text]) => Number(/reqId (\d+)/.exec(text)?.[1] ?? -1));
}

/** The spans of line `i` (its seq=i word, which every line has once). */
function wordOf(code: Element, word: string): Element {
  return [...code.querySelectorAll('span')].find((s) => s.textContent === word)!;
}

describe('markers sharing a block’s end', { timeout: 60_000 }, () => {
  it('stay in the text’s order when the page edits lines in the middle of a huge block and appends more', async () => {
    const errors = new Set([50, 100, 150, 200, 250, 300, 350, 400, 450]);
    const lines = Array.from({ length: 500 }, (_, i) => (errors.has(i) ? errorLine(i) : quietLine(i)));
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    const code = document.getElementById('log')!;
    expect(code.childNodes.length).toBeGreaterThan(5_000);
    annotateInSlices(countingMatcher(), 500);
    await settleSlices();
    const pre = code.parentElement!;
    expect(markedLines(pre)).toEqual([...errors]);
    // The markers stand together at the block's end, after its last line: one point for all.
    const markers = [...pre.querySelectorAll('[data-ibkr-error]')];
    expect(markers.every((m, k) => k === 0 || m.previousSibling === markers[k - 1])).toBe(true);

    // Lines 175 and 325 become errors: their markers go between those of 150 and 200, 300 and 350.
    for (const i of [325, 175]) {
      const seq = wordOf(code, `seq=${i}`);
      seq.firstChild!.nodeValue = `x\nError 326, reqId ${i}: Unable to connect as the client id is already in use.`;
      await settleSlices();
    }
    expect(markedLines(pre)).toEqual([50, 100, 150, 175, 200, 250, 300, 325, 350, 400, 450]);

    // Lines appended at the end (a stream edit), one of them an error, then line 25 near the start.
    code.insertAdjacentHTML('beforeend', [quietLine(500), errorLine(501), quietLine(502)].map(html).join(''));
    await settleSlices();
    const seq25 = wordOf(code, 'seq=25');
    seq25.firstChild!.nodeValue = `x\nError 326, reqId 25: Unable to connect as the client id is already in use.`;
    await settleSlices();
    expect(markedLines(pre)).toEqual([25, 50, 100, 150, 175, 200, 250, 300, 325, 350, 400, 450, 501]);

    // A mention in the middle changed ('Errors 326': its message is marked alone, with no reqId) and back.
    const error = wordOf(code, '250:').previousElementSibling!.previousElementSibling!.previousElementSibling!;
    const text = error.firstChild!.nodeValue;
    error.firstChild!.nodeValue = 'Errors';
    await settleSlices();
    expect(markedLines(pre)).toEqual([25, 50, 100, 150, 175, 200, -1, 300, 325, 350, 400, 450, 501]);
    error.firstChild!.nodeValue = text;
    await settleSlices();
    expect(markedLines(pre)).toEqual([25, 50, 100, 150, 175, 200, 250, 300, 325, 350, 400, 450, 501]);
  });
});

describe('the order of far-apart children of a huge block', { timeout: 60_000 }, () => {
  it('is known from the samples its reading took, in both directions, with no walk of the children between', async () => {
    const lines = Array.from({ length: 500 }, (_, i) => (i === 450 ? errorLine(i) : quietLine(i)));
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    const code = document.getElementById('log')!;
    annotateInSlices(countingMatcher(), 500);
    await settleSlices();
    expect(markedLines(code.parentElement!)).toEqual([450]);
    const children = [...code.childNodes];
    // The walk's run ends near the 2,000th child: the rest is read from there.
    // Far apart (thousands of siblings) in the rest the reading sampled, and the same sample's neighbours.
    const pairs: [number, number][] = [
      [2_100, 5_000],
      [2_100, 2_101],
      [3_001, 3_040],
      [children.length - 200, children.length - 1],
    ];
    for (const [i, j] of pairs) {
      const a = children[i].firstChild ?? children[i];
      const b = children[j].firstChild ?? children[j];
      expect([i, j, nodeOrder(a, b)]).toEqual([i, j, -1]);
      expect([j, i, nodeOrder(b, a)]).toEqual([j, i, 1]);
    }
  });
});
