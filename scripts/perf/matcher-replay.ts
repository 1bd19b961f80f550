/**
 * Making the matcher calls recorded on a page (matcher-calls.ts) again, as the annotator made
 * them: batches of short runs through matchTogether, the other texts with the context they were
 * given. No DOM: it also runs in a Chromium page (scripts/bench-page-runs.ts, `--chromium`).
 */
import { matchTogether } from '../../lib/annotate/batch';
import type { Matcher } from '../../lib/matcher';

/** One matcher call the annotator made: a batch of short runs, or one text with its context. */
export type RecordedCall =
  | { batch: string[] }
  | { text: string; context: boolean; cpapiContext: boolean; edges: readonly number[] | undefined };

/** Makes the recorded calls again, as the annotator made them; returns the number of matches. */
export function replay(matcher: Matcher, calls: readonly RecordedCall[]): number {
  let found = 0;
  for (const call of calls) {
    if ('batch' in call) {
      for (const matches of matchTogether(matcher, call.batch).byText.values()) found += matches.length;
    } else {
      const { text, context, cpapiContext, edges } = call;
      found += matcher.find(text, { context: () => context, cpapiContext: () => cpapiContext, edges: edges && (() => edges) }).length;
    }
  }
  return found;
}

/** Characters the calls hand the matcher (batches without their separators). */
export function charsOf(calls: readonly RecordedCall[]): number {
  return calls.reduce((n, c) => n + ('batch' in c ? c.batch.reduce((k, t) => k + t.length, 0) : c.text.length), 0);
}
