/**
 * The popup's start page (the list before anything is typed): the entries marked on the current
 * tab first, then the entries met most often (knowledge/quality.ts `TOP_CODES`, ranked from
 * public threads), then the rest of the catalog. Pure; the content script answers the popup's
 * `pageEntries` message (lib/messages.ts) with what it marked, read from the annotator's own record
 * of each marker (never from the page's attributes).
 */
import type { KnowledgeEntry } from '../knowledge/schema';
import type { Match } from './matcher';

/** An entry marked on the page, with the case its first mention matched. */
export interface PageEntry {
  id: string;
  variant: string | null;
}

/** The distinct entries of `markers`, first mention first; markers without a record are skipped. */
export function pageEntries(markers: Iterable<Element>, matchOf: (marker: Element) => Match | undefined): PageEntry[] {
  const seen = new Map<string, PageEntry>();
  for (const marker of markers) {
    const match = matchOf(marker);
    if (match && !seen.has(match.entryId)) seen.set(match.entryId, { id: match.entryId, variant: match.variant });
  }
  return [...seen.values()];
}

/** A content script's answer, checked: anything malformed counts as nothing marked. */
export function parsePageEntries(answer: unknown): PageEntry[] {
  const list = (answer as { entries?: unknown } | null | undefined)?.entries;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e: unknown) => {
    const { id, variant } = (e ?? {}) as { id?: unknown; variant?: unknown };
    return typeof id === 'string' ? [{ id, variant: typeof variant === 'string' ? variant : null }] : [];
  });
}

export interface StartPage<T> {
  items: T[];
  /** How many of `items` are marked on the page (they come first). */
  onPage: number;
  /** How many come next as the most met entries. */
  mostMet: number;
}

/**
 * Errors, warnings and connectivity notices before informational notices, as a sort's comparator
 * (stable: the order within each stays): a page, a pasted log or a selected one often opens with
 * farm notices, then what went wrong. The start page, the popup's search and "Explain selection"
 * order what they found by it.
 */
export function noticesLast(a: KnowledgeEntry, b: KnowledgeEntry): number {
  return Number(a.severity === 'info') - Number(b.severity === 'info');
}

/**
 * Orders `all` (each holding an entry) for the start page: the page's entries, then those whose
 * code is in `mostMet` (in its order), then the rest as given.
 */
export function startOrder<T extends { entry: KnowledgeEntry }>(all: readonly T[], onPage: readonly PageEntry[], mostMet: readonly number[]): StartPage<T> {
  const byId = new Map(all.map((item) => [item.entry.id, item]));
  const taken = new Set<T>();
  const page = onPage.flatMap((p) => byId.get(p.id) ?? []).sort((a, b) => noticesLast(a.entry, b.entry));
  page.forEach((item) => taken.add(item));
  const byCode = new Map(all.filter((item) => item.entry.numericCode !== null).map((item) => [item.entry.numericCode!, item]));
  const top = mostMet.flatMap((code) => {
    const item = byCode.get(code);
    if (!item || taken.has(item)) return [];
    taken.add(item);
    return [item];
  });
  return { items: [...page, ...top, ...all.filter((item) => !taken.has(item))], onPage: page.length, mostMet: top.length };
}
