/**
 * Official message texts as match data: each message becomes a "stem" (the stable part of the
 * text, matched as a prefix), and all stems sit in one index keyed by their first two words, so
 * a text is scanned once, word by word, whatever the number of messages. Pure.
 *
 * Why stems: TWS appends runtime detail to its documented texts (farm names, symbols, request
 * ids, reasons), and the catalog's "observed runtime text" rows carry such details
 * (`…returned no data: ESM3@CME Trades`, `…connection is OK:usfarm`). The stem drops them, turns
 * placeholders (`<Symbol>`, `%s`, `-'bW'`) into wildcards, and remembers whether the message
 * announces a reason (`cause - `, `reason:`, a trailing `:`). Runtime wordings that differ from the
 * table in a known way are read as the same text: `TWS` / `Trader Workstation` / `the TWS`, `IB` /
 * `IBKR`, a full stop between sentences added or missing (docs/matching.md).
 */

export interface StemSpec {
  /**
   * Regular expression source (matched case-insensitively, sticky). A progressive stem's is its
   * first sentence's source and each further word's, joined by PROGRESSIVE_SEPARATOR.
   */
  source: string;
  /**
   * The index words of the stem: its first two literal words, lowercased, once per spelling of
   * a runtime wording among them (`TWS socket` and `trader workstation`).
   */
  keys: string[][];
  /**
   * The lead's next words (third, fourth), lowercased, where the literal ends them (a text that
   * matches has the same words there): checked before the regex is run.
   */
  nextWords: string[];
  /** Literal length, to try longer stems first. */
  literalLength: number;
  /** Long enough to count without context (4+ words, 24+ characters; for a message of several sentences, its first). */
  distinctive: boolean;
  /** The message ends announcing a reason or value (`cause - `, `reason:`, a trailing `:`, `-` or placeholder). */
  announces: boolean;
  /**
   * A message of several sentences: its first sentence is required and the rest matched word by
   * word as far as the text quotes it ("Couldn't connect to TWS. Confirm that …").
   */
  progressive: boolean;
  /** The stem's first character, kept case-sensitive for short stems ("Not connected"). */
  firstChar: string;
}

/** Notes the catalog carries inside message cells, not part of any text TWS sends. */
const CATALOG_NOTES = /\s*(?:\[(?:comma-split cells rejoined|Campus table cell truncated[^\]]*)\]|\(Used only in [^)]*\))\s*$/;
const NO_TEXT = /^\(no message text/;
/** UTF-8 typographic quotes read as Latin-1 in a catalog cell ("â€œModify …â€\uFFFD"): plain quotes. */
const MOJIBAKE_QUOTES: [RegExp, string][] = [
  [/â€[œ\u009d\uFFFD]/g, '"'],
  [/â€[™˜]/g, "'"],
];

/** A wildcard in the middle of a stem (a placeholder of the docs or a runtime value). */
type Piece = { literal: string } | { wild: string };

/** Runtime detail: symbols with an exchange (`ESM3@CME`), market data keys (`Error&BEST/STK/Top`). */
const CONCRETE_CHAR = /[@&]/;
/** A farm list after "connected:" (1102): "All data farms are connected: usfuture; eufarm; …". */
const FARM_LIST = /(?<=connected):\s*[a-z][a-z0-9]*(?:;\s*[a-z][a-z0-9]*)*;?/g;
/** A value after a label earlier in the message ("TWS: 7496;"). */
const VALUE_LIST = /:\s*\d+\W/;
/** What may follow a number that ends a message: more numbers, times, dates. */
const NUMBERS_ONLY = /^[\d\s:.\-/]*$/;

/** Where the runtime detail starts in a message, or -1 (see the module comment). */
function concreteCut(message: string): number {
  const tokens = [...message.matchAll(/\S+/g)];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t][0];
    const at = tokens[t].index!;
    const concrete = token.search(CONCRETE_CHAR);
    if (concrete >= 0) {
      // "available.Error&BEST/STK/Top": keep the word before the glued detail.
      const glue = Math.max(token.lastIndexOf('.', concrete), token.lastIndexOf(':', concrete));
      return glue > 0 ? at + glue + 1 : at;
    }
    // A number after a colon that ends the message: "cancelled: 28", "tickerId:1", "order id: 0";
    // not a list of them, which is the text itself (502: "TWS: 7496; IB Gateway: 4001. …").
    const numbersFollow = NUMBERS_ONLY.test(message.slice(at + token.length)) && !VALUE_LIST.test(message.slice(0, at));
    const glued = /^(.*:)\d+\W*$/.exec(token);
    if (glued && /[A-Za-z]/.test(glued[1]) && numbersFollow) return at + glued[1].length;
    if (/^\d+\W*$/.test(token) && t > 0 && tokens[t - 1][0].endsWith(':') && numbersFollow) return at;
  }
  // A farm name glued at the end: "…is OK:usfarm", "…upon demand.ushmds".
  const farm = /[A-Za-z)]([:.])[a-z][a-z0-9]{2,}$/.exec(message);
  if (farm) return farm.index + 1;
  // A symbol glued after a sentence: "…still active.CSCO NASDAQ.NMS/TOP/BID_ASK".
  const symbol = /[a-z]\.(?=[A-Z]{2,}\b)/.exec(message);
  if (symbol) return symbol.index + 1;
  return -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `TWS` as the runtime texts also spell it. */
const TWS_SOURCE = '(?:TWS|Trader\\s+Workstation)';
/**
 * What a literal reads as besides itself: white space, the runtime wordings of TWS and IB, a full
 * stop between two sentences (added or missing: "subscribed.Delayed", "broken It will").
 */
const LITERAL_SPECIAL = /(\bthe\s+TWS\b|\bTWS\b|\bTrader\s+Workstation\b|\bIBKR\b|\bIB\b|(?<=[a-z)])\.\s*(?=[A-Z])|\s+)/;

/** Literal text as a regex: see LITERAL_SPECIAL; straight or typographic quotes and apostrophes. */
function literalSource(text: string): string {
  return text
    .split(LITERAL_SPECIAL)
    .map((part, i) => {
      if (i % 2 === 0) return escapeRegExp(part).replace(/'/g, "['’]").replace(/"/g, '["“”]');
      if (/^\s+$/.test(part)) return '\\s+';
      if (part.startsWith('.')) return '(?:\\.\\s*|\\s+)';
      if (/^IB/.test(part)) return 'IB(?:KR)?';
      return /^the\s/.test(part) ? `(?:the\\s+)?${TWS_SOURCE}` : TWS_SOURCE;
    })
    .join('');
}

/** The spellings of a text's runtime wordings: "TWS socket port …" also reads "Trader Workstation socket port …". */
function spellings(text: string): string[] {
  const out = new Set([text]);
  for (const [from, to] of [
    [/\bthe\s+TWS\b/, 'Trader Workstation'],
    [/\bthe\s+TWS\b/, 'TWS'],
    [/\bTWS\b/, 'Trader Workstation'],
    [/\bTrader\s+Workstation\b/, 'TWS'],
    [/\bIBKR\b/, 'IB'],
    [/\bIB\b/, 'IBKR'],
  ] as const) {
    for (const t of [...out]) if (from.test(t)) out.add(t.replace(from, to));
  }
  return [...out];
}

/** Splits a stem into literal pieces and wildcards. */
function pieces(stem: string): Piece[] {
  const out: Piece[] = [];
  // Request codes of 321/322 ("-'bW'"), quoted runtime values after a colon (": 'AAPL'"), placeholders.
  const wild = /-'[A-Za-z0-9]{1,4}'|(?<=:\s?)'[^'\n]{1,40}'|<[^<>\n]{0,40}>|%[sSd]/g;
  let last = 0;
  for (const m of stem.matchAll(wild)) {
    if (m.index! > last) out.push({ literal: stem.slice(last, m.index) });
    out.push({ wild: m[0] });
    last = m.index! + m[0].length;
  }
  if (last < stem.length) out.push({ literal: stem.slice(last) });
  return out;
}

function wildSource(wild: string): string {
  if (wild.startsWith("-'")) return "-['’][A-Za-z0-9]{1,4}['’]";
  if (wild.startsWith("'")) return "['’][^'’\\n]{0,40}['’]";
  return '[^\\n]{0,60}?';
}

/** The regex source of a text with wildcards, and its literal text (wildcards as spaces). */
function sourceOf(parts: Piece[]): { source: string; literal: string } {
  let source = '';
  parts.forEach((p, i) => {
    if ('literal' in p) source += literalSource(p.literal);
    else {
      // "The security <security> is not …" also reads "The security is not …".
      const spaced = /\s$/.test((parts[i - 1] as { literal?: string } | undefined)?.literal ?? '');
      source = spaced ? source.replace(/\\s\+$/, '') + `(?:${INLINE_SPACE}${wildSource(p.wild)})?` : source + wildSource(p.wild);
    }
  });
  return { source, literal: parts.map((p) => ('literal' in p ? p.literal : ' ')).join('') };
}

/** Between the parts of a progressive stem's source (see StemSpec.source). */
const PROGRESSIVE_SEPARATOR = '\u0000';
/**
 * Before a runtime value: white space on the line. The value is printed on the message's line, and
 * a placeholder after a line break would take the next line's text (a log's next record) as the value.
 */
const INLINE_SPACE = '[^\\S\\n]+';
/** How a placeholder's source starts (`wildSource`): a word that starts with one is a runtime value. */
const WILD_START = '[^\\n]';
/** Between a message's first sentence and the next: a full stop, or none at runtime. */
const SENTENCE_GAP = '(?:\\.\\s*|\\s+)';

/** A word's source, ended at a word boundary when it ends with a letter or digit. */
function bounded(word: string): string {
  return sourceOf(pieces(word)).source + (/\w$/.test(word) ? '\\b' : '');
}

/**
 * The sources of the words of a message after its first sentence. A sentence glued to a word
 * ("details.Delayed market data …") is optional after it, as a further word is: the text may stop
 * at the word ("… for more details., contract: Stock(…)").
 */
function wordSources(rest: string): string[] {
  return (rest.match(/(?:<[^<>\n]{0,40}>|\S)+/g) ?? []).map((word) => {
    const [head, ...glued] = word.split(/(?<=[a-z)])\.(?=[A-Z])/);
    let tail = '';
    for (let k = glued.length - 1; k >= 0; k--) tail = `(?:${SENTENCE_GAP}${bounded(glued[k])}${tail})?`;
    return bounded(head) + tail;
  });
}

/**
 * The two regexes of a progressive stem's source: the whole message, and the message matched as
 * far as the text quotes it (each further word optional after the one before).
 */
function progressiveSources(source: string): { whole: string; partial: string } {
  const [first, ...words] = source.split(PROGRESSIVE_SEPARATOR);
  let partial = '';
  const gap = (k: number) => (k === 0 ? SENTENCE_GAP : words[k].startsWith(WILD_START) ? INLINE_SPACE : '\\s+');
  for (let k = words.length - 1; k >= 0; k--) partial = `(?:${gap(k)}${words[k]}${partial})?`;
  return { whole: first + SENTENCE_GAP + words.map((w, k) => (k === 0 ? w : gap(k) + w)).join(''), partial: first + partial };
}

/** The first sentence of a longer message, when it is long enough to stand alone (4+ words). */
function firstSentence(stem: string): { sentence: string; rest: string } | null {
  const m = /^(.{20,}?[A-Za-z)])\.(?:\s+|(?=[A-Z]))\S/.exec(stem);
  if (!m || m[1].split(/\s+/).length < 4) return null;
  return { sentence: m[1], rest: stem.slice(m[0].length - 1) };
}

/** Words of a stem's lead that have other runtime spellings: the next-word check cannot rely on them. */
const RUNTIME_WORD = /\b(?:TWS|Trader|IBKR|IB)\b/;

function buildSpec(stem: string, announces: boolean, colon: boolean): StemSpec | null {
  const parts = pieces(stem);
  // A leading placeholder ("%s: The date, time", "< > cannot be used …") is dropped.
  while (parts.length > 0 && 'wild' in parts[0]) parts.shift();
  if (parts.length === 0) return null;
  const first = parts[0] as { literal: string };
  first.literal = first.literal.replace(/^[\s:,.\-]+/, '');
  const raw = parts.map((p) => ('literal' in p ? p.literal : p.wild)).join('');
  const split = firstSentence(raw);
  const required = split ? sourceOf(pieces(split.sentence)) : sourceOf(parts);
  const text = sourceOf(parts).literal.trim();
  const requiredText = required.literal.trim();
  if (text.length < 2) return null;
  let source = required.source;
  if (/^\w/.test(text)) source = '\\b' + source;
  const distinctive = requiredText.split(/\s+/).length >= 4 && requiredText.length >= 24;
  if (split) source = [source + (/\w$/.test(split.sentence) ? '\\b' : ''), ...wordSources(split.rest)].join(PROGRESSIVE_SEPARATOR);
  // A short text ending in a colon ("Order Message:", "Parsing error:") is that text only with it.
  else if (colon && !distinctive) source += '\\s*:';
  else if (/\w$/.test(stem)) source += '\\b';
  // Index words: the literal words before the first wildcard (two are enough to narrow it).
  const lead = first.literal;
  const keys = spellings(lead)
    .map((l) => (l.toLowerCase().match(/[a-z0-9]+/g) ?? []).slice(0, 2))
    .filter((k, i, all) => k.length > 0 && all.findIndex((o) => o.join(' ') === k.join(' ')) === i);
  if (keys.length === 0) return null;
  const leadWords = lead.match(/\S+/g) ?? [];
  return {
    source,
    keys,
    nextWords: RUNTIME_WORD.test(leadWords.slice(0, 2 + MAX_NEXT_WORDS).join(' ')) ? [] : nextWordsOf(lead, keys[0]),
    literalLength: text.length,
    distinctive,
    announces,
    progressive: split !== null,
    firstChar: text[0],
  };
}

/** How many words past the first two a stem's index entry checks (its third and fourth). */
const MAX_NEXT_WORDS = 2;

function nextWordsOf(lead: string, tokens: string[]): string[] {
  const words = [...lead.matchAll(/[A-Za-z0-9]+/g)];
  // Lowercasing may make ASCII out of other letters ("İ"): then the words are not the scan's words.
  if (words.slice(0, 2).some((w, i) => w[0].toLowerCase() !== tokens[i])) return [];
  const out: string[] = [];
  // Past the end of the literal (white space there may become optional) the text's word may go on.
  const literalEnd = lead.trimEnd().length;
  for (const w of words.slice(2, 2 + MAX_NEXT_WORDS)) {
    if (w.index! + w[0].length >= literalEnd) break;
    out.push(w[0].toLowerCase());
  }
  return out;
}

/** A message that ends announcing what follows: "cause - ", "reason:", "error message", a trailing ":" or "-". */
const ANNOUNCING_END = /(?:[:\-–]|\b(?:cause|reason|error message))\s*$/i;
/** The same words with the table's full stop after them ("…Service error message."). */
const ANNOUNCING_WORDS_END = /\b(?:reason|error message)\.\s*$/i;

/**
 * The stem of one official message: its stable part, and whether it announces a reason. A
 * message of several sentences is one progressive stem (see StemSpec.progressive).
 */
export function stemsOf(message: string): StemSpec[] {
  let text = message.replace(/\\n/g, ' ').replace(CATALOG_NOTES, '').trim();
  for (const [bad, good] of MOJIBAKE_QUOTES) text = text.replace(bad, good);
  if (text === '' || NO_TEXT.test(text)) return [];
  // Farm lists are runtime values, wherever they stand.
  text = text.replace(FARM_LIST, ': %s');
  let announces = false;
  // "… : cause - Invalid account code": what follows "cause - " is the reason, never the stem.
  const cause = /\bcause\s*-\s*/.exec(text);
  if (cause && cause.index + cause[0].length < text.length) {
    text = text.slice(0, cause.index + cause[0].length);
    announces = true;
  }
  const cut = concreteCut(text);
  if (cut >= 0) {
    // Detail cut after a space ("…market data for EUR/CASH@IDEALPRO Last 60") is the runtime
    // value the message names: the text goes on with it, as after a placeholder.
    if (/\s/.test(text[cut - 1] ?? '')) announces = true;
    text = text.slice(0, cut);
  }
  // A placeholder at the end is where the runtime value goes: the stem stops before it.
  const trailingWild = /(?:\s*(?:<[^<>\n]{0,40}>|%[sSd]))+[\s.:]*$/.exec(text);
  if (trailingWild) {
    text = text.slice(0, trailingWild.index);
    announces = true;
  }
  // "Historical market data Service error message." as the table writes it: at runtime the reason
  // follows the words, after a colon.
  if (ANNOUNCING_END.test(text) || ANNOUNCING_WORDS_END.test(text)) announces = true;
  const stem = text.replace(/[\s.:;,!*\-–]+$/, '');
  const spec = buildSpec(stem, announces, /:\s*$/.test(text) && !trailingWild);
  return spec ? [spec] : [];
}

/** A first sentence that ends in a placeholder ("…directly routed to %s"), before its full stop. */
const SENTENCE_ENDS_IN_PLACEHOLDER = /(?:\s*(?:<[^<>\n]{0,40}>|%[sSd]))+$/;

/**
 * The stem of a message's first sentence alone, when that sentence ends in a placeholder
 * (451's `…Total Value Limit of %s.`, 10324's `…for exchange %s.`): a line that quotes that
 * sentence alone ends with the runtime value, which the progressive stem, stopped there, leaves
 * out. This stem announces the value as a reason, as a message that ends in a placeholder does.
 * Indexed after every message's own stems, so an entry whose whole message is that sentence
 * (10329, 10311's first sentence) comes first.
 */
export function firstSentenceStemsOf(message: string): StemSpec[] {
  const [spec] = stemsOf(message);
  if (!spec?.progressive) return [];
  const split = firstSentence(message.replace(/\\n/g, ' ').trim());
  const wild = split && SENTENCE_ENDS_IN_PLACEHOLDER.exec(split.sentence);
  if (!split || !wild) return [];
  const sentence = buildSpec(split.sentence.slice(0, wild.index).replace(/[\s.:;,!*\-–]+$/, ''), true, false);
  return sentence ? [sentence] : [];
}

/**
 * A pattern that can only match where a given word starts, so the word scan finds its places
 * and runs it there (sticky) instead of a regex scanning every position of the text. The
 * pattern must start with `\b` or with literal punctuation (`"`, `\[`), then a literal word
 * followed by a non-word token, and have no top-level `|`: then every match begins `lead`
 * characters before a word of the scan that is exactly that word.
 */
export interface AnchoredPattern<Owner> {
  /** The literal first word, lowercased. */
  word: string;
  /** Characters of literal punctuation before the word (`"competing"`: 1). */
  lead: number;
  /** Regular expression source, matched case-insensitively unless `caseSensitive`. */
  source: string;
  caseSensitive: boolean;
  /**
   * `source` compiled sticky (`y`), with `i` unless case-sensitive: the first time its word is
   * met, since a page meets few of them.
   */
  regex: RegExp | undefined;
  /**
   * Patterns of one group behave as one combined regex: at each place the first pattern that
   * matches wins, and matches of a group never overlap.
   */
  group: number;
  owner: Owner;
}

/** Where a word-anchored pattern's matches start: `lead` characters before a word that is `word`. */
export interface WordAnchor {
  word: string;
  lead: number;
}

/** Where a pattern's matches start relative to a word, or null if the pattern is not word-anchored. */
export function wordAnchor(source: string): WordAnchor | null {
  if (hasTopLevelAlternation(source)) return null;
  let rest = source;
  const boundary = rest.startsWith('\\b');
  if (boundary) rest = rest.slice(2);
  let lead = 0;
  for (let m; (m = /^(?:\\[[\](){}.#\-]|["'#:])/.exec(rest)) !== null; rest = rest.slice(m[0].length)) {
    // A lead that may be absent ("?competing) does not fix where the match starts.
    if (/^[?*+{]/.test(rest.slice(m[0].length))) return null;
    lead++;
  }
  // Without `\b` or punctuation before it, the word could match inside a longer word.
  if (!boundary && lead === 0) return null;
  const word = /^[A-Za-z0-9]+/.exec(rest);
  if (word === null) return null;
  // The word must end where the literal ends: `colou?r`, `error\d`, `foo(?:bar)`, `foo\s*bar` are
  // not anchored (a terminator that may be absent lets the word run on).
  if (!/^(?:$|\\b|(?:\\s|\\[[\](){}.]|[ "':,.\-])(?![?*]|\{0))/.test(rest.slice(word[0].length))) return null;
  return { word: word[0].toLowerCase(), lead };
}

function hasTopLevelAlternation(source: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i++;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === '|' && depth === 0) return true;
  }
  return false;
}

/** Told of a word-anchored pattern matching at `start`..`end`. */
export type PatternFound<Owner> = (start: number, end: number, pattern: AnchoredPattern<Owner>) => void;

/** A stem in the index, shared by every entry whose messages produce it. */
export interface IndexedStem {
  source: string;
  /** `wordKey` of the text's third and fourth words where the stem's literal fixes them. */
  nextKeys: number[];
  /** Compiled on first use: most stems are never tried on a given page. */
  regex: RegExp;
  /** A progressive stem's whole message (`regex` matches as far as the text quotes it); compiled with it. */
  wholeRegex: RegExp;
  /** Entries with this stem, in the order of their messages. */
  entryIds: string[];
  distinctive: boolean;
  /** The message announces a reason or value that follows it (StemSpec.announces). */
  announces: boolean;
  /** A message of several sentences, matched as far as the text quotes it (StemSpec.progressive). */
  progressive: boolean;
  firstChar: string;
}

/** Flags of a stem in StemIndexData. */
const DISTINCTIVE = 1;
const ANNOUNCES = 2;
const PROGRESSIVE = 4;

/**
 * The stem index as plain data (JSON): worked out at build time by `buildStemIndexData`, so a
 * page only reads it (working out ~900 messages' stems and grouping them costs more than the
 * rest of the matcher's start).
 */
export interface StemIndexData {
  /** Per stem: regex source, next-word keys, flags (1: distinctive, 2: announces a reason, 4: progressive), first char, entry ids. */
  stems: [source: string, nextKeys: number[], flags: number, firstChar: string, entryIds: string[]][];
  /**
   * Per first word: its key, its one-word stems (by number, longest first), and its pairs: the
   * second word's key and the stems of that pair (longest first).
   */
  slots: [first: number, singles: number[], pairs: [second: number, stems: number[]][]][];
}

/** Groups the stems of all messages by first and second word: the data `StemIndex` is made from. */
export function buildStemIndexData(messages: readonly { entryId: string; message: string }[]): StemIndexData {
  type Built = { spec: StemSpec; entryIds: string[]; announces: boolean; number: number };
  const bySource = new Map<string, Built>();
  const byFirst = new Map<number, { single: Built[]; bySecond: Map<number, Built[]> }>();
  const add = (entryId: string, spec: StemSpec) => {
    const key = spec.source.toLowerCase();
    const known = bySource.get(key);
    if (known) {
      if (!known.entryIds.includes(entryId)) known.entryIds.push(entryId);
      known.announces ||= spec.announces;
      return;
    }
    const built: Built = { spec, entryIds: [entryId], announces: spec.announces, number: bySource.size };
    bySource.set(key, built);
    // Under each spelling of its first two words ("TWS socket", "trader workstation").
    for (const words of spec.keys) {
      const first = wordKey(words[0]);
      let slot = byFirst.get(first);
      if (!slot) byFirst.set(first, (slot = { single: [], bySecond: new Map() }));
      if (words.length === 1) slot.single.push(built);
      else {
        const second = wordKey(words[1]);
        slot.bySecond.set(second, [...(slot.bySecond.get(second) ?? []), built]);
      }
    }
  };
  for (const { entryId, message } of messages) for (const spec of stemsOf(message)) add(entryId, spec);
  for (const { entryId, message } of messages) for (const spec of firstSentenceStemsOf(message)) add(entryId, spec);
  const longestFirst = (list: Built[]) => list.sort((a, b) => b.spec.literalLength - a.spec.literalLength).map((b) => b.number);
  return {
    stems: [...bySource.values()].map(({ spec, entryIds, announces }) => [
      spec.source,
      spec.nextWords.map(wordKey),
      (spec.distinctive ? DISTINCTIVE : 0) | (announces ? ANNOUNCES : 0) | (spec.progressive ? PROGRESSIVE : 0),
      spec.firstChar,
      entryIds,
    ]),
    slots: [...byFirst].map(([first, slot]) => [
      first,
      longestFirst(slot.single),
      [...slot.bySecond].map(([second, list]): [number, number[]] => [second, longestFirst(list)]),
    ]),
  };
}

/**
 * The regex of a stem not compiled yet. A RegExp, not null, so that the field keeps one type and
 * compiling a stem does not throw away the optimised code of the scan.
 */
const NOT_COMPILED = /(?!)/y;

/**
 * Told of a stem matching at `start`..`end`; returns true to take it (no later stem is tried
 * there). `whole`: the match took the whole stem (a progressive stem may stop after its first
 * sentence).
 */
export type StemAccept = (start: number, end: number, stem: IndexedStem, whole: boolean) => boolean;

/** The stems of one index slot, longest first; `progressive` when one of them is. */
interface StemList {
  stems: IndexedStem[];
  progressive: boolean;
}

function stemList(stems: IndexedStem[]): StemList {
  return { stems, progressive: stems.some((s) => s.progressive) };
}

/** Word characters of the index, by UTF-16 code unit: ASCII letters and digits, lowercased; 0 elsewhere. */
const WORD_CHAR = new Uint8Array(65536);
for (let c = 48; c <= 57; c++) WORD_CHAR[c] = c;
for (let c = 97; c <= 122; c++) WORD_CHAR[c] = WORD_CHAR[c - 32] = c;

/** A word's key: a hash of its lowercased letters and digits (collisions only cost a regex test). */
function wordKey(word: string): number {
  let h = 0;
  for (let i = 0; i < word.length; i++) h = (Math.imul(h, 31) + word.charCodeAt(i)) | 0;
  return h;
}

const FIRST_FILTER_SIZE = 1 << 12;

/** Open-addressing table from a pair of 32-bit keys to a small integer: no allocation per lookup. */
class KeyTable {
  private first: Int32Array;
  private second: Int32Array;
  /** Value + 1; 0 marks an empty cell. */
  private values: Int32Array;
  private mask: number;

  constructor(entries: [number, number, number][]) {
    let size = 16;
    while (size < entries.length * 4) size *= 2;
    this.first = new Int32Array(size);
    this.second = new Int32Array(size);
    this.values = new Int32Array(size);
    this.mask = size - 1;
    // Indexed loops, not destructuring `for…of` (the iterator protocol per element): this runs
    // once per page, in V8's interpreter (docs/performance.md, "The cost model").
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k];
      const a = entry[0];
      const b = entry[1];
      const value = entry[2];
      let i = mix(a, b) & this.mask;
      while (this.values[i] !== 0) i = (i + 1) & this.mask;
      this.first[i] = a;
      this.second[i] = b;
      this.values[i] = value + 1;
    }
  }

  /** The value stored for (a, b), or -1. */
  get(a: number, b: number): number {
    const values = this.values;
    let i = mix(a, b) & this.mask;
    for (;;) {
      const v = values[i];
      if (v === 0) return -1;
      if (this.first[i] === a && this.second[i] === b) return v - 1;
      i = (i + 1) & this.mask;
    }
  }
}

function mix(a: number, b: number): number {
  const h = Math.imul(a ^ Math.imul(b, 0x9e3779b1), 0x85ebca6b);
  return h ^ (h >>> 15);
}

/**
 * All stems of all messages, keyed by first word then second word. `scan` walks the words of a
 * text once (no allocation per word) and tries only the stems whose first two words are the
 * text's words there. Word-anchored patterns ride on the same walk: each is tried only where
 * its word starts.
 */
export class StemIndex<Owner = unknown> {
  /** First word's key to its slot number. */
  private firstTable: KeyTable;
  /** A bit per FIRST_FILTER_SIZE bucket of first-word keys: most words need no table probe. */
  private firstFilter = new Uint8Array(FIRST_FILTER_SIZE);
  /** (slot number, second word's key) to the pair's number. */
  private pairTable: KeyTable;
  /**
   * Per pair, the numbers of its stems (longest first) and, once the pair has been tried, the
   * stems themselves: most pairs are never met on a page, and making every stem and list at start
   * is slow work for code that runs for the first time (docs/performance.md, "The cost model").
   */
  private pairStems: readonly number[][];
  private pairLists: (StemList | undefined)[];
  /** Per slot number, its one-word stems' numbers, longest first; and their list, once tried. */
  private singleStems: (readonly number[])[] = [];
  private singleLists: (StemList | undefined)[];
  /** The stems made so far, by number. */
  private stems: (IndexedStem | undefined)[];
  /** Per slot number, the word-anchored patterns of that word: by lead, longest first, then in order. */
  private anchored: AnchoredPattern<Owner>[][] = [];
  /** Per pattern group, where its last match ended during a scan. */
  private groupEnds: Int32Array;
  private words = new NextWords();
  readonly size: number;

  /** The stems' data, each made into a stem on first use. The slots are read once, here: not kept. */
  private readonly stemData: StemIndexData['stems'];

  constructor(data: StemIndexData, patterns: readonly AnchoredPattern<Owner>[] = []) {
    this.stemData = data.stems;
    const slotOf = new Map<number, number>();
    const firsts: [number, number, number][] = [];
    const pairs: [number, number, number][] = [];
    const pairStems: number[][] = [];
    const addSlot = (first: number, singles: readonly number[]) => {
      const number = this.singleStems.length;
      slotOf.set(first, number);
      firsts.push([first, 0, number]);
      this.firstFilter[first & (FIRST_FILTER_SIZE - 1)] = 1;
      this.singleStems.push(singles);
      this.anchored.push([]);
      return number;
    };
    const slots = data.slots;
    for (let s = 0; s < slots.length; s++) {
      const slot = slots[s];
      const number = addSlot(slot[0], slot[1]);
      const pairList = slot[2];
      for (let p = 0; p < pairList.length; p++) {
        pairs.push([number, pairList[p][0], pairStems.length]);
        pairStems.push(pairList[p][1]);
      }
    }
    this.pairStems = pairStems;
    // Sized now: a write far past the end of an empty array would make it a dictionary.
    this.pairLists = new Array<StemList | undefined>(pairStems.length);
    this.stems = new Array<IndexedStem | undefined>(data.stems.length);
    for (const pattern of patterns) {
      const first = wordKey(pattern.word);
      this.anchored[slotOf.get(first) ?? addSlot(first, [])].push(pattern);
    }
    // A longer lead starts earlier in the text; a stable sort keeps the patterns' order otherwise.
    for (const list of this.anchored) if (list.length > 1) list.sort((a, b) => b.lead - a.lead);
    this.singleLists = new Array<StemList | undefined>(this.singleStems.length);
    this.groupEnds = new Int32Array(patterns.reduce((n, p) => Math.max(n, p.group + 1), 0));
    this.firstTable = new KeyTable(firsts);
    this.pairTable = new KeyTable(pairs);
    this.size = data.stems.length;
  }

  /** The stem numbered `n`, made on first use. */
  private stem(n: number): IndexedStem {
    let stem = this.stems[n];
    if (stem === undefined) {
      const [source, nextKeys, flags, firstChar, entryIds] = this.stemData[n];
      stem = this.stems[n] = {
        source,
        nextKeys,
        regex: NOT_COMPILED,
        wholeRegex: NOT_COMPILED,
        entryIds,
        distinctive: (flags & DISTINCTIVE) !== 0,
        announces: (flags & ANNOUNCES) !== 0,
        progressive: (flags & PROGRESSIVE) !== 0,
        firstChar,
      };
    }
    return stem;
  }

  private pairList(pair: number): StemList {
    return (this.pairLists[pair] ??= stemList(this.pairStems[pair].map((n) => this.stem(n))));
  }

  private singleList(slot: number): StemList {
    return (this.singleLists[slot] ??= stemList(this.singleStems[slot].map((n) => this.stem(n))));
  }

  /**
   * Calls `accept` for the stems matching at each word start, longest first, until it returns
   * true; one pass over the characters of `text`. Words are runs of ASCII letters and digits,
   * as in the stems' index words. Per word: its key, one table probe, and where the previous
   * word starts stems, one more for the pair.
   */
  scan(text: string, accept: StemAccept, found?: PatternFound<Owner>): void {
    const n = text.length;
    const filter = this.firstFilter;
    this.groupEnds.fill(0);
    let prevSlot = -1;
    let prevAt = 0;
    let i = 0;
    words: while (i < n) {
      let c = WORD_CHAR[text.charCodeAt(i)];
      while (c === 0) {
        if (++i >= n) break words;
        c = WORD_CHAR[text.charCodeAt(i)];
      }
      const wordAt = i;
      let h = 0;
      for (;;) {
        h = (Math.imul(h, 31) + c) | 0;
        if (++i >= n) break;
        c = WORD_CHAR[text.charCodeAt(i)];
        if (c === 0) break;
      }
      if (prevSlot >= 0) this.tryAt(text, prevAt, prevSlot, h, i, accept);
      prevSlot = filter[h & (FIRST_FILTER_SIZE - 1)] === 0 ? -1 : this.firstTable.get(h, 0);
      prevAt = wordAt;
      if (prevSlot >= 0 && found !== undefined && this.anchored[prevSlot].length > 0) this.tryPatterns(text, wordAt, this.anchored[prevSlot], found);
    }
    if (prevSlot >= 0 && this.singleStems[prevSlot].length > 0) tryList(text, prevAt, this.singleList(prevSlot), null, accept);
  }

  /** Runs the patterns anchored on the word at `wordAt`, as their group's combined regex would. */
  private tryPatterns(text: string, wordAt: number, list: AnchoredPattern<Owner>[], found: PatternFound<Owner>): void {
    const ends = this.groupEnds;
    for (const pattern of list) {
      const at = wordAt - pattern.lead;
      // Inside the group's last match (or before the text): a combined regex would not look here.
      // This also makes the first pattern that matches at a place the only one of its group there.
      if (at < ends[pattern.group] || at < 0) continue;
      const regex = (pattern.regex ??= new RegExp(pattern.source, pattern.caseSensitive ? 'y' : 'iy'));
      regex.lastIndex = at;
      if (!regex.test(text) || regex.lastIndex === at) continue;
      ends[pattern.group] = regex.lastIndex;
      found(at, regex.lastIndex, pattern);
    }
  }

  /** Tries the stems of a first word at `at` whose next word has key `second` and ends at `secondEnd`. */
  private tryAt(text: string, at: number, slot: number, second: number, secondEnd: number, accept: StemAccept): void {
    const pair = this.pairTable.get(slot, second);
    if (pair >= 0) {
      this.words.reset(text, secondEnd);
      if (tryList(text, at, this.pairList(pair), this.words, accept)) return;
    }
    if (this.singleStems[slot].length > 0) tryList(text, at, this.singleList(slot), null, accept);
  }
}

function isWordChar(code: number): boolean {
  return WORD_CHAR[code] !== 0;
}

/** `wordKey` of the lowercased word text[from, to). */
function keyAt(text: string, from: number, to: number): number {
  let h = 0;
  for (let i = from; i < to; i++) h = (Math.imul(h, 31) + WORD_CHAR[text.charCodeAt(i)]) | 0;
  return h;
}

/** The keys of the text's third and fourth words from a position, read only when asked. */
class NextWords {
  private text = '';
  private from = 0;
  /** The keys read so far: a fixed array, so that a reset frees and allocates nothing. */
  private keys = new Int32Array(MAX_NEXT_WORDS);
  private count = 0;

  reset(text: string, from: number): void {
    this.text = text;
    this.from = from;
    this.count = 0;
  }

  /** Key of the word `i` (0: the first after `from`, below MAX_NEXT_WORDS), or 0 past the end of the text. */
  key(i: number): number {
    while (this.count <= i) {
      const text = this.text;
      const n = text.length;
      let at = this.from;
      while (at < n && !isWordChar(text.charCodeAt(at))) at++;
      let end = at;
      while (end < n && isWordChar(text.charCodeAt(end))) end++;
      this.keys[this.count++] = end > at ? keyAt(text, at, end) : 0;
      this.from = end;
    }
    return this.keys[i];
  }
}

/**
 * Tries stems at one position, longest first, until `accept` takes one. With the text's next
 * words known, a stem whose next words differ is skipped without running its regex. A list with
 * a progressive stem is tried whole (see tryLongest).
 */
function tryList(text: string, at: number, list: StemList, words: NextWords | null, accept: StemAccept): boolean {
  if (list.progressive) return tryLongest(text, at, list, words, accept);
  next: for (const stem of list.stems) {
    if (words !== null) {
      const keys = stem.nextKeys;
      for (let k = 0; k < keys.length; k++) if (words.key(k) !== keys[k]) continue next;
    }
    const regex = compiled(stem);
    regex.lastIndex = at;
    if (regex.test(text) && accept(at, regex.lastIndex, stem, true)) return true;
  }
  return false;
}

function compiled(stem: IndexedStem): RegExp {
  if (stem.regex === NOT_COMPILED) {
    if (stem.progressive) {
      const { whole, partial } = progressiveSources(stem.source);
      stem.wholeRegex = new RegExp(whole, 'iy');
      stem.regex = new RegExp(partial, 'iy');
    } else stem.regex = new RegExp(stem.source, 'iy');
  }
  return stem.regex;
}

/**
 * The stems of a list that match at one position, offered longest match first: a progressive
 * stem quoted further than another's whole text is that message ("Requested market data is not
 * subscribed. Displaying delayed market data." is 10167, not 354). On the same length, a stem
 * matched whole comes before one stopped after its first sentence, then list order.
 */
function tryLongest(text: string, at: number, list: StemList, words: NextWords | null, accept: StemAccept): boolean {
  let best: IndexedStem | null = null;
  let bestEnd = -1;
  let bestWhole = false;
  let matched = 0;
  for (const stem of list.stems) {
    const end = matchEnd(text, at, stem, words);
    if (end < 0) continue;
    matched++;
    const whole = wholeMatch;
    if (end > bestEnd || (end === bestEnd && whole && !bestWhole)) [best, bestEnd, bestWhole] = [stem, end, whole];
  }
  if (best === null) return false;
  if (accept(at, bestEnd, best, bestWhole)) return true;
  // Refused (a short stem without context): the others, in the same order.
  if (matched === 1) return false;
  const found: { stem: IndexedStem; end: number; whole: boolean; order: number }[] = [];
  list.stems.forEach((stem, order) => {
    const end = stem === best ? -1 : matchEnd(text, at, stem, words);
    if (end >= 0) found.push({ stem, end, whole: wholeMatch, order });
  });
  found.sort((a, b) => b.end - a.end || Number(b.whole) - Number(a.whole) || a.order - b.order);
  return found.some((f) => accept(at, f.end, f.stem, f.whole));
}

/** Set by matchEnd: whether its last match took the whole stem (the progressive stem's final empty group). */
let wholeMatch = false;

/** Where `stem` matches at `at` ends, or -1. */
function matchEnd(text: string, at: number, stem: IndexedStem, words: NextWords | null): number {
  if (words !== null) {
    const keys = stem.nextKeys;
    for (let k = 0; k < keys.length; k++) if (words.key(k) !== keys[k]) return -1;
  }
  const regex = compiled(stem);
  // A progressive stem is tried whole first: most texts quote all of it.
  wholeMatch = true;
  if (stem.progressive) {
    stem.wholeRegex.lastIndex = at;
    if (stem.wholeRegex.test(text)) return stem.wholeRegex.lastIndex;
    wholeMatch = false;
  }
  regex.lastIndex = at;
  if (!regex.test(text)) return -1;
  // Stopped at a placeholder that ends the first sentence ("…routed to %s"): the white space
  // before the value it left out is not the message's.
  let end = regex.lastIndex;
  while (end > at && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  return end;
}
