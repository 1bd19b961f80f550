/**
 * Most runs on a page are short and hold nothing (a paragraph, a table cell, a log line): one
 * matcher call per run would cost the matcher's fixed price (hundreds of regexes) 200,000 times
 * on a 200,000-node page. Short runs are matched together instead, joined by a separator no
 * pattern spans, with every rule allowed (as if context were present): only the runs with a
 * candidate are then matched on their own, with their real context (a run whose own text shows
 * that context keeps what it got here: the same rules gave it). With context every rule is tried,
 * so a run with no candidate here has no match under any context.
 */
import { hasCpapiContext, type Match, type Matcher } from '../matcher';

/** Line break, NUL, line break: `\s+`, `.` and `[^,\n]` all stop at it. */
export const RUN_SEPARATOR = '\n\u0000\n';

/**
 * What the matcher finds in each text when every rule is allowed, by text index (positions within
 * that text); `spanning` holds the texts a match reached across a separator from (their matches
 * here are not theirs alone), `cpapi` whether a rule that needs Client Portal context found
 * something (then a run keeps what it got here only if its own text has that context): worked out
 * when first asked, since it may read the whole joined text again, and most callers never ask.
 */
export interface BatchMatches {
  byText: Map<number, Match[]>;
  /** Per text, the spans a pattern matched that count for nothing (lib/matcher.ts `uncountedSpan`), for the texts that asked. */
  uncounted: Map<number, [number, number][]>;
  spanning: Set<number>;
  cpapi(): boolean;
}

export function matchTogether(matcher: Matcher, texts: readonly string[], wantsUncounted?: (i: number) => boolean): BatchMatches {
  const starts: number[] = [];
  let offset = 0;
  for (const t of texts) {
    starts.push(offset);
    offset += t.length + RUN_SEPARATOR.length;
  }
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
  const joined = texts.join(RUN_SEPARATOR);
  const byText = new Map<number, Match[]>();
  const spanning = new Set<number>();
  // Asked only when a rule that needs Client Portal context has a candidate (and the joined text
  // does not show that context itself).
  let cpapiRuleFound = false;
  const cpapiContext = () => (cpapiRuleFound = true);
  const uncounted = new Map<number, [number, number][]>();
  const uncountedSpan = (start: number, end: number) => {
    const i = indexOf(start);
    if (!wantsUncounted!(i)) return;
    const list = uncounted.get(i);
    const span: [number, number] = [start - starts[i], end - starts[i]];
    if (list) list.push(span);
    else uncounted.set(i, [span]);
  };
  for (const m of matcher.find(joined, { context: true, cpapiContext, anyReading: true, uncountedSpan: wantsUncounted && uncountedSpan })) {
    const first = indexOf(m.start);
    const last = indexOf(Math.max(m.start, m.end - 1));
    // A candidate spanning a separator (a pattern that crossed it): every text it touches is tried.
    for (let i = first; i <= last; i++) {
      if (!byText.has(i)) byText.set(i, []);
      if (first !== last) spanning.add(i);
    }
    if (first === last) byText.get(first)!.push({ ...m, start: m.start - starts[first], end: m.end - starts[first] });
  }
  let cpapi: boolean | undefined;
  return { byText, uncounted, spanning, cpapi: () => (cpapi ??= byText.size > 0 && (cpapiRuleFound || hasCpapiContext(joined))) };
}
