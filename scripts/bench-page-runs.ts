/**
 * The matcher's calls on a real page, for `npm run bench`: the 4.7 MB GitHub-like thread of
 * `bench:pages -- --cost` (scripts/perf/pages.ts) is annotated once in happy-dom with a matcher
 * that records every call the annotator makes (the batches of short runs and the runs matched
 * alone, with the context each was given; scripts/perf/matcher-calls.ts), then those calls are
 * made again and timed (the main thread's CPU time), each in a fresh Node process: the first
 * time on a new matcher (code and patterns running for the first time, as on a page), then warm.
 *
 * `npx tsx scripts/bench-page-runs.ts` prints just this case; `--chromium` makes the calls in
 * fresh pages of Debian's Chromium instead (the main thread's CPU time of each replay, from the
 * page's task durations), since Node's older V8 warms up differently (docs/performance.md, "The
 * matcher"). For a profile of the first time in Node: `npx tsx scripts/bench-page-runs.ts --save
 * /tmp/calls.json`, then `node --cpu-prof --import tsx scripts/bench-page-runs.ts --replay /tmp/calls.json`.
 */
import { chromium } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { matchDataEntry } from '../knowledge/vite-plugin';
import { loadKnowledge } from '../knowledge/load';
import { createMatcher, type MatcherEntry } from '../lib/matcher';
import { buildStemIndexData, type StemIndexData } from '../lib/message-stems';
import { CHROMIUM } from './chromium';
import { charsOf, recordCalls, replay, type RecordedCall } from './perf/matcher-calls';
import { threadPage } from './perf/pages';

/** What a replay process reads: the content script's match data and the calls. */
interface Saved {
  matchData: MatcherEntry[];
  stemIndex: StemIndexData;
  calls: RecordedCall[];
}

interface ReplayTimes {
  first: number;
  warm: number[];
  matches: number;
}

/** Fresh processes, each timing the first replay and then warm ones. */
const PROCESSES = 5;

function matchData(): Omit<Saved, 'calls'> {
  const kb = loadKnowledge();
  const stemIndex = buildStemIndexData(kb.entries.flatMap((e) => e.match.messages.map((message) => ({ entryId: e.id, message }))));
  return { matchData: kb.entries.map(matchDataEntry), stemIndex };
}

async function save(path: string): Promise<Saved> {
  const data = matchData();
  const saved = { ...data, calls: await recordCalls(threadPage(), createMatcher(data.matchData, { stemIndex: data.stemIndex })) };
  writeFileSync(path, JSON.stringify(saved));
  return saved;
}

/**
 * This thread's CPU time in ms where Linux tells it (a shared machine's load swings wall time
 * by a factor of two or more, and the compiler's threads are not this one), else wall time.
 */
function threadTime(): number {
  if (existsSync('/proc/thread-self/schedstat')) return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  return performance.now();
}

/** In this process: the first replay on a new matcher, then warm ones for about a second. */
function replayTimes(path: string): ReplayTimes {
  const { matchData, stemIndex, calls } = JSON.parse(readFileSync(path, 'utf8')) as Saved;
  const matcher = createMatcher(matchData, { stemIndex });
  // Reading the calls left garbage that is not the matcher's to collect.
  (globalThis as { gc?: () => void }).gc?.();
  let t = threadTime();
  const matches = replay(matcher, calls);
  const first = threadTime() - t;
  const warm: number[] = [];
  const until = performance.now() + 1_000;
  do {
    t = threadTime();
    replay(matcher, calls);
    warm.push(threadTime() - t);
  } while (performance.now() < until || warm.length < 5);
  return { first, warm, matches };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Records the thread page's calls into a temporary file for `use`; `ms` formats a time with its MB/s. */
async function withThreadCalls(use: (path: string, calls: RecordedCall[], ms: (ms: number) => string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runs-'));
  try {
    const path = join(dir, 'calls.json');
    const { calls } = await save(path);
    const mb = charsOf(calls) / 1e6;
    await use(path, calls, (ms) => `${ms.toFixed(1)} ms (${(mb / (ms / 1000)).toFixed(0)} MB/s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the thread case: calls, characters, the first replay in fresh processes, and warm ones. */
export async function benchThreadRuns(): Promise<void> {
  await withThreadCalls(async (path, calls, fmt) => {
    const runs: ReplayTimes[] = [];
    for (let p = 0; p < PROCESSES; p++) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, '--replay', path, '--json'], { encoding: 'utf8' });
      runs.push(JSON.parse(out) as ReplayTimes);
    }
    const firsts = runs.map((r) => r.first);
    console.log(
      `matcher  thread page's runs       first ${fmt(median(firsts))}, warm ${fmt(median(runs.flatMap((r) => r.warm)))}; ` +
        `${calls.length} calls (${calls.filter((c) => 'batch' in c).length} batches), ${(charsOf(calls) / 1e6).toFixed(2)} M chars, ${runs[0].matches} matches ` +
        `(main thread CPU; first: median of ${PROCESSES} fresh processes, ${firsts.map((f) => f.toFixed(1)).join(' / ')} ms)`,
    );
  });
}

/** Fresh Chromium pages, each timing its replays; the replays a page makes. */
const PAGES = 8;
const REPLAYS_PER_PAGE = 6;

/** scripts/perf/matcher-replay-page.ts as one classic script for a page. */
async function pageScript(): Promise<string> {
  const entry = new URL('./perf/matcher-replay-page.ts', import.meta.url).pathname;
  const out = await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: false, lib: { entry, formats: ['iife'], name: 'matcherReplay' } },
  });
  const [result] = Array.isArray(out) ? out : [out];
  if (!('output' in result)) throw new Error('vite build gave no output');
  return result.output[0].type === 'chunk' ? result.output[0].code : '';
}

/**
 * The same calls in fresh pages of Debian's Chromium (main world; the content script's isolated
 * world runs the same V8): each replay's CPU time on the page's main thread, first to last.
 */
export async function chromiumTimes(savedPath: string): Promise<number[][]> {
  const script = await pageScript();
  const json = readFileSync(savedPath, 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const pages: number[][] = [];
  try {
    for (let p = 0; p < PAGES; p++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
      await page.addScriptTag({ content: script });
      await page.evaluate((j) => (globalThis as unknown as { __matcherLoad(j: string): void }).__matcherLoad(j), json);
      const taskTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration')!.value * 1000;
      const times: number[] = [];
      for (let r = 0; r < REPLAYS_PER_PAGE; r++) {
        const before = await taskTime();
        await page.evaluate(() => (globalThis as unknown as { __matcherReplay(): number }).__matcherReplay());
        times.push((await taskTime()) - before);
      }
      pages.push(times);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return pages;
}

/** Prints the thread case in Chromium (`--chromium`; part of `npm run bench` when Chromium is there). */
export async function benchChromium(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`matcher  thread page's runs in Chromium: no Chromium at ${CHROMIUM}`);
    return;
  }
  await withThreadCalls(async (path, _calls, fmt) => {
    const pages = await chromiumTimes(path);
    const nth = (r: number) => median(pages.map((p) => p[r]));
    console.log(
      `matcher  thread page's runs in Chromium: first ${fmt(nth(0))}, second ${fmt(nth(1))}, sixth ${fmt(nth(REPLAYS_PER_PAGE - 1))} ` +
        `(main thread CPU, medians of ${PAGES} fresh pages; first: ${pages.map((p) => p[0].toFixed(1)).join(' / ')} ms)`,
    );
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const replayPath = arg('--replay');
  const savePath = arg('--save');
  if (replayPath !== undefined) {
    const times = replayTimes(replayPath);
    if (process.argv.includes('--json')) console.log(JSON.stringify(times));
    else console.log(`first ${times.first.toFixed(1)} ms, warm median ${median(times.warm).toFixed(1)} ms, ${times.matches} matches`);
  } else if (savePath !== undefined) await save(savePath);
  else if (process.argv.includes('--chromium')) await benchChromium();
  else await benchThreadRuns();
}
