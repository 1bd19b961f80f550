/**
 * Popup search over all fields of all entries. Pure: no DOM, no browser.
 *
 * Ranking, best first:
 * 1. entries the query itself refers to as an error (a pasted log line such as
 *    `ERROR -1 504 Not connected`, or an official message), found by the matcher;
 * 2. exact hits on an entry's code, id or a related term (`326`, `10061`, `clientId`, `7497`);
 * 3. fuse.js fuzzy matches of the whole query (`conection refused`, `isconnected`);
 * 4. when the whole phrase matches nothing, entries that match every word of it on its own
 *    (`contract qualified`, `stale notebook`), scored by the words' mean.
 *
 * fuse.js indexes passages (each line of each field, tagged with its entry), not whole entries:
 * fuse's own multi-key score raises each field's score to the power of its normalised weight,
 * which makes a perfect hit in a light field (a cause, a check) look like no match at all. Here a
 * passage's score is fuse's score for that line, eased by how much its field says about the entry.
 */
import Fuse from 'fuse.js';
import type { KnowledgeEntry } from '../knowledge/schema';
import { createMatcher } from './matcher';

export interface SearchResult {
  entry: KnowledgeEntry;
  /** 0 is a perfect match, 1 no match (fuse.js convention). */
  score: number;
  /** Why it matched: an error found in the query, its code, a related term, fuzzy text, or empty query. */
  reason: 'error' | 'code' | 'term' | 'text' | 'all';
}

export interface Search {
  (query: string): SearchResult[];
}

/** How much a hit in each field says about the entry (1: everything). */
const FIELD_WEIGHTS = {
  code: 1,
  title: 0.95,
  related: 0.9,
  messages: 0.9,
  symptoms: 0.85,
  summary: 0.8,
  causes: 0.75,
  checks: 0.75,
  resolution: 0.75,
  id: 0.75,
  category: 0.5,
} as const;
type Field = keyof typeof FIELD_WEIGHTS;

interface Passage {
  entry: KnowledgeEntry;
  field: Field;
  text: string;
}

function passagesOf(entry: KnowledgeEntry): Passage[] {
  const values: Record<Field, string[]> = {
    code: [entry.code],
    title: [entry.title],
    related: entry.related,
    messages: entry.match.messages,
    symptoms: entry.symptoms,
    summary: [entry.summary],
    causes: entry.causes,
    checks: entry.checks,
    resolution: entry.resolution,
    id: [entry.id],
    category: [entry.category],
  };
  return (Object.keys(values) as Field[]).flatMap((field) => values[field].map((text) => ({ entry, field, text })));
}

/** Lower-cased words of a text, for exact token hits (`ib.connect`, `10061`, `clientid`). */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_.]+/g)?.map((t) => t.replace(/^\.+|\.+$/g, '')).filter(Boolean) ?? [];
}

/** The words that name an entry as a code: its id, the words of its code, its number. */
export function codeWords(entry: KnowledgeEntry): Set<string> {
  return new Set([entry.id, ...tokens(entry.code), ...(entry.numericCode !== null ? [String(entry.numericCode)] : [])]);
}

/**
 * `threshold` is fuse.js's cut-off for one passage; `maxScore` drops weak weighted scores, so a
 * loose resemblance in a minor field does not list every entry.
 */
export function createSearch(
  entries: readonly KnowledgeEntry[],
  { threshold = 0.3, maxScore = 0.45 } = {},
): Search {
  const fuse = new Fuse(entries.flatMap(passagesOf), {
    keys: ['text'],
    includeScore: true,
    ignoreLocation: true,
    ignoreDiacritics: true,
    ignoreFieldNorm: true,
    threshold,
    minMatchCharLength: 2,
  });
  const matcher = createMatcher(entries);
  // Exact-hit vocabulary per entry: code words, id, related terms (whole and word by word).
  const vocab = entries.map((e) => {
    const words = codeWords(e);
    const terms = new Set<string>();
    for (const term of e.related) {
      terms.add(term.toLowerCase());
      for (const t of tokens(term)) terms.add(t);
    }
    return { entry: e, words, terms };
  });

  /** Best weighted score per entry for one fuzzy query, best first. */
  const fuzzy = (query: string): Map<KnowledgeEntry, number> => {
    const best = new Map<KnowledgeEntry, number>();
    for (const r of fuse.search(query)) {
      const score = 1 - (1 - (r.score ?? 1)) * FIELD_WEIGHTS[r.item.field];
      if (score <= maxScore && score < (best.get(r.item.entry) ?? Infinity)) best.set(r.item.entry, score);
    }
    return best;
  };

  /** Entries matching every word (3+ letters) of a multi-word query, each word searched alone. */
  const fuzzyWords = (words: string[]): SearchResult[] => {
    const long = [...new Set(words.filter((w) => w.length >= 3))];
    if (long.length < 2) return [];
    const perWord = long.map(fuzzy);
    return entries
      .filter((e) => perWord.every((m) => m.has(e)))
      .map((entry) => ({
        entry,
        score: perWord.reduce((sum, m) => sum + m.get(entry)!, 0) / long.length,
        reason: 'text' as const,
      }))
      .sort((a, b) => a.score - b.score);
  };

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

    // A number is a code or a port: exact or nothing ("326" must not bring up "321").
    if (/^[\d\s.,:-]+$/.test(query)) return [...results.values()];

    const before = results.size;
    const phrase = [...fuzzy(query)].sort((a, b) => a[1] - b[1]);
    for (const [entry, score] of phrase) add({ entry, score, reason: 'text' });
    if (results.size === before) for (const r of fuzzyWords(qTokens)) add(r);
    return [...results.values()];
  };
}
