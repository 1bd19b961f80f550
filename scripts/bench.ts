/**
 * Benchmarks: prints numbers, asserts nothing. `npm run bench`.
 * - catalog: entries and message stems, time to build the matcher as the content script does at
 *   start (from its match data and the stem index worked out at build time), size of the built
 *   content script;
 * - matcher: throughput over a large mixed log/prose text, with and without IBKR context, and
 *   over the calls the annotator makes on the 4.7 MB thread of `bench:pages`, in Node and in
 *   fresh Chromium pages (bench-page-runs.ts);
 * - search: popup query latency;
 * - annotator: a 5,000-paragraph page in happy-dom, scanned in idle-sized batches.
 */
import { existsSync, statSync } from 'node:fs';
import { Window } from 'happy-dom';
import { loadKnowledge } from '../knowledge/load';
import { createAnnotator } from '../lib/annotate';
import { matchDataEntry } from '../knowledge/vite-plugin';
import { createMatcher } from '../lib/matcher';
import { buildStemIndexData } from '../lib/message-stems';
import { createSearch } from '../lib/search';
import { benchChromium, benchThreadRuns } from './bench-page-runs';
import { BENCH_LINES } from './bench-text';

const kb = loadKnowledge();
const search = createSearch(kb.entries);

const LINES = BENCH_LINES;

function time<T>(fn: () => T, minMs = 300): { ms: number; runs: number; result: T } {
  let runs = 0;
  let result!: T;
  const start = performance.now();
  do {
    result = fn();
    runs++;
  } while (performance.now() - start < minMs);
  return { ms: (performance.now() - start) / runs, runs, result };
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9);

// Catalog
// Start-up as the content script pays it: a fresh matcher and its first find over one short
// page text (the stems' regexes compile lazily, on first use), before anything is warm.
// The content script's data, as knowledge/vite-plugin.ts makes it at build time.
const stemIndex = buildStemIndexData(kb.entries.flatMap((e) => e.match.messages.map((message) => ({ entryId: e.id, message }))));
const matchData = kb.entries.map(matchDataEntry);
const coldStart = performance.now();
const cold = createMatcher(matchData, { stemIndex });
const coldBuilt = performance.now();
cold.find(LINES.join('\n'));
const coldFound = performance.now();
const build = time(() => createMatcher(matchData, { stemIndex }), 500);
const matcher = build.result;
const scratch = time(() => createMatcher(kb.entries), 500);
const messages = kb.entries.reduce((n, e) => n + e.match.messages.length, 0);
console.log(`catalog  ${kb.entries.length} entries, ${messages} official messages, ${stemIndex.stems.length} message stems`);
console.log(`matcher  build (createMatcher)    ${fmt(build.ms)} ms  (mean of ${build.runs}; first ${(coldBuilt - coldStart).toFixed(2)} ms; from the match data and prebuilt stem index, as the content script)`);
console.log(`matcher  build from scratch       ${fmt(scratch.ms)} ms  (mean of ${scratch.runs}; working out the stems too, as tests and tools do)`);
console.log(`matcher  first find (8 lines)     ${fmt(coldFound - coldBuilt)} ms  (cold, right after the first build)`);
const CONTENT_SCRIPT = new URL('../.output/chrome-mv3/content-scripts/content.js', import.meta.url).pathname;
if (existsSync(CONTENT_SCRIPT)) {
  const { size, mtime } = statSync(CONTENT_SCRIPT);
  console.log(`content  content-scripts/content.js ${fmt(size / 1024, 1)} KiB  (built ${mtime.toISOString()})`);
} else {
  console.log('content  content-scripts/content.js: not built (run npm run build first)');
}

// Matcher
const text = Array.from({ length: 20_000 }, (_, i) => LINES[i % LINES.length]).join('\n');
const mb = text.length / 1e6;
// One untimed run first, so the first timed case does not pay for JIT warm-up alone.
matcher.find(text);
for (const context of [false, true]) {
  const { ms, result } = time(() => matcher.find(text, { context }));
  console.log(`matcher  context=${String(context).padEnd(5)} ${fmt(mb / (ms / 1000))} MB/s  ${fmt(ms)} ms for ${mb.toFixed(2)} MB, ${result.length} matches`);
}
const line = time(() => matcher.find(LINES[5], { context: () => false }), 200);
console.log(`matcher  one prose line           ${fmt(line.ms * 1000)} µs`);
await benchThreadRuns();
await benchChromium();

// Search
for (const q of ['10061', 'clientId', 'conection refused', 'contract qualified', 'ERROR -1 504 Not connected', 'hello world']) {
  const { ms, result } = time(() => search(q), 200);
  console.log(`search   ${JSON.stringify(q).padEnd(28)} ${fmt(ms * 1000)} µs  -> ${result[0]?.entry.id ?? '(none)'}`);
}

// Annotator
const window = new Window({ url: 'https://stackoverflow.com/questions/1/ib-insync-question' });
const doc = window.document as unknown as Document;
const paragraphs = 5_000;
const body = doc.body;
for (let i = 0; i < paragraphs; i++) {
  const p = doc.createElement(i % 10 === 0 ? 'pre' : 'p');
  p.textContent = LINES[i % LINES.length];
  body.appendChild(p);
}
let batches = 0;
let longest = 0;
const queue: (() => void)[] = [];
const annotator = createAnnotator({
  doc,
  matcher,
  // happy-dom lays nothing out: no marker is placed (bench:pages measures placing in Chromium).
  measure: false,
  schedule: (work) =>
    queue.push(() => {
      batches++;
      const start = performance.now();
      const deadline = start + 10; // a typical idle period
      work({ timeRemaining: () => Math.max(0, deadline - performance.now()) });
      longest = Math.max(longest, performance.now() - start);
    }),
});
const start = performance.now();
annotator.enqueue(body);
while (queue.length) queue.shift()!();
const total = performance.now() - start;
console.log(
  `annotate ${paragraphs} paragraphs      ${fmt(total)} ms total, ${batches} idle batches, longest ${longest.toFixed(1)} ms, ` +
    `${annotator.scannedCount} text nodes, ${annotator.markerCount} markers`,
);
await window.happyDOM.close();
