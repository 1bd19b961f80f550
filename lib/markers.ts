/**
 * Taking markers off a page again (site switched off, informational notices hidden): each
 * `ibkr-error-mark` is replaced by its own text and the split text nodes are joined, so the page's
 * text is exactly what it was before. Takes a Document; no browser globals.
 */
import { MARKER_ATTR, MARKER_TAG } from './annotate';

/** Unwraps the markers (all, or those whose entry id passes `which`); returns how many. */
export function removeMarkers(doc: Document, which: (entryId: string) => boolean = () => true): number {
  const parents = new Set<Node>();
  let removed = 0;
  for (const marker of Array.from(doc.querySelectorAll(MARKER_TAG))) {
    if (!which(marker.getAttribute(MARKER_ATTR) ?? '')) continue;
    const parent = marker.parentNode;
    if (!parent) continue;
    while (marker.firstChild) parent.insertBefore(marker.firstChild, marker);
    parent.removeChild(marker);
    parents.add(parent);
    removed++;
  }
  for (const parent of parents) parent.normalize();
  return removed;
}

/** The distinct entry ids marked on the page, in order of first appearance. */
export function markedEntryIds(doc: Document): string[] {
  const ids = new Set<string>();
  for (const marker of Array.from(doc.querySelectorAll(`${MARKER_TAG}[${MARKER_ATTR}]`))) ids.add(marker.getAttribute(MARKER_ATTR)!);
  return [...ids];
}
