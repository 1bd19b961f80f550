/**
 * Feeding a log to the analyzer a piece per task, so a 20 MB file keeps the page responsive:
 * pasted text is cut into line-aligned slices, a file is read a slice at a time (Blob.slice, so it
 * is never held twice in memory) and decoded as a UTF-8 stream (a character split across two
 * slices is decoded whole). The driver yields to the event loop between pieces. No browser
 * globals: the yield function is handed in.
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

/** A file (or any Blob) as decoded slices of `size` bytes. */
export async function* blobPieces(blob: Blob, size = SLICE_CHARS): AsyncGenerator<Piece> {
  const decoder = new TextDecoder('utf-8');
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

/**
 * Pushes every piece, a slice per task, yielding between slices; resolves with the result, or
 * null when cancelled. A slice that took longer than half the budget halves the next one (a busy
 * machine, a slower matcher); a quick one doubles it again, up to the piece size.
 */
export async function runAnalysis(
  analyzer: LogAnalyzer,
  pieces: Iterable<Piece> | AsyncIterable<Piece>,
  { yieldNow, onProgress, cancelled = () => false, taskBudgetMs = 50, now = () => performance.now() }: RunOptions,
): Promise<LogAnalysis | null> {
  let slice = SLICE_CHARS;
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
    onProgress?.(piece.progress, analyzer.snapshot());
  }
  if (cancelled()) return null;
  const result = analyzer.end();
  onProgress?.(1, result);
  return result;
}
