/**
 * The log analyzer: every distinct IBKR message in a log, grouped by entry, with its count, its
 * first and last line and the first line quoted. Pure: text in, findings out.
 *
 * Built for big logs: text is pushed in pieces (a file read a slice at a time, a paste cut into
 * slices), each piece is matched as one block of complete lines, and a line cut by a piece's end
 * waits for the next piece. The caller decides how much to push per task to stay responsive.
 * A pasted log is an explicit request, so it counts as IBKR context (like "Explain selection").
 */
import type { KnowledgeEntry, Severity } from '../knowledge/schema';
import type { Matcher } from './matcher';

/** Longest first-line quote kept per finding. */
export const MAX_QUOTE_LENGTH = 400;

export interface LogFinding {
  entryId: string;
  severity: Severity;
  /** Number of mentions (a line naming the same error twice counts twice). */
  count: number;
  /** 1-based line numbers of the first and the last mention. */
  firstLine: number;
  lastLine: number;
  /** The first line that mentions it, as found (trimmed, at most MAX_QUOTE_LENGTH characters). */
  firstText: string;
}

export interface LogAnalysis {
  /** Lines read so far. */
  lines: number;
  /** Characters read so far. */
  chars: number;
  /** Errors first (error, system, warning), then informational notices; each by first line. */
  findings: LogFinding[];
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

function quote(line: string): string {
  const text = line.replace(/\r$/, '').trim();
  return text.length > MAX_QUOTE_LENGTH ? `${text.slice(0, MAX_QUOTE_LENGTH - 1)}…` : text;
}

export function createLogAnalyzer(entries: readonly KnowledgeEntry[], matcher: Matcher): LogAnalyzer {
  const severityOf = new Map(entries.map((e) => [e.id, e.severity]));
  const findings = new Map<string, LogFinding>();
  let pending = '';
  /** Lines completely analysed so far. */
  let lines = 0;
  let chars = 0;
  let ended = false;

  /** Matches a block of whole lines whose first line is line `lines + 1`. */
  const analyseBlock = (block: string) => {
    const found = matcher.find(block, { context: true });
    // Line numbers by walking the block's line breaks once, in step with the (ordered) matches.
    let line = lines + 1;
    let lineStart = 0;
    let nextBreak = block.indexOf('\n');
    for (const m of found) {
      while (nextBreak !== -1 && nextBreak < m.start) {
        line++;
        lineStart = nextBreak + 1;
        nextBreak = block.indexOf('\n', lineStart);
      }
      const known = findings.get(m.entryId);
      if (known) {
        known.count++;
        known.lastLine = line;
      } else {
        const lineEnd = nextBreak === -1 ? block.length : nextBreak;
        findings.set(m.entryId, {
          entryId: m.entryId,
          severity: severityOf.get(m.entryId) ?? 'error',
          count: 1,
          firstLine: line,
          lastLine: line,
          firstText: quote(block.slice(lineStart, lineEnd)),
        });
      }
    }
  };

  const result = (): LogAnalysis => ({
    lines,
    chars,
    findings: [...findings.values()]
      .map((f) => ({ ...f }))
      .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.firstLine - b.firstLine),
  });

  return {
    push(piece) {
      if (ended) throw new Error('The log analysis has ended');
      chars += piece.length;
      const lastBreak = piece.lastIndexOf('\n');
      if (lastBreak === -1) {
        pending += piece;
        return;
      }
      const block = pending + piece.slice(0, lastBreak);
      pending = piece.slice(lastBreak + 1);
      analyseBlock(block);
      lines += countBreaks(block) + 1;
    },
    end() {
      if (!ended) {
        ended = true;
        if (pending !== '') {
          analyseBlock(pending);
          lines++;
          pending = '';
        }
      }
      return result();
    },
    snapshot: result,
  };
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
  const lastBreak = text.lastIndexOf('\n', limit - 1);
  return lastBreak >= offset ? lastBreak + 1 : limit;
}

/** A line of the Markdown report table: `|`-separated cells, escaped. */
function row(cells: string[]): string {
  return `| ${cells.map((c) => c.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\s+/g, ' ')).join(' | ')} |`;
}

export interface ReportOptions {
  /** Where the log came from ("app.log", "pasted text"). */
  source?: string;
  /** Include informational notices (they are listed after the errors). */
  includeInfo?: boolean;
  /** The educational boundary line (lib/markdown.ts boundaryLine). */
  boundary?: string;
  /** Link to IBKR's documentation of message codes. */
  docsUrl?: string;
}

/** The analysis as a Markdown summary table, to paste into an issue. */
export function reportMarkdown(analysis: LogAnalysis, entries: readonly KnowledgeEntry[], options: ReportOptions = {}): string {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const shown = analysis.findings.filter((f) => options.includeInfo !== false || f.severity !== 'info');
  const info = analysis.findings.filter((f) => f.severity === 'info');
  const errors = analysis.findings.length - info.length;
  const out: string[] = [
    `### IBKR API messages in ${options.source ?? 'a log'}`,
    '',
    `${analysis.lines.toLocaleString('en-US')} lines read: ${errors} distinct ${errors === 1 ? 'error' : 'errors'}, ${info.length} informational ${info.length === 1 ? 'notice' : 'notices'}.`,
    '',
  ];
  if (shown.length > 0) {
    out.push(row(['Code', 'Title', 'Severity', 'Count', 'First line', 'Last line', 'First occurrence']), '| --- | --- | --- | ---: | ---: | ---: | --- |');
    for (const f of shown) {
      const entry = byId.get(f.entryId);
      const code = entry ? (entry.numericCode !== null ? String(entry.numericCode) : entry.code) : f.entryId;
      out.push(
        row([code, entry?.title ?? f.entryId, f.severity, String(f.count), String(f.firstLine), String(f.lastLine), `\`${f.firstText.replace(/`/g, "'")}\``]),
      );
    }
    out.push('');
  }
  if (options.docsUrl) out.push(`Official message codes: ${options.docsUrl}`, '');
  if (options.boundary) out.push(`_${options.boundary}_`, '');
  return out.join('\n');
}
