/**
 * A text map: the joined text of a run of text nodes (the inline content of one block between
 * block boundaries), with the way back from an offset in that text to a text node and an offset
 * in it. A `<br>` inside the run is a "\n" that belongs to no node.
 *
 * Why: a highlighter splits `Error 326, reqId -1: …` into `<span>Error</span> <span>326</span>…`;
 * matching over the joined text finds it, and the map says which pieces of which nodes to mark.
 */

import type { SignKind } from './context-signs';
import type { EdgeCandidate, WrapperCandidate } from './matcher';

/** One item of a run, in document order: a text node or a line break (`<br>`). */
export type RunItem = Text | '\n';

export interface TextSegment {
  node: Text;
  /** Offsets of the node's text in the joined text: [start, end). */
  start: number;
  end: number;
}

export interface TextMap {
  text: string;
  /** Text nodes in document order; line breaks are in `text` but have no segment. */
  segments: TextSegment[];
  /**
   * A map over part of a text node the page streams into (lib/annotate/text-streams.ts) says
   * itself whether it is current: the node grows and is cut at its start meanwhile, and its
   * segment follows the cuts.
   */
  current?(): boolean;
  /** Told the pieces made from the map, which a streamed node's cuts shift until their mark is in the page. */
  hold?(pieces: readonly TextPiece[]): void;
  /** Told the job that matches it (a streamed node's next edit reads how far it got), and when it is done. */
  matchedBy?(job: MatchProgress): void;
  finish?(): void;
  /**
   * Where its matches stop counting, when a later map matches the rest of its text again (a
   * streamed node that grew meanwhile): matching stops there, and matches ending past it are dropped.
   */
  keepTo?: number;
  /** For a map of text a followed node appended: what that line owes before it, the context the node shows. */
  lineBefore?: LineBefore;
  /**
   * Told each part of its text matched (`to`: where matching got to), and each kind of context
   * matching asked for and found nowhere: a followed node notes where its text shows context, and
   * whether any of its mentions waits for a kind (lib/annotate/text-streams.ts).
   */
  matchedTo?(from: number, to: number): void;
  lacked?(kind: SignKind): void;
  /**
   * Told the first and last candidate of the part of its text from `from` matched (lib/matcher.ts
   * `edgeCandidates`): a followed node reads from them what happens to a wrapper's mark on the
   * line it continues (lib/annotate/text-streams.ts).
   */
  edgeCandidates?(from: number, first: EdgeCandidate | null, last: EdgeCandidate | null, lastWrapper: WrapperCandidate | null): void;
  /**
   * Told each span of the part of its text from `from` that a pattern matched and that counts for
   * nothing (lib/matcher.ts `uncountedSpan`): a followed node starts the text it matches again no
   * later than such a span on its line (lib/annotate/text-streams.ts).
   */
  uncountedSpan?(from: number, start: number, end: number): void;
  /** Matched on its own, never in a batch of short runs: it needs `edgeCandidates` whatever it holds. */
  alone?: boolean;
}

/** How far matching a map has got: its text before `cursor` is matched, and these were found there. */
export interface MatchProgress {
  readonly cursor: number;
  readonly matches: readonly { start: number; end: number; entryId: string }[];
}

/** What is known before a followed node's text handed to matching (lib/annotate/text-streams.ts). */
export interface LineBefore {
  /** The closers the line it starts inside owes (lib/matcher.ts MatchOptions `owedBefore`). */
  owed: readonly string[];
  /** Whether it starts inside a line (lib/matcher.ts MatchOptions `startsInLine`). */
  inLine: boolean;
  /**
   * Whether the node's text shows IBKR context, Client Portal context, a sign of the socket API
   * (`hasIbkrContext`, `hasCpapiContext`, `hasSocketApiSign`).
   */
  ibkr: boolean;
  cpapi: boolean;
  socket: boolean;
}

/** A piece of a span of the joined text that lies in one text node: node.data.slice(from, to). */
export interface TextPiece {
  node: Text;
  from: number;
  to: number;
}

/** A run's items joined into one text. A single node's text is used as is (no copy). */
export function runText(items: readonly RunItem[]): string {
  if (items.length === 1) return items[0] === '\n' ? '\n' : items[0].data;
  let text = '';
  for (const item of items) text += item === '\n' ? '\n' : item.data;
  return text;
}

/**
 * A run's text map; its segments are worked out when first asked for (most runs are matched in a
 * batch and found to hold nothing: they never need them). `text` must be `runText(items)`, read
 * while the nodes still hold it.
 */
class RunTextMap implements TextMap {
  private built: TextSegment[] | null = null;

  constructor(
    private readonly items: readonly RunItem[],
    readonly text: string,
  ) {}

  get segments(): TextSegment[] {
    return (this.built ??= segmentsOf(this.items, this.text));
  }
}

function segmentsOf(items: readonly RunItem[], text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let offset = 0;
  for (const item of items) {
    if (item === '\n') {
      offset += 1;
      continue;
    }
    // The length the node had when `text` was read: if the page wrote it since, the map is not current.
    const end = item === items[items.length - 1] ? text.length : offset + item.data.length;
    segments.push({ node: item, start: offset, end });
    offset = end;
  }
  return segments;
}

/** Joins a run's items into one text, with the way back to its nodes. */
export function buildTextMap(items: readonly RunItem[], text = runText(items)): TextMap {
  return new RunTextMap(items, text);
}

/** Index of the first segment whose end is after `offset` (binary search). */
function segmentIndexAfter(map: TextMap, offset: number): number {
  let lo = 0;
  let hi = map.segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (map.segments[mid].end <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The text node and offset in it for an offset of the joined text. At the boundary of two nodes
 * the start of the later node is returned; an offset on a line break maps to the next node.
 */
export function locate(map: TextMap, offset: number): { node: Text; offset: number } | null {
  const i = segmentIndexAfter(map, offset);
  const seg = map.segments[i];
  if (!seg) {
    const last = map.segments[map.segments.length - 1];
    return last && offset === last.end ? { node: last.node, offset: last.end - last.start } : null;
  }
  return { node: seg.node, offset: Math.max(0, offset - seg.start) };
}

/** The offset in the joined text of a position in one of its nodes, or -1 if the node is not in the map. */
export function offsetOf(map: TextMap, node: Text, offsetInNode: number): number {
  const seg = map.segments.find((s) => s.node === node);
  return seg ? seg.start + offsetInNode : -1;
}

/** The non-empty pieces of text nodes that the span [start, end) of the joined text covers. */
export function piecesOf(map: TextMap, start: number, end: number): TextPiece[] {
  const pieces: TextPiece[] = [];
  // Text before the first node's start is no longer in the page (a streamed node cut at its start).
  if (map.segments.length > 0 && start < map.segments[0].start) return pieces;
  for (let i = segmentIndexAfter(map, start); i < map.segments.length; i++) {
    const seg = map.segments[i];
    if (seg.start >= end) break;
    const from = Math.max(start, seg.start) - seg.start;
    const to = Math.min(end, seg.end) - seg.start;
    if (to > from) pieces.push({ node: seg.node, from, to });
  }
  // A mark keeps its pieces while it stays: an array grown by push keeps room for 17.
  return pieces.length > 0 ? pieces.slice() : pieces;
}

/** True when every node of the map still holds the text it had when the map was built. */
export function isCurrent(map: TextMap): boolean {
  if (map.current) return map.current();
  for (const seg of map.segments) {
    if (!seg.node.isConnected || seg.node.data.length !== seg.end - seg.start) return false;
    if (map.segments.length === 1 ? seg.node.data !== map.text : seg.node.data !== map.text.slice(seg.start, seg.end)) return false;
  }
  return true;
}

/**
 * Cuts a long text into chunks of about `size` characters at line ends, so a 5 MB log is
 * matched a slice at a time. A line longer than `size` is cut at white space, or hard.
 */
export function chunkEnd(text: string, start: number, size: number): number {
  if (text.length - start <= size) return text.length;
  const limit = start + size;
  const nl = text.lastIndexOf('\n', limit);
  if (nl > start + size / 2) return nl + 1;
  const space = text.lastIndexOf(' ', limit);
  if (space > start + size / 2) return space + 1;
  return limit;
}
