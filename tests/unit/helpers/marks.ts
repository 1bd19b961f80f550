/**
 * Reading marks as a page and a user see them, in happy-dom: the marker elements (entry id and
 * accessible name, which is the marked text) and what is painted. happy-dom has no CSS Custom
 * Highlight API: `paintedTexts` installs a small stand-in registry on first use and reads it.
 */
import { createAnnotator, HIGHLIGHT_PREFIX, MARKER_ATTR, type Annotator } from '../../../lib/annotate';
import type { Matcher } from '../../../lib/matcher';

/** [entry id, marked text] of every marker under `root`, in document order. */
export function mentions(root: ParentNode = document): [string, string][] {
  return [...root.querySelectorAll(`[${MARKER_ATTR}]`)].map((m) => [m.getAttribute(MARKER_ATTR)!, m.getAttribute('aria-label') ?? '']);
}

/** Every marker element under `root`. */
export function markerElements(root: ParentNode = document): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(`[${MARKER_ATTR}]`)];
}

class StandInHighlight {
  readonly ranges = new Set<AbstractRange>();
  priority = 0;
  add(r: AbstractRange) {
    this.ranges.add(r);
    return this;
  }
  delete(r: AbstractRange) {
    return this.ranges.delete(r);
  }
}

/** Gives the window a stand-in for `Highlight` and `CSS.highlights` (call before the annotator is made). */
export function installHighlights(): Map<string, StandInHighlight> {
  const highlights = new Map<string, StandInHighlight>();
  const css = (window as unknown as { CSS?: object }).CSS;
  Object.defineProperty(window, 'Highlight', { value: StandInHighlight, configurable: true, writable: true });
  Object.defineProperty(window, 'CSS', { value: Object.assign(Object.create(css ?? null), { highlights }), configurable: true, writable: true });
  return highlights;
}

/** The text of a range over text nodes (and the elements between them). */
function rangeText(r: AbstractRange): string {
  const range = document.createRange();
  range.setStart(r.startContainer, r.startOffset);
  range.setEnd(r.endContainer, r.endOffset);
  return range.toString();
}

/** Every range painted by a highlight of ours. */
export function paintedRanges(): AbstractRange[] {
  const registry = (window as unknown as { CSS?: { highlights?: Map<string, StandInHighlight> } }).CSS?.highlights;
  return [...(registry ?? [])].filter(([name]) => name.startsWith(HIGHLIGHT_PREFIX)).flatMap(([, h]) => [...h.ranges]);
}

/** Highlight name (without our prefix) to the texts painted in it, in the order painted. */
export function paintedTexts(): Record<string, string[]> {
  const registry = (window as unknown as { CSS?: { highlights?: Map<string, StandInHighlight> } }).CSS?.highlights;
  const out: Record<string, string[]> = {};
  for (const [name, h] of registry ?? []) {
    if (!name.startsWith(HIGHLIGHT_PREFIX) || h.ranges.size === 0) continue;
    out[name.slice(HIGHLIGHT_PREFIX.length + 1)] = [...h.ranges].map(rangeText);
  }
  return out;
}

/** Lets the MutationObserver deliver the page's changes, then runs the annotator's queued work to the end. */
export async function settle(a: Annotator): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  a.flush();
}

/** Annotators `annotateFlushed` made and `destroyAnnotators` has not destroyed yet. */
const started: Annotator[] = [];

/**
 * Starts an annotator over the document that works only when flushed (no idle callbacks in
 * tests), every entry an error, and marks what is there now.
 */
export function annotateFlushed(matcher: Matcher): Annotator {
  const a = createAnnotator({ doc: document, matcher, schedule: () => undefined, severityOf: () => 'error' });
  started.push(a);
  a.start();
  a.flush();
  return a;
}

/** Destroys every annotator `annotateFlushed` started (each test's afterEach). */
export function destroyAnnotators(): void {
  for (const a of started.splice(0)) a.destroy();
}

/**
 * [entry id, start, end] of each mark in one text node, in the text's order: the markers under
 * `root` in document order (entry ids) with the painted ranges in the node by start (offsets).
 * Throws when they do not agree: a count that differs, or a marker whose label is not the text its
 * range paints (the markers out of the text's order, which is the keyboard's).
 */
export function marksInNode(root: ParentNode, node: Text): [string, number, number][] {
  const registry = (window as unknown as { CSS?: { highlights?: Map<string, StandInHighlight> } }).CSS?.highlights;
  const ranges: AbstractRange[] = [];
  for (const [name, h] of registry ?? []) {
    if (!name.startsWith(HIGHLIGHT_PREFIX) || name.endsWith('-active') || name.endsWith('-focus')) continue;
    for (const r of h.ranges) if (r.startContainer === node) ranges.push(r);
  }
  ranges.sort((a, b) => a.startOffset - b.startOffset || a.endOffset - b.endOffset);
  const markers = markerElements(root);
  if (markers.length !== ranges.length) throw new Error(`${markers.length} markers, ${ranges.length} painted ranges`);
  return markers.map((m, i) => {
    const { startOffset: start, endOffset: end, endContainer } = ranges[i];
    const label = m.getAttribute('aria-label');
    const text = endContainer === node ? node.data.slice(start, end) : rangeText(ranges[i]);
    if (label !== text) {
      const near = (k: number) => `${k}: ${markers[k]?.getAttribute('aria-label')?.slice(0, 40)} | ${ranges[k]?.startOffset}-${ranges[k]?.endOffset} ${JSON.stringify(node.data.slice(ranges[k]?.startOffset, ranges[k]?.endOffset).slice(0, 40))}`;
      throw new Error(`marker ${i} (${m.getAttribute(MARKER_ATTR)}) says ${JSON.stringify(label)}, its range (${start}-${end}) paints ${JSON.stringify(text)}\n${[i - 2, i - 1, i, i + 1, i + 2].map(near).join('\n')}`);
    }
    return [m.getAttribute(MARKER_ATTR)!, start, end];
  });
}
