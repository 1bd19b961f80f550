import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createLogAnalyzer, MAX_QUOTE_LENGTH, reportMarkdown, sliceEnd, type LogAnalysis } from '../../lib/analyze';
import { blobPieces, runAnalysis, textPieces } from '../../lib/log-source';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const analyzer = () => createLogAnalyzer(knowledge.entries, matcher);
const immediately = () => Promise.resolve();

const L326 = '2024-05-01 09:30:00,001 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.';
const L2104 = '2024-05-01 09:30:00,002 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm';
const L504 = 'ERROR -1 504 Not connected';
const LTWO = 'Error 321, reqId 5: Error validating request. then Error 326, reqId -1: Unable to connect as the client id is already in use';
const NOISE = [
  '2024-05-01 09:30:01,000 app INFO heartbeat ok',
  'nginx: 504 Gateway Timeout while reading response header from upstream',
  'The order costs $504.00 and fixes #321 in the tracker.',
  '2024-05-01 09:30:02,000 app DEBUG Ünïcödé text — €, 日本語, emoji 📈 and nothing to report',
];

/** A generated log of at least `bytes` characters, and what it holds. */
function generateLog(bytes: number) {
  const lines: string[] = [];
  const expected = { 'ibkr-326': 0, 'ibkr-2104': 0, 'ibkr-504': 0, 'ibkr-321': 0 };
  const first: Record<string, number> = {};
  const last: Record<string, number> = {};
  const seen = (id: keyof typeof expected, n = 1) => {
    expected[id] += n;
    first[id] ??= lines.length;
    last[id] = lines.length;
  };
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    let line: string;
    if (i % 97 === 0) {
      seen('ibkr-326');
      line = L326;
    } else if (i % 13 === 0) {
      seen('ibkr-2104');
      line = L2104;
    } else if (i % 211 === 0) {
      seen('ibkr-504');
      line = L504;
    } else if (i % 1009 === 0) {
      seen('ibkr-321');
      seen('ibkr-326');
      line = LTWO;
    } else line = NOISE[i % NOISE.length];
    lines.push(line);
    size += line.length + 1;
  }
  return { text: lines.join('\r\n'), lines: lines.length, expected, first, last };
}

const counts = (a: LogAnalysis) => Object.fromEntries(a.findings.map((f) => [f.entryId, f.count]));

describe('log analyzer', () => {
  it('lists each entry once with its count, severity, first and last line and the first line quoted', () => {
    const a = analyzer();
    a.push(['hello', L2104, L326, 'nothing', L504, L326, L2104].join('\n'));
    const result = a.end();
    expect(result.lines).toBe(7);
    expect(result.findings).toEqual([
      { entryId: 'ibkr-326', severity: 'error', count: 2, firstLine: 3, lastLine: 6, firstText: L326 },
      { entryId: 'ibkr-504', severity: 'error', count: 1, firstLine: 5, lastLine: 5, firstText: L504 },
      { entryId: 'ibkr-2104', severity: 'info', count: 2, firstLine: 2, lastLine: 7, firstText: L2104 },
    ]);
  });

  it('treats a pasted log as IBKR context (a generic message counts)', () => {
    const a = analyzer();
    a.push('ConnectionRefusedError: [Errno 111] Connection refused\n');
    expect(counts(a.end())).toEqual({ 'connection-refused': 1 });
  });

  it('joins a line cut between two pieces, and quotes long lines shortened', () => {
    const a = analyzer();
    a.push('first line\nError 326, reqId -1: Unable to conn');
    a.push('ect as the client id is already in use ');
    a.push(`${'x'.repeat(1000)}\nlast`);
    const result = a.end();
    expect(result.lines).toBe(3);
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ entryId: 'ibkr-326', firstLine: 2, lastLine: 2 });
    expect(result.findings[0].firstText.length).toBe(MAX_QUOTE_LENGTH);
    expect(result.findings[0].firstText.endsWith('…')).toBe(true);
  });

  it('counts a 20 MB log exactly, in slices, the same way a file read in byte slices does', async () => {
    const log = generateLog(20 * 1024 * 1024);
    expect(log.text.length).toBeGreaterThanOrEqual(20 * 1024 * 1024);
    let updates = 0;
    const fromText = await runAnalysis(analyzer(), textPieces(log.text), { yieldNow: immediately, onProgress: () => updates++ });
    expect(fromText).not.toBeNull();
    expect(fromText!.lines).toBe(log.lines);
    expect(counts(fromText!)).toEqual(log.expected);
    for (const f of fromText!.findings) {
      expect(f.firstLine, f.entryId).toBe(log.first[f.entryId] + 1);
      expect(f.lastLine, f.entryId).toBe(log.last[f.entryId] + 1);
      expect(f.firstText).not.toMatch(/\r/);
    }
    // Many slices, each far below the whole log.
    expect(updates).toBeGreaterThan(100);
    // A file: byte slices cut multi-byte characters and lines anywhere; the result is the same.
    const fromFile = await runAnalysis(analyzer(), blobPieces(new Blob([log.text]), 100_003), { yieldNow: immediately });
    expect(fromFile).toEqual(fromText);
  }, 120_000);

  it('cuts text into line-aligned slices', () => {
    const text = 'aaa\nbbb\nccc\n';
    expect(sliceEnd(text, 0, 6)).toBe(4);
    expect(sliceEnd(text, 4, 100)).toBe(text.length);
    expect(sliceEnd('x'.repeat(10), 0, 4)).toBe(4);
    expect([...textPieces(text, 6)].map((p) => p.text)).toEqual(['aaa\n', 'bbb\n', 'ccc\n']);
  });

  it('shrinks its slices when they take too long, and the counts stay exact', async () => {
    const log = generateLog(2 * 1024 * 1024);
    const real = analyzer();
    const sizes: number[] = [];
    const recording = { ...real, push: (text: string) => (sizes.push(text.length), real.push(text)) };
    let clock = 0;
    // Every slice "takes" 60 ms on this clock: over half the 50 ms budget, so the next one is halved.
    const result = await runAnalysis(recording, textPieces(log.text), { yieldNow: immediately, taskBudgetMs: 50, now: () => (clock += 30) });
    expect(counts(result!)).toEqual(log.expected);
    expect(result!.lines).toBe(log.lines);
    expect(sizes[0]).toBeLessThanOrEqual(128 * 1024);
    expect(Math.max(...sizes.slice(10))).toBeLessThanOrEqual(8 * 1024);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(log.text.length);
  });

  it('stops when cancelled', async () => {
    let stop = false;
    const result = await runAnalysis(analyzer(), textPieces(`${L326}\n`.repeat(10), L326.length + 1), {
      yieldNow: immediately,
      onProgress: () => (stop = true),
      cancelled: () => stop,
    });
    expect(result).toBeNull();
  });
});

describe('Markdown report', () => {
  it('is a summary table with one row per entry, errors before notices, pipes escaped', () => {
    const a = analyzer();
    a.push([L2104, L326, 'Error 321, reqId 5: Error validating request | with a pipe', L326].join('\n'));
    const md = reportMarkdown(a.end(), knowledge.entries, { source: 'app.log', boundary: 'Educational boundary: not advice.', docsUrl: 'https://docs.example/' });
    const lines = md.split('\n');
    expect(lines[0]).toBe('### IBKR API messages in app.log');
    expect(md).toContain('4 lines read: 2 distinct errors, 1 informational notice.');
    const rows = lines.filter((l) => l.startsWith('| ') && !l.startsWith('| Code') && !l.startsWith('| ---'));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^\| 326 \| Client ID is already in use \| error \| 2 \| 2 \| 4 \| `/);
    expect(rows[1]).toMatch(/^\| 321 \| .* \| warning \| 1 \| 3 \| 3 \| `Error 321, reqId 5: Error validating request \\\| with a pipe` \|$/);
    expect(rows[2]).toMatch(/^\| 2104 \| .* \| info \| 1 \| 1 \| 1 \| /);
    expect(md).toContain('Official message codes: https://docs.example/');
    expect(md).toContain('_Educational boundary: not advice._');
    const withoutInfo = reportMarkdown(a.end(), knowledge.entries, { includeInfo: false });
    expect(withoutInfo).not.toContain('| 2104 |');
  });
});
