/**
 * The words of a query or a selection, and the words that name no entry by themselves: those that
 * stand beside codes ("TWS error 326") and those that only say something went wrong ("failed",
 * "an error occurred"). Shared by the popup's search, "Explain selection" and the card's panel.
 */

/** Lower-cased words of a text, for exact token hits (`ib.connect`, `10061`, `clientid`). */
export function tokens(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9_.]+/g)?.map((t) => t.replace(/^\.+|\.+$/g, '')).filter(Boolean) ?? [];
}

/**
 * Words that may stand beside a code in a query or a selection that is just that code ("TWS error
 * 326", ib_insync's "Warning 2104", the card's "Notice 2104").
 */
export const CODE_COMPANIONS = new Set(['error', 'err', 'warning', 'warn', 'notice', 'info', 'code', 'errorcode', 'ibkr', 'tws', 'ib', 'api', 'gateway', 'msg']);

/** Little words a query may carry that an entry need not contain. */
export const STOP_WORDS = new Set(['a', 'an', 'the', 'is', 'are', 'was', 'be', 'been', 'has', 'of', 'to', 'in', 'on', 'for', 'and', 'or', 'with', 'by', 'at', 'it', 'this', 'that', 'my', 'i']);

/** Words that say that something went wrong, not what: dozens of entries' texts hold each. */
const WENT_WRONG = new Set([
  'fail', 'fails', 'failed', 'failing', 'failure', 'occur', 'occurs', 'occurred', 'occurring', 'happened',
  'problem', 'problems', 'issue', 'issues', 'exception', 'something', 'went', 'wrong', 'unexpected', 'errors', 'warnings',
]);

/**
 * Whether a text only says that something went wrong ("failed", "An error occurred.", "TWS
 * error"): no code, no word that tells one error from another, so it names no entry.
 */
export function isTooGeneric(text: string): boolean {
  const words = tokens(text);
  return words.length > 0 && words.every((w) => CODE_COMPANIONS.has(w) || STOP_WORDS.has(w) || WENT_WRONG.has(w));
}
