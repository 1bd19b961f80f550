/**
 * Markers the page wrote past. A marker stands where its block-level box adds no line break to
 * the page's `innerText` (right before a block-level sibling, or at the end of a block-level
 * element: `safePointAfter` in lib/annotate/marker-elements.ts). A page that then adds nodes right
 * after it (a log that streams `pre.append(text)` or `appendChild(span)`), or removes the block it
 * stood before, leaves it where the page's text follows it: it is moved on to the next such point,
 * in the MutationObserver callback that hears the change, before the next paint
 * (docs/page-integrity.md).
 */
import type { Mark, MarkStore } from './mark-store';
import { displayReader, layoutParent, laysOutItems, markerStyle, safePointAfter } from './marker-elements';

/**
 * The markers the page added or removed nodes right after (a record's `previousSibling`): each
 * stands before the page's changed nodes, in a row of markers the page wrote past.
 */
export function markersWrittenPast(records: readonly MutationRecord[], store: MarkStore): Element[] {
  let found: Element[] | null = null;
  for (const r of records) {
    const prev = r.previousSibling;
    if (prev !== null && r.type === 'childList' && store.isMarker(prev)) (found ??= []).push(prev as Element);
  }
  return found ?? NONE;
}

const NONE: Element[] = [];

/**
 * Moves each row of markers (consecutive sibling markers of ours) that holds one of `markers` and
 * no longer stands at a safe point to the next safe point after it, in one change per row. Rows
 * are looked at once each (a page that appended many times in one task). Returns the marks moved:
 * their style is written anew, unplaced (floated or absolutely positioned as their new parent
 * asks), to be measured from where they stand now. Reads computed displays (the page changed the
 * DOM before this task: style, not layout).
 */
export function moveMarkersOn(markers: readonly Element[], store: MarkStore, win: Window): Mark[] {
  const moved: Mark[] = [];
  const seen = new Set<Element>();
  const displayOf = displayReader(win);
  for (const marker of markers) {
    if (!marker.isConnected || !store.markOf(marker)) continue;
    let last: Element = marker;
    while (last.nextSibling && store.isMarker(last.nextSibling)) last = last.nextSibling as Element;
    if (seen.has(last)) continue;
    seen.add(last);
    const spot = safePointAfter(last, displayOf);
    // At a safe point still, or where none is (past the climb's bound): where it is.
    if (!spot || (spot.parent === last.parentNode && spot.before === last.nextSibling)) continue;
    let first: Element = last;
    while (first.previousSibling && store.isMarker(first.previousSibling)) first = first.previousSibling as Element;
    const row: Element[] = [];
    for (let m: Element | null = first; m; m = m === last ? null : (m.nextSibling as Element)) row.push(m);
    const absolute = laysOutItems(layoutParent(spot.parent), displayOf);
    const fragment = marker.ownerDocument.createDocumentFragment();
    for (const m of row) {
      fragment.appendChild(m);
      const mark = store.markOf(m);
      if (!mark) continue;
      moved.push(mark);
      mark.marker.setAttribute('style', markerStyle(absolute, null));
    }
    spot.parent.insertBefore(fragment, spot.before);
  }
  return moved;
}
