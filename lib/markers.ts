/**
 * What is marked on a page, for the toolbar badge. (Taking markers off again is the annotator's
 * own job: it knows which page text nodes it split.) Takes a Document; no browser globals.
 */
import { MARKER_ATTR, MARKER_TAG } from './annotate';

/** The distinct entry ids marked on the page, in order of first appearance. */
export function markedEntryIds(doc: Document): string[] {
  const ids = new Set<string>();
  for (const marker of Array.from(doc.querySelectorAll(`${MARKER_TAG}[${MARKER_ATTR}]`))) ids.add(marker.getAttribute(MARKER_ATTR)!);
  return [...ids];
}
