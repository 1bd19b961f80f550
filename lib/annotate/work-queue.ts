/**
 * The annotator's work, one small step at a time so that a slice ends on time: roots are walked
 * into runs, runs matched, matched runs marked in the page.
 */
import type { DomInfo } from './dom-info';
import type { FarUnits } from './far-units';
import type { HugeBlocks } from './huge-blocks';
import type { MarkQueue } from './mark-queue';
import type { RunQueue } from './run-queue';
import type { ScanRoots } from './scan-roots';
import type { StreamEdits } from './page-watcher';
import { RunWalker, type Run, type WalkHooks } from './walker';
import type { WholeBlocks } from './whole-blocks';

/** Nodes walked between two looks at the clock. */
const WALK_STEP = 256;

/** The walk under way: the roots waiting are walked one at a time into runs. */
export class RootWalks {
  private walker: RunWalker | null = null;

  constructor(
    private readonly roots: ScanRoots,
    private readonly dom: DomInfo,
    private readonly hooks: WalkHooks,
    private readonly emit: (run: Run) => void,
    /** Counts the nodes visited (blocks are read whole past a number of them). */
    private readonly wholes: WholeBlocks,
    /** The rests of huge blocks handed over by the walks: read before the walk goes on. */
    private readonly huge: HugeBlocks,
    /** Containers left unread while far: a root inside one waits for it. */
    private readonly farUnits: FarUnits | null = null,
  ) {}

  get pending(): boolean {
    return this.walker !== null || this.roots.size > 0 || this.huge.pending;
  }

  /** Reads a huge block's rest, walks the next nodes, or starts walking the next root (there must be one). */
  step(): void {
    if (this.huge.pending) return this.huge.step();
    const walker = this.walker;
    if (walker) {
      this.wholes.visited += walker.step(WALK_STEP, this.emit);
      if (walker.done) {
        if (!walker.valid && walker.root.isConnected) this.roots.again(walker.root);
        this.walker = null;
      }
      return;
    }
    const [root, shallow] = this.roots.take();
    if (!root.isConnected) return;
    if (root.nodeType === 1 && this.dom.isSkipped((root as Element).parentElement)) return;
    if (this.farUnits?.holds(root)) return;
    this.walker = new RunWalker(root, shallow, this.dom, this.hooks);
  }

  clear(): void {
    this.roots.clear();
    this.walker = null;
    this.huge.clear();
  }
}

export class WorkQueue {
  constructor(
    private readonly walks: RootWalks,
    private readonly runs: RunQueue,
    private readonly wholes: WholeBlocks,
    private readonly markQueue: MarkQueue,
    private readonly streams: readonly StreamEdits[],
    private readonly now: () => number,
  ) {}

  pending(): boolean {
    return this.matchingPending() || this.markQueue.size > 0;
  }

  /** Steps through the work until it is done or `budget` ms after `start` have passed. */
  runSlice(start: number, budget: number): void {
    while (this.pending() && this.now() - start < budget) this.step();
  }

  /** Drops all queued work (markers already made stay). */
  clear(): void {
    this.walks.clear();
    this.runs.clear();
    this.wholes.clear();
    this.markQueue.clear();
    for (const s of this.streams) s.clear();
  }

  private matchingPending(): boolean {
    return this.runs.pending || this.walks.pending || this.wholes.pending;
  }

  /**
   * Marking first when due (or when nothing is left to match), then matching (blocks read whole
   * once a batch of them is there, or the walks are done), then walking.
   */
  private step(): void {
    const markQueue = this.markQueue;
    if (markQueue.size > 0 && (markQueue.isDue() || !this.matchingPending())) markQueue.apply();
    else if (this.runs.pending) this.runs.step();
    else if (this.wholes.pending && (this.wholes.full || !this.walks.pending)) this.wholes.flush();
    else this.walks.step();
  }
}
