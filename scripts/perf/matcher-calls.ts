/**
 * The matcher calls the annotator makes on a page: `recordCalls` annotates a whole page in
 * happy-dom with a matcher that records each call (the batches of short runs, and the runs
 * matched alone with the context each was given); `replay` (matcher-replay.ts) makes them again.
 * For the bench (scripts/bench-page-runs.ts) and the match digest (scripts/match-digest.ts).
 */
import { Window } from 'happy-dom';
import { createAnnotator } from '../../lib/annotate';
import { RUN_SEPARATOR } from '../../lib/annotate/batch';
import type { MatchOptions, Matcher } from '../../lib/matcher';
import type { RecordedCall } from './matcher-replay';

export { charsOf, replay, type RecordedCall } from './matcher-replay';

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
