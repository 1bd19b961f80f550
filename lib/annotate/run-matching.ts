/**
 * Matching one run (the text of a block between two block boundaries, lib/annotate/walker.ts):
 * skipped when it has not changed since it was last matched, matched a chunk at a time with the
 * context of its post, its block or the page, and its matches turned into marks to make.
 */
import type { ContextKind } from '../../knowledge/schema';
import type { SignKind } from '../context-signs';
import { WRAPPER_ENTRY_IDS } from '../cpapi-shapes';
import { hasCpapiContext, hasIbkrContext, readsByApi, type Match, type Matcher } from '../matcher';
import { buildTextMap, chunkEnd, piecesOf, runText, type RunItem, type TextMap } from '../textmap';
import { matchTogether } from './batch';
import { contextsIn, type ElementInfo } from './dom-info';
import { elementEdges, hasElementEdges } from './element-edges';
import type { MarkRemoval } from './mark-removal';
import type { Mark, MarkSpec, MarkStore } from './mark-store';
import type { MatchedRuns } from './matched-runs';
import type { PageContext } from './page-context';
import type { TextStreams } from './text-streams';
import type { RunOrder } from './text-order';
import type { UndoBackoff } from './undo-backoff';
import type { Run } from './walker';

/** Text matched in one go: a 5 MB log is matched in chunks of this size, at line ends. */
const CHUNK = 8_000;
/** Runs shorter than the shortest thing worth marking. */
const MIN_TEXT_LENGTH = 8;

/** Whether a text could hold anything worth marking: long enough, with a letter in it. */
export function worthMatching(text: string): boolean {
  return text.length >= MIN_TEXT_LENGTH && /[A-Za-z]/.test(text);
}

/** A run being matched, possibly over several slices. */
export interface RunJob {
  map: TextMap;
  block: Element | null;
  /** What is known about the element holding the run's first node: its contexts (block, post, notebook). */
  info: ElementInfo;
  /** Cut from a block whose text goes on (lib/annotate/walker.ts). */
  open: boolean;
  cursor: number;
  matches: (Match & { withPageContext: boolean })[];
  wanted: boolean;
  /** Where the run stands in its pass's order (none: found out of order, or text a page appended to a node). */
  order?: RunOrder;
  /** A Client Portal sign showed in an earlier chunk of the run, or earlier in its block (`Run.cpapiBefore`). */
  cpapiSeen: boolean;
  /** How far its text was read for that sign. */
  cpapiReadTo: number;
}

/** Starts a job for each run that changed since it was matched; the others are left alone. */
export class RunIntake {
  /** Number of runs matched so far. */
  scannedCount = 0;

  constructor(
    private readonly store: MarkStore,
    /** Runs already matched (lib/annotate/matched-runs.ts). */
    private readonly matched: MatchedRuns,
    private readonly backoff: UndoBackoff,
    private readonly removal: MarkRemoval,
    /** Long text nodes followed as the page appends to them (lib/annotate/text-streams.ts). */
    private readonly streams: TextStreams,
  ) {}

  /** Starts matching a run, or returns null when it has not changed since it was matched. */
  prepare(r: Run): RunJob | null {
    const { store, matched } = this;
    const items = r.items;
    const texts = items.some((i) => i === '\n') ? items.filter((i): i is Text => i !== '\n') : (items as Text[]);
    const text = runText(items);
    const worth = worthMatching(text);
    // Most runs of a page hold nothing worth matching (the white space between its blocks): with
    // no mark to take away, the rest (two calls into the page's DOM and two table lookups) is
    // skipped. What follows would return null for them too.
    if (!worth && (store.size === 0 || texts.every((t) => store.marksOf(t).length === 0))) return null;
    const first = texts[0];
    // The page removed part of it since the walk: its change is queued to be scanned.
    if (!first.isConnected || !texts[texts.length - 1].isConnected) return null;
    let marks: Set<Mark> | null = null;
    let intact = true;
    if (store.size > 0) {
      for (const t of texts) {
        for (const mark of store.marksOf(t)) {
          (marks ??= new Set()).add(mark);
          if (!store.isIntact(mark)) intact = false;
        }
      }
    }
    if (intact && matched.isMatched(texts, text.length)) {
      // Found again, unchanged, in this pass: its marks take its place in the pass's order.
      if (marks && r.pass) renumber(marks, items, { pass: r.pass, seq: r.seq! });
      return null;
    }
    // The run is matched again as a whole: its old marks go first.
    if (marks) this.removal.remove(marks);
    if (worth) matched.record(texts, text.length);
    // Matched whole again: what was being made of a node followed as a stream is dropped.
    if (this.streams.following) for (const t of texts) this.streams.forget(t);
    if (!worth || this.backoff.isBlocked(r.block, first)) return null;
    this.scannedCount++;
    // A long run of one node is followed from now on: the page may be streaming into it.
    const streamed = items.length === 1 ? this.streams.follow(first, text, r.block, r.info) : null;
    return newJob(streamed ?? buildTextMap(items, text), r.block, r.info, r.open, r.pass ? { pass: r.pass, seq: r.seq! } : undefined, r.cpapiBefore);
  }
}

/**
 * Gives the marks of a run found unchanged its place in its pass's order. A mark found out of
 * order (a huge block's marked line read again, text a page appended to a node) gets its offset in
 * the run's text: so every mark a pass took in compares by number (lib/annotate/huge-blocks.ts
 * counts on it), and its markers' order is known without the browser.
 */
function renumber(marks: Iterable<Mark>, items: readonly RunItem[], order: RunOrder): void {
  let starts: Map<Text, number> | null = null;
  for (const mark of marks) {
    let at = mark.order?.at;
    if (at === undefined) {
      starts ??= startsOf(items);
      const start = starts.get(mark.pieces[0].node);
      if (start === undefined) continue;
      at = start + mark.pieces[0].from;
    }
    mark.order = { pass: order.pass, seq: order.seq, at };
  }
}

/** Where each text node of a run starts in its text. */
function startsOf(items: readonly RunItem[]): Map<Text, number> {
  const starts = new Map<Text, number>();
  let offset = 0;
  for (const item of items) {
    if (item === '\n') offset++;
    else {
      starts.set(item, offset);
      offset += item.data.length;
    }
  }
  return starts;
}

/** A job to match a map (which is told of it). */
export function newJob(map: TextMap, block: Element | null, info: ElementInfo, open: boolean, order?: RunOrder, cpapiBefore = false): RunJob {
  const job: RunJob = { map, block, info, open, cursor: 0, matches: [], wanted: false, order, cpapiSeen: cpapiBefore, cpapiReadTo: 0 };
  map.matchedBy?.(job);
  return job;
}

/** Matches runs: short ones together first, then each a chunk at a time, into marks to make. */
export class RunMatching {
  /**
   * Per pass over a block, the number of its first run that showed a Client Portal sign: its later
   * runs count it (a block's text goes on past a run cut for its length). Only the text of such
   * blocks is read for it, each character once.
   */
  private readonly cpapiSigns = new WeakMap<object, number>();

  constructor(
    private readonly matcher: Matcher,
    private readonly context: PageContext,
    private readonly severityOf?: (entryId: string) => string | null | undefined,
    /** Told of a run whose matching asked for context and found none (lib/annotate/block-streams.ts). */
    private readonly onLacked?: (block: Element | null, map: TextMap) => void,
  ) {}

  /** Matches short runs together; those with a candidate go to `into`, to be matched on their own. */
  pickCandidates(batch: readonly RunJob[], into: RunJob[]): void {
    // A followed node's windows are told the spans that count for nothing (`uncountedSpan`); a batch without one asks for none.
    const wantsUncounted = batch.some((j) => j.map.uncountedSpan !== undefined) ? (i: number) => batch[i].map.uncountedSpan !== undefined : undefined;
    const { byText, uncounted, spanning, cpapi } = matchTogether(this.matcher, batch.map((j) => j.map.text), wantsUncounted);
    for (const [i, spans] of uncounted) for (const [start, end] of spans) batch[i].map.uncountedSpan!(0, start, end);
    // Each run's text is matched now (a followed node reads its signs of context there); a run
    // with no candidate is done: nothing in it is made.
    for (let i = 0; i < batch.length; i++) {
      const { map } = batch[i];
      map.matchedTo?.(0, map.text.length);
      if (!byText.has(i)) map.finish?.();
      this.noteCpapiSign(batch[i], map.text, map.text.length);
    }
    for (const [i, found] of byText) {
      const j = batch[i];
      // A run whose own text shows IBKR (and, where it matters, Client Portal) context is matched
      // with every rule allowed on its own too: what the batch found in it is its matches. Not so
      // a code that reads by the API its text is about: the batch read it with all runs' signs.
      const text = j.map.text;
      // A reason in a heading or paragraph of several elements is measured with their edges: alone.
      const edges = hasElementEdges(j.block, j.map) && found.some((m) => m.reason !== null);
      // A text that starts inside a line is matched alone too, with the closers its line owes.
      // A refusal or short message read by API is asked the run's Client Portal context as alone (once).
      let runCpapi: boolean | undefined;
      const cpapiContext = () => (runCpapi ??= this.cpapiAround(j, () => undefined));
      // A followed node's window in which the batch found a wrapper is matched alone: its candidates say what becomes of the wrapper's mark.
      const wrapper = j.map.edgeCandidates !== undefined && found.some((m) => WRAPPER_ENTRY_IDS.has(m.entryId));
      if (!spanning.has(i) && !edges && !wrapper && !j.map.lineBefore?.owed.length && hasIbkrContext(text) && (!cpapi() || hasCpapiContext(text)) && !found.some((m) => readsByApi(m, text, cpapiContext))) {
        for (const m of found) j.matches.push({ ...m, withPageContext: false });
        j.cursor = text.length;
      }
      into.push(j);
    }
  }

  /** Matches the next chunk of a run. */
  matchChunk(j: RunJob): void {
    const { matcher, context } = this;
    const text = j.map.text;
    const cursor = j.cursor;
    const end = chunkEnd(text, cursor, CHUNK);
    const chunk = j.cursor === 0 && end === text.length ? text : text.slice(j.cursor, end);
    let usedPage = false;
    const block = j.block;
    const line = j.map.lineBefore;
    const lacked = (kind: ContextKind): false => {
      j.map.lacked?.(kind);
      this.onLacked?.(block, j.map);
      return false;
    };
    const found = matcher.find(chunk, {
      owedBefore: j.cursor === 0 ? line?.owed : undefined,
      startsInLine: j.cursor === 0 ? line?.inLine === true : text.charCodeAt(j.cursor - 1) !== 10,
      edges: hasElementEdges(block, j.map) ? () => elementEdges(j.map, block, j.cursor, end) : undefined,
      context: () => {
        j.wanted = true;
        // The node the text was appended to, then the page's context settle it at once; the
        // block's and the post's text is read only without them.
        if (line?.ibkr) return true;
        if (context.value) return (usedPage = true);
        return contextsIn(j.info).some(context.elements.has) || lacked('ibkr');
      },
      cpapiContext: () => this.cpapiAround(j, () => (usedPage = true)),
      // A followed node's window is told its first and last candidate (a wrapper's mark on its line).
      edgeCandidates: j.map.edgeCandidates && ((first, last, lastWrapper) => j.map.edgeCandidates!(cursor, first, last, lastWrapper)),
      // And the spans a pattern matched there that count for nothing: its next window starts no later than them.
      uncountedSpan: j.map.uncountedSpan && ((start, end) => j.map.uncountedSpan!(cursor, start, end)),
      // A followed node's signs of each API before the text, read as the text's own (a refusal or
      // short message by API); a node whose text read none is told so, as for context.
      ...(j.map.lacked && j.cursor === 0 ? { socketSignBefore: () => line?.socket === true || signLacked(j, 'socket'), cpapiSignBefore: () => line?.cpapi === true || signLacked(j, 'cpapi') } : {}),
    });
    j.map.matchedTo?.(j.cursor, end);
    this.noteCpapiSign(j, chunk, end);
    // Found with the page's context (URL, title, heading) in play: on navigation these are given
    // back and matched again with the new page's context (those that hold without it, by their
    // block's or post's context, come back). Telling them apart here would mean reading the block
    // and the post, and another match of every such run.
    for (const m of found) j.matches.push({ ...m, start: m.start + j.cursor, end: m.end + j.cursor, withPageContext: usedPage });
    j.cursor = end;
  }

  /**
   * The Client Portal context around a run (the node it was appended to, the page, its post or
   * block), as its matching asks it; `pageUsed` is told when the page's settled it. A run that
   * finds none is told so.
   */
  private cpapiAround(j: RunJob, pageUsed: () => void): boolean {
    j.wanted = true;
    if (j.map.lineBefore?.cpapi) return true;
    if (this.context.cpapi) {
      pageUsed();
      return true;
    }
    if (contextsIn(j.info).some(this.context.elements.hasCpapi)) return true;
    if (j.cpapiSeen || (j.order && (this.cpapiSigns.get(j.order.pass) ?? Infinity) < j.order.seq)) return true;
    j.map.lacked?.('cpapi');
    this.onLacked?.(j.block, j.map);
    return false;
  }

  /**
   * Notes a Client Portal sign in text of `j` just matched (up to `end`), when more of its block
   * follows: its run's later chunks, and its pass's later runs, count it as their block's.
   */
  private noteCpapiSign(j: RunJob, text: string, end: number): void {
    if (j.cpapiSeen || end <= j.cpapiReadTo || (end === j.map.text.length && !j.open)) return;
    const pass = j.order?.pass;
    if (pass && this.cpapiSigns.has(pass) && end === j.map.text.length) return;
    j.cpapiReadTo = end;
    if (!hasCpapiContext(text)) return;
    j.cpapiSeen = true;
    if (pass && !this.cpapiSigns.has(pass)) this.cpapiSigns.set(pass, j.order!.seq);
  }

  /** The marks a fully matched run asks for, or null for none. */
  marksFor(j: RunJob): MarkSpec[] | null {
    j.map.finish?.();
    if (j.matches.length === 0) {
      if (j.wanted) this.context.waitFor(j.map);
      return null;
    }
    const specs: MarkSpec[] = [];
    const keepTo = j.map.keepTo ?? Infinity;
    for (const m of j.matches) {
      // Past where a later map of a streamed node matches its text again: found there.
      if (m.end > keepTo) continue;
      // A literal, not an object rest: rest adds the fields one by one to an object that then
      // keeps some out of line (docs/performance.md, "The heap on the thread").
      const { withPageContext } = m;
      const match: Match = { start: m.start, end: m.end, entryId: m.entryId, rule: m.rule, variant: m.variant, reason: m.reason };
      const pieces = piecesOf(j.map, m.start, m.end);
      if (pieces.length > 0) {
        j.map.hold?.(pieces);
        const order = j.order && { pass: j.order.pass, seq: j.order.seq, at: m.start };
        specs.push({ match, pieces, withPageContext, block: j.block, runStart: j.map.segments[0].node, severity: this.severityOf?.(m.entryId) ?? null, order });
      }
    }
    return specs.length > 0 ? specs : null;
  }
}

/** A followed node's text before a run was asked for a sign of `kind` and showed none: the node notes it (lib/annotate/text-streams.ts). */
function signLacked(j: RunJob, kind: SignKind): false {
  j.map.lacked?.(kind);
  return false;
}
