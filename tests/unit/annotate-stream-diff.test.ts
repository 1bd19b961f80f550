// @vitest-environment happy-dom
/**
 * Streamed marks equal whole-text marks: a log written into one text node in random pieces
 * (appends split anywhere, mid-word, mid-code; in a `<pre>`, cuts of its oldest lines as a log
 * tail makes them), our slices running between the writes, must end with the marks (entry,
 * start, end) the same final text gets when it is put in a fresh node in one go, and with the
 * node's text exactly what the page wrote. The texts and the writes come from a seeded PRNG: the
 * same cases on every run. lib/annotate/text-streams.ts follows such a node: this checks that what
 * it keeps, shifts and matches again adds up to matching the whole text.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { REMATCH_BEFORE, STREAM_MIN_CHARS } from '../../lib/annotate/text-streams';
import { WRAPPER_ENTRY_IDS } from '../../lib/cpapi-shapes';
import { hasCpapiContext, hasIbkrContext } from '../../lib/matcher';
import { installHighlights, marksInNode } from './helpers/marks';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, countingMatcher, destroySliced, runSlice, settleSlices } from './helpers/slices';

installFastRangeText();

/** Cases per kind of text, a seed each (about 40 marks a case): STREAM_DIFF_CASES=<n> runs more. STREAM_DIFF_SEED=<seed> runs the one case a failure names. */
const CASES = Number(process.env.STREAM_DIFF_CASES) || 24;
const ONLY_SEED = Number(process.env.STREAM_DIFF_SEED) || null;
/** A case takes about 50 ms; under load, many times that. */
const TIMEOUT = 30_000 + 1_500 * CASES;
/** The longest final text: the whole-text side is then matched in one chunk (lib/annotate/run-matching.ts CHUNK), as the stream's lines are. */
const MAX_TEXT = 7_500;

/** mulberry32: a small seeded PRNG, so each case is the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(list: readonly T[]): T => list[int(list.length)] };
}
type Rng = ReturnType<typeof prng>;

const oneLine = (t: string) => !t.includes('\n');
const examplesOf = (cpapi: boolean) => knowledge.entries.filter((e) => e.id.startsWith('cpapi-') === cpapi).flatMap((e) => e.examples.map((x) => x.text)).filter(oneLine);
const ibkrExamples = examplesOf(false);
const notExamples = knowledge.entries.flatMap((e) => e.notExamples).filter(oneLine);
/** Official messages short enough to need context ("Not connected"): marked only beside a sign of it. */
const shortMessagesOf = () => knowledge.entries.flatMap((e) => e.match.messages).filter((m) => m.length <= 24 && oneLine(m));
const QUIET = [
  'heartbeat ok',
  'worker seq=17 flushed 3 rows',
  'nginx: 504 Gateway Timeout while reading response header from upstream',
  'GET /health 200 OK 3ms',
  'retrying in 5 s (attempt 2 of 5)',
  'price 504.25 filled 100',
];
const IBKR_CONTEXT = ['ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1...', 'ibapi.client connect to TWS on port 7497', 'IB Gateway session started'];
const CPAPI_CONTEXT = ['IBeam: GET https://localhost:5000/v1/api/iserver/accounts', '2024-01-02 10:00:00,123|I| Gateway running and authenticated', 'ibind IbkrClient: /iserver/auth/status'];

/** Text that shows no context of either kind, for sparse logs. */
const quiet = (t: string) => !hasIbkrContext(t) && !hasCpapiContext(t);
/** What records are drawn from: Client Portal examples, short messages, and a sparse log's records. */
interface Pools {
  cpapi: string[];
  short: string[];
  sparse: string[];
}
const poolsOf = (): Pools => {
  const short = shortMessagesOf();
  return { cpapi: examplesOf(true), short, sparse: [...short, ...notExamples, ...QUIET].filter(quiet) };
};
const ALL = poolsOf();
/** The wrappers' examples (lib/cpapi-shapes.ts WRAPPER_ENTRY_IDS: ibind's, IBeam's, an HTTP status line). */
const wrapperExamples = knowledge.entries.filter((e) => WRAPPER_ENTRY_IDS.has(e.id)).flatMap((e) => e.examples.map((x) => x.text)).filter(oneLine);
/**
 * Records that a reading of their line decides: refusals with the port they name (in requests'
 * long `HTTPConnectionPool(…)` message, whose refusal alone reads otherwise), statuses and the
 * endpoint that names their meaning (`/hmds/history … 404 Not Found`), and the two apart.
 */
const LINE_READ = /ConnectionPool\(|ECONNREFUSED|Connect call failed|Connection refused|\/hmds\/history/;
const lineReadExamples = [...knowledge.entries.flatMap((e) => [...e.examples.map((x) => x.text), ...e.notExamples]).filter((t) => oneLine(t) && LINE_READ.test(t)), 'GET /v1/api/hmds/history?conid=265598&period=1d', '-> 404 Not Found', '[Errno 111] Connection refused'];
/** A line that shows both kinds of context. */
const contextLine = (rng: Rng) => `${rng.pick(IBKR_CONTEXT)} | ${rng.pick(CPAPI_CONTEXT)}`;

/**
 * A record of a log: an error line, a quiet one, a short message, a JSON fragment, a Client Portal
 * line. A `sparse` log shows no context but where its writer puts context lines (no error line,
 * whose shape alone shows IBKR context): its short messages count only by those, or the page's.
 */
function record(rng: Rng, sparse: boolean, pools = ALL): string {
  const r = rng.next();
  if (sparse) {
    if (r > 0.8) return `{"t":${rng.int(1e6)},"msg":"${rng.pick(pools.sparse).replace(/"/g, '\\"')}"}`;
    return rng.pick(pools.sparse);
  }
  if (r < 0.28) return rng.pick(ibkrExamples);
  if (r < 0.38) return rng.pick(pools.cpapi);
  if (r < 0.48) return rng.pick(pools.short);
  if (r < 0.56) return rng.pick(notExamples);
  if (r < 0.7) {
    // Quotes and brackets around an error, sometimes left open (a line cut by its writer).
    const inner = rng.pick([...ibkrExamples, ...pools.short, ...QUIET]).replace(/"/g, '\\"');
    return rng.pick([`{"t":${rng.int(1e6)},"level":"WARN","msg":"${inner}"}`, `["${inner}", ${rng.int(100)}]`, `('${inner.replace(/'/g, '')}')`, `{"msg": "${inner}`]);
  }
  if (r < 0.74) return rng.pick([...IBKR_CONTEXT, ...CPAPI_CONTEXT]);
  return rng.pick(QUIET);
}

const stamp = (rng: Rng) => `2024-05-01 09:29:${String(rng.int(60)).padStart(2, '0')},${String(rng.int(1000)).padStart(3, '0')} `;

/**
 * A log of lines (a `<pre>`): each line a record (a few a long line of them), most with a time
 * stamp. With `contextFirst`, it starts with a context line; a sparse one has others where they
 * fall (`contextRate` of its lines): context that shows after mentions already matched, and
 * context that the cuts of the oldest lines take away.
 */
function logText(rng: Rng, length: number, contextFirst: boolean, sparse: boolean, contextRate: number): string {
  const lines: string[] = contextFirst ? [contextLine(rng)] : [];
  let total = 0;
  while (total < length) {
    const body = sparse && rng.next() < contextRate ? contextLine(rng) : rng.next() < 0.04 ? longLine(rng, 1_200 + rng.int(1_800), false, sparse, contextRate) : record(rng, sparse);
    const line = (rng.next() < 0.7 ? stamp(rng) : '') + body;
    lines.push(line);
    total += line.length + 1;
  }
  return lines.join('\n') + (rng.next() < 0.5 ? '\n' : '');
}

/**
 * One long line without breaks (a console writing one line in pieces, a minified JSON log), with
 * `contextFirst` a context record at its start; a sparse one has others where they fall
 * (`contextRate` of its records), so that context often first shows far after a mention. With a
 * `density` under 1, the other records are quiet ones: mentions often more than REMATCH_BEFORE
 * characters apart; with `wrappers`, half the others are a wrapper's example, whose mark then often
 * stands far before the candidate that takes it away (lib/cpapi-shapes.ts `dropCoveredWrappers`).
 */
function longLine(rng: Rng, length: number, contextFirst: boolean, sparse: boolean, contextRate: number, density = 1, wrappers = false, lineRead = false): string {
  const sep = rng.pick(['; ', ' ', ', ', ' | ']);
  let text = contextFirst ? contextLine(rng) + sep : '';
  while (text.length < length) {
    const body =
      sparse && rng.next() < contextRate
        ? contextLine(rng)
        : density < 1 && rng.next() > density
          ? rng.pick(QUIET)
          : wrappers && rng.next() < 0.5
            ? rng.pick(wrapperExamples)
            : lineRead && rng.next() < 0.7
              ? rng.pick(lineReadExamples)
              : record(rng, sparse);
    text += body + sep;
  }
  return text;
}

/** Lets the annotator see the page's writes in one of the ways a page and a browser interleave them. */
async function between(rng: Rng): Promise<void> {
  const r = rng.next();
  if (r < 0.3) return; // the next write lands in the same delivery
  if (r < 0.7) return runSlice(); // a slice takes the records pending
  if (r < 0.85) return void (await new Promise((res) => setTimeout(res, 0))); // the observer delivers
  await settleSlices();
}

interface Written {
  node: Text;
  block: HTMLElement;
  /** What the page wrote, less what it cut from the start. */
  expected: string;
}

/**
 * Writes `text` into a fresh node under a `tag` element: a first part, then the rest in random
 * pieces, cutting its oldest lines now and then when `cuts` (at line starts, keeping the node
 * under MAX_TEXT), the annotator's slices running between the writes.
 */
async function stream(rng: Rng, tag: string, text: string, cuts: boolean): Promise<Written> {
  document.body.innerHTML = `<${tag} id="log"></${tag}>`;
  const block = document.getElementById('log')!;
  let at = rng.next() < 0.3 ? rng.int(STREAM_MIN_CHARS) : STREAM_MIN_CHARS + rng.int(1_500);
  const node = block.appendChild(document.createTextNode(text.slice(0, at)));
  annotateInSlices(countingMatcher());
  let expected = node.data;
  while (at < text.length) {
    const size = rng.next() < 0.1 ? 1 + rng.int(1_200) : 1 + rng.int(120);
    const piece = text.slice(at, at + size);
    at += piece.length;
    node.appendData(piece);
    expected += piece;
    if (cuts && (expected.length > MAX_TEXT || rng.next() < 0.05)) {
      // Drop whole lines from the start, as a log tail does: at least what takes it under the cap.
      const want = Math.max(expected.length - MAX_TEXT, rng.int(600));
      const nl = expected.indexOf('\n', want);
      if (nl >= 0 && nl + 1 < expected.length) {
        node.deleteData(0, nl + 1);
        expected = expected.slice(nl + 1);
      }
    }
    await between(rng);
  }
  await settleSlices();
  return { node, block, expected };
}

/** The marks of `text` put in a fresh node under a `tag` element in one go. */
function wholeTextMarks(tag: string, text: string): [string, number, number][] {
  destroySliced();
  document.body.innerHTML = `<${tag} id="log"></${tag}>`;
  const block = document.getElementById('log')!;
  const node = block.appendChild(document.createTextNode(text));
  annotateInSlices(countingMatcher());
  return marksInNode(block, node);
}

/** The marks that differ, each with its text, for a readable failure. */
function differences(text: string, streamed: [string, number, number][], whole: [string, number, number][]): string[] {
  const key = ([id, s, e]: [string, number, number]) => `${id} ${s}-${e} ${JSON.stringify(text.slice(s, e))}`;
  const a = new Set(streamed.map(key));
  const b = new Set(whole.map(key));
  return [...[...a].filter((k) => !b.has(k)).map((k) => `streamed only: ${k}`), ...[...b].filter((k) => !a.has(k)).map((k) => `whole only:    ${k}`)];
}

/** Runs one case: streams, checks the text, compares the marks; returns the differences. */
async function runCase(seed: number, kind: 'pre' | 'line' | 'wrappers' | 'reach'): Promise<string[]> {
  const rng = prng(seed);
  // With and without the page's own context (the title): without it, a short message counts only by the context its text shows.
  document.title = rng.next() < 0.5 ? 'IBeam gateway log · ib_insync' : 'Console';
  const contextFirst = rng.next() < 0.5;
  const sparse = rng.next() < 0.4;
  // Per record, the chance of a context line in a sparse log: none, now and then, often.
  const contextRate = rng.pick([0, 0.01, 0.05]);
  const tag = kind === 'pre' ? 'pre' : rng.pick(['div', 'pre']);
  const density = kind === 'line' ? rng.pick([1, 0.06]) : kind === 'wrappers' || kind === 'reach' ? 0.06 : 1;
  const text =
    kind === 'pre'
      ? logText(rng, 3_000 + rng.int(9_000), contextFirst, sparse, contextRate)
      : longLine(rng, 2_500 + rng.int(MAX_TEXT - 2_500), contextFirst, sparse, contextRate, density, kind === 'wrappers', kind === 'reach');
  const { node, block, expected } = await stream(rng, tag, kind === 'pre' ? text : text.slice(0, MAX_TEXT), kind === 'pre');
  // The page's text is exactly what it wrote, and our markers add none.
  expect(node.data).toBe(expected);
  expect(block.textContent).toBe(expected);
  const streamed = marksInNode(block, node);
  const whole = wholeTextMarks(tag, expected);
  return differences(expected, streamed, whole).map((d) => `seed ${seed} ${kind}${sparse ? ' sparse' : ''}${contextFirst ? ' context first' : ''} <${tag}> title ${JSON.stringify(document.title)}: ${d}`);
}

/** The seeds of one kind of case: CASES from `first` on (or the one asked for, when it is one of them). */
function seeds(first: number): number[] {
  const all = Array.from({ length: CASES }, (_, i) => first + i);
  return ONLY_SEED === null ? all : all.filter((s) => s === ONLY_SEED);
}

beforeEach(() => {
  installHighlights();
});
afterEach(destroySliced);

describe('a text written into a followed node in random pieces ends with the marks of the same text matched whole', () => {
  it(`in a <pre> log whose oldest lines are cut (${CASES} seeded cases)`, { timeout: TIMEOUT }, async () => {
    const diffs: string[] = [];
    for (const seed of seeds(1)) diffs.push(...(await runCase(seed, 'pre')));
    expect(diffs).toEqual([]);
  });

  it(`in one long line without breaks (${CASES} seeded cases)`, { timeout: TIMEOUT }, async () => {
    expect(MAX_TEXT).toBeGreaterThan(5 * REMATCH_BEFORE);
    const diffs: string[] = [];
    for (const seed of seeds(1_001)) diffs.push(...(await runCase(seed, 'line')));
    expect(diffs).toEqual([]);
  });

  it(`in one long line whose wrappers' marks stand far before the next mention (${CASES} seeded cases)`, { timeout: TIMEOUT }, async () => {
    const diffs: string[] = [];
    for (const seed of seeds(2_001)) diffs.push(...(await runCase(seed, 'wrappers')));
    expect(diffs).toEqual([]);
  });

  it(`in one long line whose refusals and statuses are read with what the line names before them (${CASES} seeded cases)`, { timeout: TIMEOUT }, async () => {
    const diffs: string[] = [];
    for (const seed of seeds(3_001)) diffs.push(...(await runCase(seed, 'reach')));
    expect(diffs).toEqual([]);
  });
});
