/**
 * What is marked on a page, for the toolbar badge. (Taking markers off again is the annotator's
 * own job: it knows which page text nodes it split.) Takes a Document; no browser globals.
 */
import { MARKER_ATTR, MARKER_TAG } from './annotate';

/**
 * The distinct entry ids marked on the page, in order of first appearance. `isOwn` keeps only
 * the annotator's markers, so an element the page made to look like one is not counted.
 */
export function markedEntryIds(doc: Document, isOwn: (marker: Element) => boolean = () => true): string[] {
  const ids = new Set<string>();
  for (const marker of Array.from(doc.querySelectorAll(`${MARKER_TAG}[${MARKER_ATTR}]`))) {
    if (isOwn(marker)) ids.add(marker.getAttribute(MARKER_ATTR)!);
  }
  return [...ids];
}
