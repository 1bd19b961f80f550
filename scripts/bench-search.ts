/**
 * Popup search latency over the full knowledge base: prints numbers, asserts nothing.
 * `npx tsx scripts/bench-search.ts`
 *
 * Each query is typed keystroke by keystroke (every prefix is one search, as in the popup), so
 * the numbers include the short, ambiguous prefixes a user actually produces on the way.
 */
import { cpus, loadavg } from 'node:os';
import { loadKnowledge } from '../knowledge/load';
import { buildStemIndexData } from '../lib/message-stems';
import { createSearch } from '../lib/search';

/** Codes, official message words, related terms, log lines and misspellings. */
const QUERIES = [
  // codes and ids
  '162', '2104', '326', '504', '10061', '1100', '200', '201', '321', '354', '10167', '2158', '-1', 'ibkr-162',
  'Error 326', 'error 200', 'code 502',
  // official message words
  'pacing violation', 'farm connection is OK', 'Market data farm connection is OK', 'No security definition has been found',
  'Not connected', 'client id is already in use', 'Order rejected', 'historical data request', 'market data subscription',
  'Requested market data is not subscribed', 'Duplicate order id', 'Connectivity between IB and Trader Workstation has been lost',
  'Couldn\'t connect to TWS', 'Error validating request', 'delayed market data', 'Invalid order type', 'No market data permissions',
  'The order size cannot be zero', 'Ambiguous contract', 'read-only mode',
  // terms
  'clientId', 'isConnected', '7497', '4002', 'reqMktData', 'socket', 'notebook', 'ib_insync', 'what-if', 'margin',
  // pasted log lines
  'ERROR -1 504 Not connected', 'Error 162, reqId 1: Historical Market Data Service error message:Historical data request pacing violation',
  'Error 2104, reqId -1: Market data farm connection is OK:usfarm',
  // misspellings
  'conection refused', 'isconected', 'pacing violaton', 'secrity definition', 'histroical data', 'farm conection ok',
  'market dta farm', 'clinet id', 'subscripton',
  // nothing
  'hello world', 'qqqqzzzz',
];

const kb = loadKnowledge();

// Cold start, in the order the popup meets it: a short query builds the word index; the first
// query long enough for the matcher compiles its patterns. The popup pays both up front, by
// calling warmUp() once its first view is drawn.
let start = performance.now();
// As the popup does: with the stem index the build worked out (knowledge/vite-plugin.ts).
const stemIndex = buildStemIndexData(kb.entries.flatMap((e) => e.match.messages.map((message) => ({ entryId: e.id, message }))));
const search = createSearch(kb.entries, { stemIndex });
search('abc');
const indexMs = performance.now() - start;
start = performance.now();
search('Not connected');
const matcherMs = performance.now() - start;

// One warm-up pass so the JIT sees the code paths before we measure.
for (const q of QUERIES) for (let i = 1; i <= q.length; i++) search(q.slice(0, i));

const perKeystroke: number[] = [];
const perQuery: { query: string; worst: number; top: string }[] = [];
for (const q of QUERIES) {
  let worst = 0;
  let top = '';
  for (let i = 1; i <= q.length; i++) {
    const start = performance.now();
    const results = search(q.slice(0, i));
    const ms = performance.now() - start;
    perKeystroke.push(ms);
    worst = Math.max(worst, ms);
    top = results[0]?.entry.id ?? '(none)';
  }
  perQuery.push({ query: q, worst, top });
}

const sorted = [...perKeystroke].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const fmt = (n: number) => n.toFixed(3).padStart(8);

console.log(`entries            ${kb.entries.length}`);
// Wall-clock numbers on a shared machine: the load says how much to trust them.
console.log(`machine load       ${loadavg()[0].toFixed(1)} (1-min average) on ${cpus().length} cores`);
console.log(`index build        ${fmt(indexMs)} ms (createSearch + first short query: word and code index)`);
console.log(`matcher first use  ${fmt(matcherMs)} ms (first query of 6+ characters: matcher built, patterns compiled)`);
console.log(`queries            ${QUERIES.length}, keystrokes ${perKeystroke.length}`);
console.log(`per keystroke p50  ${fmt(pct(50))} ms`);
console.log(`per keystroke p95  ${fmt(pct(95))} ms`);
console.log(`per keystroke p99  ${fmt(pct(99))} ms`);
console.log(`per keystroke max  ${fmt(sorted[sorted.length - 1])} ms`);
console.log('\nslowest queries (worst keystroke), with the top result of the full query:');
for (const { query, worst, top } of [...perQuery].sort((a, b) => b.worst - a.worst).slice(0, 10)) {
  console.log(`  ${fmt(worst)} ms  ${JSON.stringify(query).slice(0, 60).padEnd(60)} -> ${top}`);
}
