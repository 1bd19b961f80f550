/**
 * Finds the spans of a text that refer to a knowledge entry. Pure: no DOM, no browser. The rules
 * are written down in docs/matching.md; in short:
 * - A numbered code counts only inside an IBKR error shape (lib/code-shapes.ts), as strongly as
 *   its shape proves it: a log shape alone, a weak shape (`-1 | 2103 |`) with a message or context, a
 *   prose code (`Error 326`) with context or its own message, a bare `12 103` with its own message.
 *   A bare number never counts, nor a code that has no entry.
 * - An entry's official messages (`match.messages`) count anywhere when they are distinctive
 *   (four words or more), matched as stems (lib/message-stems.ts); short ones ("Not connected")
 *   need context.
 * - An entry's generic messages (`match.contextual`) count only with context: IBKR API context,
 *   or Client Portal context for entries that say `match.context: cpapi`.
 * - A marker covers the code, the message and the detail that belongs to it, never the page's
 *   prose after it (lib/mention-extent.ts).
 *
 * Speed: two passes over a text whatever the size of the catalog: one combined regex for the
 * code shapes plus a code table, and one word-by-word walk that tries, where a word starts, the
 * message stems indexed by their first two words and the generic patterns anchored on their first
 * word (lib/message-stems.ts). A generic pattern that is not word-anchored goes into a combined
 * regex of its own (none in the catalog: a test checks it).
 */
import type { ContextKind, ContextPattern, Severity, Variant } from '../knowledge/schema';
import { codeShapeAt, IBKR_PORT, IBKR_PORTS, leadBefore, scanCodeShapes, SELF_EVIDENT, selfEvidentForm, type CodeShape } from './code-shapes';
import {
  dropCoveredWrappers,
  GATEWAY_PORT,
  GATEWAY_UNREACHABLE_ID,
  hasCpapiContext,
  httpStatusEntry,
  isCpapiEntryId,
  isHttpStatus,
  isHttpStatusEntry,
  isOtherServicePort,
  isRefusalEntry,
  namesOtherService,
  refusedPort,
  SOCKET_REFUSAL_ID,
  WRAPPER_ENTRY_IDS,
} from './cpapi-shapes';
import { showsAny } from './shows-any';
import { beforeCutWord, hasBracket, MAX_TAIL, owedClosers, tailEnd, type TailKind } from './mention-extent';
import { inOrder, saysEnough, scanQuotedFragments, stemWords } from './quoted-fragments';
import { buildStemIndexData, StemIndex, wordAnchor, type AnchoredPattern, type IndexedStem, type StemIndexData, type WordAnchor } from './message-stems';

export type MatchRule = 'code' | 'message' | 'contextual';

export interface Match {
  start: number;
  end: number;
  entryId: string;
  /** How it was recognised; `contextual` spans needed context. */
  rule: MatchRule;
  /** The id of the entry's first variant whose pattern matches the message line, or null. */
  variant: string | null;
  /** The page's own reason text ("Missing order exchange" after `cause - `), or null. */
  reason: string | null;
}

/** Context around the text: a boolean, or a function asked at most once, only when needed. */
export type ContextOption = boolean | (() => boolean);

export interface MatchOptions {
  /**
   * Whether IBKR API context surrounds the text (page, block). Rules that need context are tried
   * only when the text itself carries context or this is true. A function is called at most
   * once, and only when such a rule has a candidate, so callers can compute it lazily.
   */
  context?: ContextOption;
  /** The same for Client Portal Web API context (`/iserver/`, `localhost:5000` …). */
  cpapiContext?: ContextOption;
  /**
   * Where the text's inline elements start and end (sorted offsets), for prose and headings: a
   * reason or detail after a message never runs into another element (`<span>#42</span>` after a
   * title, the sentence after a `<code>`). Asked at most once, only when a message has a tail.
   */
  edges?: () => readonly number[];
  /**
   * The closers owed at the text's start by the line it continues (lib/mention-extent.ts
   * `owedClosers`), for a text that starts inside a line: a followed stream's window.
   */
  owedBefore?: readonly string[];
  /**
   * The text starts inside a line (a followed stream's window, a chunk of a long run): the start
   * and length of its first line are not known, and a mention there is not read by its line
   * (`GenericReader`).
   */
  startsInLine?: boolean;
  /**
   * For a caller that only looks for candidates and matches each text again with its own context
   * (the annotator's batches of short runs, lib/annotate/batch.ts, and huge blocks): a prose code
   * with an HTTP status's number is found as its socket-API code (with none, as the status's
   * entry) whatever the text is about, so that no context can hide a text that another would
   * mark. Such matches are told apart by `readsByApi`.
   */
  anyReading?: boolean;
  /**
   * Which API a prose code with an HTTP status's number is about is read from the text alone, not
   * from `cpapiContext`: for Explain selection and the popup search, which give both contexts
   * because the user asked, not because the page shows either (`Error 503` alone stays TWS's 503).
   */
  apiFromText?: boolean;
  /**
   * For a text that continues an earlier one (a followed node's window, lib/annotate/text-streams.ts):
   * whether the text before it shows a sign of the socket API (asked at most once, only where the
   * text's own signs decide a reading: a refusal, a short message, a prose code with an HTTP
   * status's number), and whether it shows a Client Portal sign. Both count as the text's own.
   */
  socketSignBefore?: ContextOption;
  cpapiSignBefore?: ContextOption;
  /**
   * Told the first and the last candidate the text holds (null for none), as the rule on wrappers
   * reads them (lib/cpapi-shapes.ts `dropCoveredWrappers`): a followed node's window
   * (lib/annotate/text-streams.ts) learns whether its first candidate takes away the mark of a
   * wrapper before it on the line, and whether it ends with a wrapper that a later candidate may.
   */
  edgeCandidates?: (first: EdgeCandidate | null, last: EdgeCandidate | null, lastWrapper: WrapperCandidate | null) => void;
  /**
   * Told each span a generic pattern matched that counts for nothing here (a refusal on another
   * service's port): its group's combined regex looks nowhere inside it, so a text that starts
   * inside it would find what the whole text does not (`[Errno 111] Connection refused` at the
   * end of requests' `HTTPConnectionPool(host='localhost', port=6379): …`). A followed node's
   * window starts no later than such a span (lib/annotate/text-streams.ts).
   */
  uncountedSpan?: (start: number, end: number) => void;
}

/** A candidate as `MatchOptions.edgeCandidates` tells it: where it is, which entry it stands for. */
export interface EdgeCandidate {
  start: number;
  end: number;
  entryId: string;
}

/**
 * The last wrapper's candidate in a text (lib/cpapi-shapes.ts `WRAPPER_ENTRY_IDS`), kept or taken
 * away by the candidate after it, which starts at `nextStart` (-1: none follows): a followed
 * node's window cut short reads the wrapper again with what follows it (lib/annotate/text-streams.ts).
 */
export interface WrapperCandidate extends EdgeCandidate {
  nextStart: number;
}

export interface Matcher {
  find(text: string, options?: MatchOptions): Match[];
}


/** Words of the socket API: TWS, IB Gateway and their clients. Acronyms are case-sensitive on purpose. */
const SOCKET_WORDS_EXACT = /\b(?:TWS|IB ?Gateway|IBGW|IBApi|EClient(?:Socket)?|EWrapper|EReader)\b/;
const SOCKET_WORDS = 'ib[_-]insync|ib[_-]async|ibapi|ib_api|ezibpy|trader workstation|reqId|tws ?api|tws ?gateway';
/** Words of IBKR as a whole (ibind is a Client Portal client): they do not tell which API. */
const IBKR_WORDS = 'ibind|interactive[ -]?brokers|ibkr';
const SOCKET_WORDS_ANYCASE = new RegExp(`\\b(?:${SOCKET_WORDS})\\b`, 'i');
const CONTEXT_WORDS_ANYCASE = new RegExp(`\\b(?:${SOCKET_WORDS}|${IBKR_WORDS})\\b`, 'i');
const CONTEXT_PORTS = [
  // ib.connect('127.0.0.1', 7497, clientId=1), connectAsync(host, 4002), app.connect("127.0.0.1", 7496, 0)
  new RegExp(`\\bconnect(?:Async)?\\s*\\([^)\\n]{0,80}\\b${IBKR_PORT}\\b`, 'i'),
  // asyncio: "Connect call failed ('127.0.0.1', 7497)"
  new RegExp(`Connect call failed \\('[^']{1,60}', ${IBKR_PORT}\\)`),
  // 127.0.0.1:7497, localhost:4002, port=7497, port: 4001
  new RegExp(`\\b(?:127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0):${IBKR_PORT}\\b|\\bport\\s*[=:]\\s*${IBKR_PORT}\\b`, 'i'),
];

/**
 * The signs of IBKR context, one test each: `hasIbkrContext` is whether any is in a text, and
 * lib/context-signs.ts finds where the last one starts.
 */
export const IBKR_CONTEXT_SIGNS: readonly RegExp[] = [SOCKET_WORDS_EXACT, CONTEXT_WORDS_ANYCASE, ...CONTEXT_PORTS, SELF_EVIDENT];
/**
 * The same without the words of IBKR as a whole: signs of the socket API in particular
 * (`hasSocketApiSign`; lib/context-signs.ts finds where the last one starts).
 */
export const SOCKET_API_SIGNS: readonly RegExp[] = [SOCKET_WORDS_EXACT, SOCKET_WORDS_ANYCASE, ...CONTEXT_PORTS, SELF_EVIDENT];


/** True when the text itself shows it is about the IBKR (TWS) API. */
export function hasIbkrContext(text: string): boolean {
  return showsAny(IBKR_CONTEXT_SIGNS, text);
}

/**
 * True when the text itself shows the socket API in particular: its words (TWS, IB Gateway,
 * EClient, ib_insync, reqId …), a connect call or address on its ports, or a self-evident code
 * shape; not IBKR as a whole (`IBKR`, `Interactive Brokers`) nor ibind.
 */
export function hasSocketApiSign(text: string): boolean {
  return showsAny(SOCKET_API_SIGNS, text);
}

/**
 * How a prose code with an HTTP status's number reads (docs/matching.md, "HTTP statuses in
 * prose"): as the socket API's code, as the HTTP status a REST call got, or as neither.
 */
type ApiReading = 'socket' | 'http' | 'neither';

/**
 * Without Client Portal context (the text's, or the caller's unless `apiFromText`), the socket
 * API's code. With it, the HTTP status, unless the text itself (with the text a followed node's
 * window continues: `TextSigns`) shows the socket API: then the socket API's code, or neither when
 * the text shows both APIs. Asked in this order, a text about
 * the socket API (the usual case) costs one look for Client Portal signs.
 */
function apiReading(signs: TextSigns, inContext: (kind: ContextKind) => boolean, fromText: boolean): ApiReading {
  if (!(fromText ? signs.cpapi() : inContext('cpapi'))) return 'socket';
  if (!signs.socket()) return 'http';
  return signs.cpapi() ? 'neither' : 'socket';
}

/**
 * The signs of each API that a text shows, its own and those of the text it continues
 * (`MatchOptions.socketSignBefore`, `cpapiSignBefore`), each looked for once per find and only
 * when asked.
 */
class TextSigns {
  private socketShown: boolean | undefined = undefined;
  private cpapiShown: boolean | undefined = undefined;

  constructor(
    private readonly text: string,
    private readonly options: MatchOptions,
  ) {}

  /** Whether the text shows a sign of the socket API (`hasSocketApiSign`). */
  socket(): boolean {
    return (this.socketShown ??= hasSocketApiSign(this.text) || given(this.options.socketSignBefore));
  }

  /** Whether the text shows a sign of the Client Portal (`hasCpapiContext`). */
  cpapi(): boolean {
    return (this.cpapiShown ??= hasCpapiContext(this.text) || given(this.options.cpapiSignBefore));
  }
}

/**
 * Whether which API the text is about decided a match's entry, so that a text matched with
 * `anyReading` or along with others may get another one alone: a prose code whose number is an
 * HTTP status too (`error 401` as `ibkr-401` or `cpapi-http-401`), a refused connection, a short
 * official message of the socket API (`Not connected`). `cpapiContext`: the Client Portal context
 * the text would be matched with alone (as `MatchOptions.cpapiContext`); without it, every
 * refusal and contextual match of a socket-API entry may read otherwise.
 */
export function readsByApi(m: Match, text: string, cpapiContext?: () => boolean): boolean {
  // A refusal, or a short official message of the socket API: read by API (`GenericReader`).
  if (m.rule === 'contextual') {
    if (!isRefusalEntry(m.entryId) && isCpapiEntryId(m.entryId)) return false;
    // Found as the socket API's, which it stays alone when its line shows that API or there is no
    // Client Portal context (the text's, else the caller's, asked last as a match alone asks it).
    if (cpapiContext === undefined || m.entryId === GATEWAY_UNREACHABLE_ID) return true;
    if (lineReadsAsSocketApi(text, m.start, m.end)) return false;
    // A batch reads no other service's name beyond the refusal's line (`GenericReader.otherService`).
    if (m.entryId === SOCKET_REFUSAL_ID && namesOtherService(text)) return true;
    return hasCpapiContext(text) || cpapiContext();
  }
  if (m.rule !== 'code') return false;
  const socket = /^ibkr-(\d+)$/.exec(m.entryId);
  if (socket !== null ? !isHttpStatus(Number(socket[1])) : !isHttpStatusEntry(m.entryId)) return false;
  return codeShapeAt(text, m.start)?.httpStatus === true;
}

/** Whether a mention's line reads as the socket API's whatever the contexts: too long to read by API, or showing a socket-API sign. */
function lineReadsAsSocketApi(text: string, start: number, end: number): boolean {
  const { from, to } = lineAround(text, start, end);
  return to - from > READ_LINE_MAX || hasSocketApiSign(text.slice(from, to));
}

/** The line that holds `start`..`end`: from its start to its line break (or the text's end). */
function lineAround(text: string, start: number, end: number): { from: number; to: number } {
  const nl = text.indexOf('\n', end);
  return { from: text.lastIndexOf('\n', start - 1) + 1, to: nl < 0 ? text.length : nl };
}

/** Client Portal Web API context (its endpoints, its gateway, IBeam, ibind): lib/cpapi-shapes.ts. */
export { hasCpapiContext };

/**
 * Messages of the client libraries themselves that explain an IBKR entry: ib_insync / ib_async
 * add "clientId N already in use?" when TWS drops a connection whose client id is taken.
 */
const LIBRARY_MESSAGES: { source: string; entryId: string }[] = [
  { source: '\\bPeer closed connection\\.\\s+clientId \\d+ already in use\\?', entryId: 'ibkr-326' },
  { source: '\\bclientId \\d+ already in use\\?', entryId: 'ibkr-326' },
];

interface PatternOwner {
  entryId: string;
  /** Context the pattern needs, or null (library messages count alone). */
  need: ContextKind | null;
}

/** A generic pattern or library message with its owner; `anchor` as the match data gives it (undefined: work it out). */
interface OwnedPattern {
  source: string;
  caseSensitive: boolean;
  anchor: WordAnchor | null | undefined;
  owner: PatternOwner;
}

/**
 * Entry patterns compiled into one regex per case mode. Each pattern is wrapped in a group;
 * `owners[g]` is the pattern whose wrapping group is `g`. Patterns that cannot share a regex
 * (back-references, named groups) get their own.
 */
class PatternSet {
  private combined: { regex: RegExp; owners: (PatternOwner | undefined)[] }[] = [];

  constructor(patterns: { source: string; caseSensitive: boolean; owner: PatternOwner }[]) {
    for (const caseSensitive of [false, true]) {
      const group = patterns.filter((p) => p.caseSensitive === caseSensitive);
      const shared = group.filter((p) => !/\\[1-9]|\\k<|\(\?</.test(p.source.replace(/\(\?<[=!]/g, '')));
      const alone = group.filter((p) => !shared.includes(p));
      if (shared.length > 0) this.combined.push(compile(shared, caseSensitive));
      for (const p of alone) this.combined.push(compile([p], caseSensitive));
    }
  }

  /**
   * One run of candidates per combined regex, each in text order (a regex's matches never go
   * back). `make` returns the candidate for a match, or null to drop it.
   */
  scan(text: string, make: (start: number, end: number, owner: PatternOwner) => Candidate | null, runs: Candidate[][]): void {
    for (const { regex, owners } of this.combined) {
      regex.lastIndex = 0;
      let run: Candidate[] | undefined;
      let m: RegExpExecArray | null;
      while ((m = regex.exec(text)) !== null) {
        if (m[0].length === 0) {
          regex.lastIndex++;
          continue;
        }
        let g = 1;
        while (m[g] === undefined || owners[g] === undefined) g++;
        const c = make(m.index, m.index + m[0].length, owners[g]!);
        if (c !== null) (run ??= []).push(c);
      }
      if (run) runs.push(run);
    }
  }
}

function compile(
  patterns: { source: string; owner: PatternOwner }[],
  caseSensitive: boolean,
): { regex: RegExp; owners: (PatternOwner | undefined)[] } {
  const owners: (PatternOwner | undefined)[] = [undefined];
  const parts = patterns.map((p) => {
    owners.push(p.owner);
    const inner = new RegExp(`${p.source}|`).exec('')!.length - 1;
    for (let i = 0; i < inner; i++) owners.push(undefined);
    return `(${p.source})`;
  });
  return { regex: new RegExp(parts.join('|'), caseSensitive ? 'g' : 'gi'), owners };
}

/**
 * A span found by one rule, before overlaps are resolved. A class, not object literals: its
 * fields start undefined and are set later (a message joins a code), and literals of that kind
 * cost V8 several times more to create (measured: 20,000 per find on the bench text).
 */
class Candidate {
  constructor(
    public start: number,
    public end: number,
    public entryId: string,
    public rule: MatchRule,
    /** The code shape, for a code. */
    public shape: CodeShape | undefined = undefined,
    /** For a code: where its message slot starts (after the separator). */
    public slotAt = -1,
    /** What a code still needs to count: nothing (FIRM), a message or IBKR context, or its own message. */
    public soft: Softness = FIRM,
    public stem: IndexedStem | undefined = undefined,
    /** Where the message text starts, when the span holds one. */
    public messageAt: number | undefined = undefined,
    /** End of the message stem inside the span (the reason follows it). */
    public stemEnd: number | undefined = undefined,
    /** The stem matched whole (a progressive stem may stop after its first sentence). */
    public whole = true,
    /**
     * Where the span's tail (a glued detail or an announced reason past its message) ends, or -1:
     * the span may go on over closing quotes its code shape opened.
     */
    public tailEnd = -1,
    /**
     * For a prose code read as an HTTP status (its entry id is the socket API's code, which it
     * stays if its own official message joins it): the entry that explains the status, or null
     * for none. Undefined for every other candidate.
     */
    public httpEntry: string | null | undefined = undefined,
  ) {}
}

/** What a code still needs to count (see ShapeStrength in lib/code-shapes.ts). */
type Softness = 0 | 1 | 2 | 3;
const FIRM = 0;
const NEEDS_MESSAGE_OR_CONTEXT = 1;
const NEEDS_OWN_MESSAGE = 2;
/** An official message in its slot, any entry's (a `slot` shape). */
const NEEDS_MESSAGE = 3;

function softness(shape: CodeShape, inContext: (kind: ContextKind) => boolean): Softness {
  switch (shape.strength) {
    case 'self':
      return FIRM;
    case 'message':
      return NEEDS_MESSAGE_OR_CONTEXT;
    case 'slot':
      return NEEDS_MESSAGE;
    case 'context':
      return inContext('ibkr') ? FIRM : NEEDS_OWN_MESSAGE;
    case 'own-message':
      return NEEDS_OWN_MESSAGE;
  }
}

/** An entry's variants, compiled the first time one of its matches is described. */
type CompiledVariants = { id: string; regex: RegExp }[];

/**
 * What the matcher reads of an entry: a knowledge entry has it all, and the content script
 * carries just this much (the rest of an entry is needed only to explain it).
 */
export interface MatcherEntry {
  id: string;
  numericCode: number | null;
  /** Whether the entry is a notice (not `error`): a code after the word "warning" counts only then. */
  severity?: Severity;
  /** A variant's id and pattern are what the matcher reads. */
  variants: readonly (Pick<Variant, 'id' | 'pattern'> & Partial<Variant>)[];
  match: {
    /** The official messages: not needed when the stem index is given. */
    messages?: readonly string[];
    /** `anchor`: the pattern's `wordAnchor`, when worked out beforehand (match data). */
    contextual: readonly (ContextPattern & { anchor?: WordAnchor | null })[];
    context?: ContextKind;
  };
}

export interface MatcherBuildOptions {
  /**
   * The official messages' stem index, worked out at build time (`stemIndex` of the knowledge
   * modules); without it, it is worked out here from the entries' messages.
   */
  stemIndex?: StemIndexData;
}

/** Builds the matcher for a set of entries. */
export function createMatcher(entries: readonly MatcherEntry[], { stemIndex }: MatcherBuildOptions = {}): Matcher {
  const index = stemIndex ?? buildStemIndexData(entries.flatMap((e) => (e.match.messages ?? []).map((message) => ({ entryId: e.id, message }))));
  return prepareMatcher(entries, { stemIndex: index })();
}

/**
 * Building a matcher in two steps, for a caller that spreads its work over idle callbacks (a
 * content script on a busy page): this does the first half (the entries and their patterns,
 * which patterns are word-anchored), the function it returns the second (the stem
 * index and the combined patterns) and gives the matcher. It takes the stem index worked out at
 * build time, so a bundle that only prepares matchers (the content script) carries none of the
 * code that works stems out.
 */
export function prepareMatcher(entries: readonly MatcherEntry[], { stemIndex }: { stemIndex: StemIndexData }): () => Matcher {
  const byCode = new Map<number, string>();
  const byId = new Map<string, MatcherEntry>();
  // One plain loop over the entries (most have no generic pattern), not a callback and an array
  // per entry: this runs once per page, in V8's interpreter (docs/performance.md, "The cost model").
  const allPatterns: OwnedPattern[] = [];
  for (const e of entries) {
    if (e.numericCode !== null) byCode.set(e.numericCode, e.id);
    byId.set(e.id, e);
    const contextual = e.match.contextual;
    for (let i = 0; i < contextual.length; i++) {
      const p = contextual[i];
      allPatterns.push({ source: p.source, caseSensitive: p.caseSensitive, anchor: p.anchor, owner: { entryId: e.id, need: e.match.context ?? 'ibkr' } });
    }
  }
  for (const l of LIBRARY_MESSAGES) {
    if (byId.has(l.entryId)) allPatterns.push({ source: l.source, caseSensitive: true, anchor: undefined, owner: { entryId: l.entryId, need: null } });
  }
  // Word-anchored patterns are tried by the stems' word walk; the others by a combined regex.
  const anchored: AnchoredPattern<PatternOwner>[] = [];
  const unanchored: OwnedPattern[] = [];
  for (const p of allPatterns) {
    // Worked out at build time for the content script's match data (knowledge/vite-plugin.ts).
    const anchor = p.anchor !== undefined ? p.anchor : wordAnchor(p.source);
    if (anchor === null) unanchored.push(p);
    else {
      const { word, lead } = anchor;
      anchored.push({ word, lead, source: p.source, caseSensitive: p.caseSensitive, regex: undefined, group: p.caseSensitive ? 1 : 0, owner: p.owner });
    }
  }
  return () =>
    compiledMatcher(
      byId,
      byCode,
      new StemIndex(stemIndex, anchored),
      new PatternSet(unanchored),
      messageWordsOf(stemIndex.stems),
    );
}

/**
 * Per entry, the words of each of its official messages, read from the stems (what the content
 * script carries) the first time a quoted fragment asks (lib/quoted-fragments.ts).
 */
function messageWordsOf(stems: StemIndexData['stems']): (entryId: string) => readonly string[][] {
  let byEntry: Map<string, string[][]> | null = null;
  return (entryId) => {
    if (byEntry === null) {
      byEntry = new Map();
      for (const [source, , , , entryIds] of stems) {
        const words = stemWords(source);
        for (const id of entryIds) {
          const list = byEntry.get(id);
          if (list) list.push(words);
          else byEntry.set(id, [words]);
        }
      }
    }
    return byEntry.get(entryId) ?? [];
  };
}

/** The matcher over what `prepareMatcher` compiled. */
function compiledMatcher(byId: Map<string, MatcherEntry>, byCode: Map<number, string>, stems: StemIndex<PatternOwner>, patterns: PatternSet, messageWords: (entryId: string) => readonly string[][]): Matcher {
  const contextOf = (entryId: string): ContextKind => byId.get(entryId)?.match.context ?? 'ibkr';
  // Variant patterns are checked when the knowledge base is built (knowledge/validate.ts): compiling
  // them here cannot throw, and only entries a page shows are compiled.
  const compiledVariants = new Map<string, CompiledVariants>();
  const variantsOf = (entryId: string): CompiledVariants => {
    let variants = compiledVariants.get(entryId);
    if (variants === undefined) {
      variants = (byId.get(entryId)?.variants ?? []).map((v) => ({ id: v.id, regex: new RegExp(v.pattern, 'i') }));
      compiledVariants.set(entryId, variants);
    }
    return variants;
  };

  return {
    find(text: string, options: MatchOptions = {}): Match[] {
      const inContext = lazyContext(text, options);
      const signs = new TextSigns(text, options);
      const codeCandidate = codeReader(text, options, inContext, signs, byCode, byId);
      const generic = new GenericReader(text, options, inContext, signs);
      // Each source yields its candidates in text order: one run each, merged below (no sort).
      const runs: Candidate[][] = [];
      const codes: Candidate[] = [];
      scanCodeShapes(text, (start, end, messageAt, code, shape) => {
        const c = codeCandidate(start, end, messageAt, code, shape);
        if (c !== null) codes.push(c);
      });
      runs.push(codes);
      const messages: Candidate[] = [];
      // One run per pattern group (case-insensitive, case-sensitive), as one combined regex each.
      const anchoredRuns: Candidate[][] = [[], []];
      const patternCandidate = (start: number, end: number, owner: PatternOwner): Candidate | null => {
        const entryId = generic.patternEntry(owner, start, end);
        if (entryId !== null) return new Candidate(start, end, entryId, owner.need === null ? 'message' : 'contextual');
        options.uncountedSpan?.(start, end);
        return null;
      };
      const patternFound = (start: number, end: number, { owner, group }: AnchoredPattern<PatternOwner>): void => {
        const c = patternCandidate(start, end, owner);
        if (c !== null) anchoredRuns[group].push(c);
      };
      // Codes that only a message shows (a bare "12 103 " before "Duplicate order id"), in text order.
      const leads: Candidate[] = [];
      let codeAt = 0;
      const stemFound = (start: number, end: number, stem: IndexedStem, whole: boolean): boolean => {
        const entryId = stem.entryIds[0];
        while (codeAt < codes.length && codes[codeAt].start < start) codeAt++;
        const codeBefore = codeAt === 0 ? undefined : codes[codeAt - 1];
        // Short official texts are everyday words: the exact first letter and context are required,
        // or the slot of an IBKR log line's code of its own entry (`ERROR 5 103 Duplicate order id`),
        // or right before a code that follows its message (`Duplicate ticker id (Error #322)`).
        if (!stem.distinctive && (text[start] !== stem.firstChar || !(inContext(contextOf(entryId)) || inOwnLogSlot(codeBefore, stem, start, text) || codeAfterMessage(codes[codeAt], end, text)))) return false;
        const rule = stem.distinctive ? 'message' : 'contextual';
        messages.push(new Candidate(start, end, entryId, rule, undefined, -1, FIRM, stem, start, end, whole));
        // A message that a code shape already leads to needs no look back.
        if (codeBefore === undefined || codeBefore.slotAt < start - 3) {
          leadBefore(text, start, (from, to, messageAt, code, shape) => {
            const c = codeCandidate(from, to, messageAt, code, shape);
            if (c !== null) leads.push(c);
          });
        }
        return true;
      };
      stems.scan(text, stemFound, patternFound);
      runs.push(messages, leads, ...anchoredRuns, quotedFragments(text, messages, byCode, messageWords, (code) => inContext('ibkr') && (!isHttpStatus(code) || options.anyReading === true || apiReading(signs, inContext, options.apiFromText === true) === 'socket')));
      patterns.scan(text, patternCandidate, runs);
      const candidates = keepNonOverlapping(runs);
      if (options.edgeCandidates) options.edgeCandidates(edgeOf(candidates[0]), edgeOf(candidates[candidates.length - 1]), lastWrapperOf(candidates));
      const kept = dropCoveredWrappers(candidates, text);
      if (kept.length === 0) return [];
      const resolved = confirmSoftCodes(joinPieces(kept, text), text, inContext, generic);
      let edges: readonly number[] | null | undefined;
      const spans = extendOverTails(resolved, text, () => (edges === undefined ? (edges = options.edges?.() ?? null) : edges), options.owedBefore);
      const out: Match[] = new Array(spans.length);
      for (let i = 0; i < spans.length; i++) out[i] = describe(spans[i], text, variantsOf(spans[i].entryId));
      return out;
    },
  };
}

const edgeOf = (c: Candidate | undefined): EdgeCandidate | null => (c === undefined ? null : { start: c.start, end: c.end, entryId: c.entryId });

/** The last wrapper's candidate among candidates in text order, with where the next starts (`WrapperCandidate`). */
function lastWrapperOf(candidates: readonly Candidate[]): WrapperCandidate | null {
  for (let i = candidates.length - 1; i >= 0; i--) {
    const c = candidates[i];
    if (WRAPPER_ENTRY_IDS.has(c.entryId)) return { start: c.start, end: c.end, entryId: c.entryId, nextStart: i + 1 < candidates.length ? candidates[i + 1].start : -1 };
  }
  return null;
}

/**
 * Codes followed by a quoted fragment of their own official message (lib/quoted-fragments.ts),
 * in text order; a quote that holds a message found from its start is left to that message.
 * `socketCode`: whether the text has IBKR context and a code that is an HTTP status too is the
 * socket API's there (asked only for a code that quotes its message's words).
 */
function quotedFragments(
  text: string,
  messages: readonly Candidate[],
  byCode: ReadonlyMap<number, string>,
  messageWords: (entryId: string) => readonly string[][],
  socketCode: (code: number) => boolean,
): Candidate[] {
  const out: Candidate[] = [];
  let m = 0;
  scanQuotedFragments(text, (start, end, code, words) => {
    const entryId = byCode.get(code);
    if (entryId === undefined || words.length < 2 || !saysEnough(words)) return;
    while (m < messages.length && messages[m].start <= start) m++;
    if (m < messages.length && messages[m].start < end) return;
    if (!messageWords(entryId).some((message) => inOrder(words, message)) || !socketCode(code)) return;
    out.push(new Candidate(start, end, entryId, 'contextual'));
  });
  return out;
}

/** ib_insync's own line, `API connection failed: ConnectionRefusedError(…)`: the socket API's in any text. */
const SOCKET_LIBRARY_REFUSAL = /API connection failed/iy;
/**
 * A line longer than this is read as the socket API's, as before Client Portal reading: a page
 * that streams one long line is matched a window at a time (lib/annotate/text-streams.ts), and a
 * window must read a mention as the whole line does.
 */
const READ_LINE_MAX = 600;

/**
 * Reads the generic rules of a text by the API the mention is about (docs/matching.md,
 * "Refusals and short messages by API"). A refused connection is the socket API's
 * (`connection-refused`, with IBKR context) when it names a socket port, another service's when
 * it names a well-known one's port or name (not marked), the Client Portal Gateway's
 * (`cpapi-gateway-unreachable`, with Client Portal context) when it names the gateway's port or is
 * a client's own message (requests, curl, Node, aiohttp). For Python's bare socket error
 * otherwise, and a short official message of the socket API (`Not connected`), with Client Portal
 * context, the line decides, and on a line that shows neither API the text's signs
 * (`readingOf`); a followed node's window reads the signs of the text before it as its own
 * (`TextSigns`). Other patterns need their context, as before. With `anyReading`, a bare refusal
 * and a short message count with their own entry and context.
 *
 * A class, made once per find: its methods are not closures made anew for every text.
 */
class GenericReader {
  private textOtherService: boolean | undefined = undefined;

  constructor(
    private readonly text: string,
    private readonly options: MatchOptions,
    private readonly inContext: (kind: ContextKind) => boolean,
    private readonly signs: TextSigns,
  ) {}

  /** The entry a generic pattern's span stands for, or null when it does not count here. */
  patternEntry({ entryId, need }: PatternOwner, start: number, end: number): string | null {
    if (need === null || !isRefusalEntry(entryId)) return need === null || this.inContext(need) ? entryId : null;
    const text = this.text;
    SOCKET_LIBRARY_REFUSAL.lastIndex = start;
    if (SOCKET_LIBRARY_REFUSAL.test(text)) return this.socketRefusal(entryId);
    const line = this.lineOf(start, end);
    const port = refusedPort(text, line?.from ?? start, start, end);
    if (port !== null && IBKR_PORTS.has(port)) return this.socketRefusal(entryId);
    const read = this.refusalEntry(entryId, port, line);
    // Asked last: most refusals count nowhere (no context), and this may read the whole text.
    return read !== null && this.otherService(port, line) ? null : read;
  }

  /** The entry of a refusal on no socket-API port, before another service's port or name is looked for. */
  private refusalEntry(entryId: string, port: number | null, line: MentionLine | null): string | null {
    // The port 5000, or a client's own message (requests, curl, Node, aiohttp), which no socket-API client prints.
    if (port === GATEWAY_PORT || entryId === GATEWAY_UNREACHABLE_ID) return this.inContext('cpapi') ? GATEWAY_UNREACHABLE_ID : null;
    // A batch: found with its own entry, and read by its line when its run is matched again alone (`readsByApi`).
    if (this.options.anyReading === true) return this.socketRefusal(entryId);
    const reading = this.readingOf(line);
    return reading === 'socket' ? this.socketRefusal(entryId) : reading === 'cpapi' ? GATEWAY_UNREACHABLE_ID : null;
  }

  /**
   * Whether a short official message of the socket API (`Not connected`) at `start`..`end` counts:
   * no Client Portal tool prints one, so a text that shows both APIs reads it as the socket API's.
   */
  socketReading(start: number, end: number): boolean {
    return this.options.anyReading === true || this.readingOf(this.lineOf(start, end)) !== 'cpapi';
  }

  /**
   * The API a mention on `line` is about (null: not read by its line, as the socket API's): without
   * Client Portal context, the socket API; else the API its line shows, the socket API's first;
   * on a line that shows neither, the Client Portal, unless the text shows the socket API
   * elsewhere: then the socket API, or neither when the text itself shows both.
   */
  private readingOf(line: MentionLine | null): 'socket' | 'cpapi' | 'neither' {
    if (line === null || !this.cpapi()) return 'socket';
    if (line.socket()) return 'socket';
    // The line's own sign first: a followed node asked for the socket API's signs before the text
    // notes that a mention waits for one.
    if (line.cpapi() || !this.signs.socket()) return 'cpapi';
    return this.signs.cpapi() ? 'neither' : 'socket';
  }

  /**
   * Whether a refusal is another well-known service's (Redis, PostgreSQL, the Docker daemon …):
   * by its port, by a name on its line, or, when it names no port and its line (read by API) shows
   * neither API, by a name in the text (a Redis traceback names redis on the lines around Python's bare error).
   * A batch reads no name outside the line: the joined text holds other runs' names (`readsByApi`
   * has such a run matched alone).
   */
  private otherService(port: number | null, line: MentionLine | null): boolean {
    if (port !== null) return isOtherServicePort(port) || (line !== null && namesOtherService(line.text));
    // A line too long or not all there is read as before (`lineOf`).
    if (line === null) return false;
    if (namesOtherService(line.text)) return true;
    if (this.options.anyReading === true || !(this.textOtherService ??= namesOtherService(this.text))) return false;
    return !line.socket() && !line.cpapi();
  }

  private socketRefusal(entryId: string): string | null {
    return entryId === SOCKET_REFUSAL_ID && this.inContext('ibkr') ? entryId : null;
  }

  private cpapi(): boolean {
    return this.options.apiFromText === true ? this.signs.cpapi() : this.inContext('cpapi');
  }

  /** The mention's line, or null when it is too long, or not all there, to be read by API. */
  private lineOf(start: number, end: number): MentionLine | null {
    const { from, to } = lineAround(this.text, start, end);
    if (from === 0 && this.options.startsInLine === true) return null;
    return to - from > READ_LINE_MAX ? null : new MentionLine(this.text, from, to);
  }
}

/** A mention's line, read by API: its text, sliced once, and its signs of each API, each looked for once and only when asked. */
class MentionLine {
  readonly text: string;
  private socketShown: boolean | undefined = undefined;
  private cpapiShown: boolean | undefined = undefined;

  constructor(
    text: string,
    readonly from: number,
    to: number,
  ) {
    this.text = text.slice(from, to);
  }

  /** Whether the line shows a sign of the socket API (`hasSocketApiSign`). */
  socket(): boolean {
    return (this.socketShown ??= hasSocketApiSign(this.text));
  }

  /** Whether the line shows a sign of the Client Portal (`hasCpapiContext`). */
  cpapi(): boolean {
    return (this.cpapiShown ??= hasCpapiContext(this.text));
  }
}

/**
 * Words of the web: a website, a web page, a browser, a URL, a web server or proxy (not "site"
 * alone: "the IBKR site", "the paper trading site"). A prose code with an HTTP status's number on
 * a line that speaks of these and shows neither API is that site's status.
 */
const WEB_WORDS = /\b(?:web ?(?:sites?|pages?|servers?|apps?)|(?:my|our) site|homepage|browsers?|URLs?|endpoints?|https?(?!:\/\/)|nginx|apache|cloudflare|wordpress|load balancer|reverse proxy)\b/i;

/** Whether a prose code's line speaks of the web and shows no sign of either API. */
function lineAboutWebsite(line: string): boolean {
  return WEB_WORDS.test(line) && !hasSocketApiSign(line) && !hasCpapiContext(line);
}

type CodeCandidate = (start: number, end: number, messageAt: number, code: number, shape: CodeShape) => Candidate | null;

/**
 * Makes the candidate of a code found in `text`, or null when the code names no entry there. A
 * prose code whose number is an HTTP status is read by the API the text is about (`apiReading`,
 * worked out once per text and only for such a code): as the socket API's code, or else as the
 * entry that explains that HTTP status, or not at all, unless the socket code's own official
 * message follows in its slot ("error 404: Shares for this order are not immediately available …").
 */
function codeReader(
  text: string,
  options: MatchOptions,
  inContext: (kind: ContextKind) => boolean,
  signs: TextSigns,
  byCode: ReadonlyMap<number, string>,
  byId: ReadonlyMap<string, MatcherEntry>,
): CodeCandidate {
  let reading: ApiReading | undefined;
  return (start, end, messageAt, code, shape) => {
    const entryId = byCode.get(code);
    if (shape.notice === true && !isNotice(entryId, byId)) return null;
    if (shape.httpStatus === true && isHttpStatus(code) && selfEvidentForm(shape, text, end).httpStatus === true) {
      const line = lineAround(text, start, end);
      const lineText = text.slice(line.from, line.to);
      const found = httpStatusEntry(code, lineText);
      const http = found !== undefined && byId.has(found) ? found : null;
      // A batch: an entry of either reading, so that no context hides the text (matched again alone: `readsByApi`).
      if (options.anyReading === true) {
        if (entryId === undefined) return http === null ? null : new Candidate(start, end, http, 'code', shape, messageAt, FIRM);
      } else if (lineAboutWebsite(lineText)) {
        // A website's status ("Also error 404 on my website"): neither API's, unless its own official message follows.
        return entryId === undefined ? null : new Candidate(start, end, entryId, 'code', shape, messageAt, NEEDS_OWN_MESSAGE);
      } else if ((reading ??= apiReading(signs, inContext, options.apiFromText === true)) !== 'socket') {
        if (entryId === undefined) return reading === 'http' && http !== null ? new Candidate(start, end, http, 'code', shape, messageAt, FIRM) : null;
        const c = new Candidate(start, end, entryId, 'code', shape, messageAt, NEEDS_OWN_MESSAGE);
        c.httpEntry = reading === 'http' ? http : null;
        return c;
      }
    }
    if (entryId === undefined) return null;
    const afterLogger = shape.loggerBefore !== undefined && shape.loggerBefore.test(text.slice(Math.max(0, start - LOGGER_WINDOW), start));
    return new Candidate(start, end, entryId, 'code', shape, messageAt, afterLogger ? NEEDS_MESSAGE_OR_CONTEXT : softness(shape, inContext));
  };
}

/** How far before a code its logger's name may start (`[WARNING] qtpylib.blotter: `). */
const LOGGER_WINDOW = 48;

/** Whether a code's entry is a notice: a warning, information or a connectivity notice, not an error. */
function isNotice(entryId: string | undefined, byId: ReadonlyMap<string, MatcherEntry>): boolean {
  const severity = entryId === undefined ? undefined : byId.get(entryId)?.severity;
  return severity !== undefined && severity !== 'error';
}

/** What a caller's option says: a function is asked (callers ask each at most once). */
function given(o: ContextOption | undefined): boolean {
  return typeof o === 'function' ? o() : o === true;
}

/** Context per kind, from the text itself or the caller, each computed at most once. */
function lazyContext(text: string, options: MatchOptions): (kind: ContextKind) => boolean {
  const known: Partial<Record<ContextKind, boolean>> = {};
  return (kind) => {
    if (known[kind] === undefined) {
      // A caller that says "context" outright saves the look through the text.
      known[kind] =
        kind === 'ibkr'
          ? options.context === true || hasIbkrContext(text) || given(options.context)
          : options.cpapiContext === true || hasCpapiContext(text) || given(options.cpapiContext);
    }
    return known[kind]!;
  };
}

const RULE_RANK: Record<MatchRule, number> = { code: 0, message: 1, contextual: 2 };

/** Earliest first, then longest, then the most specific rule. */
function compareCandidates(a: Candidate, b: Candidate): number {
  return a.start - b.start || b.end - a.end || RULE_RANK[a.rule] - RULE_RANK[b.rule];
}

function isSorted(run: Candidate[]): boolean {
  for (let i = 1; i < run.length; i++) if (compareCandidates(run[i - 1], run[i]) > 0) return false;
  return true;
}

/**
 * Earliest first, then longest, then the most specific rule; overlapping spans are dropped.
 * The runs are merged as a stable sort of their concatenation would order them (on a tie, the
 * earlier run first), without sorting all candidates: each run is already in order.
 */
function keepNonOverlapping(all: Candidate[][]): Candidate[] {
  const runs = all.filter((run) => run.length > 0);
  for (const run of runs) if (!isSorted(run)) run.sort(compareCandidates);
  const heads = runs.map(() => 0);
  const kept: Candidate[] = [];
  let lastEnd = -1;
  while (runs.length > 0) {
    let best = 0;
    let bestCandidate = runs[0][heads[0]];
    for (let r = 1; r < runs.length; r++) {
      const c = runs[r][heads[r]];
      if (c.start < bestCandidate.start || (c.start === bestCandidate.start && compareCandidates(c, bestCandidate) < 0)) {
        best = r;
        bestCandidate = c;
      }
    }
    if (++heads[best] === runs[best].length) {
      runs.splice(best, 1);
      heads.splice(best, 1);
    }
    if (kept.length > 0 && bestCandidate.start < lastEnd) continue;
    kept.push(bestCandidate);
    lastEnd = bestCandidate.end;
  }
  return kept;
}

/**
 * A test of whether the text between two positions is all of a regex (`^(?:body)$`), that looks
 * at the text in place first (a sticky match ending exactly there) and slices it out only when
 * that does not settle it: gaps are tested for most spans, and most are empty or one character.
 */
function gapTest(body: string): (text: string, from: number, to: number) => boolean {
  const sticky = new RegExp(body, 'y');
  const whole = new RegExp(`^(?:${body})$`);
  return (text, from, to) => {
    sticky.lastIndex = from;
    if (sticky.test(text) && sticky.lastIndex === to) return true;
    return whole.test(text.slice(from, to));
  };
}

/** What may sit between two spans of one entry: punctuation, or the Java/C# ", Msg: " label. */
const JOINABLE_GAP = gapTest('[ \\t:,.\\-–]*(?:Msg:[ \\t]*)?');
/**
 * Between a code's separator and its message: quotes, spaces and dashes ("errorString': '…",
 * "Error 200 — The contract …"), a label ("Error code: 321, message: …", "errorCode='162'
 * message='…'"), or a runtime value the message starts with ("%s: The date, time …" reads "ESZ4:
 * The date, time …", "%s field cannot …" reads "Price field cannot …").
 */
const MESSAGE_SLOT_GAP = gapTest(
  '[ \\t\'"`:,\\-–—]{0,3}|[\'"]?,?[ \\t]*(?:[Mm]essage|[Mm]sg|errorMsg|errorString|errString)[\'"]?[ \\t]*[:=][ \\t]*[\'"]?',
);
const MESSAGE_SLOT_VALUE = /^[^\n]{1,40}?:[ \t]?$|^(?:[^\s]{1,30}[ \t]){1,2}$/;
/** Between a message and a code that follows it: "Couldn't connect to TWS. … (code: 502, …)". */
const CODE_AFTER_GAP = gapTest('[ \\t.…,;:\\-]{0,8}');

/**
 * Makes one span of the pieces of one error: a code and the message in its slot (the code names
 * the entry: in a log line the message is that error's text even when it reads like another
 * entry's), a message and the code after it (Nautilus, stoqey/ib), or neighbouring spans of one
 * entry. A code of prose or a bare wrapper line (`context`, `own-message` shapes) takes only its
 * own entry's message: "error 2104 and then No security definition …" is two mentions.
 */
function joinPieces(kept: Candidate[], text: string): Candidate[] {
  // Candidates are fresh objects of this find() call: they are merged in place.
  const out: Candidate[] = [];
  for (const c of kept) {
    const last = out[out.length - 1];
    if (last && c.shape === undefined && last.shape && last.stem === undefined && last.shape.message === 'after') {
      // Another entry's message joins the code of a `selfAfter` shape only on the IBKR client's own
      // line. Asked only here: where the text shows such a line, it has IBKR context, so the code
      // counts as its self form would.
      if (last.shape.selfAfter !== undefined && !isOwnMessage(c, last.entryId)) last.shape = selfEvidentForm(last.shape, text, last.end);
      const ownOnly = last.shape.strength === 'context' || last.shape.strength === 'own-message';
      // Prose mentions ("error 2104 and then …") have no message slot: only a tight gap joins.
      // A log line's code, not prose's, may have a runtime value before its message.
      const slotted = ownOnly
        ? isOwnMessage(c, last.entryId) && (last.shape.selfAfter === undefined ? MESSAGE_SLOT_GAP(text, last.slotAt, c.start) : inSlot(last, c.start, text))
        : inSlot(last, c.start, text);
      if (c.start >= last.slotAt && slotted) {
        last.end = c.end;
        last.soft = FIRM;
        last.stem = c.stem;
        last.whole = c.whole;
        last.messageAt = c.start;
        last.stemEnd = c.stem ? c.end : undefined;
        continue;
      }
    }
    if (last && c.shape?.message === 'before' && last.shape === undefined && CODE_AFTER_GAP(text, last.end, c.start)) {
      c.soft = FIRM;
      c.stem = last.stem;
      c.messageAt = last.start;
      c.stemEnd = undefined;
      c.start = last.start;
      out[out.length - 1] = c;
      continue;
    }
    if (last && last.entryId === c.entryId && JOINABLE_GAP(text, last.end, c.start)) {
      if (RULE_RANK[c.rule] < RULE_RANK[last.rule]) last.rule = c.rule;
      last.messageAt ??= c.start;
      if (c.stem) {
        last.stem ??= c.stem;
        last.stemEnd = c.end;
        last.whole = c.whole;
      }
      last.end = c.end;
      continue;
    }
    out.push(c);
  }
  return out;
}

/**
 * Whether a message starts in the slot of a code of its own entry whose shape is an IBKR client's
 * log line that other software can print too (`selfAfter`: `ERROR 5 103 Duplicate order id`).
 */
function inOwnLogSlot(code: Candidate | undefined, stem: IndexedStem, start: number, text: string): boolean {
  return code?.shape?.selfAfter !== undefined && start >= code.slotAt && stem.entryIds.includes(code.entryId) && inSlot(code, start, text);
}

/** Whether `code` is a shape that follows its message (`(Error #322)`) and stands right after a message ending at `end`. */
function codeAfterMessage(code: Candidate | undefined, end: number, text: string): boolean {
  return code !== undefined && code.shape?.message === 'before' && code.start >= end && CODE_AFTER_GAP(text, end, code.start);
}

/** Whether what stands between a code's separator and `start` leads to its message: punctuation, a label, a runtime value. */
function inSlot(code: Candidate, start: number, text: string): boolean {
  return MESSAGE_SLOT_GAP(text, code.slotAt, start) || MESSAGE_SLOT_VALUE.test(text.slice(code.slotAt, start));
}

/** Whether a message candidate is one of the entry's own official texts. */
function isOwnMessage(c: Candidate, entryId: string): boolean {
  return c.entryId === entryId || (c.stem !== undefined && c.stem.entryIds.includes(entryId));
}

/**
 * Codes that still need something: `-1 | 2103 |` stays with IBKR context; `[#326]` (but after
 * ezibpy's logger), bare and prose codes never without their message. A short official message of the socket API that no code
 * joined counts only where its line reads as the socket API's (`GenericReader`). A prose code
 * read as an HTTP status becomes the status's entry, unless the text quotes an official
 * socket-API message elsewhere: that is a socket-API sign too, and the code is read again with it
 * (`apiReading`).
 */
function confirmSoftCodes(
  joined: Candidate[],
  text: string,
  inContext: (kind: ContextKind) => boolean,
  generic: GenericReader,
): Candidate[] {
  let socketMessage: boolean | undefined;
  return joined.filter((c) => {
    // A short official message of the socket API alone (not in a code's slot): read by API.
    if (c.shape === undefined && c.rule === 'contextual' && c.stem !== undefined && !isCpapiEntryId(c.entryId)) return generic.socketReading(c.start, c.end);
    if (c.soft === FIRM) return true;
    if (c.soft === NEEDS_MESSAGE_OR_CONTEXT) return inContext('ibkr');
    if (c.soft === NEEDS_MESSAGE) return false;
    if (c.httpEntry === undefined) return false;
    socketMessage ??= joined.some(isSocketApiMessage);
    // With a socket-API sign, the text's own Client Portal sign makes it neither API's.
    if (socketMessage) return !hasCpapiContext(text) && inContext('ibkr');
    if (c.httpEntry === null) return false;
    c.entryId = c.httpEntry;
    return true;
  });
}

/** A distinctive official message of a socket-API entry (alone or joined to its code). */
function isSocketApiMessage(c: Candidate): boolean {
  return c.stem !== undefined && c.stem.distinctive && !isCpapiEntryId(c.entryId);
}

/** `:` or `.`, which glue a farm name or a runtime detail to a message ("…is OK:usfarm"). */
function isGlue(code: number): boolean {
  return code === 58 || code === 46;
}

/** A glue character directly followed by the detail (":usfarm", not ". Next sentence" or ".;"). */
function gluedAt(text: string, at: number): boolean {
  return isGlue(text.charCodeAt(at)) && /[A-Za-z0-9]/.test(text[at + 1] ?? '');
}

/** A farm name glued with ":" (":usfarm"); anything else after a colon is a reason (":No market data permissions …"). */
const FARM_NAME = /:[a-z][a-z0-9]*(?![A-Za-z0-9])/y;

/** What follows a message whose stem ends at `at`: a reason it announces, a glued detail, or nothing. */
function tailKindAt(stem: IndexedStem, text: string, at: number): TailKind | null {
  if (stem.announces) return 'announced';
  if (!gluedAt(text, at)) return null;
  FARM_NAME.lastIndex = at;
  return text[at] === ':' && !FARM_NAME.test(text) ? 'announced' : 'glued';
}

/** How far a reason may reach past the message, at most. */
const MAX_REASON = 200;

/**
 * Stretches a span over what follows its message when it belongs to the error
 * (lib/mention-extent.ts): the reason a message announces (`cause - …`, `reason:…`, a trailing
 * `:`), or a detail glued to it with `:` or `.` (a farm name, a symbol). Spans of other messages
 * quoted inside that reason are absorbed; a following code shape (another error on the line)
 * stops it.
 */
function extendOverTails(spans: Candidate[], text: string, edges: () => readonly number[] | null, owedBefore?: readonly string[]): Candidate[] {
  const out: Candidate[] = [];
  for (let i = 0; i < spans.length; i++) {
    const c = spans[i];
    out.push(c);
    if (c.stem === undefined || c.stemEnd === undefined || c.end !== c.stemEnd) continue;
    if (c.whole) i = extendOverTail(c, spans, i, text, edges, owedBefore);
    c.end = closeQuotes(text, c.start, c.messageAt ?? c.start, c.end);
  }
  return out;
}

/** Stretches the span `spans[i]` over its tail; returns the index of the last span it absorbed. */
function extendOverTail(c: Candidate, spans: Candidate[], i: number, text: string, edges: () => readonly number[] | null, owedBefore?: readonly string[]): number {
  const kind = tailKindAt(c.stem!, text, c.end);
  if (kind === null) return i;
  let limit = Math.min(endOfLine(text, c.end), c.end + MAX_TAIL);
  for (let j = i + 1; j < spans.length && spans[j].start < limit; j++) {
    if (spans[j].shape) {
      limit = spans[j].start;
      break;
    }
  }
  const from = c.messageAt ?? c.start;
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  let end = tailEnd(text, c.end, limit, kind, owedClosers(text, lineStart, from, lineStart === 0 ? owedBefore : undefined), edges());
  // A line longer than MAX_TAIL: the tail ends before the word the limit would cut.
  if (end === c.end + MAX_TAIL) end = beforeCutWord(text, c.end, end);
  // A message quoted inside the reason is part of it; one that runs on past it ends the reason there.
  while (i + 1 < spans.length && spans[i + 1].start < end) {
    if (spans[i + 1].end > end) {
      end = spans[i + 1].start;
      while (end > c.end && /[\s,;:.\-–]/.test(text[end - 1])) end--;
      break;
    }
    i++;
  }
  // An official message right after the reason's full stop is TWS's text going on (420: "…:No
  // market data permissions for NYSE STK. Requested market data requires additional subscription …").
  const next = spans[i + 1];
  if (kind === 'announced' && end > c.end && next && next.shape === undefined && next.stem && text[end - 1] === '.' && /^[ \t]{1,2}$/.test(text.slice(end, next.start))) {
    end = next.end;
    i++;
  }
  if (end > c.end) c.end = c.tailEnd = end;
  return i;
}

/**
 * The end of a span that also takes the quotes and brackets its own code shape opened before the
 * message, where they close right after it (`Warning 2104: "…OK:usfarm"`, `Notice { code: 2104,
 * message: "…" }`); the message's final full stop goes with them.
 */
function closeQuotes(text: string, start: number, messageAt: number, end: number): number {
  if (messageAt <= start || !hasBracket(text, start, messageAt)) return end;
  const open = owedClosers(text, start, messageAt);
  let at = end;
  if (open.length > 0 && text[at] === '.' && text[at + 1] === open[open.length - 1]) at++;
  let closed = end;
  for (let k = open.length - 1; k >= 0; k--) {
    let next = at;
    while (k < open.length - 1 && (text[next] === ' ' || text[next] === '\t')) next++;
    if (text[next] !== open[k]) break;
    closed = at = next + 1;
  }
  return closed;
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl === -1 ? text.length : nl;
}

/** Labels that introduce the page's own reason text. */
const REASON_LABELS = [/\bcause\s*-\s*/gi, /\berror message\s*:\s*/gi, /\breason\s*:\s*/gi];
/** Any of the labels, for one test where most spans have none. */
const ANY_REASON_LABEL = /\b(?:cause\s*-|error message\s*:|reason\s*:)/i;

/** The public match: span, entry, the variant its message shows, the page's reason. */
function describe(c: Candidate, text: string, variants: CompiledVariants): Match {
  const from = c.messageAt ?? (c.shape ? c.slotAt : c.start);
  // Only a message has a reason; only an entry with cases needs its text read.
  if (c.stem === undefined && variants.length === 0) return { start: c.start, end: c.end, entryId: c.entryId, rule: c.rule, variant: null, reason: null };
  // A message is read as far as the marker covers it (with the announcing colon it leaves out:
  // "Order rejected - Reason:"); a code alone, with the rest of its line.
  const line = c.stem !== undefined ? text.slice(from, c.end + leadingPunctuation(text, c.end)) : text.slice(from, Math.min(endOfLine(text, from), from + 500));
  let variant: string | null = null;
  for (const v of variants) {
    if (v.regex.test(line)) {
      variant = v.id;
      break;
    }
  }
  return { start: c.start, end: c.end, entryId: c.entryId, rule: c.rule, variant, reason: reasonOf(c, text, line, from) };
}

/** The length of the colons, dashes and spaces at `at` (not past the line). */
function leadingPunctuation(text: string, at: number): number {
  let n = 0;
  for (let c = text.charCodeAt(at); n < 8 && (c === 32 || c === 9 || c === 58 || c === 45 || c === 0x2013); c = text.charCodeAt(at + ++n));
  return n;
}

/** Where the reason after the first label in `span` starts, before `end`, or -1. */
function labelledReasonAt(span: string, end: number): number {
  if (!ANY_REASON_LABEL.test(span)) return -1;
  for (const label of REASON_LABELS) {
    label.lastIndex = 0;
    if (label.test(span) && label.lastIndex < end) return label.lastIndex;
  }
  return -1;
}

/**
 * The page's own reason inside the marker: after a label, or the tail past the message. `line`
 * is the text from the message (`from`) on, as far as the marker reaches.
 */
function reasonOf(c: Candidate, text: string, line: string, from: number): string | null {
  if (c.stem === undefined) return null;
  // The reason ends with the message or its tail, before quotes the code shape closes.
  const end = (c.tailEnd >= 0 ? c.tailEnd : (c.stemEnd ?? c.end)) - from;
  const labelled = labelledReasonAt(line, end);
  let reason: string | null = labelled >= 0 ? line.slice(labelled, end) : null;
  if (reason === null && c.tailEnd >= 0 && c.stemEnd !== undefined) reason = text.slice(c.stemEnd, c.tailEnd).replace(/^[\s:.\-–]+/, '');
  if (reason === null) return null;
  // ib_insync appends the contract it knows; that is not part of the reason.
  const plain = reason.replace(/,\s*contract:\s.*$/, '').trim().slice(0, MAX_REASON).trim();
  return plain === '' ? null : plain;
}
