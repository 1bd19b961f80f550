/**
 * Work happens in idle time in slices of at most SLICE_MS, whatever the idle deadline says: one
 * batch is asked for at a time, and none once stopped. A batch first handles the page's changes
 * and looks at the page context, then steps through the work queue until its slice ends.
 */
import type { MarkQueue } from './mark-queue';
import type { PageContext } from './page-context';
import type { PageWatcher } from './page-watcher';
import type { WorkQueue } from './work-queue';

/** The longest stretch of our work in one task, whatever the idle deadline allows. */
export const SLICE_MS = 8;

export interface IdleDeadlineLike {
  timeRemaining(): number;
  readonly didTimeout?: boolean;
}
export type Scheduler = (work: (deadline: IdleDeadlineLike) => void) => void;
/** Runs work in a task of its own as soon as possible (a MessageChannel message). */
export type Continuation = (work: () => void) => void;

/** A continuation through a MessageChannel of the window's (no 4 ms clamp, unlike setTimeout). */
export function messageContinuation(win: Window & typeof globalThis, isValid: () => boolean = () => true): Continuation {
  const channel = new win.MessageChannel();
  const waiting: (() => void)[] = [];
  channel.port1.onmessage = () => {
    const work = waiting.shift();
    if (work && isValid()) work();
  };
  return (work) => {
    waiting.push(work);
    channel.port2.postMessage(null);
  };
}

export function defaultScheduler(win: Window & typeof globalThis): Scheduler {
  if (typeof win.requestIdleCallback === 'function') {
    return (work) => win.requestIdleCallback(work, { timeout: 1000 });
  }
  return (work) => win.setTimeout(() => work({ timeRemaining: () => 10, didTimeout: true }), 30);
}

export class SlicedWork {
  /** Stopped: no batch is asked for, and one that comes anyway does nothing (unless unbounded). */
  stopped = true;
  /** The longest batch of work so far, in ms (bench). */
  longestBatchMs = 0;
  private scheduled = false;
  /** What `onSettled` was last told: true when nothing is queued or asked for. */
  private settled = true;

  constructor(
    private readonly schedule: Scheduler,
    private readonly now: () => number,
    private readonly watcher: PageWatcher,
    private readonly context: PageContext,
    private readonly markQueue: MarkQueue,
    private readonly queue: WorkQueue,
    private readonly onSettled?: (settled: boolean) => void,
    /**
     * Continues in a task of its own while the idle period lasts: an idle callback asked for from
     * an idle callback waits for the next idle period (up to 50 ms later), so one slice per idle
     * callback would leave most of an idle page's time unused.
     */
    private readonly continueWork?: Continuation,
  ) {}

  /** Asks for a batch of work, unless one is asked for already. */
  readonly request = (): void => {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    this.tell();
    this.schedule((deadline) => this.run(deadline));
  };

  /** True when no work is queued, asked for, or waiting on a timer (the page context's next look). */
  get isSettled(): boolean {
    return this.stopped || (!this.scheduled && !this.queue.pending() && !this.context.retryPending);
  }

  /** Tells `onSettled` when the state changed. */
  readonly tell = (): void => {
    const settled = this.isSettled;
    if (settled === this.settled) return;
    this.settled = settled;
    this.onSettled?.(settled);
  };

  /** One batch; `unbounded`: everything queued, ignoring the deadline (and a stop). */
  run(deadline: IdleDeadlineLike, unbounded = false): void {
    this.scheduled = false;
    if (this.stopped && !unbounded) return;
    const start = this.now();
    // The idle deadline may allow 50 ms, or nothing once it timed out: our slice is short either way.
    const budget = unbounded ? Infinity : deadline.didTimeout ? SLICE_MS : Math.max(1, Math.min(SLICE_MS, deadline.timeRemaining()));
    // Records of page changes made before this task are handled before we touch the page.
    this.watcher.pause();
    try {
      this.context.refresh(start, unbounded);
      this.markQueue.beginSlice(start + budget);
      this.queue.runSlice(start, budget);
    } finally {
      this.watcher.resume();
    }
    this.markQueue.endSlice();
    this.longestBatchMs = Math.max(this.longestBatchMs, this.now() - start);
    if (this.queue.pending()) {
      if (!unbounded && this.continueWork && !deadline.didTimeout && deadline.timeRemaining() >= SLICE_MS) {
        this.scheduled = true;
        this.continueWork(() => this.run(deadline));
      } else this.request();
    }
    this.tell();
  }

  /** Stops observing and drops queued work; markers stay. */
  stop(): void {
    this.watcher.disconnect();
    this.stopped = true;
    this.queue.clear();
    this.tell();
  }
}
