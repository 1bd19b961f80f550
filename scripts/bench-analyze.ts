/**
 * Log analyzer benchmark: prints numbers, asserts nothing. Part of `npm run bench`.
 * A 20 MB generated log, fed in the analyzer page's slice size: total time and the longest single
 * slice (the page runs one slice per task, so this is its longest task, which should stay well
 * under 100 ms).
 */
import { loadKnowledge } from '../knowledge/load';
import { createLogAnalyzer, SLICE_CHARS } from '../lib/analyze';
import { textPieces } from '../lib/log-source';
import { createMatcher } from '../lib/matcher';

const kb = loadKnowledge();
const matcher = createMatcher(kb.entries);
const LINES = [
  '2024-05-01 09:30:00,001 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
  '2024-05-01 09:30:00,002 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm',
  '2024-05-01 09:30:01,000 app DEBUG order 17 costs $504.00, ticket #321, nothing to report',
  'ERROR -1 504 Not connected',
  '2024-05-01 09:30:02,000 app INFO heartbeat ok',
];
const parts: string[] = [];
let size = 0;
for (let i = 0; size < 20 * 1024 * 1024; i++) {
  const line = LINES[i % LINES.length];
  parts.push(line);
  size += line.length + 1;
}
const log = parts.join('\n');

for (const slice of [SLICE_CHARS / 2, SLICE_CHARS, SLICE_CHARS * 2]) {
  const analyzer = createLogAnalyzer(kb.entries, matcher);
  let longest = 0;
  let slices = 0;
  const start = performance.now();
  for (const piece of textPieces(log, slice)) {
    const t = performance.now();
    analyzer.push(piece.text);
    longest = Math.max(longest, performance.now() - t);
    slices++;
  }
  const result = analyzer.end();
  const total = performance.now() - start;
  console.log(
    `analyzer  ${(log.length / 1048576).toFixed(1)} MB in ${String(slice / 1024).padStart(3)} KB slices: ${total.toFixed(0).padStart(6)} ms total, ` +
      `${slices} slices, longest slice ${longest.toFixed(1)} ms, ${result.lines} lines, ${result.findings.length} entries`,
  );
}
