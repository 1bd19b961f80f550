/**
 * Popup search over the whole catalog. Pure: no DOM, no browser.
 *
 * Ranking, best first (scores keep the tiers apart: 0 is perfect, 1 no match):
 * 1. `error`: entries the query itself refers to as an error (a pasted log line such as
 *    `ERROR -1 504 Not connected`, or a whole official message), found by the matcher, errors
 *    before informational notices; a log line that names its own code lists that error alone;
 * 2. `code` / `term`: exact hits on an entry's code or id (`162`, `10061`, `Error 326`) or on a
 *    related term (`clientId`, `7497`). A number that is a code means that code only (`2104`,
 *    not 2103, which lists 2104 as related); one that is no code is a port, found as a term;
 *    one after `Errno` or `WinError` is the operating system's error (`Errno 111`: connection
 *    refused, found in the examples), not IBKR's code.
 *    Term hits whose official message holds the term come first (`7497`: 502's text lists the
 *    ports), then catalog order;
 * 3. `message`: every word of the query in one of the entry's official messages (`pacing
 *    violation`, `farm connection is OK`): first messages holding the whole phrase (in whole
 *    words before a half-typed last word), then entries whose own prose holds the whole phrase
 *    (`socket dropped`, reason `text`), then messages holding the words apart;
 * 4. `text`: every word somewhere in the entry (title, symptoms, causes ...), weighted by what
 *    the field says about the entry; then the same with misspelt words corrected to the nearest
 *    words of the catalog (`conection refused`, `isconected`), scored above 0.3, in the same
 *    order: the corrected phrase (each word's best correction: fewest edits, then most entries)
 *    in a message, then in prose, then the corrected words apart;
 * 5. only when all of that finds nothing, for a word or two: fuse.js over titles, messages and
 *    terms, for run-together or half-remembered words (`farmconnection`).
 * The last word of a query may be half typed: it also stands for the words it begins.
 *
 * A query is read up to its first 10,000 characters (as "Explain selection" reads a selection);
 * one over MAX_WORDS_QUERY_CHARS is pasted text, looked up by tiers 1 and 2 only.
 *
 * Speed: everything is looked up in maps and a sorted word list built once; the per-word
 * misspelling search runs only for a word the catalog does not contain, and fuse.js only when
 * nothing else matched. `npx tsx scripts/bench-search.ts` prints the per-keystroke latency.
 */
import Fuse from 'fuse.js';
import { CATEGORIES, type Category, type KnowledgeEntry, type Severity } from '../knowledge/schema';
import { createMatcher, type Matcher } from './matcher';
import type { StemIndexData } from './message-stems';
import { CODE_COMPANIONS, isTooGeneric, STOP_WORDS, tokens } from './query-words';
import { capSelection, EXPLAIN_TEXT_LIMIT } from './selection-limit';
import { noticesLast } from './start-page';

export interface SearchResult {
  entry: KnowledgeEntry;
  /** 0 is a perfect match, 1 no match (fuse.js convention); lower tiers always score higher. */
  score: number;
  /**
   * Why it matched: an error found in the query, its code, a related term, the words of an
   * official message, other text (exact or corrected words, fuzzy), or the empty query.
   */
  reason: 'error' | 'code' | 'term' | 'message' | 'text' | 'all';
}

/** Narrows results to one category and/or one severity; absent or null means any. */
export interface SearchFilters {
  category?: Category | null;
  severity?: Severity | null;
}

export interface Search {
  (query: string, filters?: SearchFilters): SearchResult[];
}

/** What createSearch returns: a Search that can also be prepared ahead of the first query. */
export interface PreparedSearch extends Search {
  /** Builds the indexes and compiles the matcher now instead of on the first queries that need them. */
  warmUp(): void;
}

/** How much a hit in each field says about the entry (1: everything). */
const FIELD_WEIGHTS = {
  code: 1,
  title: 0.95,
  related: 0.9,
  messages: 0.9,
  variants: 0.85,
  symptoms: 0.85,
  summary: 0.8,
  causes: 0.75,
  checks: 0.75,
  resolution: 0.75,
  id: 0.75,
  category: 0.5,
} as const;
type Field = keyof typeof FIELD_WEIGHTS;

/** How well one query word matched a catalog word. */
const EXACT = 1;
const PREFIX = 0.85;
const FUZZY = [1, 0.7, 0.55] as const; // by edit distance

/** Score bands of the tiers below `term` (see the header). */
/** The phrase as whole words ("read-only mode"), then only as the start of longer ones ("read-only models"). */
const MESSAGE_WHOLE_PHRASE_BAND = [0.01, 0.03] as const;
const MESSAGE_PHRASE_BAND = [0.03, 0.05] as const;
const TEXT_PHRASE_BAND = [0.05, 0.07] as const;
const MESSAGE_BAND = [0.07, 0.09] as const;
const TEXT_BAND = [0.1, 0.3] as const;
const CORRECTED_MESSAGE_PHRASE_BAND = [0.31, 0.33] as const;
const CORRECTED_TEXT_PHRASE_BAND = [0.33, 0.35] as const;
const CORRECTED_BAND = [0.36, 0.6] as const;
const FUSE_BAND = [0.61, 0.95] as const;
/**
 * The worst score of a hit on every word of the query, spelt right or corrected (tiers 3 and 4);
 * only fuse.js's fuzzy fallback scores worse.
 */
export const EVERY_WORD_SCORE = CORRECTED_BAND[1];

/**
 * Words before an operating system's error number: "Errno 111" is Linux's connection refused, not
 * IBKR's code 111. Such a number is a code only for an entry whose code has the word ("WinError
 * 10061"); otherwise it finds the entries whose examples hold the pair as written.
 */
const OS_ERROR_WORDS = new Set(['errno', 'winerror']);

/**
 * IBKR's numbered codes start at 100; a smaller number (0, the 1 of -1) is a code only as the
 * whole query or after a word of the code or one of CODE_COMPANIONS ("code 0", "Error -1"). After
 * any other word it is that word's value ("clientId 0", "reqId 1").
 */
const SMALL_NUMBER_LIMIT = 100;

/**
 * One spelling for words IBKR's texts spell both ways ("Order cancelled", "Order to be canceled"),
 * in the catalog's words and phrases and in the query's alike.
 */
const foldSpelling = (lower: string) => lower.replace(/\bcancell(ed|ing)\b/g, 'cancel$1');

/**
 * The longest query looked up word by word (tiers 3 to 5: every word must be in the entry, so a
 * longer text finds nothing that way, at a cost that grows with it).
 */
const MAX_WORDS_QUERY_CHARS = 400;


/** The words that name an entry as a code: its id, the words of its code, its number. */
export function codeWords(entry: KnowledgeEntry): Set<string> {
  return new Set([entry.id, ...tokens(entry.code), ...(entry.numericCode !== null ? [String(entry.numericCode)] : [])]);
}

/** Numbered codes in numeric order, then the named entries by id: the order of an empty query. */
export function catalogOrder(a: KnowledgeEntry, b: KnowledgeEntry): number {
  if (a.numericCode !== null && b.numericCode !== null) return a.numericCode - b.numericCode;
  if (a.numericCode !== null) return -1;
  if (b.numericCode !== null) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function fieldTexts(entry: KnowledgeEntry): Record<Field, string[]> {
  return {
    code: [entry.code],
    title: [entry.title],
    related: entry.related,
    messages: entry.match.messages,
    variants: entry.variants.flatMap((v) => [v.label, v.cause, v.fix]),
    symptoms: entry.symptoms,
    summary: [entry.summary],
    causes: entry.causes,
    checks: entry.checks,
    resolution: entry.resolution,
    id: [entry.id],
    category: [CATEGORIES[entry.category]],
  };
}

/**
 * Optimal-string-alignment distance (edits, with adjacent swaps as one), or `max + 1` as soon as
 * it must exceed `max`.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/** Edits allowed when correcting a word of this length. */
function allowedEdits(length: number): number {
  return length >= 7 ? 2 : length >= 3 ? 1 : 0;
}

/** Per entry: the best quality × field weight of one query word, and whether it came from a message. */
interface WordHit {
  weight: number;
  inMessage: boolean;
}

/** The word index: every catalog word with the entries (and best field weight) it occurs in. */
class WordIndex {
  /** word -> entry index -> best field weight */
  private readonly postings = new Map<string, Map<number, number>>();
  /** word -> entries whose official messages contain it */
  private readonly messagePostings = new Map<string, Set<number>>();
  /** All words, sorted, for prefix ranges. */
  private readonly sorted: string[];

  constructor(entries: readonly KnowledgeEntry[]) {
    entries.forEach((entry, i) => {
      const fields = fieldTexts(entry);
      for (const field of Object.keys(fields) as Field[]) {
        for (const text of fields[field]) {
          for (const word of tokens(text).map(foldSpelling)) {
            let p = this.postings.get(word);
            if (!p) this.postings.set(word, (p = new Map()));
            if ((p.get(i) ?? 0) < FIELD_WEIGHTS[field]) p.set(i, FIELD_WEIGHTS[field]);
            if (field === 'messages') {
              let m = this.messagePostings.get(word);
              if (!m) this.messagePostings.set(word, (m = new Set()));
              m.add(i);
            }
          }
        }
      }
    });
    this.sorted = [...this.postings.keys()].sort();
  }

  /** Catalog words starting with `prefix` (binary search, then a scan of the range). */
  private withPrefix(prefix: string): string[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i].startsWith(prefix); i++) out.push(this.sorted[i]);
    return out;
  }

  /**
   * Catalog words within a few edits of `word`; `typing` also compares with the start of longer
   * words, since the last word of a query may be half typed.
   */
  private near(word: string, typing: boolean): { word: string; edits: number }[] {
    const max = allowedEdits(word.length);
    if (max === 0) return [];
    const out: { word: string; edits: number }[] = [];
    for (const candidate of this.sorted) {
      if (candidate.length < word.length - max || /\d/.test(candidate)) continue;
      let edits = editDistance(word, candidate, max);
      if (typing && edits > max && candidate.length > word.length) {
        for (let len = word.length - 1; len <= word.length + 1; len++) {
          edits = Math.min(edits, editDistance(word, candidate.slice(0, len), max));
        }
      }
      if (edits <= max) out.push({ word: candidate, edits });
    }
    return out;
  }

  /**
   * The entries one query word hits, with how well. Exact and prefix hits first; the misspelling
   * search runs only when the catalog has no word starting with this one.
   */
  lookup(typed: string, isLast: boolean): { hits: Map<number, WordHit>; corrected: string | null } {
    const word = foldSpelling(typed);
    const hits = new Map<number, WordHit>();
    const add = (catalogWord: string, quality: number) => {
      const inMessages = this.messagePostings.get(catalogWord);
      for (const [i, weight] of this.postings.get(catalogWord)!) {
        const w = quality * weight;
        const prev = hits.get(i);
        const inMessage = (prev?.inMessage ?? false) || (inMessages?.has(i) ?? false);
        hits.set(i, { weight: Math.max(prev?.weight ?? 0, w), inMessage });
      }
    };
    // A finished short word ("is", "ok") is taken as written; the word being typed, or a longer
    // one, also stands for the words it begins ("viol" -> "violation").
    const prefixes = isLast || word.length >= 4 ? this.withPrefix(word) : this.postings.has(word) ? [word] : [];
    for (const w of prefixes) add(w, w === word ? EXACT : PREFIX);
    if (hits.size > 0) return { hits, corrected: null };
    // The best correction stands for the word in the corrected phrase: fewest edits, then the
    // word more entries use ("conection" -> "connection", not "collection").
    let best: { word: string; edits: number; entries: number } | null = null;
    for (const { word: w, edits } of this.near(word, isLast)) {
      add(w, FUZZY[edits]);
      const entries = this.postings.get(w)!.size;
      if (!best || edits < best.edits || (edits === best.edits && entries > best.entries)) best = { word: w, edits, entries };
    }
    return { hits, corrected: best?.word ?? null };
  }
}

/**
 * Whether `text` holds `phrase` as whole words ("isconnected" is in "isconnected()", not in
 * "disconnected"). Both lower-cased, white space folded. `openEnd`: the last word may be the
 * start of a longer one (it is still being typed).
 */
export function holdsPhrase(text: string, phrase: string, openEnd = false): boolean {
  const isWordChar = (c: string | undefined) => c !== undefined && /[a-z0-9_]/.test(c);
  for (let at = text.indexOf(phrase); at !== -1; at = text.indexOf(phrase, at + 1)) {
    if (!isWordChar(text[at - 1]) && (openEnd || !isWordChar(text[at + phrase.length]))) return true;
  }
  return false;
}

/** Maps a quality in [0, 1] (1 best) into a score band (low end best). */
const inBand = ([best, worst]: readonly [number, number], quality: number) =>
  best + (worst - best) * (1 - Math.max(0, Math.min(1, quality)));

/** Per-entry, per-field strings for the fuse.js fallback: short, telling texts only. */
interface Passage {
  entry: number;
  text: string;
}

interface WordRank {
  i: number;
  score: number;
  reason: 'message' | 'text';
}

/** Everything a non-empty query looks things up in; built once, on first need. */
class SearchIndex {
  /** Exact-hit vocabulary: code words and ids. */
  readonly byCode = new Map<string, number[]>();
  /** Related terms, whole and word by word, each list in catalog order. */
  readonly byTerm = new Map<string, number[]>();
  readonly words: WordIndex;
  /** Each entry's official messages, lower-cased, white space folded. */
  readonly messagesLower: string[][];
  /** Every other indexed text of an entry, one passage a line, for whole-phrase hits. */
  readonly proseLower: string[];
  /** Whether one of entry `i`'s official messages holds the (lower-cased) term as whole words. */
  readonly termInMessage: (i: number, term: string) => boolean;
  /** Each entry's examples, lower-cased, one a line. */
  readonly examplesLower: string[];

  constructor(entries: readonly KnowledgeEntry[]) {
    const put = (map: Map<string, number[]>, key: string, i: number) => {
      const list = map.get(key) ?? [];
      if (!list.includes(i)) list.push(i);
      map.set(key, list);
    };
    entries.forEach((e, i) => {
      for (const w of codeWords(e)) put(this.byCode, w, i);
      for (const term of e.related) {
        put(this.byTerm, term.toLowerCase(), i);
        for (const t of tokens(term)) put(this.byTerm, t, i);
      }
    });
    for (const list of this.byTerm.values()) list.sort((a, b) => catalogOrder(entries[a], entries[b]));
    this.words = new WordIndex(entries);
    const fold = (text: string) => foldSpelling(text.toLowerCase().replace(/\s+/g, ' '));
    this.messagesLower = entries.map((e) => e.match.messages.map(fold));
    this.termInMessage = (i, term) => this.messagesLower[i].some((m) => holdsPhrase(m, term));
    this.examplesLower = entries.map((e) => fold(e.examples.map((x) => x.text).join('\n')));
    this.proseLower = entries.map((e) => {
      const { messages: _, ...rest } = fieldTexts(e);
      return fold(Object.values(rest).flat().join('\n'));
    });
  }

  /**
   * Tiers 3 and 4: entries containing every (non-stop) word of the query, scored. `query` keeps
   * its trailing space, which says the last word is finished.
   */
  rankByWords(query: string, qTokens: string[]): WordRank[] {
    const { words, messagesLower, proseLower } = this;
    const typingLast = !/\s$/.test(query);
    const looked = qTokens.map((w, k) => ({ word: w, ...words.lookup(w, typingLast && k === qTokens.length - 1) }));
    const content = looked.filter((l) => !STOP_WORDS.has(l.word));
    const required = content.length > 0 ? content : looked;
    if (required.length === 0 || required.some((l) => l.hits.size === 0)) return [];
    const smallest = required.reduce((a, b) => (b.hits.size < a.hits.size ? b : a));
    const phrase = foldSpelling(query.toLowerCase().replace(/\s+/g, ' ').trim());
    // With misspellings corrected, the query as the catalog would spell it ("connection refused").
    const correctedPhrase = required.some((l) => l.corrected) ? foldSpelling(looked.map((l) => l.corrected ?? l.word).join(' ')) : null;
    const openEnd = typingLast && looked.length > 0 && looked[looked.length - 1].corrected === null;
    const out: WordRank[] = [];
    for (const i of smallest.hits.keys()) {
      if (!required.every((l) => l.hits.has(i))) continue;
      const hits = required.map((l) => l.hits.get(i)!);
      const inMessages = hits.every((h) => h.inMessage);
      const mean = hits.reduce((sum, h) => sum + h.weight, 0) / hits.length;
      if (correctedPhrase !== null) {
        // As for words spelt right: the corrected phrase in a message, then in prose, then the
        // words apart (those found in an official message first).
        let band: readonly [number, number] = CORRECTED_BAND;
        let quality = inMessages ? Math.min(1, mean + 0.1) : mean;
        if (messagesLower[i].some((m) => holdsPhrase(m, correctedPhrase, openEnd))) [band, quality] = [CORRECTED_MESSAGE_PHRASE_BAND, mean];
        else if (holdsPhrase(proseLower[i], correctedPhrase, openEnd)) [band, quality] = [CORRECTED_TEXT_PHRASE_BAND, mean];
        out.push({ i, score: inBand(band, quality), reason: 'text' });
        continue;
      }
      // A message or a passage holding the whole phrase beats scattered words; a shorter
      // message, more of which the query covers, beats a longer one.
      const containing = messagesLower[i].filter((m) => m.includes(phrase));
      if (containing.length > 0) {
        // The query as typed, in whole words, is the most literal hit; a half-typed last word
        // still counts, just after it.
        const whole = containing.filter((m) => holdsPhrase(m, phrase));
        const [band, holding] = whole.length > 0 ? [MESSAGE_WHOLE_PHRASE_BAND, whole] : [MESSAGE_PHRASE_BAND, containing];
        const coverage = phrase.length / Math.min(...holding.map((m) => m.length));
        out.push({ i, score: inBand(band, coverage), reason: 'message' });
      } else if (required.length > 1 && proseLower[i].includes(phrase)) {
        out.push({ i, score: inBand(TEXT_PHRASE_BAND, mean), reason: 'text' });
      } else if (inMessages) {
        const coverage = phrase.length / Math.min(...messagesLower[i].map((m) => m.length));
        out.push({ i, score: inBand(MESSAGE_BAND, coverage), reason: 'message' });
      } else {
        out.push({ i, score: inBand(TEXT_BAND, mean), reason: 'text' });
      }
    }
    return out;
  }
}

/** One query's results: each entry once, at the score and reason of the first tier that found it. */
class Results {
  private readonly byEntry = new Map<number, SearchResult>();

  constructor(private readonly entries: readonly KnowledgeEntry[]) {}

  get size(): number {
    return this.byEntry.size;
  }

  add(i: number, score: number, reason: SearchResult['reason']): void {
    if (!this.byEntry.has(i)) this.byEntry.set(i, { entry: this.entries[i], score, reason });
  }

  indexes(): IterableIterator<number> {
    return this.byEntry.keys();
  }

  list(): SearchResult[] {
    return [...this.byEntry.values()];
  }
}

export interface SearchOptions {
  /** fuse.js's cut-off for the last-resort fuzzy phrase search (0 exact, 1 anything). */
  threshold?: number;
  /** The caller's matcher, used as is. */
  matcher?: Matcher;
  /** Otherwise the stem index worked out at build time, for the matcher built here on first need. */
  stemIndex?: StemIndexData;
}

/** The tiers of the search over one catalog, each built on its first need. */
class CatalogSearch {
  private readonly indexOf: ReadonlyMap<string, number>;
  private readonly inCatalogOrder: readonly number[];
  private readonly threshold: number;
  private index: SearchIndex | undefined;
  private matcher: Matcher | undefined;
  private fuse: Fuse<Passage> | undefined;

  constructor(
    private readonly entries: readonly KnowledgeEntry[],
    private readonly options: SearchOptions,
  ) {
    this.indexOf = new Map(entries.map((e, i) => [e.id, i]));
    this.inCatalogOrder = entries.map((_, i) => i).sort((a, b) => catalogOrder(entries[a], entries[b]));
    this.threshold = options.threshold ?? 0.25;
    this.matcher = options.matcher;
  }

  wordIndex(): SearchIndex {
    return (this.index ??= new SearchIndex(this.entries));
  }

  errorMatcher(): Matcher {
    return (this.matcher ??= createMatcher(this.entries, { stemIndex: this.options.stemIndex }));
  }

  fuzzyIndex(): Fuse<Passage> {
    const passages = () => this.entries.flatMap((e, i) => [e.title, ...e.match.messages, ...e.related].map((text) => ({ entry: i, text })));
    return (this.fuse ??= new Fuse(passages(), {
      keys: ['text'],
      includeScore: true,
      ignoreLocation: true,
      ignoreDiacritics: true,
      ignoreFieldNorm: true,
      threshold: this.threshold,
      minMatchCharLength: 3,
    }));
  }

  /** Every tier in turn; a tier that settles the query (a log line, a number) ends it. */
  search(typed: string): SearchResult[] {
    // A pasted text is searched as far as "Explain selection" reads a selection.
    const raw = typed.length > EXPLAIN_TEXT_LIMIT ? capSelection(typed).text : typed;
    const query = raw.replace(/\s+/g, ' ').trim();
    if (query === '') return this.inCatalogOrder.map((i) => ({ entry: this.entries[i], score: 0, reason: 'all' as const }));
    const results = new Results(this.entries);
    const qTokens = tokens(query);
    if (this.addErrors(query, qTokens, results)) return results.list();
    const isNumber = /^[\d\s.,:-]+$/.test(query);
    // A query that only says something went wrong ("failed", "an error occurred") names no code
    // or term (the "failed" of "API connection failed" is no code of it); only the official
    // messages that hold its words are listed, not prose that happens to say them.
    const generic = isTooGeneric(query);
    if (!generic) this.addCodesAndTerms(query, qTokens, isNumber, results);
    // A number is a code or a port: exact or nothing ("326" must not bring up "321"). A text
    // longer than a few lines is pasted: found by its errors and codes, not word by word.
    if (isNumber || query.length > MAX_WORDS_QUERY_CHARS) return results.list();
    const ranked = this.wordIndex()
      .rankByWords(raw.replace(/^\s+/, ''), qTokens)
      .sort((a, b) => a.score - b.score || catalogOrder(this.entries[a.i], this.entries[b.i]));
    for (const r of ranked) if (!generic || r.reason === 'message') results.add(r.i, r.score, r.reason);
    // fuse.js's cost grows with the query; a run-together word or two is what it is here for.
    if (results.size === 0 && !generic && qTokens.length <= 2 && query.length >= 4 && query.length <= 24) this.addFuzzy(query, results);
    return results.list();
  }

  /** Tier 1: the errors the query itself is. True when it is a log line naming its own code: that error alone. */
  private addErrors(query: string, qTokens: string[], results: Results): boolean {
    // The matcher needs a message or an error shape; a short fragment cannot be one.
    if (query.length < 6) return false;
    // The user typed it: both APIs' context is given, as for "Explain selection". Errors come
    // before informational notices (pasted log lines often start with farm notices).
    const found = this.errorMatcher()
      .find(query, { context: true, cpapiContext: true, apiFromText: true })
      .map((m) => this.indexOf.get(m.entryId))
      .filter((i): i is number => i !== undefined);
    for (const i of found.sort((a, b) => noticesLast(this.entries[a], this.entries[b]))) results.add(i, 0, 'error');
    // A log line naming its own code (`Error 2104, reqId -1: ...`) is about that error alone;
    // its other words would only find entries that mention it.
    return [...results.indexes()].some((i) => qTokens.some((t) => /\d/.test(t) && codeWords(this.entries[i]).has(t)));
  }

  /** Tier 2: exact codes and ids, then related terms. */
  private addCodesAndTerms(query: string, qTokens: string[], isNumber: boolean, results: Results): void {
    const { byCode, byTerm, termInMessage } = this.wordIndex();
    const lower = query.toLowerCase();
    for (const i of byCode.get(lower) ?? []) results.add(i, 0, 'code');
    // Numbers inside a recognised error line are request ids and times, not more codes.
    if (results.size === 0) qTokens.forEach((t, k) => /\d/.test(t) && this.addNumber(t, qTokens[k - 1], results));
    // A number that is a code means that code, not the entries listing it as related ("2104" is
    // not 2103); one that is no code is a port ("7497"). Entries whose official message holds
    // the term come first (502's text lists the ports), then catalog order.
    if (isNumber && results.size > 0) return;
    const terms = byTerm.get(lower) ?? [];
    for (const i of terms) if (termInMessage(i, lower)) results.add(i, 0.001, 'term');
    for (const i of terms) results.add(i, 0.002, 'term');
  }

  /**
   * The entries a number of the query names: by their code, or as an operating system's error
   * after `before`; a small number after another word names none (SMALL_NUMBER_LIMIT).
   */
  private addNumber(number: string, before: string | undefined, results: Results): void {
    const { byCode, examplesLower } = this.wordIndex();
    const osError = before !== undefined && OS_ERROR_WORDS.has(before);
    const valueOfWord = before !== undefined && !/\d/.test(before) && Number(number) < SMALL_NUMBER_LIMIT && !CODE_COMPANIONS.has(before);
    for (const i of byCode.get(number) ?? []) {
      if ((osError || valueOfWord) && !codeWords(this.entries[i]).has(before)) continue;
      results.add(i, 0, 'code');
    }
    if (!osError) return;
    const pair = `${before} ${number}`;
    for (const i of this.inCatalogOrder) if (holdsPhrase(examplesLower[i], pair)) results.add(i, 0.001, 'term');
  }

  /** Tier 5: fuse.js over titles, messages and terms, each entry at its best passage's score. */
  private addFuzzy(query: string, results: Results): void {
    const best = new Map<number, number>();
    for (const r of this.fuzzyIndex().search(query, { limit: 30 })) {
      const s = r.score ?? 1;
      if (s < (best.get(r.item.entry) ?? Infinity)) best.set(r.item.entry, s);
    }
    for (const [i, s] of [...best].sort((a, b) => a[1] - b[1])) results.add(i, inBand(FUSE_BAND, 1 - s / this.threshold), 'text');
  }
}

/**
 * `threshold` is fuse.js's cut-off for the last-resort fuzzy phrase search (0 exact, 1 anything).
 * `matcher`: a matcher the caller already has over the same entries (the content script's), used
 * instead of building a second one.
 *
 * Nothing is built until needed: an empty query (the popup's first view) needs no index, and the
 * matcher's ~1,500 patterns cost a one-off compile on their first run. `warmUp()` pays for all of
 * it up front, e.g. right after the popup has drawn its first view.
 */
export function createSearch(entries: readonly KnowledgeEntry[], options: SearchOptions = {}): PreparedSearch {
  const catalog = new CatalogSearch(entries, options);
  const search = (raw: string, filters: SearchFilters = {}) => {
    const all = catalog.search(raw);
    const { category, severity } = filters;
    if (!category && !severity) return all;
    return all.filter((r) => (!category || r.entry.category === category) && (!severity || r.entry.severity === severity));
  };
  return Object.assign(search, {
    warmUp() {
      catalog.wordIndex();
      catalog.fuzzyIndex();
      // Runs every pattern once, so none compiles during the user's first keystrokes.
      catalog.errorMatcher().find('Error 1, reqId 1: warm up', { context: true });
    },
  });
}
