/**
 * The matcher calls the annotator makes on a page: `recordCalls` annotates a whole page in
 * happy-dom with a matcher that records each call (the batches of short runs, and the runs
 * matched alone with the context each was given), `replay` makes them again. For the bench
 * (scripts/bench-page-runs.ts) and the match digest (scripts/match-digest.ts).
 */
import { Window } from 'happy-dom';
import { createAnnotator } from '../../lib/annotate';
import { matchTogether, RUN_SEPARATOR } from '../../lib/annotate/batch';
import type { MatchOptions, Matcher } from '../../lib/matcher';

/** One matcher call the annotator made: a batch of short runs, or one text with its context. */
export type RecordedCall =
  | { batch: string[] }
  | { text: string; context: boolean; cpapiContext: boolean; edges: readonly number[] | undefined };

/** The matcher calls of annotating `html` (a whole page) in happy-dom, in order. */
export async function recordCalls(html: string, matcher: Matcher, url = 'https://github.com/perf/thread/issues/1'): Promise<RecordedCall[]> {
  const calls: RecordedCall[] = [];
  const recording: Matcher = {
    find(text: string, options: MatchOptions = {}) {
      // matchTogether's call: every rule allowed, runs joined by the separator.
      if (options.context === true) {
        calls.push({ batch: text.split(RUN_SEPARATOR) });
        return matcher.find(text, options);
      }
      const call = { text, context: false, cpapiContext: false, edges: undefined as readonly number[] | undefined };
      calls.push(call);
      const asked = (o: MatchOptions['context'], set: (v: boolean) => void) =>
        typeof o === 'function' ? () => { const v = o(); set(v); return v; } : o;
      return matcher.find(text, {
        context: asked(options.context, (v) => (call.context = v)),
        cpapiContext: asked(options.cpapiContext, (v) => (call.cpapiContext = v)),
        edges: options.edges && (() => (call.edges = options.edges!())),
      });
    },
  };
  const window = new Window({ url });
  const doc = window.document as unknown as Document;
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
  doc.title = title;
  doc.body.innerHTML = (/<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html).replace(/<script[\s\S]*?<\/script>/g, '');
  const annotator = createAnnotator({ doc, matcher: recording, measure: false, schedule: () => undefined });
  annotator.start();
  annotator.flush();
  annotator.destroy();
  await window.happyDOM.close();
  return calls;
}

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
