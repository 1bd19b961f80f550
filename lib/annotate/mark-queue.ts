/**
 * Marking: matched runs waiting to be marked, marked a batch at a time. For each mention a mark is
 * recorded (lib/annotate/mark-store.ts), a marker element goes in the page after its text
 * (lib/annotate/marker-elements.ts), its text is painted (lib/annotate/mark-paint.ts) and its
 * marker is moved over it after the next layout (lib/annotate/marker-geometry.ts). The page's own
 * nodes are only read.
 */
import { isCurrent, type TextMap } from '../textmap';
import type { MarkPaint } from './mark-paint';
import type { Mark, MarkSpec, MarkStore } from './mark-store';
import { spotBefore, type MarkerFactory, type MarkerPlace, type MarkerSpot } from './marker-elements';
import type { MarkerGeometry } from './marker-geometry';
import { mentionAfter } from './text-order';
import { isCutOff } from './text-streams';

/**
 * Markers are added to the page in batches, at most every APPLY_MS while there is other work:
 * each change to a big page costs the browser a layout, whatever its size.
 */
const APPLY_MS = 1_000;
/**
 * A run cut from a block that goes on (a log of thousands of highlighted lines) waits up to
 * HOLD_MS for the rest of its block: each batch put into one huge block costs the browser a layout
 * of the whole block (a second or more for 200,000 spans), so its marks go in together.
 */
const HOLD_MS = 5_000;
/** Marks built between two looks at the clock. */
const BUILD_STEP = 64;
/**
 * Putting markers in takes about 8 µs each (1,027 on the 4.7 MB thread of bench:pages: 8.5 ms):
 * runs go in until COMMIT_MS have passed, the rest in the next step. A whole batch of hundreds
 * goes in in one task, so the page lays out once; a page with thousands of mentions gets a few.
 */
const COMMIT_MS = 20;

/** A run matched in full: its text and the block it is in. */
export interface MatchedRun {
  map: TextMap;
  block: Element | null;
  /** Cut from a block whose text goes on in the next run. */
  open?: boolean;
}

/** The marks of one run being built (over several slices when it has hundreds of mentions). */
interface RunBuild {
  specs: MarkSpec[];
  /** The next spec to build. */
  next: number;
  made: Mark[];
  /** Where each mark's marker goes (by index in `made`). */
  spots: MarkerPlace[];
}

export class MarkQueue {
  private waiting: { run: MatchedRun; specs: MarkSpec[] }[] = [];
  /** The marks of the first run waiting, being built. */
  private building: RunBuild | null = null;
  private dueAt = Infinity;
  /** When the current slice must end (performance.now() time). */
  private sliceEnd = Infinity;
  private createdBefore = 0;
  /** Blocks marked in the current task: a page change to them before the next task is an undo. */
  private markedThisTurn = new Set<Element>();
  /** Runs built, not yet in the page, and their text nodes (a run queued twice is marked once). */
  private built: { run: MatchedRun; marks: Mark[]; spots: MarkerSpot[] }[] = [];
  private claimed = new Set<Text>();
  /** The page changed since the first run waiting in `built` was built: each is checked again before it goes in. */
  private changedSinceBuild = false;

  constructor(
    private readonly store: MarkStore,
    private readonly markers: MarkerFactory,
    private readonly paint: MarkPaint,
    private readonly geometry: MarkerGeometry | null,
    private readonly win: (Window & typeof globalThis) | null,
    private readonly now: () => number,
    private readonly onMarker?: (marker: HTMLElement) => void,
  ) {}

  /** Runs waiting to be built or to go in. */
  get size(): number {
    return this.waiting.length + this.built.length;
  }

  /** Whether the first run waiting has waited APPLY_MS. */
  isDue(): boolean {
    return this.now() >= this.dueAt;
  }

  /** Whether we added markers in the task just before: page changes now may be undos. */
  get markedInTurn(): boolean {
    return this.markedThisTurn.size > 0;
  }

  add(run: MatchedRun, specs: MarkSpec[]): void {
    if (this.size === 0) this.dueAt = this.now() + (run.open ? HOLD_MS : APPLY_MS);
    this.waiting.push({ run, specs });
  }

  beginSlice(sliceEnd: number): void {
    this.createdBefore = this.store.created;
    this.sliceEnd = sliceEnd;
  }

  /**
   * Builds the marks of the runs waiting whose text is still what was matched, until the slice
   * ends; once every run waiting is built, puts all their markers in the page at once, in a step of
   * its own (the slice that built the last run may have used its time). Building
   * reads the page (a few computed styles) and changes nothing, so no read comes after a change of
   * ours and makes the browser recompute style in our task, and the slices that build go on
   * without a frame between them; the page sees one change, which costs the browser one layout
   * (of a whole block of 200,000 spans: most of a second) instead of one per slice.
   */
  apply(): void {
    if (this.waiting.length === 0) return this.commitBuilt();
    let i = 0;
    for (; i < this.waiting.length && (i === 0 || this.now() < this.sliceEnd); i++) {
      const { run, specs } = this.waiting[i];
      // Changed meanwhile (the page watcher queued it again), or marked by an earlier batch. A
      // streamed node's map covers text not matched before: the node's other marks are no reason.
      if (!isCurrent(run.map) || (!run.map.current && run.map.segments.some((s) => this.store.isMarked(s.node) || this.claimed.has(s.node)))) {
        this.building = null;
        continue;
      }
      const build = (this.building ??= { specs, next: 0, made: [], spots: [] });
      if (!this.build(build)) break;
      this.building = null;
      for (const s of run.map.segments) this.claimed.add(s.node);
      this.built.push({ run, marks: build.made, spots: build.spots });
    }
    this.waiting.splice(0, i);
    this.dueAt = this.size > 0 ? this.now() : Infinity;
  }

  endSlice(): void {
    // Page changes to these blocks before the next task are reactions to our markers (undos).
    if (this.store.created !== this.createdBefore && this.win) this.win.setTimeout(() => (this.markedThisTurn = new Set()), 0);
  }

  /** The page changed something: runs already built may no longer be what the page holds. */
  pageChanged(): void {
    if (this.built.length > 0) this.changedSinceBuild = true;
  }

  clear(): void {
    this.waiting = [];
    this.building = null;
    this.built = [];
    this.claimed = new Set();
    this.changedSinceBuild = false;
  }

  /** Puts the runs built in the page (for COMMIT_MS at most), paints and places their marks. */
  private commitBuilt(): void {
    const start = this.now();
    const made: Mark[] = [];
    // Before our markers go in: the tone's style read then costs no style computation of ours.
    if (this.built.length > 0) this.paint.readTone(this.built[0].marks[0]?.pieces[0].node);
    if (this.changedSinceBuild) this.checkSpots();
    let i = 0;
    for (; i < this.built.length && (i === 0 || this.now() - start < COMMIT_MS); i++) {
      const { run, marks: built, spots: builtSpots } = this.built[i];
      if (this.changedSinceBuild && !isCurrent(run.map)) continue;
      // Marks whose text a streamed node lost at its start since they were built are not made.
      const cut = built.some((m) => isCutOff(m.pieces));
      const marks = cut ? built.filter((m) => !isCutOff(m.pieces)) : built;
      const spots = cut ? builtSpots.filter((_, k) => !isCutOff(built[k].pieces)) : builtSpots;
      if (marks.length === 0) continue;
      this.commit(marks, spots);
      made.push(...marks);
      if (run.block) this.markedThisTurn.add(run.block);
    }
    this.built.splice(0, i);
    if (this.built.length === 0) {
      this.claimed = new Set();
      this.changedSinceBuild = false;
    }
    this.dueAt = this.built.length > 0 ? this.now() : this.waiting.length > 0 ? this.now() + APPLY_MS : Infinity;
    if (made.length === 0) return;
    this.paint.paint(made);
    this.geometry?.add(made);
    if (this.onMarker) for (const m of made) this.onMarker(m.marker);
  }

  /**
   * The page changed after the runs waiting were built: a marker's place whose nodes the page
   * moved or removed is found again, before any marker goes in (it reads computed style, which
   * our own changes would make the browser compute again at once).
   */
  private checkSpots(): void {
    const displays = new Map<Element, string>();
    for (const { run, marks, spots } of this.built) {
      if (!isCurrent(run.map)) continue;
      for (let k = 0; k < marks.length; k++) {
        const { parent, before } = spots[k];
        const first = marks[k].pieces[0].node;
        if (parent.isConnected && (before === null || before.parentNode === parent) && parent.contains(first)) continue;
        spots[k] = this.markers.placeOf(first, displays);
      }
    }
  }

  /**
   * Builds the marks of a run (nothing in the page yet), looking at the clock every BUILD_STEP. What
   * a marker's place asks of it is read here, before this run changes the page (it reads computed
   * style, which our own changes would make the browser compute again at once).
   */
  private build(b: RunBuild): boolean {
    const places = new Map<Text, MarkerPlace>();
    const displays = new Map<Element, string>();
    const links = new Map<Node, boolean>();
    for (let built = 0; b.next < b.specs.length; built++) {
      if (built > 0 && built % BUILD_STEP === 0 && this.now() >= this.sliceEnd) return false;
      const { match, pieces, severity, withPageContext, block, runStart, order } = b.specs[b.next++];
      if (isCutOff(pieces)) continue;
      const first = pieces[0].node;
      let place = places.get(first);
      if (place === undefined) {
        place = this.markers.placeOf(first, displays, links);
        // Markers in the text's order (the Tab order): a later mention's place never comes before
        // an earlier one's (a look-ahead that gave up sent the earlier one to its block's end).
        const previous = b.spots.at(-1);
        // (Right after its run, with no layout, a place is in order already.)
        if (previous && place.safe && spotBefore(place, previous)) place = { ...previous, inLink: place.inLink };
        places.set(first, place);
      }
      const text = pieces.length === 1 ? pieces[0].node.data.slice(pieces[0].from, pieces[0].to) : pieces.map((p) => p.node.data.slice(p.from, p.to)).join('');
      const marker = this.markers.make(match, severity, text, place);
      b.made.push({ id: this.store.newId(), match, pieces, text, marker, withPageContext, block, runStart, severity, order });
      b.spots.push(place);
    }
    return true;
  }

  /**
   * Where among the markers already at a point a mark's marker goes: after those of mentions
   * before it, so that the markers are in the text's order (the Tab order) where several runs'
   * markers share a point (a block's end: a log line of a huge block marked again). Each look is
   * bounded (lib/annotate/text-order.ts); most new markers go after the last one there.
   */
  private inTextOrder(mark: Mark, parent: Node, before: Node | null): Node | null {
    for (let prev = before ? before.previousSibling : parent.lastChild; prev && this.store.isMarker(prev); prev = prev.previousSibling) {
      const other = this.store.markOf(prev as Element);
      if (!other || !mentionAfter(other, mark)) break;
      before = prev;
    }
    return before;
  }

  /** Puts a run's markers in the page (those with one place in one fragment) and records its marks. */
  private commit(marks: readonly Mark[], spots: readonly MarkerSpot[]): void {
    const doc = marks[0]?.marker.ownerDocument;
    for (let i = 0; i < marks.length; ) {
      const { parent } = spots[i];
      let j = i + 1;
      while (j < marks.length && spots[j].before === spots[i].before && spots[j].parent === parent) j++;
      const before = this.inTextOrder(marks[i], parent, spots[i].before);
      if (j - i === 1) parent.insertBefore(marks[i].marker, before);
      else {
        // A log line with hundreds of mentions: one change for the page to see.
        const fragment = doc!.createDocumentFragment();
        for (let k = i; k < j; k++) fragment.appendChild(marks[k].marker);
        parent.insertBefore(fragment, before);
      }
      i = j;
    }
    for (const mark of marks) this.store.add(mark);
  }
}
