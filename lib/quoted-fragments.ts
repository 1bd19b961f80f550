/**
 * A code followed by a few words of its own official message in quotes, from anywhere in the
 * message: prose that quotes the part that matters (`snapshot() returns 10197 "competing
 * session"`, 10197 being "No market data during competing live session"). Stems match a message
 * from its start only (lib/message-stems.ts), so such a fragment is found here, and counts only
 * where its words are that very code's words: at least two words that say something (not `the`,
 * `is`, `no` …), every word of the fragment in the code's message, in the message's order. A
 * number before another code's words, or before words of no message (`504 "gateway timeout"`), is
 * not a mention. Pure: no DOM.
 */

/** The longest fragment read, in characters: a few words, not a sentence pasted whole. */
const MAX_FRAGMENT = 80;

/** Words that alone say nothing of which message is quoted. */
const STOP_WORDS = new Set(['a', 'an', 'the', 'to', 'of', 'for', 'in', 'on', 'at', 'by', 'is', 'are', 'was', 'be', 'been', 'has', 'have', 'and', 'or', 'no', 'not', 'with', 'from', 'this', 'that', 'it', 'as', 'if', 'you', 'your']);

/** An opening quote right after a digit (and a space): one regex finds these faster than every quote (docs/performance.md). */
const DIGIT_QUOTE = /\d ?["“'‘]/g;
const CLOSER_OF: Record<string, string> = { '"': '"', '“': '”', "'": "'", '‘': '’' };

/** A word of a fragment or of a message, as compared: letters, digits and inner apostrophes, lower case. */
const WORD = /[a-z0-9]+(?:['’][a-z]+)?/g;

export function wordsOf(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * The words of a message as its stem's regex source spells them (the content script carries
 * messages only as stems): escapes (`\s`, `\b`), character classes and regex syntax are left out;
 * a runtime wording's alternatives all count (`TWS`, `Trader Workstation`).
 */
export function stemWords(source: string): string[] {
  const plain = source
    .replace(/\[[^\]]*\](?:\{\d+(?:,\d*)?\}|[*+?])?/g, ' ')
    .replace(/\\[A-Za-z]/g, ' ')
    .replace(/\(\?:|[()|?*+{}\\^$]/g, ' ');
  return wordsOf(plain);
}

/** Whether every word of `fragment` is in `message`, in order. */
export function inOrder(fragment: readonly string[], message: readonly string[]): boolean {
  let at = 0;
  for (const w of fragment) {
    while (at < message.length && message[at] !== w) at++;
    if (at === message.length) return false;
    at++;
  }
  return true;
}

/** Whether a fragment's words say enough to name a message: two at least that are not stop words. */
export function saysEnough(words: readonly string[]): boolean {
  let telling = 0;
  for (const w of words) if (!STOP_WORDS.has(w) && ++telling === 2) return true;
  return false;
}

/** Whether the character is one a code never follows in prose: a word's, a decimal point, a sign, a currency. */
function gluedBefore(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || '.,:;/\\#$€£+-'.includes(String.fromCharCode(code));
}

/** Whether the text holds an opening quote at all: `indexOf` passes over a text without one faster than the regex does. */
function hasQuote(text: string): boolean {
  return text.includes("'") || text.includes('"') || text.includes('“') || text.includes('‘');
}

/**
 * Calls `found` for each number of 3 to 5 digits followed (after at most one space) by a quoted
 * fragment that closes on its line: `start`..`end` from the number to the closing quote, the
 * fragment's words. Only the quotes after a digit are looked at, and a few characters before each.
 */
export function scanQuotedFragments(text: string, found: (start: number, end: number, code: number, words: string[]) => void): void {
  if (!hasQuote(text)) return;
  DIGIT_QUOTE.lastIndex = 0;
  for (let m = DIGIT_QUOTE.exec(text); m !== null; m = DIGIT_QUOTE.exec(text)) {
    const q = m.index + m[0].length - 1;
    const opener = text[q];
    let digitsEnd = q;
    if (text.charCodeAt(digitsEnd - 1) === 32) digitsEnd--;
    let start = digitsEnd;
    while (start > 0 && start > digitsEnd - 6) {
      const c = text.charCodeAt(start - 1);
      if (c < 48 || c > 57) break;
      start--;
    }
    const length = digitsEnd - start;
    if (length < 3 || length > 5 || (start > 0 && gluedBefore(text.charCodeAt(start - 1)))) continue;
    const close = text.indexOf(CLOSER_OF[opener], q + 1);
    if (close < 0 || close - q - 1 > MAX_FRAGMENT) continue;
    const inner = text.slice(q + 1, close);
    if (inner.includes('\n')) continue;
    found(start, close + 1, Number(text.slice(start, digitsEnd)), wordsOf(inner));
    DIGIT_QUOTE.lastIndex = close + 1;
  }
}
