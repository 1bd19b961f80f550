/** What the card shows: the tooltip of a marker and the "Explain selection" panel, as VNode trees. */
import type { KnowledgeEntry } from '../../knowledge/schema';
import { showBidi } from '../bidi';
import type { Explanation } from '../explain';
import { isTooGeneric } from '../query-words';
import { codeLabel, h, renderEntry, type Child, type VNode } from '../render';

export const NO_MATCH_MESSAGE = 'No known IBKR API error found in the selection';
/** For a selection that only says something went wrong ("failed", "An error occurred."). */
export const TOO_GENERIC_MESSAGE = 'Too general to tell which IBKR error it is';

const closeButton = (extra = '') => h('button', { class: `close${extra}`, type: 'button', 'aria-label': 'Close', title: 'Close (Esc)' }, '×');

/** The panel's title bar, with its close button. */
export function barView(label: string): Child {
  return h('div', { class: 'bar' }, h('span', { class: 'brand' }, label), closeButton());
}

/**
 * The scrolling part of the card. Focusable so keyboard users can scroll a long entry (and so a
 * scrollable region is never a dead end for assistive technology).
 */
export function bodyView(...children: Child[]): Child {
  return h('div', { class: 'body', tabindex: '0' }, ...children);
}

/** What the page said about this mention: the matched variant, the reason text it quoted, its own word for it. */
export interface MentionDetails {
  variant: string | null;
  reason: string | null;
  /** The header's word (`Warning` for `Warning 2104: ...`): lib/render.ts `kindWord`. */
  word?: string;
}

/**
 * A marker's card: no title bar (the entry's own header says what it is, and every line of height
 * goes to this case); a pinned card gets its close button in the corner.
 */
export function tooltipView(entry: KnowledgeEntry, titleId: string, pinned: boolean, details?: MentionDetails): Child[] {
  return [
    pinned ? closeButton(' close-corner') : null,
    bodyView(renderEntry(entry, { titleId, variant: details?.variant ?? null, reason: details?.reason ?? null, word: details?.word })),
  ].filter((c) => c !== null);
}

/**
 * The selection quoted (shortened, direction controls shown), then what it is about; `note` says
 * what was left out of a long selection (lib/selection-limit.ts).
 */
export function explainView(selection: string, result: Explanation | null, titleId: string, note?: string | null): Child[] {
  const excerpt = selection.replace(/\s+/g, ' ').trim();
  // The shortcut pressed with nothing selected: nothing to quote or to look up.
  if (excerpt === '') return [barView('Explain selection'), bodyView(emptyView(titleId, 'Nothing is selected', 'then ask again'))];
  const quoted = excerpt.length > 140 ? `${excerpt.slice(0, 140)}…` : excerpt;
  const body: Child[] = [h('p', { class: 'selection' }, 'Selected: ', h('q', {}, showBidi(quoted)))];
  if (note) body.push(h('p', { class: 'selection-note', role: 'note' }, note));
  if (result) {
    body.push(renderEntry(result.entry, { titleId, variant: result.variant ?? null, reason: result.reason ?? null }));
    if (result.others.length > 0) {
      body.push(
        h(
          'p',
          { class: 'also' },
          'Also in the selection: ',
          ...result.others.map((o) => h('button', { type: 'button', 'data-entry-id': o.id }, `${codeLabel(o)} — ${o.title}`)),
        ),
      );
    }
  } else {
    body.push(emptyView(titleId, isTooGeneric(excerpt) ? TOO_GENERIC_MESSAGE : NO_MATCH_MESSAGE));
  }
  return [barView('Explain selection'), bodyView(...body)];
}

/** The panel's word when there is no entry to show, and what to do instead. */
function emptyView(titleId: string, title: string, next?: string): VNode {
  const select = `Select a whole error line (for example “Error 326, reqId -1: …”)${next ? `, ${next}` : ''}`;
  return h('div', { class: 'empty' }, h('strong', { id: titleId }, title), h('p', {}, `${select}, or search by code or term from the toolbar button.`));
}

/** What a screen reader hears on a focused marker, besides the marked text itself. */
export function markerDescription(entry: KnowledgeEntry, word?: string): string {
  return `${codeLabel(entry, word)}: ${entry.title}. Press Enter for the explanation.`;
}
