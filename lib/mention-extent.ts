/**
 * How far a mention reaches past its official message: over the detail glued to the message
 * (`:usfarm`, `.Error&BEST/STK/Top`) and over the reason the message announces (`cause - …`,
 * `reason:…`, `error message:…`), and never over what the page says next: a new sentence, a
 * question, `and then …`, a closing quote or bracket opened before the message, an issue number,
 * another element of a heading or paragraph, the next line. Pure. The rules are listed in
 * docs/matching.md ("Where a marker ends").
 */

/** What follows a message: a detail glued to it, or a reason it announces. */
export type TailKind = 'glued' | 'announced';

/**
 * How far a tail may reach past its message, at most: TWS's longest reasons (321's list of the
 * generic ticks a contract allows) run to about 900 characters on one line.
 */
export const MAX_TAIL = 1000;

/** The closer of each opening bracket or quote. */
const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>', '"': '"', "'": "'", '`': '`', '“': '”', '‘': '’' };
/** Closers that are not also openers. */
const CLOSING = new Set([')', ']', '}', '>', '”']);
/** Quotes that open and close alike. */
const SYMMETRIC = new Set(['"', "'", '`']);
/** By UTF-16 code unit: 1 for the brackets and quotes above (most characters need no look). */
const BRACKET = new Uint8Array(65536);
for (const ch of '()[]{}<>"\'`“”‘’') BRACKET[ch.charCodeAt(0)] = 1;

function isAlnum(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9]/.test(ch);
}

/** A quote between two letters or digits is an apostrophe ("Couldn't", "order’s"). */
function isApostrophe(text: string, i: number): boolean {
  const ch = text[i];
  return (ch === "'" || ch === '’') && isAlnum(text[i - 1]) && isAlnum(text[i + 1]);
}

/**
 * One step of bracket and quote bookkeeping: what `ch` at `i` does to `stack` (closers expected,
 * innermost last). Returns false for a closer the stack does not expect.
 */
function track(stack: string[], text: string, i: number): boolean {
  if (BRACKET[text.charCodeAt(i)] === 0) return true;
  const ch = text[i];
  if (isApostrophe(text, i)) return true;
  const expected = stack.lastIndexOf(ch);
  if (expected >= 0 && (CLOSING.has(ch) || SYMMETRIC.has(ch) || ch === '’')) {
    stack.length = expected;
    return true;
  }
  if (CLOSING.has(ch) || ch === '’') return false;
  // "<" opens only a tag-like bracket ("<error id=…"), not "x < y" or "Edit->".
  if (ch in CLOSER && (ch !== '<' || /[A-Za-z]/.test(text[i + 1] ?? ''))) stack.push(CLOSER[ch]);
  return true;
}

/** Whether text[from, to) holds a bracket or quote (most code shapes hold none). */
export function hasBracket(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (BRACKET[text.charCodeAt(i)] === 1) return true;
  return false;
}

/**
 * The closers owed at `at`: brackets and quotes opened on the line before it and not closed,
 * innermost last. `owedBefore`: those owed at `lineStart` by the line's text before it (a text
 * that starts inside a line, lib/annotate/text-streams.ts); kept as given.
 */
export function owedClosers(text: string, lineStart: number, at: number, owedBefore?: readonly string[]): string[] {
  const stack = owedBefore ? owedBefore.slice() : [];
  for (let i = lineStart; i < at; i++) if (BRACKET[text.charCodeAt(i)] === 1) track(stack, text, i);
  return stack;
}

/** Prose that goes on after a reason without a full stop ("… and then it hangs", ", which means …"). */
const PROSE_AFTER =
  /(?:,\s*|\s+)(?:and then|but then|which (?:is|means|was|happens)|because (?:I|we|it|my|the)|when (?:I|we|it|my|the|you)|while (?:I|we|my|the)|so (?:I|we))\b/y;
/** A spaced em or en dash: TWS writes ASCII, so the dash is the page's ("…Account is closed — any idea?"). */
const PROSE_DASH = /\s+[—–](?=\s)/y;
/**
 * The log line's next field after a reason: the clients' advancedOrderRejectJson label (the
 * testbeds' ", AdvancedOrderRejectJson: …", rust-ibapi's ", advanced_order_reject_json: …"), the
 * JSON ibapi appends after a space (`… {"rejectCode": …}`), a pipe between fields (Java's
 * `id | code | msg | json`, a plain-text table's next cell).
 */
const LOG_FIELD_AFTER = /(?:,\s*|\s+)(?:advancedOrderRejectJson|advanced_order_reject_json)\b|\s+(?:\{"|\|(?=\s|$))/iy;
/** An issue or pull request number after the text ("… subscribed #42", "(#1234)"). */
const ISSUE_REF = /\s+\(?#\d+\b/y;
/**
 * A further token of a glued detail: a symbol with its exchange or keys ("NASDAQ.NMS/TOP/BID_ASK"),
 * before white space, the end, or ib_insync's ", contract: …".
 */
const SYMBOL_TOKEN = /\s[A-Z0-9][A-Z0-9]*(?:[./@&_:][A-Za-z0-9_]+)+(?=\s|$|,\s*contract:)/y;
/** A sentence of capitals ("IN ORDER TO OBTAIN …"): TWS's margin reasons run over several. */
const CAPITALS_SENTENCE = /\s+["'(]?[A-Z]{2,}\b/y;
/**
 * TWS's own next sentence: it puts two spaces between the sentences of a reason ("… for
 * volatility.  Do not set it for other order types.", "…105,101.  Legal ones for (STK) are: …").
 */
const TWS_SENTENCE = / {2}[A-Z]/y;
/**
 * An ib_insync line glued to the reason, as a title that repeats a line has it ("…Please enter
 * exchangeError 321, reqId 69: …"): the next error, which the code scan (at word starts) misses.
 */
const GLUED_LINE = /(?:Error|Warning) -?\d{1,5}, reqId -?\d/y;
/** A Java class after a full stop ("Unable to parse data. java.lang.NumberFormatException: …"): no new sentence. */
const DOTTED_NAME = / [a-z]\w*\.[A-Za-z]/y;
/** ib_insync's appendix after the error: ", contract: Stock(symbol='QQQ', …)". */
const CONTRACT_APPENDIX = /,\s*contract:\s/y;

function sticky(regex: RegExp, text: string, at: number): number {
  regex.lastIndex = at;
  return regex.test(text) ? regex.lastIndex : -1;
}

/**
 * Where the tail after a message at `from` ends (`from` itself: no tail). `limit` is the line's
 * end or the next error; `owed` (owedClosers) is used up.
 */
export function tailEnd(text: string, from: number, limit: number, kind: TailKind, owed: string[], edges: readonly number[] | null): number {
  const inner = owed;
  const depth = inner.length;
  let edge = edges === null ? -1 : firstAfter(edges, from);
  let content = false;
  let capitals = true;
  let end = from;
  for (let i = from; i < limit; i++) {
    const ch = text[i];
    if (edge >= 0 && edges![edge] <= i) {
      // Another element of a heading or paragraph (an issue number, the prose after a `<code>`).
      if (content) break;
      while (edge < edges!.length && edges![edge] <= i) edge++;
      if (edge === edges!.length) edge = -1;
    }
    const top = inner.length === depth;
    if (top && (ch === ' ' || ch === '\t' || ch === ',')) {
      if (sticky(ISSUE_REF, text, i) > 0 || sticky(LOG_FIELD_AFTER, text, i) > 0) break;
      if (ch === ',' && sticky(CONTRACT_APPENDIX, text, i) > 0) break;
      if (kind === 'announced' && (sticky(PROSE_AFTER, text, i) > 0 || sticky(PROSE_DASH, text, i) > 0)) break;
      if (kind === 'glued' && ch !== ',') {
        const symbol = sticky(SYMBOL_TOKEN, text, i);
        if (symbol < 0 || symbol > limit) break;
        end = symbol;
        i = symbol - 1;
        continue;
      }
      continue;
    }
    if (top && (ch === '?' || ch === '!') && !isAlnum(text[i + 1])) break;
    if (top && ch === '.' && (i + 1 === limit || /\s/.test(text[i + 1]))) {
      end = i + 1;
      if (kind === 'glued') break;
      // A new sentence is prose, unless the reason is in capitals and so is what follows, or the
      // line goes on in TWS's two-space sentences and asks nothing.
      const next = sticky(CAPITALS_SENTENCE, text, i + 1);
      if (capitals && content && next > 0 && next <= limit) continue;
      if (content && (twsSentenceFollows(text, i + 1, limit) || sticky(DOTTED_NAME, text, i + 1) > 0)) continue;
      break;
    }
    if ((ch === 'E' || ch === 'W') && isAlnum(text[i - 1]) && sticky(GLUED_LINE, text, i) > 0) break;
    if (!track(inner, text, i) || inner.length < depth) break;
    if (isAlnum(ch)) {
      content = true;
      if (/[a-z]/.test(ch)) capitals = false;
    }
    end = i + 1;
  }
  // A trailing comma, colon, spaced dash or arrow's shaft ("-> retrying", "=> retry"), or (after a
  // glued detail) full stop is the page's punctuation.
  while (end > from && (/[\s,;:]/.test(text[end - 1]) || (/[-—–=]/.test(text[end - 1]) && /\s/.test(text[end - 2])))) end--;
  if (kind === 'glued') while (end > from && /[.!?]/.test(text[end - 1])) end--;
  return content ? end : from;
}

/** Whether TWS's next sentence of the reason starts at `at` (two spaces, a capital; no question on the rest of the line). */
function twsSentenceFollows(text: string, at: number, limit: number): boolean {
  if (sticky(TWS_SENTENCE, text, at) < 0) return false;
  for (let i = at; i < limit; i++) if (text[i] === '?' || text[i] === '!') return false;
  return true;
}

/** The end of a tail cut at MAX_TAIL, moved back before the word it would cut. */
export function beforeCutWord(text: string, from: number, end: number): number {
  if (!isAlnum(text[end]) || !isAlnum(text[end - 1])) return end;
  while (end > from && isAlnum(text[end - 1])) end--;
  while (end > from && /[\s,;:]/.test(text[end - 1])) end--;
  return end;
}

/** Index of the first edge after `at`, or -1. */
function firstAfter(edges: readonly number[], at: number): number {
  for (let i = 0; i < edges.length; i++) if (edges[i] > at) return i;
  return -1;
}
