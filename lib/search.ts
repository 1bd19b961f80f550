/**
 * Popup search over all fields of all entries. Pure: no DOM, no browser.
 *
 * Ranking, best first:
 * 1. entries the query itself refers to as an error (a pasted log line such as
 *    `ERROR -1 504 Not connected`, or an official message), found by the matcher;
 * 2. exact hits on an entry's code, id or a related term (`326`, `10061`, `clientId`, `7497`);
 * 3. fuse.js fuzzy matches over every field (`conection refused`, `isconnected`).
 */
import Fuse, { type FuseOptionKey } from 'fuse.js';
import type { KnowledgeEntry } from '../knowledge/schema';
import { createMatcher } from './matcher';

export interface SearchResult {
  entry: KnowledgeEntry;
  /** 0 is a perfect match, 1 no match (fuse.js convention). */
  score: number;
  /** Why it matched, for the result list ("code", "related term", "text"). */
  reason: 'error' | 'code' | 'term' | 'text' | 'all';
}

const KEYS: FuseOptionKey<KnowledgeEntry>[] = [
  { name: 'code', weight: 3 },
  { name: 'title', weight: 2.5 },
  { name: 'related', weight: 2 },
  { name: 'match.messages', weight: 2 },
  { name: 'symptoms', weight: 1.5 },
  { name: 'summary', weight: 1 },
  { name: 'causes', weight: 1 },
  { name: 'checks', weight: 1 },
  { name: 'resolution', weight: 1 },
  { name: 'id', weight: 1 },
  { name: 'category', weight: 0.5 },
];

/** Lower-cased words of a text, for exact token hits (`ib.connect`, `10061`, `clientid`). */
function tokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_.]+/g)?.map((t) => t.replace(/^\.+|\.+$/g, '')) ?? [];
}

export interface Search {
  (query: string): SearchResult[];
}

/**
 * `threshold` is fuse.js's per-field cut-off; `maxScore` drops weak combined scores, the fuzzy
 * tail that would otherwise list every entry for a short query ("326" also resembles "321").
 */
export function createSearch(
  entries: readonly KnowledgeEntry[],
  { threshold = 0.4, maxScore = 0.6 } = {},
): Search {
  const fuse = new Fuse(entries, {
    keys: KEYS,
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    threshold,
    minMatchCharLength: 2,
    ignoreFieldNorm: true,
  });
  const matcher = createMatcher(entries);
  // Exact-hit vocabulary per entry: code words, id, related terms (whole and word by word).
  const vocab = entries.map((e) => {
    const words = new Set<string>([e.id, ...tokens(e.code), ...(e.numericCode !== null ? [String(e.numericCode)] : [])]);
    const terms = new Set<string>();
    for (const term of e.related) {
      terms.add(term.toLowerCase());
      for (const t of tokens(term)) terms.add(t);
    }
    return { entry: e, words, terms };
  });

  return (raw: string) => {
    const query = raw.replace(/\s+/g, ' ').trim();
    if (query === '') return entries.map((entry) => ({ entry, score: 0, reason: 'all' as const }));

    const results = new Map<string, SearchResult>();
    const add = (r: SearchResult) => {
      if (!results.has(r.entry.id)) results.set(r.entry.id, r);
    };

    for (const m of matcher.find(query, { context: true })) {
      add({ entry: entries.find((e) => e.id === m.entryId)!, score: 0, reason: 'error' });
    }

    const lower = query.toLowerCase();
    const qTokens = tokens(query);
    for (const v of vocab) {
      if (v.words.has(lower) || qTokens.some((t) => /\d/.test(t) && v.words.has(t))) {
        add({ entry: v.entry, score: 0, reason: 'code' });
      }
    }
    for (const v of vocab) {
      if (v.terms.has(lower)) add({ entry: v.entry, score: 0.001, reason: 'term' });
    }

    for (const r of fuse.search(query)) {
      const score = r.score ?? 1;
      if (score <= maxScore) add({ entry: r.item, score, reason: 'text' });
    }
    return [...results.values()];
  };
}
