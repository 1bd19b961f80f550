/**
 * The page side of `scripts/bench-page-runs.ts --chromium`, bundled into one script: builds the
 * matcher from the content script's match data, and makes all the recorded calls once per call of
 * `__matcherReplay`.
 */
import { createMatcher, type Matcher, type MatcherEntry } from '../../lib/matcher';
import type { StemIndexData } from '../../lib/message-stems';
import { replay, type RecordedCall } from './matcher-replay';

let matcher: Matcher | null = null;
let calls: RecordedCall[] = [];

Object.assign(globalThis, {
  /** Takes the saved calls (JSON) and builds the matcher, as the content script does. */
  __matcherLoad(json: string): void {
    const saved = JSON.parse(json) as { matchData: MatcherEntry[]; stemIndex: StemIndexData; calls: RecordedCall[] };
    calls = saved.calls;
    matcher = createMatcher(saved.matchData, { stemIndex: saved.stemIndex });
  },
  /** One replay of all the calls; returns the number of matches. */
  __matcherReplay(): number {
    return replay(matcher!, calls);
  },
});
