/**
 * Log analyzer benchmark: prints numbers, asserts nothing. Part of `npm run bench`.
 * Fed as the analyzer page feeds it (textPieces, then the analyzer a slice per task): the total
 * time (and the process's CPU time, steadier on a shared machine) and the longest single push,
 * which is the page's longest task and bounds how soon Cancel acts. Three logs: 20 MB of ordinary lines; one 100 MB line (a dumped JSON body), of which the
 * analyzer searches the first MAX_LINE_CHARS; one 1 MB line packed with messages, the worst case
 * for the matcher.
 */
import { loadKnowledge } from '../knowledge/load';
import { createLogAnalyzer, SLICE_CHARS } from '../lib/analyze';
import { textPieces } from '../lib/log-source';
import { createMatcher } from '../lib/matcher';

const kb = loadKnowledge();
const matcher = createMatcher(kb.entries);
const MB = 1024 * 1024;

const LINES = [
  '2024-05-01 09:30:00,001 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
  '2024-05-01 09:30:00,002 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm',
  '2024-05-01 09:30:01,000 app DEBUG order 17 costs $504.00, ticket #321, nothing to report',
  'ERROR -1 504 Not connected',
  '2024-05-01 09:30:02,000 app INFO heartbeat ok',
];

function repeatTo(size: number, parts: readonly string[], separator: string): string {
  const out: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    out.push(parts[i % parts.length]);
    length += parts[i % parts.length].length + separator.length;
  }
  return out.join(separator);
}

function run(name: string, log: string, slice: number): void {
  const analyzer = createLogAnalyzer(kb.entries, matcher);
  let longest = 0;
  let slices = 0;
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (const piece of textPieces(log, slice)) {
    const t = performance.now();
    analyzer.push(piece.text);
    longest = Math.max(longest, performance.now() - t);
    slices++;
  }
  const t = performance.now();
  const result = analyzer.end();
  longest = Math.max(longest, performance.now() - t);
  const total = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const mentions = result.findings.reduce((n, f) => n + f.count, 0);
  console.log(
    `analyzer  ${name.padEnd(22)} ${(log.length / MB).toFixed(1).padStart(5)} MB in ${String(slice / 1024).padStart(3)} KB slices: ` +
      `${total.toFixed(0).padStart(6)} ms total (${((used.user + used.system) / 1000).toFixed(0).padStart(6)} ms CPU), ${String(slices).padStart(4)} slices, longest ${longest.toFixed(1).padStart(6)} ms, ` +
      `${result.lines} lines, ${result.findings.length} rows, ${mentions} mentions`,
  );
}

const ordinary = repeatTo(20 * MB, LINES, '\n');
for (const slice of [SLICE_CHARS / 2, SLICE_CHARS, SLICE_CHARS * 2]) run('20 MB of log lines', ordinary, slice);
const jsonBody = `{"error":"Error 354, reqId 4: Requested market data is not subscribed.","rows":[${repeatTo(100 * MB, ['{"conid":265598,"symbol":"AAPL","last":189.5},'], '')}]}`;
run('one 100 MB line', jsonBody, SLICE_CHARS);
const packed = repeatTo(MB, ['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'ERROR -1 504 Not connected'], ' ');
for (const slice of [16 * 1024, SLICE_CHARS]) run('one 1 MB line of errors', packed, slice);
