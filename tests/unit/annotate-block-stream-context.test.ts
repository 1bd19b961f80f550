// @vitest-environment happy-dom
/**
 * The lines a page streams into a huge block (lib/annotate/block-streams.ts) count the context of
 * their block's text as it is now (the text read for it: its first 20,000 characters): a short
 * message that needs IBKR context is marked once the page's removal of the oldest lines brings a
 * line showing context into that text, and is not once the only such line is removed, as a fresh
 * reading of the same block gives. The page gives no context of its own here.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installHighlights, mentions } from './helpers/marks';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, countingMatcher, destroySliced, settleSlices } from './helpers/slices';

installFastRangeText();

const CONTEXT_LINE = 'ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1...';
const quietLine = (i: number) => `2024-05-01 09:29:${String(i % 60).padStart(2, '0')} worker seq=${i} heartbeat ok`;

beforeEach(() => {
  document.title = 'Console';
  installHighlights();
});
afterEach(destroySliced);

describe('a huge block the page streams lines into counts the context of its text as it is now', () => {
  /**
   * A `<pre><code>` of `lines`, a highlighted `<span>` each: its first 2,000 nodes are walked, its
   * rest read as a huge block's (past 500 elements), and it is followed from then on.
   */
  function spans(lines: string[]) {
    const html = (line: string) => `<span class="line"><span class="hljs-string">${line}</span></span>\n`;
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    const code = document.getElementById('log')!;
    annotateInSlices(countingMatcher(), 500);
    const append = (line: string) => code.insertAdjacentHTML('beforeend', html(line));
    /** Removes the oldest line's nodes, as a log viewer does. */
    const cut = () => {
      code.firstChild!.remove();
      code.firstChild!.remove();
    };
    return { code, append, cut };
  }
  const quiet = (n: number, from = 0) => Array.from({ length: n }, (_, i) => quietLine(from + i));
  /** What a fresh annotator marks in the block as it is now. */
  async function freshMentions(code: Element) {
    annotateInSlices(countingMatcher(), 500);
    await settleSlices();
    return mentions(code.parentElement!);
  }
  /** Lines of the block's start (its text up to 20,000 characters is what its context is read from: page-context.ts). */
  const START = 500;

  it('takes the mark of a short message away once the only line showing context is removed', async () => {
    const { code, append, cut } = spans([CONTEXT_LINE, ...quiet(1_000), '2024-05-01 09:29:30 Not connected']);
    await settleSlices();
    expect(mentions(code.parentElement!)).toEqual([['ibkr-504', 'Not connected']]);
    cut();
    append(quietLine(2_000));
    await settleSlices();
    expect(mentions(code.parentElement!)).toEqual([]);
  });

  it('marks a short message once the removal of the oldest lines brings a line showing context into the block start', async () => {
    const { code, append, cut } = spans([...quiet(START), CONTEXT_LINE, ...quiet(500, START), '2024-05-01 09:29:30 Not connected']);
    await settleSlices();
    expect(mentions(code.parentElement!)).toEqual([]);
    for (let i = 0; i < 100; i++) {
      cut();
      append(quietLine(2_000 + i));
      await settleSlices();
    }
    expect(mentions(code.parentElement!)).toEqual([['ibkr-504', 'Not connected']]);
    expect(await freshMentions(code)).toEqual([['ibkr-504', 'Not connected']]);
  });
});
