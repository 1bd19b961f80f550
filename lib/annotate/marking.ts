/**
 * Putting markers into the page and taking them away again, for the annotator. The markers
 * themselves and the bookkeeping that gives the page its text back are in lib/annotate/marks.ts.
 */
import { isCurrent, type TextMap } from '../textmap';
import type { MarkBuild, Marks, MarkSpec, SplitRecord } from './marks';
import type { WeakNodeSet } from './weak-table';

/**
 * Markers are added to the page in batches, at most every APPLY_MS while there is other work:
 * each change to a big page costs the browser a layout, whatever its size.
 */
const APPLY_MS = 1_000;

/** A run matched in full: its text and the block it is in. */
export interface MatchedRun {
  map: TextMap;
  block: Element | null;
}

/** Matched runs waiting to be marked in the page, marked a batch at a time. */
export class MarkQueue {
  private waiting: { run: MatchedRun; specs: MarkSpec[] }[] = [];
  /** The markers of the first run waiting, being built over several slices. */
  private building: MarkBuild | null = null;
  private dueAt = Infinity;
  /** When the current slice must end (performance.now() time). */
  private sliceEnd = Infinity;
  private createdBefore = 0;
  /** Blocks marked in the current task: a page change to them before the next task is an undo. */
  private markedThisTurn = new Set<Element>();

  constructor(
    private readonly marks: Marks,
    private readonly win: (Window & typeof globalThis) | null,
    private readonly now: () => number,
    private readonly onMarker?: (marker: HTMLElement) => void,
  ) {}

  get size(): number {
    return this.waiting.length;
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
    if (this.waiting.length === 0) this.dueAt = this.now() + APPLY_MS;
    this.waiting.push({ run, specs });
  }

  beginSlice(sliceEnd: number): void {
    this.createdBefore = this.marks.created;
    this.sliceEnd = sliceEnd;
  }

  /**
   * Marks matched runs in the page (those whose text is still what was matched), until the slice
   * ends. A run's markers are built first and put in the page at once; a run with hundreds of
   * mentions may take several slices to build (`building`, for the first run waiting).
   */
  apply(): void {
    const made: HTMLElement[] = [];
    let i = 0;
    for (; i < this.waiting.length && (i === 0 || this.now() < this.sliceEnd); i++) {
      const { run, specs } = this.waiting[i];
      // Changed meanwhile (the observer queued it again), or marked by an earlier batch.
      if (!isCurrent(run.map) || run.map.segments.some((s) => this.marks.records.has(s.node))) {
        this.building = null;
        continue;
      }
      const build = (this.building ??= this.marks.begin(specs));
      if (!this.marks.build(build, () => this.now() < this.sliceEnd)) break;
      this.building = null;
      const marked = this.marks.commit(build);
      if (!marked) continue;
      made.push(...marked);
      if (run.block) this.markedThisTurn.add(run.block);
    }
    this.waiting.splice(0, i);
    this.dueAt = this.waiting.length > 0 ? this.now() : Infinity;
    if (this.onMarker) for (const m of made) this.onMarker(m);
  }

  endSlice(): void {
    // Page changes to these blocks before the next task are reactions to our markers (undos).
    if (this.marks.created !== this.createdBefore && this.win) this.win.setTimeout(() => (this.markedThisTurn = new Set()), 0);
  }

  clear(): void {
    this.waiting = [];
    this.building = null;
  }
}

/** Takes markers away: the page's text nodes get their text back, and it is matched anew. */
export class MarkRemover {
  constructor(
    private readonly marks: Marks,
    /** Page text nodes already matched in their current run. */
    private readonly scanned: WeakNodeSet<Text>,
    /** Queues a block whose marks were given back, to be matched again. */
    private readonly requeue: (block: Element) => void,
    private readonly onMarkersRemoved?: (markers: HTMLElement[]) => void,
  ) {}

  /** Gives records back (a run about to be matched again). */
  restore(records: Iterable<SplitRecord>): void {
    this.removed(this.marks.restore(records).markers);
  }

  /** Gives records back, and queues their blocks again (the text there must be matched anew). */
  restoreAndRequeue(records: Iterable<SplitRecord>, written?: ReadonlySet<Text>): void {
    const list = [...records];
    if (list.length === 0) return;
    const { markers, blocks } = this.marks.restore(list, written);
    for (const r of list) this.scanned.delete(r.original);
    for (const b of blocks) this.requeue(b);
    this.removed(markers);
  }

  /** Gives back what was found with the page's context (URL, title, heading) in play, to be matched again. */
  restoreFoundWithPageContext(): void {
    const records = new Set<SplitRecord>();
    for (const g of this.marks.groups.values()) if (g.withPageContext) g.records.forEach((r) => records.add(r));
    this.restoreAndRequeue(records);
  }

  /** Gives every marked node its whole text back. */
  restoreAll(): void {
    this.removed(this.marks.restoreAll());
  }

  private removed(markers: HTMLElement[]): void {
    if (markers.length > 0) this.onMarkersRemoved?.(markers);
  }
}
