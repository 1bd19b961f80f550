/**
 * Most runs on a page are short and hold nothing (a paragraph, a table cell, a log line): one
 * matcher call per run would cost the matcher's fixed price (hundreds of regexes) 200,000 times
 * on a 200,000-node page. Short runs are matched together instead, joined by a separator no
 * pattern spans, with every rule allowed (as if context were present): only the runs with a
 * candidate are then matched on their own, with their real context. With context every rule is
 * tried, so a run with no candidate here has no match under any context.
 */
import type { Matcher } from '../matcher';

/** Line break, NUL, line break: `\s+`, `.` and `[^,\n]` all stop at it. */
export const RUN_SEPARATOR = '\n\u0000\n';

/** Indexes of the texts in which the matcher finds anything when every rule is allowed. */
export function textsWithCandidates(matcher: Matcher, texts: readonly string[]): Set<number> {
  const starts: number[] = [];
  let offset = 0;
  for (const t of texts) {
    starts.push(offset);
    offset += t.length + RUN_SEPARATOR.length;
  }
  const found = new Set<number>();
  const indexOf = (pos: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const m of matcher.find(texts.join(RUN_SEPARATOR), { context: true })) {
    // A candidate spanning a separator (a pattern that crossed it): every text it touches is tried.
    for (let i = indexOf(m.start), last = indexOf(Math.max(m.start, m.end - 1)); i <= last; i++) found.add(i);
  }
  return found;
}
