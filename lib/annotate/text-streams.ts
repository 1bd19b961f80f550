/**
 * Text nodes a page streams into: a log tail that appends at the end of one text node
 * (`appendData`) and cuts its oldest lines at the start (`deleteData(0, n)`), hundreds of times a
 * second. Read the usual way, each such edit takes all the node's marks away and matches its whole
 * text again (150 KB for 2,000 lines: quadratic over a day), and the marks found are dropped
 * before they go in, as the node has changed again by then.
 *
 * So a run that is one long text node is followed from the time it is matched whole: its text as
 * last seen is kept, and a delivery with records of it compares the text now with that. When the
 * node's text now is what it was, less some characters at the start, plus some at the end, the marks in the text
 * kept stay (their pieces shifted by the cut, painted with new static ranges), the marks cut off
 * go, and only the text appended is matched, from the start of the line it continues (in a long
 * line, from about REMATCH_BEFORE characters before it: `rematchFrom`). Marks being
 * made (matched, not yet in the page) are shifted the same way; a mark whose text was cut off
 * before it went in is not made. Text whose matching has not ended yet is matched again from where
 * it got to (`takeOver`). Any other edit (a write in the middle, a text rewritten) is read
 * the usual way, and the node is followed again once it is matched whole.
 *
 * The text appended is matched with the context the node's text shows now, wherever in it: the
 * node keeps where its last sign of each kind is (IBKR and Client Portal context, and the socket
 * API's own signs, which read a refusal by API: lib/context-signs.ts), read in the text first
 * matched when the page first edits the node, and then in each text appended. When the text appended first shows a kind that a
 * mention in the node waited for, or a cut takes the last sign of a kind away while marks matched
 * with it may stand, the edit is read as a rewrite: the node is matched whole again
 * (`contextAfter`).
 *
 * The page's text is only read: the test that an edit is a stream edit is one native search of
 * the text now's first characters in the old text and one native comparison of the text kept (no
 * matching), once per node per delivery. The records' old values are not read (each is the
 * node's whole text as a string of its own), nor is `startsWith` run over the whole text: in a
 * sampled profile of 20 s of the soak page the test done that way took 600 of our 1,040 ms; now
 * it takes 15 of 520 (docs/performance.md).
 */
import { LEAD_WINDOW } from '../code-shapes';
import { ENDPOINT_PATHS, ENDPOINT_REACH, WRAPPER_ENTRY_IDS } from '../cpapi-shapes';
import { lastSignStart, SIGN_KINDS, SIGN_REACH, type SignKind } from '../context-signs';
import { MAX_TAIL, owedClosers } from '../mention-extent';
import type { EdgeCandidate, WrapperCandidate } from '../matcher';
import type { LineBefore, MatchProgress, TextMap, TextPiece, TextSegment } from '../textmap';
import type { ElementInfo } from './dom-info';
import type { MarkPaint } from './mark-paint';
import type { MarkRemoval } from './mark-removal';
import type { Mark, MarkStore } from './mark-store';
import type { MatchedRuns } from './matched-runs';
import type { UndoBackoff } from './undo-backoff';

/** Runs of one text node at least this long are followed: below, matching a whole run again costs little. */
export const STREAM_MIN_CHARS = 2_000;

/**
 * How far before the end of a line that grows a mention the text appended completes may start:
 * the longest official message with its placeholders at their widest (605 characters), after the
 * longest code shape (190, with three extra fields) and a value before its message (41), is 837;
 * the rest leaves room for runs of white space. A unit test works it out from the catalog.
 */
export const REMATCH_BEFORE = 1_000;
/**
 * A mark that ends this close to the end of a line that grows is matched again: its tail (a
 * reason, a glued detail) reaches up to MAX_TAIL past its message, and the tail's tests read a
 * few words past that (`and then`, `, contract: `, the next `Error 321, reqId 5`: under 40).
 */
const TAIL_REACH = MAX_TAIL + 64;
/**
 * Text read for signs of context in one go, at most (about 10 ms): a longer append is read as a
 * rewrite (matched whole, in slices), and a sign looked for further back is not looked for.
 */
const MAX_SIGN_SCAN = 1 << 20;
/** Text matched and not read for signs of context yet, at most (read in well under 1 ms). */
const UNREAD_SIGNS_MAX = 1 << 16;

/**
 * How far back a wrapper whose mark was taken away by a candidate that the text appended may
 * still rule out is read again from (`Stream.carried`): one matching chunk; further back, it stays
 * unmarked (docs/page-integrity.md).
 */
const CARRIED_REACH = 8_000;
/** Spans that count for nothing kept per node (the last on its line that grows): a few per REMATCH_BEFORE characters at most. */
const UNCOUNTED_KEPT = 16;

/** Adds a span to the last UNCOUNTED_KEPT of a line, dropping the oldest. */
function keepLast(list: { start: number; end: number }[], span: { start: number; end: number }): void {
  list.push(span);
  if (list.length > UNCOUNTED_KEPT) list.shift();
}

/** Characters of the text now looked for in the old text, to find where the text kept starts. */
const HEAD = 256;
/** Places tried, when the head is found more than once (a log of repeated lines). */
const TRIES = 4;

/**
 * How many characters `old` lost at its start if `now` is what is left of it plus characters
 * appended, else -1 (the fewest: the most text kept). One native search, and one `===` of two
 * slices for the text kept.
 */
export function cutBefore(old: string, now: string): number {
  const head = now.slice(0, Math.min(HEAD, now.length));
  for (let k = 0, cut = old.indexOf(head); k < TRIES && cut >= 0; k++, cut = old.indexOf(head, cut + 1)) {
    const kept = old.length - cut;
    if (kept <= now.length && now.slice(0, kept) === old.slice(cut)) return cut;
  }
  return -1;
}

/**
 * The closers the line of `text` that holds `at` owes there, read from the line's start: for a
 * place before the last line, where matching starts again only after a job that had not ended
 * (`takeOver`).
 */
function owedAt(text: string, at: number): readonly string[] {
  return owedClosers(text, text.lastIndexOf('\n', at - 1) + 1, at);
}

/** The last of matches in text order that starts before `at`. */
function lastBefore<T extends { start: number; entryId: string }>(matches: readonly T[], at: number): T | undefined {
  let last: T | undefined;
  for (const m of matches) if (m.start < at) last = m;
  return last;
}

/** A piece cut off with its text before its mark went in: the mark is not made (lib/annotate/mark-queue.ts). */
export const isCutOff = (pieces: readonly TextPiece[]): boolean => pieces.length > 0 && pieces[0].from < 0;

/**
 * A wrapper's candidate (lib/cpapi-shapes.ts `dropCoveredWrappers`) on the line that grows, which
 * no candidate has followed yet: its mark stands until the next candidate on the line, and goes if
 * that is another entry's. Counted as `Stream.signAt`.
 */
interface OpenWrapper {
  at: number;
  entryId: string;
}

/** One text node followed, and what of it is being matched or marked. */
class Stream {
  live = true;
  /** Characters cut from the node's start since it was followed: offsets in maps are kept against it. */
  cut = 0;
  /** The node's text as last seen (all of it was handed to matching). */
  text: string;
  /** Pieces of marks matched in the node and not yet in the page: shifted with the text. */
  readonly pending = new Set<TextPiece>();
  /**
   * The map handed to matching last, until its matches are pieces (its job waits or is under way):
   * at the next stream edit, the rest of its text is matched again with what was appended.
   */
  open: StreamTextMap | null = null;
  /** Where the last line of the text last seen starts. */
  line: number;
  /** The closers that line owes at `owedAt` (a place in it where matching started): see `rematchFrom`. */
  owed: string[] = [];
  owedAt: number;
  /**
   * Per kind of context, where the last sign of it in the node's text starts (counted, as `cut`,
   * from the node's start when it was followed), or -1: the node's text shows that kind until the
   * page cuts past it.
   */
  readonly signAt: Record<SignKind, number> = { ibkr: -1, cpapi: -1, socket: -1 };
  /** The node's text before this place (counted as `signAt`) was read for signs of context. */
  signsTo = 0;
  /**
   * The node's text before this place was matched: its signs are read when an edit first needs
   * them (`readSigns`), so a long node the page never writes to costs no reading.
   */
  matchedTo = 0;
  /** Per kind, whether matching the node's text asked for it and found none: a mention waits for it. */
  readonly lacked: Record<SignKind, boolean> = { ibkr: false, cpapi: false, socket: false };
  /**
   * The wrapper on the line that grows that no candidate has followed yet: the text matched again
   * from inside the line does not see it, and is told of it (`StreamTextMap.settleWrapper`).
   */
  wrapper: OpenWrapper | null = null;
  /**
   * A wrapper whose mark the first candidate after it took away, while that candidate ends close
   * enough to the end of the line that grows for the text appended to change it (`error 504`,
   * then ` Gateway Timeout`): the text matched again then starts at the wrapper, which is read
   * again as the whole line would, when it is at most CARRIED_REACH characters back.
   * `byEnd`: where that candidate ends (counted as `signAt`).
   */
  carried: { wrapper: OpenWrapper; byEnd: number } | null = null;
  /**
   * The last spans on the line that grows that a pattern matched and that count for nothing
   * (lib/matcher.ts `uncountedSpan`, counted as `signAt`): matching the whole line reads nothing
   * inside them, so the text matched again starts no later than one it would start inside.
   */
  uncounted: { start: number; end: number }[] = [];
  /**
   * The last endpoints that give a status its meaning (lib/cpapi-shapes.ts `ENDPOINT_PATHS`) named
   * on the line that grows (counted as `signAt`), and how far the line was read for them: a status
   * up to ENDPOINT_REACH characters after one reads it, so the text matched again starts no later
   * than one that reaches it.
   */
  endpoints: { start: number; end: number }[] = [];
  endpointsTo = 0;

  constructor(
    readonly node: Text,
    readonly block: Element | null,
    readonly info: ElementInfo,
    text: string,
    /** Takes the mark of a wrapper away: the line's next candidate is another entry's. */
    readonly wrapperCarried: (stream: Stream, wrapper: OpenWrapper) => void,
  ) {
    this.text = text;
    this.line = this.owedAt = text.lastIndexOf('\n') + 1;
  }

  /** Reads the signs of context in the text matched since they were last read (from SIGN_REACH before it, for a sign it completes). */
  readSigns(): void {
    if (this.matchedTo <= this.signsTo) return;
    const start = Math.max(0, this.signsTo - this.cut - SIGN_REACH);
    const to = this.matchedTo - this.cut;
    for (const kind of SIGN_KINDS) {
      const at = lastSignStart(this.text, kind, start, to);
      if (at >= 0) this.signAt[kind] = Math.max(this.signAt[kind], this.cut + at);
    }
    this.signsTo = this.matchedTo;
  }

  /** Whether the node's text shows a kind of context. */
  shows(kind: SignKind): boolean {
    return this.signAt[kind] >= this.cut;
  }

  /** What is known before text of the node handed to matching: the closers its line owes, the context the node shows. */
  before(owed: readonly string[], inLine: boolean): LineBefore {
    return { owed, inLine, ibkr: this.shows('ibkr'), cpapi: this.shows('cpapi'), socket: this.shows('socket') };
  }

  /** The line starts at `at`: nothing is known of it before. */
  newLine(at: number): void {
    this.line = this.owedAt = at;
    this.owed = [];
    this.uncounted = [];
    this.endpoints = [];
    this.carried = null;
    this.endpointsTo = 0;
  }

  /** A span on the line that counts for nothing (`uncounted`), at `start`..`end` counted as `signAt`. */
  noteUncounted(start: number, end: number): void {
    if (start < this.cut + this.line || this.uncounted.some((u) => u.start === start)) return;
    keepLast(this.uncounted, { start, end });
  }

  /**
   * Reads the line that grows for endpoints (`endpoints`) from where it was last read (less a
   * path's length, for one the text appended completes) to the end of `now`: each character once.
   */
  readEndpoints(now: string): void {
    const from = Math.max(this.line, this.endpointsTo - this.cut - 32);
    ENDPOINT_PATHS.lastIndex = from;
    for (let m = ENDPOINT_PATHS.exec(now); m !== null; m = ENDPOINT_PATHS.exec(now)) {
      const start = this.cut + m.index;
      if (!this.endpoints.some((e) => e.start === start)) keepLast(this.endpoints, { start, end: start + m[0].length });
    }
    this.endpointsTo = this.cut + now.length;
  }

  /**
   * The text last seen lost `cut` characters at its start and became `now`: the line and the
   * place the closers are known follow it, to the start of a new line if one was appended.
   */
  moveOn(cut: number, now: string): void {
    let line = -1;
    for (let nl = now.indexOf('\n', this.text.length - cut); nl >= 0; nl = now.indexOf('\n', nl + 1)) line = nl + 1;
    if (line >= 0) this.newLine(line);
    else {
      this.line -= cut;
      this.owedAt -= cut;
    }
    this.cut += cut;
    if (this.wrapper !== null && this.wrapper.at < this.cut) this.wrapper = null;
    this.text = now;
    this.readEndpoints(now);
  }
}

/**
 * The text map of part of a followed node, from `from` to the end as it was when read. Its one
 * segment follows the node's cuts; a match in text cut away meanwhile has no pieces.
 */
export class StreamTextMap implements TextMap {
  private list: TextSegment[];
  /** Where the map's text starts, counted from the node's start when it was first followed. */
  private readonly base: number;
  /** The job matching it, while the next stream edit may need to know how far it got. */
  job: MatchProgress | null = null;
  keepTo = Infinity;
  /** The first and last candidate matching found in its text (`edgeCandidates`). */
  private first: EdgeCandidate | null = null;
  private last: EdgeCandidate | null = null;
  /** The last wrapper's candidate matching found in its text, and where the next candidate starts (-1: none yet). */
  lastWrapper: WrapperCandidate | null = null;

  constructor(
    private readonly stream: Stream,
    readonly text: string,
    from: number,
    /** What is known before it: the closers its line owes, the node's context (lib/textmap.ts). */
    readonly lineBefore?: LineBefore,
    /** A wrapper before it on the line may be open: its candidates are needed, whatever it holds. */
    readonly alone = false,
  ) {
    this.base = from + stream.cut;
    this.list = [{ node: stream.node, start: -from, end: text.length }];
  }

  get segments(): TextSegment[] {
    const start = this.stream.cut - this.base;
    if (this.list[0].start !== start) this.list = [{ node: this.stream.node, start, end: this.text.length }];
    return this.list;
  }

  /** Current while its node is followed: the text it read is where its segment says. */
  current(): boolean {
    return this.stream.live && this.stream.node.isConnected;
  }

  /** Where the map's text starts in the node's text now. */
  get start(): number {
    return this.base - this.stream.cut;
  }

  matchedBy(job: MatchProgress): void {
    if (this.stream.open === this) this.job = job;
  }

  /** Its matches are about to be pieces (held from now on): the next edit need not match its text again. */
  finish(): void {
    if (this.stream.open === this) this.stream.open = null;
    this.job = null;
    if (this.stream.live) this.settleWrapper();
  }

  edgeCandidates(from: number, first: EdgeCandidate | null, last: EdgeCandidate | null, lastWrapper: WrapperCandidate | null): void {
    if (first !== null && this.first === null) this.first = { start: first.start + from, end: first.end + from, entryId: first.entryId };
    if (last !== null) this.last = { start: last.start + from, end: last.end + from, entryId: last.entryId };
    if (lastWrapper !== null) this.lastWrapper = { start: lastWrapper.start + from, end: lastWrapper.end + from, entryId: lastWrapper.entryId, nextStart: lastWrapper.nextStart < 0 ? -1 : lastWrapper.nextStart + from };
    else if (this.lastWrapper !== null && this.lastWrapper.nextStart < 0 && first !== null) this.lastWrapper.nextStart = first.start + from;
  }

  /**
   * What its candidates (up to `keepTo`) do to the wrapper left open on its line, as matching the
   * whole line would (lib/cpapi-shapes.ts `dropCoveredWrappers`): the first candidate on its first
   * line takes the wrapper's mark away when it is another entry's, and settles it either way, as
   * the end of the line does; a wrapper that is its last candidate, on its last line, is open.
   * A map found nothing in by a batch has no candidate; one with an open wrapper before it is
   * matched alone (`alone`).
   */
  private settleWrapper(): void {
    const { stream, base, text } = this;
    const limit = Math.min(this.keepTo, text.length);
    if (limit <= 0) return;
    const nl = text.indexOf('\n');
    const lineEnd = nl >= 0 && nl < limit ? nl : -1;
    const first = this.first !== null && this.first.end <= limit ? this.first : null;
    const w = stream.wrapper;
    if (w !== null && w.at >= base) {
      // Its own text holds the wrapper: matching it settled the wrapper as the whole line would.
      if (w.at < base + limit) stream.wrapper = null;
    } else if (w !== null && first !== null && (lineEnd < 0 || first.start < lineEnd)) {
      if (first.entryId !== w.entryId) {
        stream.wrapperCarried(stream, w);
        // A candidate at the end of a line that grows may be ruled out by what is appended next.
        if (limit === text.length && first.end > text.length - TAIL_REACH && text.indexOf('\n', first.end) < 0) stream.carried = { wrapper: w, byEnd: base + first.end };
      }
      stream.wrapper = null;
    } else if (w !== null && lineEnd >= 0) stream.wrapper = null;
    const last = this.last;
    if (last === null || last.end > limit || !WRAPPER_ENTRY_IDS.has(last.entryId)) return;
    const after = text.indexOf('\n', last.end);
    if (after < 0 || after >= limit) stream.wrapper = { at: base + last.start, entryId: last.entryId };
  }

  /** Pieces made from this map are shifted with the node's text until their mark is in the page. */
  hold(pieces: readonly TextPiece[]): void {
    if (this.stream.live) for (const p of pieces) this.stream.pending.add(p);
  }

  /**
   * Its text is matched up to `to`: the node's signs of context there are to be read, when what
   * comes before was matched (the text first matched whole counts so, a chunk at a time, as it is
   * matched; text appended is read when it is seen, `TextStreams.contextAfter`). They are read
   * when the page next edits the node (`Stream.readSigns`).
   */
  matchedTo(from: number, to: number): void {
    const { stream, base } = this;
    if (!stream.live || base + to <= stream.matchedTo || base + from > stream.matchedTo) return;
    stream.matchedTo = base + to;
    // A long node's are read as it is matched, a chunk at a time: all read at its first edit,
    // they would make one long task.
    if (stream.matchedTo - stream.signsTo > UNREAD_SIGNS_MAX) stream.readSigns();
  }

  lacked(kind: SignKind): void {
    if (this.stream.live) this.stream.lacked[kind] = true;
  }

  uncountedSpan(from: number, start: number, end: number): void {
    if (this.stream.live) this.stream.noteUncounted(this.base + from + start, this.base + from + end);
  }
}

export class TextStreams {
  private streams = new WeakMap<Text, Stream>();
  /** Nodes followed (a WeakMap has no size): nothing is looked up while there are none. */
  private count = 0;

  constructor(
    private readonly store: MarkStore,
    private readonly paint: MarkPaint,
    private readonly removal: MarkRemoval,
    private readonly matched: MatchedRuns,
    private readonly backoff: UndoBackoff,
    /** Queues text to be matched (lib/annotate/run-queue.ts), and asks for work. */
    private readonly addText: (map: TextMap, block: Element | null, info: ElementInfo) => void,
  ) {}

  /** Whether any node is followed. */
  get following(): boolean {
    return this.count > 0;
  }

  /**
   * A run that is one text node is matched whole: a long one is followed from now on, and this is
   * the map to match it with (null for a short one).
   */
  follow(node: Text, text: string, block: Element | null, info: ElementInfo): StreamTextMap | null {
    this.forget(node);
    if (text.length < STREAM_MIN_CHARS) return null;
    const stream = new Stream(node, block, info, text, this.wrapperCarried);
    this.streams.set(node, stream);
    this.count++;
    return (stream.open = new StreamTextMap(stream, text, 0));
  }

  /** A node is matched the usual way again (in a run with other nodes, or after another edit). */
  forget(node: Text): void {
    if (this.count === 0) return;
    const stream = this.streams.get(node);
    if (!stream) return;
    stream.live = false;
    this.streams.delete(node);
    this.count--;
  }

  /** Follows nothing any more (the annotator stopped: the page's edits are not seen meanwhile). */
  clear(): void {
    this.streams = new WeakMap();
    this.count = 0;
  }

  /**
   * Handles the records of followed nodes whose text was only cut at the start and appended to;
   * returns the records left to read the usual way (lib/annotate/changes.ts). Called before those
   * are read: a mark shifted here is intact there.
   */
  take(records: MutationRecord[]): MutationRecord[] {
    if (this.count === 0) return records;
    let byNode: Map<Stream, MutationRecord[]> | null = null;
    for (const r of records) {
      if (r.type !== 'characterData') continue;
      const stream = this.streams.get(r.target as Text);
      if (!stream) continue;
      byNode ??= new Map();
      const list = byNode.get(stream);
      if (list) list.push(r);
      else byNode.set(stream, [r]);
    }
    if (!byNode) return records;
    const handled = new Set<MutationRecord>();
    for (const [stream, list] of byNode) {
      if (this.advance(stream)) for (const r of list) handled.add(r);
      else this.forget(stream.node);
    }
    return handled.size === 0 ? records : records.filter((r) => !handled.has(r));
  }

  /**
   * One delivery's change to a followed node: false when it is not a stream edit. The text before
   * it is the text last seen (not the records' old values: see the file's head); the text now must
   * start with the old text less some characters at its start, found where the text now starts in
   * the old text. Then, whatever the page did in between, the text now is the old text cut at the
   * start plus what was appended.
   */
  private advance(stream: Stream): boolean {
    const node = stream.node;
    if (!node.isConnected) return false;
    const old = stream.text;
    const now = node.data;
    // Written back as it was: read the usual way (a page undoing our marks, lib/annotate/changes.ts).
    if (now === old) return false;
    const cut = cutBefore(old, now);
    if (cut < 0) return false;
    // Context shown first by the text appended, or taken away by the cut, changes what the text
    // kept should be marked with: it is matched whole again.
    if (!this.contextAfter(stream, old, now, cut)) return false;
    // A line cut at its start by the page starts where the text kept starts.
    if (cut > stream.line) stream.newLine(cut);
    // The text handed to matching ended inside a line that has grown: its end is matched again.
    let from = old.length;
    let owed: readonly string[] = [];
    const grew = from > 0 && now.length > old.length - cut && old.charCodeAt(from - 1) !== 10;
    if (grew) from = this.rematchFrom(stream, old);
    // A map not done yet may still leave a wrapper open before the text matched again.
    const alone = stream.wrapper !== null || stream.open !== null;
    const open = stream.open;
    if (open) {
      from = Math.max(cut, this.takeOver(stream, open, old, from, grew));
      // Where its job got to may be inside what the line that grows reads before it: its matches stop where matching starts again.
      if (from > stream.line && from < old.length) {
        from = Math.max(cut, this.pullBack(stream, from, grew ? Math.min(from, old.length - TAIL_REACH) : from));
        open.keepTo = Math.min(open.keepTo, from - open.start);
      }
    }
    if (from < old.length && from > stream.line) owed = this.owedBefore(stream, old, from);
    else if (from > cut && old.charCodeAt(from - 1) !== 10) owed = owedAt(old, from);
    from -= cut;
    this.shift(stream, cut, from);
    stream.moveOn(cut, now);
    this.matched.record([node], now.length);
    if (from < now.length && !this.backoff.isBlocked(stream.block)) {
      const map = (stream.open = new StreamTextMap(stream, from === 0 ? now : now.slice(from), from, stream.before(owed, from > 0 && now.charCodeAt(from - 1) !== 10), alone));
      this.addText(map, stream.block, stream.info);
    }
    return true;
  }

  /**
   * The map handed to matching last has no pieces yet (its job waits or is under way) when the
   * node changes again: what it found in the line that grew would be made beside what is found
   * there again. It stops where matching starts again, which moves back to where its job got to
   * and to the start of what it found that the text appended can change or that reaches past that
   * place (as for marks, in `rematchFrom`); matches past that place are dropped from it. Returns
   * where matching starts again, in the text last seen; `grew`: its last line did.
   */
  private takeOver(stream: Stream, open: StreamTextMap, old: string, from: number, grew: boolean): number {
    stream.open = null;
    const start = open.start;
    const job = open.job;
    from = Math.min(from, start + (job ? job.cursor : 0));
    if (job) {
      const changeable = grew ? Math.min(from, old.length - TAIL_REACH) : from;
      for (const m of job.matches) if (start + m.end > changeable && start + m.start < from) from = start + m.start;
      // A wrapper it found last before that place, on the line, may be open: found again with
      // what follows it (its map tells only its first and last candidate).
      const last = lastBefore(job.matches, from - start);
      if (last !== undefined && WRAPPER_ENTRY_IDS.has(last.entryId) && old.lastIndexOf('\n', from - 1) < start + last.start) from = start + last.start;
      // So is one that the candidate after it, past that place, took away: that candidate is matched again there.
      const w = open.lastWrapper;
      if (w !== null && start + w.end <= from && w.nextStart >= 0 && start + w.nextStart >= from && old.length - (start + w.start) <= CARRIED_REACH && old.lastIndexOf('\n', from - 1) < start + w.start) from = start + w.start;
    }
    open.keepTo = from - start;
    open.job = null;
    return from;
  }

  /**
   * Where matching starts again in a line of the text last seen that grew: the line's start, or,
   * in a long line, REMATCH_BEFORE characters before its end (after a blank, as a chunk of a long
   * run is cut: lib/textmap.ts `chunkEnd`), or before, at the start of a mark that ends after that
   * or close enough to the end for the text appended to change it (TAIL_REACH). Marks before it
   * stay; a line that grows without line breaks is so matched a bounded number of times per
   * character, not once per append.
   */
  private rematchFrom(stream: Stream, old: string): number {
    const { line } = stream;
    let from = old.length - REMATCH_BEFORE;
    if (from <= line) return line;
    // After a blank, not before the last place matching started (itself such a cut); with none
    // near, where it falls.
    for (let i = from - 1; i >= from - LEAD_WINDOW && i >= line; i--) {
      const c = old.charCodeAt(i);
      if (c === 32 || c === 9) {
        from = Math.max(i + 1, stream.owedAt);
        break;
      }
    }
    const changeable = Math.min(from, old.length - TAIL_REACH);
    const carried = stream.carried;
    stream.carried = null;
    if (carried !== null) {
      // The candidate that took a wrapper's mark away can still change: the line is read again from the wrapper.
      const at = carried.wrapper.at - stream.cut;
      if (at >= line && at < from && carried.byEnd - stream.cut > old.length - TAIL_REACH && old.length - at <= CARRIED_REACH) from = at;
    }
    return this.pullBack(stream, from, changeable);
  }

  /**
   * Moves `from`, where matching starts again in the last line of the text last seen, back to the
   * start of a mark there that it would cut or that ends after `changeable` (whose tail the text
   * appended can reach), of a span that counts for nothing it would start inside (`uncounted`),
   * and of an endpoint a status after it may read (`endpoints`): until none is left, each moving
   * it back.
   */
  private pullBack(stream: Stream, from: number, changeable: number): number {
    const { line } = stream;
    for (let before = Infinity; from < before; ) {
      before = from;
      const reach = Math.min(changeable, from);
      const pull = (p: TextPiece) => {
        if (p.node === stream.node && p.from >= line && p.to > reach && p.from < from) from = p.from;
      };
      for (const mark of this.store.marksOf(stream.node)) mark.pieces.forEach(pull);
      stream.pending.forEach(pull);
      for (const u of stream.uncounted) if (u.start - stream.cut >= line && u.start - stream.cut < from && u.end - stream.cut > from) from = u.start - stream.cut;
      for (const e of stream.endpoints) if (e.start - stream.cut >= line && e.start - stream.cut < from && e.end - stream.cut + ENDPOINT_REACH >= from) from = e.start - stream.cut;
    }
    return from;
  }

  /**
   * The closers the last line of the text last seen owes at `from`, where matching starts again in
   * it (lib/mention-extent.ts), as the whole line matched would: followed on from an earlier place
   * in the line, so each character is read once for them.
   */
  private owedBefore(stream: Stream, old: string, from: number): readonly string[] {
    if (from < stream.owedAt) {
      stream.owedAt = stream.line;
      stream.owed = [];
    }
    stream.owed = owedClosers(old, stream.owedAt, from, stream.owed);
    stream.owedAt = from;
    return stream.owed;
  }

  /**
   * Reads the signs of context in the text appended (from SIGN_REACH before it, for a sign it
   * completes) and what the cut leaves of the node's last sign of each kind; false when the text
   * kept is to be matched whole again: a kind the node did not show and a mention of it waited
   * for (`lacked`) is shown now, or the node's last sign of a kind is cut or undone (`TWS` written
   * on into `TWSE`) while marks matched with it may stand. Either needs the page to have written
   * past the last sign or cut past it: the node is so matched whole a bounded number of times per
   * character appended. A node whose text before the append was not all read yet (its first
   * match, a chunk at a time, is under way) counts context as its chunks are matched, as a whole
   * text matched chunk by chunk does: what it shows first then reaches no further back.
   */
  private contextAfter(stream: Stream, old: string, now: string, cut: number): boolean {
    const from = Math.max(0, old.length - cut - SIGN_REACH);
    if (now.length - from > MAX_SIGN_SCAN) return false;
    stream.readSigns();
    const whole = stream.signsTo >= stream.cut + old.length;
    const nowCut = stream.cut + cut;
    const signAt: Record<SignKind, number> = { ibkr: -1, cpapi: -1, socket: -1 };
    for (const kind of SIGN_KINDS) {
      const showed = stream.shows(kind);
      let at = lastSignStart(now, kind, from);
      const last = stream.signAt[kind] - nowCut;
      if (at < 0 && last >= 0 && last < from) at = last;
      else if (at < 0 && showed) {
        // Its last sign is gone: the one before it, if the text kept has one.
        at = lastSignStart(now, kind, Math.max(0, from - MAX_SIGN_SCAN), from);
        if (at < 0 && from > MAX_SIGN_SCAN) return false;
      }
      const shows = at >= 0;
      if (shows !== showed && (shows ? whole && stream.lacked[kind] : this.mayHaveUsed(stream))) return false;
      signAt[kind] = shows ? at + nowCut : -1;
    }
    Object.assign(stream.signAt, signAt);
    if (whole) stream.signsTo = stream.matchedTo = nowCut + now.length;
    return true;
  }

  /** Takes a wrapper's mark away, made or being made: the next candidate on its line is another entry's. */
  private readonly wrapperCarried = (stream: Stream, wrapper: OpenWrapper): void => {
    const { node } = stream;
    const at = wrapper.at - stream.cut;
    const covers = (p: TextPiece) => p.node === node && p.from <= at && at < p.to;
    const gone = this.store.marksOf(node).filter((m) => m.match.entryId === wrapper.entryId && m.pieces.some(covers));
    for (const p of stream.pending) {
      if (!covers(p)) continue;
      p.from = p.to = -1;
      stream.pending.delete(p);
    }
    if (gone.length > 0) this.removal.remove(gone);
  };

  /** Whether marks made, being made or to be made in the node may have been matched with context it showed. */
  private mayHaveUsed(stream: Stream): boolean {
    return stream.open !== null || stream.pending.size > 0 || this.store.marksOf(stream.node).length > 0;
  }

  /**
   * The node lost `cut` characters at its start: marks in the text kept move with it, marks cut
   * off or at or after `again` (in the text now: a line matched again) go.
   */
  private shift(stream: Stream, cut: number, again: number): void {
    const { node } = stream;
    const gone: Mark[] = [];
    const moved: Mark[] = [];
    const inPage = new Set<TextPiece>();
    for (const mark of this.store.marksOf(node)) {
      let keep = true;
      for (const p of mark.pieces) {
        if (p.node !== node) continue;
        inPage.add(p);
        if (p.from < cut || p.to - cut > again) keep = false;
      }
      if (!keep) gone.push(mark);
      else if (cut > 0) moved.push(mark);
    }
    for (const p of stream.pending) {
      if (inPage.has(p)) {
        stream.pending.delete(p);
        continue;
      }
      p.from -= cut;
      p.to -= cut;
      if (p.from < 0 || p.to > again) {
        p.from = p.to = -1;
        stream.pending.delete(p);
      }
    }
    if (gone.length > 0) this.removal.remove(gone);
    if (moved.length === 0) return;
    for (const mark of moved) {
      for (const p of mark.pieces) {
        if (p.node !== node) continue;
        p.from -= cut;
        p.to -= cut;
      }
    }
    this.paint.move(moved);
  }
}
