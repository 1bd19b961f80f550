/**
 * Finds IBKR API errors in a page's text and marks each mention: a marker element carrying
 * `data-ibkr-error="<entry id>"` (a public contract; see docs/marking.md) goes in the
 * page right after the mention's text, its box over the mention's start, and the text itself is
 * painted with the CSS Custom Highlight API. The page's text nodes are never split, moved, cloned
 * or written, so the page's text is always exactly what the page wrote (docs/page-integrity.md).
 *
 * - Text is matched per run: the inline text of one block between block boundaries, joined
 *   across inline elements (highlighter spans, `<br>`), so a split mention is found; the match is
 *   mapped back to its text nodes (lib/textmap.ts).
 * - Work happens in idle time in slices of at most SLICE_MS, whatever the idle deadline says;
 *   big texts are matched a chunk at a time; every walk is linear in the number of nodes.
 * - A MutationObserver per tree (the document and each open shadow root) feeds changed blocks
 *   back in; a block is rescanned as a whole, and only runs that changed are matched again.
 * - A page that keeps undoing our markers is left alone after a few tries (per element).
 * Page text is only read, never parsed: nothing is ever inserted as HTML.
 */
import type { Match } from './matcher';
import { buildAnnotatorParts, type AnnotatorOptions } from './annotate/parts';
import { firstRectOf, linkOf, markAt, markerInLink, type EventTargets } from './annotate/mark-lookup';
import type { MarkPaint } from './annotate/mark-paint';
import type { MarkStore } from './annotate/mark-store';
import { listenOnPage } from './page-listeners';

export type { AnnotatorOptions } from './annotate/parts';
export { MARKER_ATTR, MARKER_TAG, POST_SELECTOR, SEVERITY_ATTR, SKIP_SELECTOR, VARIANT_ATTR, type ShadowRootOf } from './annotate/dom-info';
export { HIGHLIGHT_PREFIX } from './annotate/mark-paint';
export { defaultScheduler, messageContinuation, SLICE_MS, type Continuation, type IdleDeadlineLike, type Scheduler } from './annotate/slices';

export interface Annotator {
  /** Queues the body for scanning and starts observing changes. */
  start(): void;
  /** Stops observing and drops queued work; markers stay. */
  stop(): void;
  /** Stops, and takes every mark away: markers and paint leave the page. */
  destroy(): void;
  /** Queues a subtree (or text node) for scanning; its block is scanned as a whole. */
  enqueue(node: Node): void;
  /** Scans everything queued now, ignoring idle deadlines (tests, explicit requests). */
  flush(): void;
  /**
   * The page navigated (pushState, popstate): page context is computed again, marks that only
   * the old page's context justified are taken away, and the page is scanned again.
   */
  resetContext(): void;
  /** True only for a marker this annotator made and still owns (not a page-forged look-alike). */
  isOwnMarker(el: Element): boolean;
  /** The match a marker stands for, from the annotator's own record (never the marker's attributes). */
  matchOf(marker: Element): Match | undefined;
  /** The markers of the mention a marker stands for: itself, when it is ours (one marker per mention). */
  groupOf(marker: Element): HTMLElement[];
  /** The marker of the first mention in a link (the marker may stand after the link: docs/page-integrity.md). */
  markerInLink(link: Element): HTMLElement | null;
  /** The link a marker's mention starts in, or null. */
  linkOf(marker: Element): HTMLElement | null;
  /** The innermost node an event happened at, inside the closed shadow roots the annotator reads too. */
  targetOf(e: Event): EventTarget | null;
  /** The marker of the mention under viewport point (x, y); `target`: the pointer event's innermost node. */
  markerAt(x: number, y: number, target: Node | null): HTMLElement | null;
  /** Where a marker's mention starts on screen (its first line of text), for placing its card. */
  rectOf(marker: Element): DOMRect;
  /** Paints a marker's mention as the one whose card is open (or not any more). */
  setActive(marker: Element, active: boolean): void;
  /** The distinct entry ids marked now, in the order their first marks were made. */
  entryIds(): string[];
  /** Reads now, in the usual slices, the parts of the page left for when they come near (`nearFirst`). */
  readAll(): void;
  /** True when no work is queued, asked for, or waiting on a timer, and every marker is placed. */
  readonly settled: boolean;
  /** Number of markers created so far. */
  readonly markerCount: number;
  /** Number of runs (text nodes of a block, joined) matched so far. */
  readonly scannedCount: number;
  /** The longest batch of work so far, in ms (bench). */
  readonly longestBatchMs: number;
}

/**
 * A marker is a 2-pixel bar, too thin for a focus ring: its mention is painted as focused instead.
 * Returns the function that stops it.
 */
function paintFocus(doc: Document, store: MarkStore, paint: MarkPaint, targets: EventTargets): () => void {
  const onFocus = (e: Event) => {
    const target = targets.of(e);
    const mark = target ? store.markOf(target as Element) : undefined;
    if (mark) paint.setFocused(mark, e.type === 'focusin');
  };
  return listenOnPage(doc, [
    [doc, 'focusin', onFocus, true],
    [doc, 'focusout', onFocus, true],
  ]);
}

/** What the card asks of the annotator about a marker or an event: answered from its own record. */
function markLookups(doc: Document, store: MarkStore, paint: MarkPaint, targets: EventTargets): Pick<Annotator, 'isOwnMarker' | 'matchOf' | 'groupOf' | 'targetOf' | 'markerAt' | 'markerInLink' | 'linkOf' | 'rectOf' | 'setActive'> {
  return {
    isOwnMarker: (el) => store.markOf(el) !== undefined,
    matchOf: (marker) => store.markOf(marker)?.match,
    groupOf(marker) {
      const mark = store.markOf(marker);
      return mark ? [mark.marker] : [];
    },
    targetOf: (e) => targets.of(e),
    markerAt: (x, y, target) => markAt(doc, store, paint, x, y, target)?.marker ?? null,
    markerInLink: (link) => markerInLink(doc, store, link),
    linkOf: (marker) => linkOf(store, marker),
    rectOf(marker) {
      const mark = store.markOf(marker);
      return mark ? firstRectOf(mark, paint) : marker.getBoundingClientRect();
    },
    setActive(marker, active) {
      const mark = store.markOf(marker);
      if (mark) paint.setActive(mark, active);
    },
  };
}

export function createAnnotator(options: AnnotatorOptions): Annotator {
  const { doc } = options;
  const { store, paint, geometry, matched, roots, context, removal, watcher, intake, work, enqueue, isSettled, targets } = buildAnnotatorParts(options);

  let unlisten: (() => void) | null = null;

  return {
    start() {
      work.stopped = false;
      context.set(context.compute());
      // The document, not its element: a page that replaces <html> or rewrites itself with
      // document.open() keeps the Document, and its new content is seen.
      watcher.observe(doc);
      unlisten ??= paintFocus(doc, store, paint, targets);
      if (doc.body) roots.add(doc.body, false);
    },
    stop() {
      work.stop();
    },
    destroy() {
      work.stop();
      unlisten?.();
      unlisten = null;
      removal.removeAll();
      geometry?.disconnect();
      matched.clear();
    },
    enqueue(node: Node) {
      work.stopped = false;
      enqueue(node);
    },
    flush() {
      work.stopped = false;
      work.run({ timeRemaining: () => Infinity }, true);
    },
    resetContext() {
      // The page's changes made in the task that navigated (a body replaced, then pushState) are
      // read first: dropped with our own, their marks would stay counted on content that is gone.
      watcher.takePending();
      context.navigated();
      watcher.dropOwnRecords();
      if (doc.body) roots.add(doc.body, false);
    },
    ...markLookups(doc, store, paint, targets),
    readAll: () => geometry?.releaseUnits(),
    entryIds() {
      const ids = new Set<string>();
      for (const mark of store.marks.values()) ids.add(mark.match.entryId);
      return [...ids];
    },
    get settled() {
      return isSettled();
    },
    get markerCount() {
      return store.created;
    },
    get scannedCount() {
      return intake.scannedCount;
    },
    get longestBatchMs() {
      return work.longestBatchMs;
    },
  };
}
