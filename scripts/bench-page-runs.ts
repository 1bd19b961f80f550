/**
 * The matcher's calls on a real page, for `npm run bench`: the 4.7 MB GitHub-like thread of
 * `bench:pages -- --cost` (scripts/perf/pages.ts) is annotated once in happy-dom with a matcher
 * that records every call the annotator makes (the batches of short runs and the runs matched
 * alone, with the context each was given; scripts/perf/matcher-calls.ts), then those calls are
 * made again and timed, each time in a fresh Node process: the first time on a new matcher
 * (code and patterns running for the first time, as on a page), then warm.
 *
 * `npx tsx scripts/bench-page-runs.ts` prints just this case; for a profile of the first time:
 * `npx tsx scripts/bench-page-runs.ts --save /tmp/calls.json`, then
 * `node --cpu-prof --import tsx scripts/bench-page-runs.ts --replay /tmp/calls.json`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { matchDataEntry } from '../knowledge/vite-plugin';
import { loadKnowledge } from '../knowledge/load';
import { createMatcher, type MatcherEntry } from '../lib/matcher';
import { buildStemIndexData, type StemIndexData } from '../lib/message-stems';
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

/** In this process: the first replay on a new matcher, then warm ones for about a second. */
function replayTimes(path: string): ReplayTimes {
  const { matchData, stemIndex, calls } = JSON.parse(readFileSync(path, 'utf8')) as Saved;
  const matcher = createMatcher(matchData, { stemIndex });
  // Reading the calls left garbage that is not the matcher's to collect.
  (globalThis as { gc?: () => void }).gc?.();
  let t = performance.now();
  const matches = replay(matcher, calls);
  const first = performance.now() - t;
  const warm: number[] = [];
  const until = performance.now() + 1_000;
  do {
    t = performance.now();
    replay(matcher, calls);
    warm.push(performance.now() - t);
  } while (performance.now() < until || warm.length < 5);
  return { first, warm, matches };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/** Prints the thread case: calls, characters, the first replay in fresh processes, and warm ones. */
export async function benchThreadRuns(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-runs-'));
  try {
    const path = join(dir, 'calls.json');
    const { calls } = await save(path);
    const runs: ReplayTimes[] = [];
    for (let p = 0; p < PROCESSES; p++) {
      const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', new URL(import.meta.url).pathname, '--replay', path, '--json'], { encoding: 'utf8' });
      runs.push(JSON.parse(out) as ReplayTimes);
    }
    const mb = charsOf(calls) / 1e6;
    const firsts = runs.map((r) => r.first);
    const warm = median(runs.flatMap((r) => r.warm));
    const fmt = (ms: number) => `${ms.toFixed(1)} ms (${(mb / (ms / 1000)).toFixed(0)} MB/s)`;
    console.log(
      `matcher  thread page's runs       first ${fmt(Math.min(...firsts))}, warm ${fmt(warm)}; ` +
        `${calls.length} calls (${calls.filter((c) => 'batch' in c).length} batches), ${mb.toFixed(2)} M chars, ${runs[0].matches} matches ` +
        `(first: the least of ${PROCESSES} fresh processes, ${firsts.map((f) => f.toFixed(1)).join(' / ')} ms)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  else await benchThreadRuns();
}
