/**
 * Runs waiting to be matched: short ones are matched in batches first (most hold nothing), the
 * rest, and short ones with a candidate, are matched on their own a chunk at a time.
 */
import type { TextMap } from '../textmap';
import type { ElementInfo } from './dom-info';
import type { MarkQueue } from './mark-queue';
import { newJob, type RunIntake, type RunJob, type RunMatching } from './run-matching';
import type { Run } from './walker';

/** Runs up to this long are matched in batches (lib/annotate/batch.ts), up to BATCH_CHARS at once. */
export const SMALL_RUN = 2_000;
export const BATCH_CHARS = 6_000;
/**
 * Runs taken in at most in one step. Most runs are dropped at once (nothing worth matching, or
 * matched already): one run a step made the work queue read the clock once per run, each read a
 * call out of the content script's world.
 */
const RUNS_PER_STEP = 32;

export class RunQueue {
  private runs: Run[] = [];
  private runHead = 0;
  private job: RunJob | null = null;
  /** Short runs waiting to be matched together, and runs found to need matching on their own. */
  private small: RunJob[] = [];
  private smallChars = 0;
  private jobs: RunJob[] = [];

  constructor(
    private readonly intake: RunIntake,
    private readonly matching: RunMatching,
    private readonly markQueue: MarkQueue,
  ) {}

  /** Runs taken so far: each run's number, in the order found (lib/annotate/text-order.ts). */
  private seq = 0;

  /** Takes a run found by a walk. */
  readonly add = (r: Run): void => {
    r.seq = this.seq++;
    this.runs.push(r);
  };

  /** Takes text to match found without a walk: what a page appended to a streamed node (lib/annotate/text-streams.ts). */
  addText(map: TextMap, block: Element | null, info: ElementInfo): void {
    this.queue(newJob(map, block, info, false));
  }

  get pending(): boolean {
    return this.job !== null || this.jobs.length > 0 || this.small.length > 0 || this.runHead < this.runs.length;
  }

  /** One step of matching (there must be work): a chunk, runs taken in, or a batch of short runs. */
  step(): void {
    if (this.job) this.continueJob(this.job);
    else if (this.jobs.length > 0) this.job = this.jobs.shift()!;
    else if (this.runHead < this.runs.length) this.prepareRuns();
    else this.matchSmall();
  }

  clear(): void {
    this.runs = [];
    this.runHead = 0;
    this.job = null;
    this.small = [];
    this.smallChars = 0;
    this.jobs = [];
  }

  private continueJob(job: RunJob): void {
    if (job.cursor < Math.min(job.map.text.length, job.map.keepTo ?? Infinity)) this.matching.matchChunk(job);
    else {
      const specs = this.matching.marksFor(job);
      if (specs) this.markQueue.add(job, specs);
      this.job = null;
    }
  }

  /** Takes in runs until a batch of short ones was matched or a run waits to be matched alone. */
  private prepareRuns(): void {
    for (let k = 0; k < RUNS_PER_STEP && this.runHead < this.runs.length; k++) {
      if (this.prepareRun()) return;
    }
  }

  /** Takes in the next run; true when it led to matching (a batch) or to a run waiting to be matched alone. */
  private prepareRun(): boolean {
    const j = this.intake.prepare(this.runs[this.runHead++]);
    if (this.runHead === this.runs.length) {
      this.runs = [];
      this.runHead = 0;
    }
    if (!j) return false;
    if (!this.queue(j)) return true;
    if (this.smallChars < BATCH_CHARS) return false;
    this.matchSmall();
    return true;
  }

  /** Queues a job: a short one waits for a batch of short ones (true), a long one is matched on its own (false). */
  private queue(j: RunJob): boolean {
    if (j.map.text.length > SMALL_RUN || j.map.alone === true) {
      this.jobs.push(j);
      return false;
    }
    this.small.push(j);
    this.smallChars += j.map.text.length;
    return true;
  }

  /** Matches the waiting short runs together; those with a candidate are matched on their own. */
  private matchSmall(): void {
    const batch = this.small;
    this.small = [];
    this.smallChars = 0;
    this.matching.pickCandidates(batch, this.jobs);
  }
}
