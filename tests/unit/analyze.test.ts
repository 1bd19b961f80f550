import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createLogAnalyzer, MAX_LINE_CHARS, MAX_QUOTE_LENGTH, sliceEnd, WINDOW_CHARS, type LogAnalysis } from '../../lib/analyze';
import { blobPieces, runAnalysis, textPieces, UnreadableLogError } from '../../lib/log-source';
import { createMatcher, type Matcher } from '../../lib/matcher';

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
/** Counts by entry and case: `ibkr-162/pacing`, `ibkr-326`. */
const caseCounts = (a: LogAnalysis) => Object.fromEntries(a.findings.map((f) => [f.variant ? `${f.entryId}/${f.variant}` : f.entryId, f.count]));

const P162 = (reqId: number) => `Error 162, reqId ${reqId}: Historical Market Data Service error message:Historical data request pacing violation`;
const N162 = (reqId: number) => `Error 162, reqId ${reqId}: Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades`;

/** The real matcher, recording the length of every text it is given. */
function recordingMatcher(): Matcher & { lengths: number[] } {
  const lengths: number[] = [];
  return { lengths, find: (text, options) => (lengths.push(text.length), matcher.find(text, options)) };
}

/** Filler words (no IBKR message in them) of about `chars` characters, without a line break. */
const filler = (chars: number) => 'lorem ipsum dolor sit amet '.repeat(Math.ceil(chars / 27)).slice(0, chars);

describe('log analyzer', () => {
  it('lists each entry once with its count, severity, first and last line and the first line quoted', () => {
    const a = analyzer();
    a.push(['hello', L2104, L326, 'nothing', L504, L326, L2104].join('\n'));
    const result = a.end();
    expect(result.lines).toBe(7);
    expect(result.findings).toEqual([
      { entryId: 'ibkr-326', variant: null, severity: 'error', count: 2, firstLine: 3, lastLine: 6, firstText: L326 },
      { entryId: 'ibkr-504', variant: null, severity: 'error', count: 1, firstLine: 5, lastLine: 5, firstText: L504 },
      { entryId: 'ibkr-2104', variant: null, severity: 'info', count: 2, firstLine: 2, lastLine: 7, firstText: L2104 },
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

  it('reports no progress once cancelled, even when Cancel comes in the yield after a piece’s last slice', async () => {
    let stop = false;
    const reports: boolean[] = [];
    // Each piece is one slice: Cancel arrives in the yield after the second piece's only slice.
    let yields = 0;
    const result = await runAnalysis(analyzer(), textPieces(`${L326}\n`.repeat(10), L326.length + 1), {
      yieldNow: async () => void (++yields === 2 && (stop = true)),
      onProgress: () => reports.push(stop),
      cancelled: () => stop,
    });
    expect(result).toBeNull();
    expect(reports).toEqual([false]);
  });
});

describe('log analyzer: cases, long lines, bad input', () => {
  it('gives one finding per entry and case: 162 pacing and 162 no data are two', () => {
    const a = analyzer();
    a.push([P162(1), N162(2), 'noise', P162(3), 'Error 162, reqId 4: Historical market data Service error message.', P162(5)].join('\n'));
    const result = a.end();
    expect(caseCounts(result)).toEqual({ 'ibkr-162/pacing': 3, 'ibkr-162/no-data': 1, 'ibkr-162': 1 });
    const pacing = result.findings.find((f) => f.variant === 'pacing')!;
    expect(pacing).toMatchObject({ entryId: 'ibkr-162', firstLine: 1, lastLine: 6, firstText: P162(1) });
    expect(result.findings.map((f) => f.firstLine)).toEqual([1, 2, 5]);
  });

  it('matches a line longer than a window a window at a time, counting a mention across a window end once', () => {
    // One long line packed with mentions: every window end falls inside one of them.
    const parts: string[] = [];
    let expected = 0;
    for (let size = 0; size < 5 * WINDOW_CHARS; expected++) {
      parts.push(P162(expected), expected % 2 ? 'and' : 'or');
      size += P162(expected).length + 5;
    }
    const line = parts.join(' ');
    const recorder = recordingMatcher();
    const a = createLogAnalyzer(knowledge.entries, recorder);
    a.push(`first\n${line}\n${L326}`);
    const whole = a.end();
    expect(whole.lines).toBe(3);
    expect(caseCounts(whole)).toEqual({ 'ibkr-162/pacing': expected, 'ibkr-326': 1 });
    expect(whole.findings.find((f) => f.entryId === 'ibkr-162')).toMatchObject({ firstLine: 2, lastLine: 2 });
    expect(whole.findings.find((f) => f.entryId === 'ibkr-326')).toMatchObject({ firstLine: 3, lastLine: 3 });
    expect(whole.cutLines).toBeNull();
    // No text given to the matcher is much longer than a window, however long the line.
    expect(Math.max(...recorder.lengths)).toBeLessThanOrEqual(2 * WINDOW_CHARS);
    // The same line pushed in small pieces that cut mentions anywhere gives the same result.
    const pieces = createLogAnalyzer(knowledge.entries, matcher);
    const text = `first\n${line}\n${L326}`;
    for (let i = 0; i < text.length; i += 4_099) pieces.push(text.slice(i, i + 4_099));
    expect(pieces.end()).toEqual(whole);
  });

  it('counts a mention cut by a window end once, even where its tail is a message of its own', () => {
    // The window end falls in "Market": the next window starts with "Market data farm connection
    // is OK:usfarm", itself 2104's message, which must not count a second time.
    const head = 'ERROR -1 2104 ';
    const pad = WINDOW_CHARS - 3 - head.length;
    const line = `${filler(pad - 1)} ${head}Market data farm connection is OK:usfarm ${filler(3 * WINDOW_CHARS)}`;
    expect(line.indexOf('Market')).toBe(WINDOW_CHARS - 3);
    const a = analyzer();
    a.push(line);
    const result = a.end();
    expect(caseCounts(result)).toEqual({ 'ibkr-2104': 1 });
    expect(result.findings[0].firstText).toContain('ERROR -1 2104 Market data farm connection is OK:usfarm');
  });

  it('quotes a long line around its mention, with … where the line goes on', () => {
    const a = analyzer();
    a.push(`${filler(200_000)} ${P162(7)} ${filler(200_000)}`);
    const quote = a.end().findings[0].firstText;
    expect(quote.length).toBeLessThanOrEqual(MAX_QUOTE_LENGTH);
    expect(quote.startsWith('…')).toBe(true);
    expect(quote.endsWith('…')).toBe(true);
    expect(quote).toContain(P162(7));
  });

  it('searches only the first MAX_LINE_CHARS of a longer line, says so, and reads on after it', () => {
    const recorder = recordingMatcher();
    const a = createLogAnalyzer(knowledge.entries, recorder);
    const long = `${P162(1)} ${filler(MAX_LINE_CHARS / 2)} ${N162(2)} ${filler(MAX_LINE_CHARS)} ${L326} ${filler(8 * MAX_LINE_CHARS)}`;
    a.push(`${L504}\n`);
    for (let i = 0; i < long.length; i += 100_000) a.push(long.slice(i, i + 100_000));
    a.push(`\n${L326}\n${'y'.repeat(MAX_LINE_CHARS + 5)}\nlast`);
    const result = a.end();
    expect(result.lines).toBe(5);
    // 326 inside the long line lies past the first MAX_LINE_CHARS: only the one on line 3 counts.
    expect(caseCounts(result)).toEqual({ 'ibkr-504': 1, 'ibkr-162/pacing': 1, 'ibkr-162/no-data': 1, 'ibkr-326': 1 });
    expect(result.findings.find((f) => f.entryId === 'ibkr-326')!.firstLine).toBe(3);
    expect(result.cutLines).toEqual({ count: 2, firstLine: 2, longest: long.length });
    // What the matcher read: about MAX_LINE_CHARS of each of the two long lines (windows overlap a little), not their 10 MB.
    expect(recorder.lengths.reduce((n, l) => n + l, 0)).toBeLessThan(2.5 * MAX_LINE_CHARS);
  });

  it('decodes a UTF-16 file with a byte order mark, and refuses a binary file in plain words', async () => {
    const text = `hello\n${L326}\nünïcödé ${L504}\n`;
    const utf16 = new Uint8Array(2 + text.length * 2);
    utf16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) utf16.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + 2 * i);
    const result = await runAnalysis(analyzer(), blobPieces(new Blob([utf16]), 7), { yieldNow: immediately });
    expect(caseCounts(result!)).toEqual({ 'ibkr-326': 1, 'ibkr-504': 1 });
    expect(result!.findings.find((f) => f.entryId === 'ibkr-504')!.firstText).toBe(`ünïcödé ${L504}`);

    const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, ...new TextEncoder().encode(L326)]);
    const refused = runAnalysis(analyzer(), blobPieces(new Blob([gzip])), { yieldNow: immediately });
    await expect(refused).rejects.toThrow(UnreadableLogError);
    await expect(runAnalysis(analyzer(), blobPieces(new Blob([gzip])), { yieldNow: immediately })).rejects.toThrow(/binary data, not text/);
  });

  it('decodes a UTF-16 file without a byte order mark, either byte order; binary data with NUL bytes stays refused', async () => {
    const text = `hello ──────\r\n${L326}\r\nünïcödé ${L504}\r\n`;
    const utf16 = (littleEndian: boolean) => {
      const bytes = new Uint8Array(text.length * 2);
      const view = new DataView(bytes.buffer);
      for (let i = 0; i < text.length; i++) view.setUint16(2 * i, text.charCodeAt(i), littleEndian);
      return bytes;
    };
    for (const littleEndian of [true, false]) {
      const result = await runAnalysis(analyzer(), blobPieces(new Blob([utf16(littleEndian)]), 7), { yieldNow: immediately });
      expect(caseCounts(result!)).toEqual({ 'ibkr-326': 1, 'ibkr-504': 1 });
      expect(result!.findings.find((f) => f.entryId === 'ibkr-504')!.firstText).toBe(`ünïcödé ${L504}`);
    }
    // 16-bit numbers (every other byte NUL too, but not text), 32-bit ones, and NULs scattered in text.
    const shorts = new Uint8Array(Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? (i / 2) % 40 : 0)));
    const ints = new Uint8Array(Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 65 + (i % 26) : 0)));
    const scattered = new TextEncoder().encode(`${L326}\u0000\u0000${L504}\u0000`);
    for (const bytes of [shorts, ints, scattered]) {
      await expect(runAnalysis(analyzer(), blobPieces(new Blob([bytes])), { yieldNow: immediately })).rejects.toThrow(/binary data, not text/);
    }
  });

  // A Chinese trader's session log: a banner and notes in Chinese, the API's own lines in English.
  const CJK_BANNER = `交易机器人运行日志。${'本程序通过盈透证券接口连接交易工作站并记录每条错误信息。'.repeat(160)}`;
  const CJK_LOG = [
    '# 交易机器人日志：每天早上九点半开盘前启动，连接本机的交易工作站。',
    '# 如果出现客户端编号冲突，请先关闭另一个程序，再重新启动本程序。如果交易工作站在夜间自动重启，本程序会在重启完成后自动重新连接，并把重新连接的结果写进这个日志文件里，方便第二天早上查看。',
    `2024-05-01 09:30:00 连接失败：${L326}`,
    '# 请检查交易工作站是否已经打开，以及接口设置里的端口号。',
    `2024-05-01 09:30:05 断开：${L504}`,
    '# 以上两条都是盈透证券接口返回的原始信息，本程序没有修改其中的任何文字。出现第三百二十六号错误时，说明同一个客户端编号已经被另一个程序占用；出现第五百零四号错误时，说明程序还没有连上交易工作站。',
  ].join('\r\n');
  const utf16Of = (text: string, littleEndian: boolean) => {
    const bytes = new Uint8Array(text.length * 2);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < text.length; i++) view.setUint16(2 * i, text.charCodeAt(i), littleEndian);
    return bytes;
  };

  it('decodes a UTF-16 log of Chinese text without a byte order mark, its first 8,000 bytes with no NUL byte at all', async () => {
    const text = `${CJK_BANNER}\r\n${CJK_LOG}\r\n`;
    for (const littleEndian of [true, false]) {
      const bytes = utf16Of(text, littleEndian);
      expect(bytes.subarray(0, 8000).includes(0), 'no NUL in the bytes sniffed').toBe(false);
      const result = await runAnalysis(analyzer(), blobPieces(new Blob([bytes]), 4099), { yieldNow: immediately });
      expect(caseCounts(result!), littleEndian ? 'LE' : 'BE').toEqual({ 'ibkr-326': 1, 'ibkr-504': 1 });
      expect(result!.findings.find((f) => f.entryId === 'ibkr-504')!.firstText).toBe(`2024-05-01 09:30:05 断开：${L504}`);
    }
  });

  it('decodes a UTF-16 log mostly in Chinese without a byte order mark (NUL bytes in fewer than every other pair)', async () => {
    for (const littleEndian of [true, false]) {
      const bytes = utf16Of(`${CJK_LOG}\r\n`, littleEndian);
      const pairs = bytes.length / 2;
      const nulPairs = Array.from({ length: pairs }, (_, i) => bytes[2 * i] === 0 || bytes[2 * i + 1] === 0).filter(Boolean).length;
      expect(nulPairs * 2, 'fewer than every other pair has a NUL').toBeLessThan(pairs);
      const result = await runAnalysis(analyzer(), blobPieces(new Blob([bytes])), { yieldNow: immediately });
      expect(caseCounts(result!), littleEndian ? 'LE' : 'BE').toEqual({ 'ibkr-326': 1, 'ibkr-504': 1 });
      expect(result!.lines).toBe(6);
    }
  });

  it('still reads UTF-8 Chinese text and a Windows-1252 log as UTF-8, and UTF-8 text with NUL bytes as binary', async () => {
    const utf8 = new TextEncoder().encode(`${CJK_BANNER}\n${CJK_LOG}\n`);
    const result = await runAnalysis(analyzer(), blobPieces(new Blob([utf8]), 4099), { yieldNow: immediately });
    expect(caseCounts(result!)).toEqual({ 'ibkr-326': 1, 'ibkr-504': 1 });
    expect(result!.findings.find((f) => f.entryId === 'ibkr-504')!.firstText).toBe(`2024-05-01 09:30:05 断开：${L504}`);
    // A Windows-1252 log (not UTF-8: its é is one byte) is no UTF-16, though its letter pairs make ideographs there.
    const latin1 = new Uint8Array([...`Café résumé: ${L504}\r\nNaïve façade déjà vu, ${L326}\r\n`.repeat(20)].map((c) => c.charCodeAt(0)));
    const fromLatin1 = await runAnalysis(analyzer(), blobPieces(new Blob([latin1])), { yieldNow: immediately });
    expect(caseCounts(fromLatin1!)).toEqual({ 'ibkr-326': 20, 'ibkr-504': 20 });
    const withNul = new TextEncoder().encode(`${CJK_LOG}\u0000\u0000\n`);
    await expect(runAnalysis(analyzer(), blobPieces(new Blob([withNul])), { yieldNow: immediately })).rejects.toThrow(/binary data, not text/);
  });

  it('reads an empty file as no lines and no findings', async () => {
    const result = await runAnalysis(analyzer(), blobPieces(new Blob([])), { yieldNow: immediately });
    expect(result).toEqual({ lines: 0, chars: 0, findings: [], cutLines: null });
  });

  it('can be cancelled inside one long line: it checks between slices of the line', async () => {
    let pushes = 0;
    const real = analyzer();
    const counting = { ...real, push: (t: string) => (pushes++, real.push(t)) };
    const line = filler(8 * 1024 * 1024);
    const result = await runAnalysis(counting, textPieces(line), { yieldNow: immediately, cancelled: () => pushes >= 3 });
    expect(result).toBeNull();
    expect(pushes).toBe(3);
  });
});
