/**
 * The popup page opened as a small window by "Explain selection" where Firefox lets no extension
 * script run (its JSON and PDF viewers; entrypoints/background.ts): `?explain=<selection>` (cut to
 * the selection limit), `&cut=<characters left out>`, `&tab=<the page's tab>`. The selection is
 * the query, and the entry "Explain selection" picks for it (lib/explain.ts, as the card's panel
 * picks it) is opened.
 */
import knowledge, { stemIndex } from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { showBidiText } from '../../lib/bidi';
import { createExplainer, explanationFromIds } from '../../lib/explain';
import { quoted } from '../../lib/quote';
import { selectionNote } from '../../lib/selection-limit';

export interface ExplainRequest {
  /** The selection as the page gave it. */
  text: string;
  /** The selection as a one-line query (a search field holds no line breaks). */
  query: string;
  /** Characters of the selection left out. */
  cut: number;
}

export const NO_SELECTION_NOTE =
  'Firefox lets no extension read a selection on this page (its JSON or PDF viewer). Copy the text into the search above, or choose “Explain selection” from the menu you get by right-clicking it.';

/** The request in the popup page's address, or null when it was opened as the toolbar's popup. */
export function explainRequest(search: string): ExplainRequest | null {
  const params = new URLSearchParams(search);
  const text = params.get('explain');
  if (text === null) return null;
  const cut = Number(params.get('cut'));
  return { text, query: text.replace(/\s+/g, ' ').trim(), cut: Number.isInteger(cut) && cut > 0 ? cut : 0 };
}

/** A note above the results: what was explained and what was left out, or why nothing could be. */
function noteFor(asked: ExplainRequest, found: boolean): string {
  if (asked.query === '') return NO_SELECTION_NOTE;
  const said = found ? 'Explained here' : 'Looked up here';
  const parts = [`${said}: the selection ${showBidiText(quoted(asked.query, 141))}, from a page where Firefox lets no extension run.`];
  const left = selectionNote(asked.cut);
  if (left) parts.push(left);
  return parts.join(' ');
}

/** Says what the window is for, and opens the selection's entry with `open` (its case first). */
export function showExplanation(asked: ExplainRequest, open: (entry: KnowledgeEntry, variant: string | null) => void): void {
  document.title = 'Explain selection · IBKR API Error Lookup';
  const explanation = asked.query === '' ? null : explanationFromIds(createExplainer(knowledge.entries, stemIndex)(asked.text), knowledge.entries);
  const note = document.createElement('p');
  note.id = 'explain-note';
  note.className = 'explain-note';
  note.setAttribute('role', 'note');
  note.textContent = noteFor(asked, explanation !== null);
  document.querySelector('header')?.append(note);
  if (explanation) open(explanation.entry, explanation.variant ?? null);
}
