/**
 * An annotator whose slices the test runs, one at a time, between the page's writes (a page that
 * streams while the annotator works). The slices run on a clock of their own, which moves on with
 * each look at it and with the text the matcher is given (CHARS_PER_MS), so what a slice does is
 * the same on any machine.
 */
import knowledge from '../../../knowledge';
import { createAnnotator, type Annotator, type IdleDeadlineLike } from '../../../lib/annotate';
import { createMatcher, type Matcher } from '../../../lib/matcher';

/** The matcher over the bundled knowledge (built once per test file). */
export const realMatcher = createMatcher(knowledge.entries);

/** Characters matched per ms of the annotator's clock: a slice of 8 ms matches 40 KB. */
const CHARS_PER_MS = 5_000;

/** The annotator's clock, in ms. */
let clock = 0;
let annotator: Annotator | null = null;
/** Batches of work asked for and not yet run. */
let asked: ((deadline: IdleDeadlineLike) => void)[] = [];

/** The real matcher, counting the characters it is given (and moving the clock on with them). */
export function countingMatcher(): Matcher & { chars: number } {
  const counting = {
    chars: 0,
    find(text: string, options?: Parameters<Matcher['find']>[1]) {
      counting.chars += text.length;
      clock += text.length / CHARS_PER_MS;
      return realMatcher.find(text, options);
    },
  };
  return counting;
}

/** Starts an annotator over the document (the one before it destroyed), every entry an error, and marks what is there now. */
export function annotateInSlices(matcher: Matcher, hugeBlockElements?: number): Annotator {
  destroySliced();
  clock = 0;
  asked = [];
  annotator = createAnnotator({ doc: document, matcher, schedule: (work) => asked.push(work), now: () => (clock += 0.01), severityOf: () => 'error', hugeBlockElements });
  annotator.start();
  annotator.flush();
  return annotator;
}

/** Runs the batch of work asked for, if any: one slice of at most `ms` (8, or down to 1) of the annotator's clock. */
export function runSlice(ms = 8): void {
  const work = asked.shift();
  work?.({ timeRemaining: () => ms });
}

/** Lets the page's changes be delivered, then runs slices until no work is asked for. */
export async function settleSlices(): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  while (asked.length > 0) runSlice();
}

/** Destroys the annotator `annotateInSlices` started, if any (each test's afterEach). */
export function destroySliced(): void {
  annotator?.destroy();
  annotator = null;
  asked = [];
}
