/**
 * "Explain selection": the best entry for a piece of text the user selected. Pure.
 *
 * The user asked about this text, so IBKR context is taken as given, and a selection that is just
 * a code ("326") or a short term ("connection refused") is looked up too. A selection with no
 * recognised error is looked up as the popup's search looks up a query: misspelt words corrected
 * ("historical data pacing violaton"), a half-typed last word completed; a loose fuzzy
 * resemblance is not enough. The entry's case (variant) is the one the selection names, read
 * through the same corrections.
 */
import type { KnowledgeEntry } from '../knowledge/schema';
import type { StemIndexData } from './message-stems';
import { createMatcher, type Matcher } from './matcher';
import { CODE_COMPANIONS, isTooGeneric, tokens } from './query-words';
import { codeWords, createSearch, editDistance, EVERY_WORD_SCORE, type Search } from './search';
import { noticesLast } from './start-page';

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
  /** The entry's case the selection names (162's `pacing`), or null. */
  variant?: string | null;
  /** The reason the selected error line gives (after `cause - `, `reason:` …), or null. */
  reason?: string | null;
}

/** Longest selection looked up by search when it contains no recognised error. */
export const MAX_LOOKUP_LENGTH = 80;
/** Weakest search score accepted for such a lookup (0 perfect, 1 no match): every word, spelt right or corrected. */
export const MAX_LOOKUP_SCORE = EVERY_WORD_SCORE;

export function explainSelection(
  text: string,
  entries: readonly KnowledgeEntry[],
  matcher: Matcher,
  search: Search,
): Explanation | null {
  const byId = new Map(entries.map((e) => [e.id, e]));
  // The user asked about this text: both kinds of context are given.
  const found = matcher.find(text, { context: true, cpapiContext: true, apiFromText: true });
  if (found.length > 0) {
    const counts = new Map<string, number>();
    for (const m of found) counts.set(m.entryId, (counts.get(m.entryId) ?? 0) + 1);
    // Errors before informational notices (a session log starts with a few farm notices, then
    // what went wrong); then most hits; on a tie, the one that appears first (Map keeps
    // first-seen order).
    const ranked = [...counts.entries()].sort((a, b) => noticesLast(byId.get(a[0])!, byId.get(b[0])!) || b[1] - a[1]).map(([id]) => byId.get(id)!);
    const own = found.filter((m) => m.entryId === ranked[0].id);
    return {
      entry: ranked[0],
      others: ranked.slice(1),
      variant: own.find((m) => m.variant !== null)?.variant ?? null,
      reason: own.find((m) => m.reason !== null)?.reason ?? null,
    };
  }
  const query = text.replace(/\s+/g, ' ').trim();
  // Words that stand beside codes, or only say something went wrong ("error", "failed", "an
  // error occurred"), name no entry: the panel says the selection is too general.
  if (query === '' || query.length > MAX_LOOKUP_LENGTH || isTooGeneric(query)) return null;
  // A code hit counts only when the selection is just the code: "504 Gateway Timeout" is HTTP.
  const hits = search(query).filter((r) =>
    r.reason === 'code' ? isJustCode(query, r.entry) : r.reason !== 'text' || r.score <= MAX_LOOKUP_SCORE,
  );
  if (hits.length === 0) return null;
  return { entry: hits[0].entry, others: [], variant: variantNamed(hits[0].entry, query), reason: null };
}

/**
 * The entry's variant whose pattern the selection matches, as written or with its words
 * corrected to the nearest words of the entry's variant patterns ("violaton" -> "violation"),
 * a cut-off last word completed ("pacing viol" -> "pacing violation").
 */
function variantNamed(entry: KnowledgeEntry, query: string): string | null {
  const named = (text: string) => entry.variants.find((v) => new RegExp(v.pattern, 'i').test(text))?.id ?? null;
  const asWritten = named(query);
  if (asWritten !== null || entry.variants.length === 0) return asWritten;
  const vocabulary = [...new Set(entry.variants.flatMap((v) => v.pattern.toLowerCase().match(/[a-z]{3,}/g) ?? []))];
  const corrected = query.replace(/[A-Za-z]{3,}/g, (word, at: number) => {
    const lower = word.toLowerCase();
    if (vocabulary.includes(lower)) return word;
    if (at + word.length === query.length) {
      const completed = vocabulary.find((candidate) => candidate.startsWith(lower));
      if (completed) return completed;
    }
    return nearest(lower, vocabulary) ?? word;
  });
  return corrected === query ? null : named(corrected);
}

/** The word of `vocabulary` fewest edits away from `word` (two for long words, one otherwise), or null. */
function nearest(word: string, vocabulary: readonly string[]): string | null {
  const max = word.length >= 7 ? 2 : word.length >= 4 ? 1 : 0;
  let best: { word: string; edits: number } | null = null;
  for (const candidate of vocabulary) {
    const edits = editDistance(word, candidate, max);
    if (edits <= max && (best === null || edits < best.edits)) best = { word: candidate, edits };
  }
  return best?.word ?? null;
}

/** An explanation by entry ids: what the background answers (the page has the entries' text). */
export interface ExplanationIds {
  entryId: string;
  others: string[];
  variant: string | null;
  reason: string | null;
}

export function explanationIds(explanation: Explanation | null): ExplanationIds | null {
  return (
    explanation && {
      entryId: explanation.entry.id,
      others: explanation.others.map((e) => e.id),
      variant: explanation.variant ?? null,
      reason: explanation.reason ?? null,
    }
  );
}

/** The entries an answer names (its entry and the others), as far as it is well formed. */
export function explanationIdsOf(answer: unknown): string[] {
  if (typeof answer !== 'object' || answer === null) return [];
  const { entryId, others } = answer as Partial<ExplanationIds>;
  return [entryId, ...(Array.isArray(others) ? others : [])].filter((id): id is string => typeof id === 'string');
}

/** The explanation an answer names, with the page's entries; null for no answer or an unknown entry. */
export function explanationFromIds(answer: unknown, entries: readonly KnowledgeEntry[]): Explanation | null {
  if (typeof answer !== 'object' || answer === null) return null;
  const { entryId, others, variant, reason } = answer as Partial<ExplanationIds>;
  const byId = new Map(entries.map((e) => [e.id, e]));
  const entry = typeof entryId === 'string' ? byId.get(entryId) : undefined;
  if (!entry) return null;
  const rest = Array.isArray(others) ? others.map((id) => byId.get(id)).filter((e): e is KnowledgeEntry => e !== undefined) : [];
  return {
    entry,
    others: rest,
    // Only a variant the entry has; only text for a reason.
    variant: typeof variant === 'string' && entry.variants.some((v) => v.id === variant) ? variant : null,
    reason: typeof reason === 'string' ? reason : null,
  };
}

/**
 * "Explain selection" as the background answers it, by ids: the matcher and the search are built
 * on the first question and kept.
 */
export function createExplainer(entries: readonly KnowledgeEntry[], stemIndex?: StemIndexData): (text: string) => ExplanationIds | null {
  let tools: { matcher: Matcher; search: Search } | null = null;
  return (text) => {
    if (!tools) {
      const matcher = createMatcher(entries, { stemIndex });
      tools = { matcher, search: createSearch(entries, { matcher }) };
    }
    return explanationIds(explainSelection(text, entries, tools.matcher, tools.search));
  };
}
