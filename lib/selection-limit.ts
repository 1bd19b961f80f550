/**
 * "Explain selection" looks at the first EXPLAIN_TEXT_LIMIT characters of a selection: an error
 * worth explaining is in its first lines, and a whole 5 MB log selected by mistake took seconds to
 * search. The page cuts the selection before asking the background, and the background cuts what
 * it is sent again (a page's script could send it anything); the card says what was left out.
 */

/** About 10 KB of text. */
export const EXPLAIN_TEXT_LIMIT = 10_000;

export interface CappedSelection {
  text: string;
  /** Characters left out (0 when the whole selection is looked at). */
  cut: number;
}

/** The part of a selection that is looked at (never ending in half of a surrogate pair). */
export function capSelection(text: string, limit = EXPLAIN_TEXT_LIMIT): CappedSelection {
  if (text.length <= limit) return { text, cut: 0 };
  const end = /[\uD800-\uDBFF]/.test(text[limit - 1]) ? limit - 1 : limit;
  return { text: text.slice(0, end), cut: text.length - end };
}

/** The card's note for a cut selection, or null. */
export function selectionNote(cut: number, limit = EXPLAIN_TEXT_LIMIT): string | null {
  if (cut <= 0) return null;
  const n = (x: number) => x.toLocaleString('en-US');
  return `Only the first ${n(limit)} characters of the selection were looked at; the other ${n(cut)} were left out.`;
}
