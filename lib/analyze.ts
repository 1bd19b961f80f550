/**
 * The log analyzer: every distinct IBKR message in a log, one finding per entry and case (162's
 * pacing violation and 162's "no data" are two), with its count, its first and last line and the
 * first line quoted. Pure: text in, findings out. It counts whatever the matcher finds.
 *
 * Built for big logs: text is pushed in pieces (a file read a slice at a time, a paste cut into
 * slices) and the work of a push is proportional to its size, whatever the lines look like. Whole
 * lines are matched as one block; a line longer than a window (a minified JSON body, a dumped
 * array) is matched a window at a time as it arrives, and past MAX_LINE_CHARS the rest of it is
 * skipped, which the result reports. The caller decides how much to push per task.
 * A pasted log is an explicit request, so it counts as IBKR context (like "Explain selection"). It
 * counts as Client Portal context in a block that shows it (an IBeam line, an /iserver/ path, an
 * ibind wrapper) and in every block after the first recognised Client Portal message: JSON bodies
 * and generic texts such as "Access Denied" count there, and never in a log that shows neither.
 */
import type { KnowledgeEntry, Severity } from '../knowledge/schema';
import type { Match, Matcher, MatchOptions } from './matcher';
import { isCpapiEntryId } from './cpapi-shapes';

/** Longest first-line quote kept per finding. */
export const MAX_QUOTE_LENGTH = 400;
/** Longest part of one line that is searched (about 1 MB); the rest of a longer line is skipped. */
export const MAX_LINE_CHARS = 1024 * 1024;
/** A line longer than this is searched a window at a time. */
export const WINDOW_CHARS = 32 * 1024;
/** Windows overlap by this much, so that a mention across a window's end is found whole once. */
const WINDOW_OVERLAP = 4 * 1024;
/** Characters kept before the mention when a long line is quoted in part. */
const QUOTE_LEAD = 80;

export interface LogFinding {
  entryId: string;
  /** The entry's case (variant id) the mentions matched, or null: each case is a finding of its own. */
  variant: string | null;
  severity: Severity;
  /** Number of mentions (a line naming the same error twice counts twice). */
  count: number;
  /** 1-based line numbers of the first and the last mention. */
  firstLine: number;
  lastLine: number;
  /** The first line that mentions it, as found (trimmed; a long line cut around the mention, at most MAX_QUOTE_LENGTH characters). */
  firstText: string;
}

/** Lines longer than MAX_LINE_CHARS: only their first MAX_LINE_CHARS characters were searched. */
export interface CutLines {
  count: number;
  firstLine: number;
  /** Length of the longest one, in characters. */
  longest: number;
}

export interface LogAnalysis {
  /** Lines read so far. */
  lines: number;
  /** Characters read so far. */
  chars: number;
  /** Errors first (error, system, warning), then informational notices; each by first line. */
  findings: LogFinding[];
  cutLines: CutLines | null;
}

export interface LogAnalyzer {
  /** Adds the next piece of the log (any size; it need not end at a line break). */
  push(piece: string): void;
  /** Analyses what is left (the last line without a line break) and returns the result. */
  end(): LogAnalysis;
  /** The result so far (lines still waiting for their end are not in it yet). */
  snapshot(): LogAnalysis;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, system: 1, warning: 2, info: 3 };

/**
 * The line holding a mention at `at`: whole when short, else MAX_QUOTE_LENGTH characters from a
 * little before the mention, with `…` where the line goes on (`clippedStart`/`clippedEnd`: the
 * text is a window of a longer line).
 */
function quote(line: string, at: number, clippedStart = false, clippedEnd = false): string {
  const text = line.trim();
  if (text.length <= MAX_QUOTE_LENGTH && !clippedStart && !clippedEnd) return text;
  const mention = Math.max(0, at - (line.length - line.trimStart().length));
  const from = Math.max(0, Math.min(mention - QUOTE_LEAD, text.length - MAX_QUOTE_LENGTH));
  const before = from > 0 || clippedStart ? '…' : '';
  const room = MAX_QUOTE_LENGTH - before.length;
  const after = from + room < text.length || clippedEnd ? '…' : '';
  return before + text.slice(from, from + room - after.length) + after;
}

/** A line too long to match at once, matched a window at a time as it arrives. */
interface LongLine {
  /** Its 1-based line number. */
  line: number;
  /** Characters of it read so far (searched or skipped). */
  length: number;
  /** The part not searched yet, starting at `bufferStart` of the line. */
  buffer: string;
  bufferStart: number;
  /** Mentions before this offset of the line are counted already (windows overlap). */
  countedTo: number;
}

/** Counts a mention found on 1-based line `line`; `firstText` quotes that line, asked only for a first mention. */
type CountMention = (m: Match, line: number, firstText: () => string) => void;

/** The findings so far: one per entry and case, with its count, first and last line. */
class Findings {
  private readonly byCase = new Map<string, LogFinding>();
  private readonly severityOf: ReadonlyMap<string, Severity>;

  constructor(entries: readonly KnowledgeEntry[]) {
    this.severityOf = new Map(entries.map((e) => [e.id, e.severity]));
  }

  readonly count: CountMention = (m, line, firstText) => {
    const key = `${m.entryId}\n${m.variant ?? ''}`;
    const known = this.byCase.get(key);
    if (known) {
      known.count++;
      known.lastLine = line;
      return;
    }
    const severity = this.severityOf.get(m.entryId) ?? 'error';
    this.byCase.set(key, { entryId: m.entryId, variant: m.variant, severity, count: 1, firstLine: line, lastLine: line, firstText: firstText() });
  };

  /** Copies, errors first (error, system, warning), then informational notices; each by first line. */
  sorted(): LogFinding[] {
    return [...this.byCase.values()]
      .map((f) => ({ ...f }))
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.firstLine - b.firstLine);
  }
}

/**
 * How a log is matched: a pasted or dropped log is an explicit request, so it counts as IBKR
 * context; Client Portal context is asked for (after the text itself) only when a rule needs it,
 * and holds from the first recognised Client Portal message on.
 */
function logMatcher(matcher: Matcher): (text: string) => Match[] {
  /** Whether a block read so far showed Client Portal context: the rest of the log has it too. */
  let cpapiSeen = false;
  const logContext: MatchOptions = { context: true, cpapiContext: () => cpapiSeen };
  return (text) => {
    const found = matcher.find(text, logContext);
    // A recognised Client Portal message is the sign for the text after it (reading every block
    // for the context words as well would cost a second pass over logs that never show them).
    if (!cpapiSeen) cpapiSeen = found.some((m) => isCpapiEntryId(m.entryId));
    return found;
  };
}

/**
 * Reads a log pushed in chunks: matches whole lines a block at a time and a long line a window at
 * a time, numbering lines as it goes, and counts each mention once.
 */
class LineReader {
  /** Lines completely analysed so far. */
  lines = 0;
  cutLines: CutLines | null = null;
  /** The start of the current line while it is short enough to wait for its end. */
  private pending = '';
  private long: LongLine | null = null;

  constructor(
    private readonly find: (text: string) => Match[],
    private readonly count: CountMention,
  ) {}

  /** A chunk of at most WINDOW_CHARS characters. */
  take(chunk: string): void {
    const lastBreak = chunk.lastIndexOf('\n');
    if (lastBreak === -1) return this.continueLine(chunk);
    if (this.long) {
      const firstBreak = chunk.indexOf('\n');
      this.feedLongLine(this.long, chunk.slice(0, firstBreak));
      this.endLongLine(this.long);
      if (lastBreak > firstBreak) this.searchLines(chunk.slice(firstBreak + 1, lastBreak));
    } else {
      this.searchLines(this.pending + chunk.slice(0, lastBreak));
      this.pending = '';
    }
    this.continueLine(chunk.slice(lastBreak + 1));
  }

  /** The log has ended: its last line (the one without a line break) is matched. */
  finish(): void {
    if (this.long) this.endLongLine(this.long);
    else if (this.pending !== '') this.searchLines(this.pending);
    this.pending = '';
  }

  /** Matches a block of whole lines whose first line is line `lines + 1`. */
  private searchLines(block: string): void {
    const found = this.find(block);
    // Line numbers by walking the block's line breaks once, in step with the (ordered) matches.
    let line = this.lines + 1;
    let lineStart = 0;
    let nextBreak = block.indexOf('\n');
    for (const m of found) {
      while (nextBreak !== -1 && nextBreak < m.start) {
        line++;
        lineStart = nextBreak + 1;
        nextBreak = block.indexOf('\n', lineStart);
      }
      this.count(m, line, () => quote(block.slice(lineStart, nextBreak === -1 ? block.length : nextBreak), m.start - lineStart));
    }
    this.lines += countBreaks(block) + 1;
  }

  /**
   * Matches the next window of the long line. Mentions that start before the next window's start
   * are counted here, the others there; a window ends at most WINDOW_CHARS + WINDOW_OVERLAP in,
   * so a mention up to WINDOW_OVERLAP long is always seen whole. `last`: the line has ended.
   */
  private searchWindow(l: LongLine, last: boolean): void {
    const text = last ? l.buffer : l.buffer.slice(0, WINDOW_CHARS + WINDOW_OVERLAP);
    const next = last ? text.length : nextWindowStart(text);
    const clippedEnd = !last || l.length > MAX_LINE_CHARS;
    for (const m of this.find(text)) {
      if (m.start >= next) break;
      if (l.bufferStart + m.start < l.countedTo) continue;
      l.countedTo = l.bufferStart + m.end;
      this.count(m, l.line, () => quote(text, m.start, l.bufferStart > 0, clippedEnd));
    }
    l.buffer = l.buffer.slice(next);
    l.bufferStart += next;
  }

  private feedLongLine(l: LongLine, text: string): void {
    const searched = Math.max(0, Math.min(text.length, MAX_LINE_CHARS - l.length));
    l.length += text.length;
    if (searched > 0) l.buffer += text.slice(0, searched);
    while (l.buffer.length >= WINDOW_CHARS + WINDOW_OVERLAP) this.searchWindow(l, false);
  }

  private endLongLine(l: LongLine): void {
    if (l.buffer !== '') this.searchWindow(l, true);
    if (l.length > MAX_LINE_CHARS) {
      const cut = this.cutLines;
      this.cutLines = cut
        ? { count: cut.count + 1, firstLine: cut.firstLine, longest: Math.max(cut.longest, l.length) }
        : { count: 1, firstLine: l.line, longest: l.length };
    }
    this.lines++;
    this.long = null;
  }

  /** Text of the current line that has no line break yet. */
  private continueLine(text: string): void {
    if (this.long) return this.feedLongLine(this.long, text);
    this.pending += text;
    if (this.pending.length <= WINDOW_CHARS) return;
    this.long = { line: this.lines + 1, length: 0, buffer: '', bufferStart: 0, countedTo: 0 };
    const start = this.pending;
    this.pending = '';
    this.feedLongLine(this.long, start);
  }
}

export function createLogAnalyzer(entries: readonly KnowledgeEntry[], matcher: Matcher): LogAnalyzer {
  const findings = new Findings(entries);
  const reader = new LineReader(logMatcher(matcher), findings.count);
  let chars = 0;
  let ended = false;
  const result = (): LogAnalysis => ({ lines: reader.lines, chars, findings: findings.sorted(), cutLines: reader.cutLines && { ...reader.cutLines } });
  return {
    push(piece) {
      if (ended) throw new Error('The log analysis has ended');
      chars += piece.length;
      // However big the piece, no line is matched whole past a window.
      for (let offset = 0; offset < piece.length; ) {
        const end = sliceEnd(piece, offset, WINDOW_CHARS);
        reader.take(piece.slice(offset, end));
        offset = end;
      }
    },
    end() {
      if (!ended) {
        ended = true;
        reader.finish();
      }
      return result();
    },
    snapshot: result,
  };
}

/** Where the window after `text` starts: after the last space before WINDOW_CHARS, so that no word is cut at its start. */
function nextWindowStart(text: string): number {
  for (let i = WINDOW_CHARS; i > WINDOW_CHARS - WINDOW_OVERLAP; i--) if (/\s/.test(text[i - 1])) return i;
  return WINDOW_CHARS;
}

function countBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Default slice of text analysed per task: small enough to keep a page responsive. */
export const SLICE_CHARS = 128 * 1024;

/**
 * Cuts `text` from `offset` into a slice of at most `size` characters ending after a line break
 * (or at the end of the text); returns the slice's end. A single line longer than `size` is cut
 * where the size ends (the analyzer joins the pieces again).
 */
export function sliceEnd(text: string, offset: number, size = SLICE_CHARS): number {
  const limit = offset + size;
  if (limit >= text.length) return text.length;
  // Searched within the slice only: text.lastIndexOf('\n', limit) would scan a long line back to
  // its start for every slice of it.
  const lastBreak = text.substring(offset, limit).lastIndexOf('\n');
  return lastBreak !== -1 ? offset + lastBreak + 1 : limit;
}
