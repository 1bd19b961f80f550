// @vitest-environment happy-dom
/**
 * A log that streams while the annotator works (bench:pages --soak, docs/performance.md): the page
 * writes between our slices, as a live log does. Error lines get their markers while the page
 * streams, and the text matched per line appended follows that line, not the pane's whole text.
 * The slices run on a clock of their own (tests/unit/helpers/slices.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { LEAD_WINDOW, scanCodeShapes } from '../../lib/code-shapes';
import { ENDPOINT_PATHS, ENDPOINT_REACH } from '../../lib/cpapi-shapes';
import { REMATCH_BEFORE } from '../../lib/annotate/text-streams';
import { installHighlights, markerElements, mentions, paintedRanges, paintedTexts } from './helpers/marks';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, countingMatcher, destroySliced, runSlice, settleSlices } from './helpers/slices';

installFastRangeText();

const ERRORS = ['Error 326, reqId -1: Unable to connect as the client id is already in use.', 'ERROR -1 504 Not connected'];
const QUIET = ['ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1...', 'nginx: 504 Gateway Timeout while reading response header from upstream', 'heartbeat ok'];
/** Lines each pane keeps (the soak page keeps 2,000; fewer keep the test quick): 40 error lines. */
const KEEP = 800;

const lineText = (i: number) => `2024-05-01 09:29:${String(i % 60).padStart(2, '0')},${String(i % 1000).padStart(3, '0')} ${i % 20 === 7 ? ERRORS[(i / 20) % 2 | 0] : QUIET[i % 3]}\n`;

beforeEach(() => {
  document.title = 'IBeam gateway log · ib_insync';
  installHighlights();
});
afterEach(destroySliced);

describe('a log streaming into one text node (appendData at the end, deleteData at the start)', () => {
  function streamPane() {
    document.body.innerHTML = '<pre id="stream"></pre>';
    const pre = document.getElementById('stream')!;
    const node = pre.appendChild(document.createTextNode(''));
    const lengths: number[] = [];
    let n = 0;
    /** Appends a line (and drops the oldest past KEEP); returns its length. */
    const append = () => {
      const line = lineText(n++);
      node.appendData(line);
      lengths.push(line.length);
      if (lengths.length > KEEP) node.deleteData(0, lengths.shift()!);
      return line.length;
    };
    for (let i = 0; i < KEEP; i++) append();
    const errorLines = () => node.data.split('\n').filter((l) => /Error 326|ERROR -1 504/.test(l)).length;
    return { pre, node, append, errorLines };
  }

  it('marks the lines appended while the page streams, keeps the marks of the text kept, and matches only what was appended', () => {
    const { pre, node, append, errorLines } = streamPane();
    const matcher = countingMatcher();
    annotateInSlices(matcher);
    expect(markerElements(pre)).toHaveLength(40);
    const before = matcher.chars;
    let appended = 0;
    let perSliceMax = 0;
    const seen: number[] = [];
    for (let i = 0; i < 1_600; i++) {
      const chars = matcher.chars;
      appended += append();
      runSlice();
      perSliceMax = Math.max(perSliceMax, matcher.chars - chars);
      if (i % 400 === 399) seen.push(markerElements(pre).length);
    }
    // While it streams, the error lines present are marked (the newest may wait for their batch).
    for (const count of seen) expect(count).toBeGreaterThanOrEqual(36);
    expect(markerElements(pre).length).toBeLessThanOrEqual(errorLines());
    // Each mark paints exactly its mention where the text is now (the node was cut 1,600 times).
    const painted = paintedTexts().error ?? [];
    const labels = markerElements(pre).map((m) => m.getAttribute('aria-label'));
    expect([...painted].sort()).toEqual([...labels].sort());
    for (const text of painted) expect(ERRORS.some((e) => e.includes(text))).toBe(true);
    // The markers stand in the order of their mentions (the keyboard's order), the newest last.
    const inText = node.data.split('\n').flatMap((l) => (l.includes('Error 326') ? [ERRORS[0].slice(0, -1)] : l.includes('ERROR -1 504') ? [ERRORS[1]] : []));
    expect(labels).toEqual(inText.slice(0, labels.length));
    // The text matched follows the lines appended (each in a batch, and alone when it holds a
    // candidate), not the 60 KB the node holds.
    expect(perSliceMax).toBeLessThan(1_000);
    expect(matcher.chars - before).toBeLessThan(3 * appended);
  });

  it('marks a line completed before any slice matched its first part once, whole', async () => {
    const { pre, node } = streamPane();
    annotateInSlices(countingMatcher());
    const labels = () => markerElements(pre).map((m) => m.getAttribute('aria-label'));
    expect(labels()).toHaveLength(40);
    // Each append is delivered to the annotator, and no slice runs between them: the first part's
    // text waits to be matched when the line grows (without the fix: `Error 326, reqId -1` marked
    // beside the whole mention).
    node.appendData('2024-05-01 16:00:00,000 Error 326, reqId -1: Unable');
    await new Promise((r) => setTimeout(r, 0));
    node.appendData(' to connect as the client id is already in use.\n');
    await new Promise((r) => setTimeout(r, 0));
    await settleSlices();
    expect(labels()).toHaveLength(41);
    expect(labels().at(-1)).toBe('Error 326, reqId -1: Unable to connect as the client id is already in use');
  });

  it('marks a line appended in pieces once, whole; an edit in the middle or a cut through a mention is read as such', async () => {
    const { pre, node } = streamPane();
    const matcher = countingMatcher();
    annotateInSlices(matcher);
    const labels = () => markerElements(pre).map((m) => m.getAttribute('aria-label'));
    expect(labels()).toHaveLength(40);
    // A line written in three appends, slices between them: one mark, over the whole mention.
    node.appendData('2024-05-01 16:00:00,000 Error 326, reqId -1: Unable');
    await settleSlices();
    node.appendData(' to connect as the client id is already in use.');
    await settleSlices();
    node.appendData('\n');
    await settleSlices();
    expect(labels()).toHaveLength(41);
    expect(labels().filter((l) => l === 'Error 326, reqId -1: Unable to connect as the client id is already in use')).toHaveLength(21);
    // The page rewrites a quiet line in the middle into an error line: read the usual way.
    const quiet = node.data.indexOf(QUIET[2]);
    node.replaceData(quiet, QUIET[2].length, ERRORS[1]);
    await settleSlices();
    expect(labels()).toHaveLength(42);
    // A cut through the first `Error 326` (after the line rewritten above): both marks go, the
    // others stay, painted where their text is now.
    const first = node.data.indexOf('Error 326');
    expect(node.data.indexOf(ERRORS[1])).toBeLessThan(first);
    node.deleteData(0, first + 3);
    node.appendData('2024-05-01 16:00:01,000 heartbeat ok\n');
    await settleSlices();
    expect(labels()).toHaveLength(40);
    const painted = paintedTexts().error ?? [];
    expect([...painted].sort()).toEqual([...labels()].sort());
    for (const text of painted) expect(ERRORS.some((e) => e.includes(text))).toBe(true);
  });
});

describe('a highlighted log streaming into a huge block (lines appended at its end, the oldest removed)', () => {
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  /** A line as a highlighter writes it (the soak page's spans pane): date, time, level, message. */
  function lineHtml(i: number): string {
    const [date, time, ...rest] = lineText(i).trimEnd().split(' ');
    const text = rest.join(' ');
    const body = /Error 326|ERROR -1 504/.test(text)
      ? `<span class="hljs-level">ERROR</span> ${esc(text).replace(/-?\d+/g, '<span class="hljs-number">$&</span>')}`
      : `<span class="hljs-level">INFO</span> <span class="hljs-string">${esc(text)}</span>`;
    return `<span class="line"><span class="hljs-date">${date}</span> <span class="hljs-time">${time}</span> ${body}</span>\n`;
  }

  function spansPane() {
    document.body.innerHTML = '<pre><code id="spans" class="hljs language-log"></code></pre>';
    const code = document.getElementById('spans')!;
    const lines: { el: Element; nl: ChildNode }[] = [];
    let n = 0;
    /** Appends a line (and removes the oldest past KEEP); returns its text's length. */
    const append = () => {
      const html = lineHtml(n++);
      code.insertAdjacentHTML('beforeend', html);
      const nl = code.lastChild!;
      lines.push({ el: nl.previousSibling as Element, nl });
      if (lines.length > KEEP) {
        const oldest = lines.shift()!;
        oldest.el.remove();
        oldest.nl.remove();
      }
      return (nl.previousSibling as Element).textContent!.length + 1;
    };
    for (let i = 0; i < KEEP; i++) append();
    /** Error lines holding no marker, and quiet lines holding one. */
    const unmarked = () => {
      let errors = 0;
      let errorsUnmarked = 0;
      let quietMarked = 0;
      // A line is marked when a mention painted starts in it (the markers stand at the block's end).
      const starts = paintedRanges().map((r) => r.startContainer);
      for (const { el } of lines) {
        const marked = starts.some((n) => el.contains(n));
        if (/Error 326|ERROR -1 504/.test(el.textContent!)) {
          errors++;
          if (!marked) errorsUnmarked++;
        } else if (marked) quietMarked++;
      }
      return { errors, errorsUnmarked, quietMarked };
    };
    return { code, append, unmarked };
  }

  it('marks the lines appended while the page streams, and matches only what was appended', { timeout: 30_000 }, () => {
    const { code, append, unmarked } = spansPane();
    const matcher = countingMatcher();
    // 800 lines of 5 to 13 elements: a huge block at 1,000 elements (20,000 on the soak page at 10,000).
    annotateInSlices(matcher, 1_000);
    expect(unmarked()).toEqual({ errors: 40, errorsUnmarked: 0, quietMarked: 0 });
    const before = matcher.chars;
    let appended = 0;
    let perSliceMax = 0;
    const seen: ReturnType<typeof unmarked>[] = [];
    for (let i = 0; i < 1_000; i++) {
      const chars = matcher.chars;
      appended += append();
      runSlice();
      perSliceMax = Math.max(perSliceMax, matcher.chars - chars);
      if (i % 250 === 249) seen.push(unmarked());
    }
    // While it streams, the error lines present are marked (the newest may wait for their batch).
    for (const s of seen) {
      expect(s.errorsUnmarked).toBeLessThanOrEqual(4);
      expect(s.quietMarked).toBe(0);
    }
    expect(markerElements(code.parentElement!).length).toBe(40 - unmarked().errorsUnmarked);
    // The text matched follows the lines appended, not the 60 KB the block holds.
    expect(perSliceMax).toBeLessThan(1_000);
    expect(matcher.chars - before).toBeLessThan(3 * appended);
  });
});

describe('a line that grows without line breaks (a console writing one long line in pieces, a minified JSON log)', () => {
  const ERROR_326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use';
  /** One long line of records in a `<pre>` (or another element): `record(i)` is record i's text. */
  function growingLine(record: (i: number) => string, tag = 'pre') {
    document.body.innerHTML = `<${tag} id="line"></${tag}>`;
    const pre = document.getElementById('line')!;
    let line = '';
    let i = 0;
    /** The line's text up to `length` characters (records made as needed). */
    const upTo = (length: number) => {
      while (line.length < length) line += record(i++);
      return line.slice(0, length);
    };
    const node = pre.appendChild(document.createTextNode(upTo(2_500)));
    /** Appends the next `n` characters of the line (cutting words and mentions where they fall). */
    const append = (n: number) => {
      const from = node.data.length;
      node.appendData(upTo(from + n).slice(from));
    };
    return { pre, node, append };
  }

  it('rematches far enough back for the longest mention a text appended can complete', () => {
    // The longest code shape: the testbeds' line with three more fields and a request id of ten
    // digits, a value before the message (MESSAGE_SLOT_VALUE: 40 characters and a colon) ...
    const field = 'x'.repeat(40);
    const line = `Error. ReqId: -1234567890, Time: ${field}, Field: ${field}, Other: ${field} Code: 12345, Msg: `;
    let prefix = 0;
    scanCodeShapes(line, (start, _end, messageAt) => (prefix = Math.max(prefix, messageAt - start)));
    expect(prefix).toBeGreaterThan(150);
    // ... or a lead before the message (LEAD_WINDOW), then the longest official message with its
    // placeholders at their widest (lib/message-stems.ts: 60 characters, a quoted value 42).
    const widest = (m: string) => m.replace(/<[^<>\n]{0,40}>|%[sSd]/g, 'x'.repeat(60)).replace(/(?<=:\s?)'[^'\n]{1,40}'/g, 'x'.repeat(42)).length;
    const message = Math.max(...knowledge.entries.flatMap((e) => (e.match.messages ?? []).map(widest)));
    expect(message).toBeGreaterThan(434);
    // One character before it for the shapes' look-behind.
    expect(REMATCH_BEFORE).toBeGreaterThanOrEqual(Math.max(prefix + 41, LEAD_WINDOW) + message + 1);
  });

  it("reads back to an endpoint as far as the catalog's look-behinds for one reach", () => {
    // A look-behind (`(?<=/hmds/history\b[^\n]{0,300})`) reads what the text matched again may start after.
    const lookBehinds = knowledge.entries.flatMap((e) => e.match.contextual ?? []).flatMap((p) => [...p.source.matchAll(/\(\?<=((?:[^()]|\([^()]*\))*)\)/g)].map((m) => m[1]));
    expect(lookBehinds.length).toBeGreaterThan(0);
    for (const body of lookBehinds) {
      // Each starts with an endpoint of ENDPOINT_PATHS, then reads at most ENDPOINT_REACH characters.
      const plain = (source: string) => source.replace(/\\/g, '');
      expect(ENDPOINT_PATHS.source.split('|').some((path) => plain(body).startsWith(plain(path)))).toBe(true);
      const reach = [...body.matchAll(/\{(\d+),(\d+)\}/g)].reduce((sum, m) => sum + Number(m[2]), 0);
      expect(reach).toBeLessThanOrEqual(ENDPOINT_REACH);
      expect(body).not.toMatch(/[*+]|\{\d+,\}/);
    }
  });

  it('matches each character of the line a bounded number of times, not the whole line at each append', { timeout: 30_000 }, async () => {
    const quiet = (i: number) => `ib_insync.client INFO seq=${i} heartbeat ok; `;
    const { pre, node, append } = growingLine((i) => (i % 12 === 11 ? `${ERROR_326}. ` : quiet(i)));
    const matcher = countingMatcher();
    annotateInSlices(matcher);
    const start = node.data.length;
    const before = matcher.chars;
    for (let k = 0; k < 2_000; k++) {
      append(50);
      await settleSlices();
    }
    const appended = node.data.length - start;
    expect(appended).toBe(100_000);
    // Each error in the line is marked once, whole, painted where it is.
    const errors = node.data.split(ERROR_326).length - 1;
    expect(errors).toBeGreaterThan(150);
    const labels = markerElements(pre).map((m) => m.getAttribute('aria-label'));
    expect(labels).toEqual(new Array(errors).fill(ERROR_326));
    expect(paintedTexts().error).toEqual(labels);
    // Each append of 50 characters matches them and about REMATCH_BEFORE characters before them
    // (where a mention they complete may start): 2.1 M characters here, where matching the line
    // from its start at each append took 105 M (n²/2 over 50).
    expect(REMATCH_BEFORE).toBe(1_000);
    expect(matcher.chars - before).toBeLessThan(25 * appended);
  });

  it('ends a mention inside a JSON string where its string closes, far into the line', async () => {
    const WARNING = 'Warning 2104, reqId -1: Market data farm connection is OK:usfarm';
    // Blanks only inside strings: a window cut after one starts inside a string, so the closers
    // the line owes there are carried over (else the next quote would read as opening one).
    const { pre, node, append } = growingLine((i) =>
      i % 12 === 11 ? `{"t":${i},"level":"WARN","msg":"${WARNING}"},` : `{"t":${i},"level":"INFO","msg":"heartbeat ok seq ${i}"},`,
    );
    const matcher = countingMatcher();
    annotateInSlices(matcher);
    for (let k = 0; k < 400; k++) {
      append(50);
      await settleSlices();
    }
    expect(node.data.length).toBeGreaterThan(20 * REMATCH_BEFORE);
    const labels = markerElements(pre).map((m) => m.getAttribute('aria-label'));
    expect(labels).toEqual(new Array(node.data.split(WARNING).length - 1).fill(WARNING));
    expect(paintedTexts().error).toEqual(labels);
  });

  it("counts the context its line shows before the text matched again, as the whole line's", async () => {
    // No context from the page, nor from the block (a <div>): only the line's start shows it.
    document.title = 'Console';
    const { pre, node, append } = growingLine((i) => (i === 0 ? 'ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1; ' : `worker seq=${i} heartbeat ok; `), 'div');
    const matcher = countingMatcher();
    annotateInSlices(matcher);
    append(3 * REMATCH_BEFORE);
    await settleSlices();
    node.appendData(' Not connected; ');
    await settleSlices();
    append(100);
    await settleSlices();
    expect(mentions(pre)).toEqual([['ibkr-504', 'Not connected']]);
  });

  it('marks a mention far into a long line once and whole when the line grows again before any slice matched its first part', async () => {
    // Context only at the line's start, as above: the text matched again keeps what its line showed.
    document.title = 'Console';
    const { pre, node, append } = growingLine((i) => (i === 0 ? 'ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1; ' : `worker seq=${i} heartbeat ok; `), 'div');
    annotateInSlices(countingMatcher());
    const delivered = () => new Promise((r) => setTimeout(r, 0));
    append(3 * REMATCH_BEFORE);
    await settleSlices();
    // Each piece is delivered to the annotator, and no slice runs between them.
    for (const piece of [`; ${ERROR_326.slice(0, 27)}`, `${ERROR_326.slice(27)}; `]) {
      node.appendData(piece);
      await delivered();
    }
    await settleSlices();
    expect(mentions(pre)).toEqual([['ibkr-326', ERROR_326]]);
    append(2 * REMATCH_BEFORE);
    await settleSlices();
    for (const piece of [' Not con', 'nected; ']) {
      node.appendData(piece);
      await delivered();
    }
    await settleSlices();
    expect(mentions(pre)).toEqual([
      ['ibkr-326', ERROR_326],
      ['ibkr-504', 'Not connected'],
    ]);
  });

  it('counts the context of a long line matched again from inside it after a line break, when no slice ran between the appends', async () => {
    // The context only at the line's start, as above; the text appended ends that line and starts another.
    document.title = 'Console';
    const { pre, node, append } = growingLine((i) => (i === 0 ? 'ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1; ' : `worker seq=${i} heartbeat ok; `), 'div');
    annotateInSlices(countingMatcher());
    append(3 * REMATCH_BEFORE);
    await settleSlices();
    for (const piece of [' Not connected;\nworker', ' seq=1 heartbeat ok']) {
      node.appendData(piece);
      await new Promise((r) => setTimeout(r, 0));
    }
    await settleSlices();
    expect(mentions(pre)).toEqual([['ibkr-504', 'Not connected']]);
  });

  it('marks a mention whole when the line grows while the slice that found it ended before making it, and the text matched again starts inside it', async () => {
    const { pre, node, append } = growingLine((i) => `ib_insync.client INFO seq=${i} heartbeat ok; `);
    annotateInSlices(countingMatcher());
    append(3 * REMATCH_BEFORE);
    await settleSlices();
    // 6,000 characters (their text is matched in 1.2 ms of the annotator's clock) whose mention
    // starts 1,030 characters before their end, where the next append's window starts inside it.
    const filler = (n: number) => ' heartbeat ok;'.repeat(Math.ceil(n / 14)).slice(0, n);
    node.appendData(`${filler(5_000)}; ${ERROR_326}. ${filler(1_030 - ERROR_326.length - 2)}`);
    await new Promise((r) => setTimeout(r, 0));
    // A slice of 1 ms matches that text and ends before its marks are made.
    runSlice(1);
    expect(markerElements(pre)).toHaveLength(0);
    node.appendData(' heartbeat ok; ');
    await settleSlices();
    expect(mentions(pre)).toEqual([['ibkr-326', ERROR_326]]);
  });

  // Matching the whole line drops a wrapper's mark (ibind's, IBeam's, an HTTP status line:
  // lib/cpapi-shapes.ts `dropCoveredWrappers`) when the next candidate after it on the line is
  // another entry's; the text matched again from REMATCH_BEFORE before the line's end does not see
  // the wrapper, which the node keeps as open until a candidate follows it.
  /** ibind's response error: a wrapper (lib/cpapi-shapes.ts `WRAPPER_ENTRY_IDS`). */
  const WRAPPER = "IbkrClient: response error Result(data=None, request={'url': 'https://localhost:5000/v1/api/iserver/foo'}) :: 418 :: I'm a teapot";

  /** A long line, marked as it grows, that then gets the wrapper far into it. */
  async function lineWithWrapper() {
    const line = growingLine((i) => `ib_insync.client INFO seq=${i} heartbeat ok; `);
    annotateInSlices(countingMatcher());
    line.append(3 * REMATCH_BEFORE);
    line.node.appendData(`; ${WRAPPER}; `);
    await settleSlices();
    return line;
  }

  /** The line grows on past the text matched again from before its end: the wrapper is left behind it. */
  async function appendPastRematch(append: (n: number) => void) {
    for (let k = 0; k < 3; k++) {
      append(REMATCH_BEFORE / 2);
      await settleSlices();
    }
  }

  it("takes a wrapper's mark away when another entry's mention follows it on the line far past the text matched again, as matching the whole line does", async () => {
    const { pre, node, append } = await lineWithWrapper();
    expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-ibind-response-error']);
    await appendPastRematch(append);
    node.appendData(` ${ERROR_326}. `);
    append(50);
    await settleSlices();
    expect(mentions(pre)).toEqual([['ibkr-326', ERROR_326]]);
  });

  it("keeps a wrapper's mark far into the line when its own entry's candidate, or the line's end, comes first", async () => {
    for (const next of [` ${WRAPPER}; ${ERROR_326}. `, `\nworker ${ERROR_326}. `]) {
      const { pre, node, append } = await lineWithWrapper();
      await appendPastRematch(append);
      node.appendData(next);
      append(50);
      await settleSlices();
      // The first wrapper's next candidate is its own entry's (or the line ends): it stays; the second is followed by 326.
      expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-ibind-response-error', 'ibkr-326']);
      destroySliced();
    }
  });

  it('marks an error appended in two pieces split mid-word, far into a long line, once and whole', async () => {
    const { pre, node, append } = growingLine((i) => `ib_insync.client INFO seq=${i} heartbeat ok; `);
    const matcher = countingMatcher();
    annotateInSlices(matcher);
    append(3 * REMATCH_BEFORE);
    await settleSlices();
    expect(markerElements(pre)).toHaveLength(0);
    node.appendData(`${ERROR_326.slice(0, 40)}`);
    await settleSlices();
    node.appendData(`${ERROR_326.slice(40)}. `);
    await settleSlices();
    // Then the line grows on, and the window matched again starts inside the mention, then past
    // its end but close enough for the text appended to reach its tail: it stays, whole.
    for (const n of [REMATCH_BEFORE - 40, 50, 600]) {
      append(n);
      await settleSlices();
    }
    expect(markerElements(pre).map((m) => m.getAttribute('aria-label'))).toEqual([ERROR_326]);
    expect(paintedTexts().error).toEqual([ERROR_326]);
  });

  // What matching the whole line reads on it before a mention, which the text matched again
  // (from about REMATCH_BEFORE before the line's end) starts after.
  it("leaves a refusal unmarked at the end of requests' message on another service's port, when the text matched again starts inside that message", async () => {
    const REFUSED =
      "requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=6379): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d0e50>: Failed to establish a new connection: [Errno 111] Connection refused'))";
    const { pre, node, append } = growingLine((i) => `ib_insync.client INFO seq=${i} heartbeat ok; `);
    annotateInSlices(countingMatcher());
    append(3 * REMATCH_BEFORE);
    node.appendData(`; ${REFUSED}; `);
    await settleSlices();
    expect(mentions(pre)).toEqual([]);
    // The next appends' windows start from REMATCH_BEFORE before the line's end: inside the message.
    for (const n of [REMATCH_BEFORE - 200, 60, 60, 60]) {
      append(n);
      await settleSlices();
    }
    expect(mentions(pre)).toEqual([]);
  });

  it('keeps a status marked by the endpoint named before it on the line, when the text matched again starts between the two', async () => {
    const { pre, node, append } = growingLine((i) => `ibind IbkrClient seq=${i} heartbeat ok; `);
    annotateInSlices(countingMatcher());
    append(3 * REMATCH_BEFORE);
    node.appendData('; GET /v1/api/hmds/history?conid=265598&period=1d ');
    append(150);
    node.appendData(' -> 404 Not Found; ');
    await settleSlices();
    expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-hmds-first-404']);
    // The second append's window starts inside the status's mark: it is matched again from there,
    // past the endpoint that the status's pattern looks back for.
    for (const n of [REMATCH_BEFORE - 10, 50]) {
      append(n);
      await settleSlices();
    }
    expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-hmds-first-404']);
  });

  it("keeps a wrapper's mark when the candidate after it that would take it away, at the line's end, is ruled out by the text appended next", async () => {
    const { pre, node, append } = await lineWithWrapper();
    await appendPastRematch(append);
    expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-ibind-response-error']);
    // `error 504` at the line's end would take it away (matched whole too); ` Gateway Timeout` after it rules that out.
    node.appendData(' error 504');
    await settleSlices();
    node.appendData(' Gateway Timeout; ');
    append(50);
    await settleSlices();
    expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-ibind-response-error']);
  });

  it("keeps a wrapper's mark when the text that held it and the candidate after it was cut short by the next append, which rules that candidate out", async () => {
    const filler = (n: number) => ' heartbeat ok;'.repeat(Math.ceil(n / 14)).slice(0, n);
    const { pre, node, append } = growingLine((i) => `ib_insync.client INFO seq=${i} heartbeat ok; `);
    annotateInSlices(countingMatcher());
    append(3 * REMATCH_BEFORE);
    await settleSlices();
    // One append holds the wrapper and, 1,500 characters on, `error 504`, which takes its mark away
    // (matched whole too); a slice matches it and ends before its marks are made.
    node.appendData(`${filler(5_000)}; ${WRAPPER};${filler(1_500)} error 504`);
    await new Promise((r) => setTimeout(r, 0));
    runSlice(1);
    // The next append rules `error 504` out: the wrapper stands, as on the whole line.
    node.appendData(' Gateway Timeout; ');
    append(50);
    await settleSlices();
    expect(mentions(pre).map(([id]) => id)).toEqual(['cpapi-ibind-response-error']);
  });
});

