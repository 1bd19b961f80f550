// @vitest-environment happy-dom
/**
 * Context across a huge block and across a long run's chunks. A short message in a huge block's
 * first run (the walk's, before its rest is read without a walk) that waited for context is matched
 * again when the block's text shows it later, even once the page has removed the run's first lines
 * (lib/annotate/block-streams.ts). A Client Portal sign in an earlier 8,000-character chunk of the
 * same block counts for a message that needs one (lib/annotate/run-matching.ts,
 * lib/annotate/huge-blocks.ts); one in another block, or only after the message, does not.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnotator, type Annotator, type IdleDeadlineLike } from '../../lib/annotate';
import { installHighlights, mentions } from './helpers/marks';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, destroySliced, realMatcher, settleSlices } from './helpers/slices';

installFastRangeText();
const happyDOM = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;

beforeEach(() => {
  document.title = 'Console';
  happyDOM.setURL('https://example.com/');
  installHighlights();
});
/** An annotator a test starts itself. */
let own: Annotator | null = null;
afterEach(() => {
  destroySliced();
  own?.destroy();
  own = null;
});

const quiet = (i: number) => `2024-05-01 09:29:${String(i % 60).padStart(2, '0')} worker seq=${i} heartbeat ok`;
const quietLines = (n: number, from: number) => Array.from({ length: n }, (_, i) => quiet(from + i));
/** A log line as a highlighter writes it. */
const html = (line: string) => `<span class="line"><span class="hljs-string">${line}</span></span>\n`;

describe('a short message in a huge block’s first run', { timeout: 60_000 }, () => {
  const CONTEXT_LINE = 'ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1...';

  it('is marked once the removal of the oldest lines brings context into the block’s start, its run’s first lines gone', async () => {
    // Line 800 is in the walk's first run (about 1,000 lines of 2 nodes), past the block's first
    // 20,000 characters, which its context is read from: the context line (501) comes into them
    // once the page has removed 100 lines, the first run's first ones.
    const lines = [...quietLines(500, 0), CONTEXT_LINE, ...quietLines(300, 500), '2024-05-01 09:29:30 Not connected', ...quietLines(700, 800)];
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    const code = document.getElementById('log')!;
    annotateInSlices(realMatcher, 500);
    await settleSlices();
    expect(mentions(document.body)).toEqual([]);
    for (let i = 0; i < 100; i++) {
      code.firstChild!.remove();
      code.firstChild!.remove();
      code.insertAdjacentHTML('beforeend', html(quiet(2_000 + i)));
      await settleSlices();
    }
    expect(mentions(document.body)).toEqual([['ibkr-504', 'Not connected']]);
  });

  it('is marked once the page shows context of its own, its run’s first lines gone', async () => {
    // An annotator of this test's own, whose clock the test moves on: page context is looked at
    // again at most every 250 ms of it.
    let clock = 0;
    const asked: ((deadline: IdleDeadlineLike) => void)[] = [];
    const settle = async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      while (asked.length > 0) asked.shift()!({ timeRemaining: () => 8 });
    };
    const lines = [...quietLines(300, 0), '2024-05-01 09:29:30 Not connected', ...quietLines(1_200, 300)];
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    const code = document.getElementById('log')!;
    destroySliced();
    own = createAnnotator({ doc: document, matcher: realMatcher, schedule: (work) => asked.push(work), now: () => (clock += 0.01), severityOf: () => 'error', hugeBlockElements: 500 });
    own.start();
    await settle();
    expect(mentions(document.body)).toEqual([]);
    for (let i = 0; i < 100; i++) {
      code.firstChild!.remove();
      code.firstChild!.remove();
      code.insertAdjacentHTML('beforeend', html(quiet(2_000 + i)));
      await settle();
    }
    // The page's main heading comes: the page is about the socket API from now on.
    document.body.insertAdjacentHTML('afterbegin', '<h1>ib_insync console</h1>');
    clock += 1_000;
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await settle();
    expect(mentions(document.body)).toEqual([['ibkr-504', 'Not connected']]);
  });

  it('is marked when the page appends context to a block shorter than the text read for it', async () => {
    const lines = ['09:29:30 Not connected', ...Array.from({ length: 1_500 }, (_, i) => `seq=${i} ok`)];
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    const code = document.getElementById('log')!;
    expect(code.textContent!.length).toBeLessThan(20_000);
    annotateInSlices(realMatcher, 500);
    await settleSlices();
    expect(mentions(document.body)).toEqual([]);
    code.insertAdjacentHTML('beforeend', html(CONTEXT_LINE));
    await settleSlices();
    expect(mentions(document.body)).toEqual([['ibkr-504', 'Not connected']]);
  });
});

describe('a Client Portal sign in an earlier chunk of the same block', { timeout: 60_000 }, () => {
  const SIGN = 'GET https://localhost:5000/v1/api/iserver/accounts (ibeam)';
  const DENIED = '2024-05-01 09:29:30 Access Denied';
  /** A log of quiet lines, `at` each line put in at its index, about `chars` long. */
  function logText(chars: number, at: Record<number, string>): string {
    const lines: string[] = [];
    for (let i = 0; lines.join('\n').length < chars; i++) lines.push(at[i] ?? quiet(i));
    return lines.join('\n');
  }
  /** Lines per 8,000-character chunk, about (each quiet line is 46 characters and a line end). */
  const CHUNK_LINES = 170;
  const denied = [['cpapi-access-denied', 'Access Denied']];

  it('counts for a message that needs one in a later chunk of one long text node (a block that is no context block)', async () => {
    document.body.innerHTML = '<div id="log"></div>';
    document.getElementById('log')!.textContent = logText(60_000, { 5: SIGN, [CHUNK_LINES * 2 + 20]: DENIED });
    annotateInSlices(realMatcher);
    await settleSlices();
    expect(mentions(document.body)).toEqual(denied);
  });

  it('does not count from a later chunk, nor from another block', async () => {
    document.body.innerHTML = '<div id="a"></div><div id="b"></div>';
    document.getElementById('a')!.textContent = logText(60_000, { [CHUNK_LINES * 2 + 20]: DENIED, [CHUNK_LINES * 5]: SIGN });
    document.getElementById('b')!.textContent = logText(60_000, { [CHUNK_LINES * 2 + 20]: DENIED });
    annotateInSlices(realMatcher);
    await settleSlices();
    expect(mentions(document.body)).toEqual([]);
  });

  /** A highlighted log in a `<pre>`, read as a huge block's past its first run (500 elements). */
  async function huge(at: Record<number, string>) {
    const lines = Array.from({ length: 1_500 }, (_, i) => at[i] ?? quiet(i));
    document.body.innerHTML = `<pre><code id="log">${lines.map(html).join('')}</code></pre>`;
    annotateInSlices(realMatcher, 500);
    await settleSlices();
    return mentions(document.body);
  }

  it('counts in a huge block’s rest, from a sign earlier in the rest or in the walk’s first run, past the 20,000 characters its context is read from', async () => {
    // The walk's first run is about the first 1,000 lines; 20,000 characters are about 420 lines.
    expect(await huge({ 1_200: SIGN, 1_400: DENIED })).toEqual(denied);
    expect(await huge({ 600: SIGN, 1_400: DENIED })).toEqual(denied);
  });

  it('does not count in a huge block’s rest from a sign after the message', async () => {
    expect(await huge({ 1_400: SIGN, 1_200: DENIED })).toEqual([]);
    expect(await huge({ 1_200: `${DENIED} ${'.'.repeat(20)}`, 1_201: SIGN })).toEqual([]);
  });
});
