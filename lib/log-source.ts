/**
 * Feeding a log to the analyzer a piece per task, so a 20 MB file keeps the page responsive:
 * pasted text is cut into line-aligned slices, a file is read a slice at a time (Blob.slice, so it
 * is never held twice in memory) and decoded as a stream (a character split across two slices
 * is decoded whole): UTF-8, or UTF-16 (after a byte order mark, told by its NUL bytes, or by
 * text that is not UTF-8 and reads as CJK in UTF-16); a binary file is refused. The
 * driver yields to the event loop between pieces. No browser globals: the yield function is
 * handed in.
 */
import { SLICE_CHARS, sliceEnd, type LogAnalysis, type LogAnalyzer } from './analyze';

export interface Piece {
  text: string;
  /** Progress after this piece, 0..1. */
  progress: number;
}

/** Line-aligned slices of a text. */
export function* textPieces(text: string, size = SLICE_CHARS): Generator<Piece> {
  let offset = 0;
  while (offset < text.length) {
    const end = sliceEnd(text, offset, size);
    yield { text: text.slice(offset, end), progress: text.length === 0 ? 1 : end / text.length };
    offset = end;
  }
}

/** A file the analyzer cannot read as text; the message says why in plain words. */
export class UnreadableLogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableLogError';
  }
}

/** Bytes looked at to tell text from binary: a NUL byte among them means binary (git's rule). */
const SNIFF_BYTES = 8000;

/** C0 control characters that text does not hold (tab, line feed, form feed, carriage return and escape aside). */
const NOT_TEXT = /[\u0000-\u0008\u000b\u000e-\u001a\u001c-\u001f]/;

/**
 * UTF-16 without a byte order mark, as `file` and text editors guess it: the NUL bytes of the
 * first bytes fall on one side of each byte pair (the high byte of Latin text), at least every
 * other pair has one, and the characters they make are text, not control codes (which 16-
 * or 32-bit numbers of a binary file would make). Null when the bytes are not such a text.
 */
export function utf16WithoutBom(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.floor(head.length / 2);
  if (pairs === 0) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  // A few NULs on the other side are characters such as U+2500 (a table's ─).
  const oneSided = (nul: number, other: number) => nul * 2 >= pairs && other * 8 <= nul;
  const encoding = oneSided(oddNul, evenNul) ? 'utf-16le' : oneSided(evenNul, oddNul) ? 'utf-16be' : null;
  if (encoding === null) return null;
  return NOT_TEXT.test(new TextDecoder(encoding).decode(head.subarray(0, pairs * 2))) ? null : encoding;
}

/**
 * Characters a log's text is made of: white space, Latin, Greek and Cyrillic letters, punctuation
 * and symbols, box drawing, and the CJK scripts (kana, ideographs, Hangul, full-width forms).
 * The same bytes read in the wrong byte order make mostly characters of rare scripts instead.
 */
const COMMON_TEXT = /[\t\n\r\u0020-\u007e\u00a0-\u052f\u2000-\u27bf\u2e80-\u2fdf\u3000-\u9fff\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/g;

/** Whether bytes read as UTF-8 are malformed (a character cut at the end of `head` is no fault). */
function notUtf8(head: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/** The share of `head`'s characters that are common text when read as `encoding` (0 when malformed). */
function textShare(head: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): number {
  const pairs = Math.floor(head.length / 2);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true }).decode(head.subarray(0, pairs * 2), { stream: true });
  } catch {
    return 0;
  }
  return text.length === 0 ? 0 : (text.match(COMMON_TEXT)?.length ?? 0) / text.length;
}

/**
 * UTF-16 without a byte order mark and with few or no NUL bytes (a log mostly in Chinese,
 * Japanese or Korean): bytes that are not UTF-8 and that, read as UTF-16 in one byte order, are
 * almost all common text (at least 95 %), clearly more than in the other order (a Latin text in
 * Windows-1252, whose letter pairs read as ideographs too, reads alike in both). Null otherwise.
 */
export function cjkUtf16(head: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (head.length < 2 || !notUtf8(head)) return null;
  const le = textShare(head, 'utf-16le');
  const be = textShare(head, 'utf-16be');
  if (le >= 0.95 && le > be + 0.1) return 'utf-16le';
  if (be >= 0.95 && be > le + 0.1) return 'utf-16be';
  return null;
}

/**
 * The encoding of a file from its first bytes: UTF-16 when it starts with a byte order mark
 * (Windows PowerShell's `>` writes UTF-16LE) or, without one, when its NUL bytes say so
 * (utf16WithoutBom) or its text is CJK in UTF-16 (cjkUtf16), else UTF-8 (whose BOM the decoder
 * drops). A file with a NUL byte near its start that is not UTF-16 is binary: an
 * UnreadableLogError.
 */
async function textEncodingOf(blob: Blob): Promise<string> {
  const head = new Uint8Array(await blob.slice(0, SNIFF_BYTES).arrayBuffer());
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const utf16 = head.includes(0) ? utf16WithoutBom(head) : null;
  if (utf16) return utf16;
  const cjk = cjkUtf16(head);
  if (cjk) return cjk;
  if (head.includes(0)) {
    throw new UnreadableLogError('it holds binary data, not text (a compressed or encrypted file?). Unpack it or save the log as text, then try again.');
  }
  return 'utf-8';
}

/** A file (or any Blob) as decoded slices of `size` bytes. */
export async function* blobPieces(blob: Blob, size = SLICE_CHARS): AsyncGenerator<Piece> {
  const decoder = new TextDecoder(await textEncodingOf(blob));
  for (let offset = 0; offset < blob.size; offset += size) {
    const bytes = await blob.slice(offset, offset + size).arrayBuffer();
    const last = offset + size >= blob.size;
    yield { text: decoder.decode(bytes, { stream: !last }), progress: Math.min(1, (offset + size) / blob.size) };
  }
}

export interface RunOptions {
  /** Gives the event loop a turn (MessageChannel or setTimeout in a page). */
  yieldNow: () => Promise<void>;
  onProgress?: (progress: number, partial: LogAnalysis) => void;
  /** Checked between slices: true stops the run (a newer analysis started, or Cancel). */
  cancelled?: () => boolean;
  /** Milliseconds one task should stay under; slices shrink or grow to fit. */
  taskBudgetMs?: number;
  /** Clock for the budget (performance.now by default). */
  now?: () => number;
}

/** Smallest slice the budget may shrink to (characters). */
const MIN_SLICE = 8 * 1024;
/** The first slice: small, as a log dense with errors costs ten times an ordinary one per byte. */
const FIRST_SLICE = 32 * 1024;

/**
 * Pushes every piece, a slice per task, yielding between slices; resolves with the result, or
 * null when cancelled. A slice that took longer than half the budget halves the next one (a busy
 * machine, a log dense with errors); a quick one doubles it, up to twice SLICE_CHARS.
 */
export async function runAnalysis(
  analyzer: LogAnalyzer,
  pieces: Iterable<Piece> | AsyncIterable<Piece>,
  { yieldNow, onProgress, cancelled = () => false, taskBudgetMs = 50, now = () => performance.now() }: RunOptions,
): Promise<LogAnalysis | null> {
  let slice = FIRST_SLICE;
  for await (const piece of pieces) {
    for (let offset = 0; offset < piece.text.length; ) {
      if (cancelled()) return null;
      const end = sliceEnd(piece.text, offset, slice);
      const started = now();
      analyzer.push(piece.text.slice(offset, end));
      const took = now() - started;
      if (took > taskBudgetMs / 2) slice = Math.max(MIN_SLICE, Math.floor(slice / 2));
      else if (took < taskBudgetMs / 8) slice = Math.min(SLICE_CHARS * 2, slice * 2);
      offset = end;
      await yieldNow();
    }
    // Cancel may have come during the last yield: a cancelled run reports nothing more.
    if (cancelled()) return null;
    onProgress?.(piece.progress, analyzer.snapshot());
  }
  if (cancelled()) return null;
  const result = analyzer.end();
  onProgress?.(1, result);
  return result;
}
