/**
 * "Explain selection": the best entry for a piece of text the user selected. Pure.
 *
 * The user asked about this text, so IBKR context is taken as given, and a selection that is just
 * a code ("326") or a short term ("connection refused") is looked up too. Longer prose must contain
 * a recognised error; a loose fuzzy resemblance is not enough.
 */
import type { KnowledgeEntry } from '../knowledge/schema';
import type { Matcher } from './matcher';
import { codeWords, tokens, type Search } from './search';

/** Words that may stand beside a code in a selection that is just that code ("TWS error 326"). */
const CODE_COMPANIONS = new Set(['error', 'err', 'code', 'errorcode', 'ibkr', 'tws', 'ib', 'api', 'gateway', 'msg']);

/** True when `query` is only `entry`'s code, with at most the words above ("504", "Error 504"). */
function isJustCode(query: string, entry: KnowledgeEntry): boolean {
  const own = codeWords(entry);
  const words = tokens(query);
  return words.some((w) => own.has(w)) && words.every((w) => own.has(w) || CODE_COMPANIONS.has(w));
}

export interface Explanation {
  entry: KnowledgeEntry;
  /** Other entries also found in the selection, in order of appearance. */
  others: KnowledgeEntry[];
}

/** Longest selection looked up by search when it contains no recognised error. */
export const MAX_LOOKUP_LENGTH = 80;
/** Weakest fuzzy score accepted for such a lookup (0 perfect, 1 no match). */
export const MAX_LOOKUP_SCORE = 0.3;

export function explainSelection(
  text: string,
  entries: readonly KnowledgeEntry[],
  matcher: Matcher,
  search: Search,
): Explanation | null {
  const byId = new Map(entries.map((e) => [e.id, e]));
  // The user asked about this text: both kinds of context are given.
  const found = matcher.find(text, { context: true, cpapiContext: true });
  if (found.length > 0) {
    const counts = new Map<string, number>();
    for (const m of found) counts.set(m.entryId, (counts.get(m.entryId) ?? 0) + 1);
    // Most hits first; on a tie, the one that appears first (Map keeps first-seen order).
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => byId.get(id)!);
    return { entry: ranked[0], others: ranked.slice(1) };
  }
  const query = text.replace(/\s+/g, ' ').trim();
  if (query === '' || query.length > MAX_LOOKUP_LENGTH) return null;
  // A code hit counts only when the selection is just the code: "504 Gateway Timeout" is HTTP.
  const hits = search(query).filter((r) =>
    r.reason === 'code' ? isJustCode(query, r.entry) : r.reason !== 'text' || r.score <= MAX_LOOKUP_SCORE,
  );
  if (hits.length === 0) return null;
  return { entry: hits[0].entry, others: [] };
}
