/**
 * Finds IBKR API errors in a page's text and marks each mention with marker elements carrying
 * `data-ibkr-error="<entry id>"` (a public contract; see README, "What gets marked").
 *
 * - Text is matched per run: the inline text of one block between block boundaries, joined
 *   across inline elements (highlighter spans, `<br>`), so a split mention is found; the
 *   match is mapped back to its text nodes (lib/textmap.ts) and each piece gets a marker.
 * - Only the page's text nodes are split, never moved or cloned, and the page's text is always
 *   given back exactly when the page writes or removes a node we marked (lib/annotate/marks.ts).
 * - Work happens in idle time in slices of at most SLICE_MS, whatever the idle deadline says;
 *   big texts are matched a chunk at a time; every walk is linear in the number of nodes.
 * - A MutationObserver per tree (the document and each open shadow root) feeds changed blocks
 *   back in; a block is rescanned as a whole, and only runs that changed are matched again.
 * - A page that keeps undoing our markers is left alone after a few tries (per element).
 * Page text is moved, never re-parsed: nothing is ever inserted as HTML.
 */
import type { Match, Matcher } from './matcher';
import { buildAnnotatorParts } from './annotate/parts';
import type { Scheduler } from './annotate/slices';

export {
  GROUP_ATTR,
  MARKER_ATTR,
  MARKER_TAG,
  POST_SELECTOR,
  SEVERITY_ATTR,
  SKIP_SELECTOR,
  VARIANT_ATTR,
} from './annotate/dom-info';
export { defaultScheduler, SLICE_MS, type IdleDeadlineLike, type Scheduler } from './annotate/slices';

export interface AnnotatorOptions {
  doc: Document;
  matcher: Matcher;
  /**
   * Site-level IBKR context (for example IBKR's own sites), fixed or asked again on navigation.
   * Otherwise page context comes from the URL, the title and the main heading.
   */
  pageContext?: boolean | (() => boolean);
  /** Runs a batch of work; defaults to requestIdleCallback. */
  schedule?: Scheduler;
  /** The severity of an entry, written on its markers as `data-ibkr-severity`. */
  severityOf?: (entryId: string) => string | null | undefined;
  /** Called with each marker created. */
  onMarker?: (marker: HTMLElement) => void;
  /** Called with markers taken away (page change, navigation, teardown). */
  onMarkersRemoved?: (markers: HTMLElement[]) => void;
  /**
   * Told whenever the annotator goes from having work (queued, asked for, or waiting on a timer)
   * to having none, and back: the test build's "scan settled" signal (lib/test-hooks.ts).
   */
  onSettled?: (settled: boolean) => void;
  /** Clock (tests). */
  now?: () => number;
  /**
   * Nodes walked before plain blocks are read whole rather than node by node (big pages; see
   * lib/annotate/whole-blocks.ts). Tests set it to compare both ways on one page.
   */
  wholeBlocksAfter?: number;
}

export interface Annotator {
  /** Queues the body for scanning and starts observing changes. */
  start(): void;
  /** Stops observing and drops queued work; markers stay. */
  stop(): void;
  /** Stops, and takes every marker away: the page's text nodes hold their own text again. */
  destroy(): void;
  /** Queues a subtree (or text node) for scanning; its block is scanned as a whole. */
  enqueue(node: Node): void;
  /** Scans everything queued now, ignoring idle deadlines (tests, explicit requests). */
  flush(): void;
  /**
   * The page navigated (pushState, popstate): page context is computed again, markers that only
   * the old page's context justified are taken away, and the page is scanned again.
   */
  resetContext(): void;
  /** True only for a marker this annotator made and still owns (not a page-forged look-alike). */
  isOwnMarker(el: Element): boolean;
  /** The match a marker (any piece) stands for. */
  matchOf(marker: Element): Match | undefined;
  /** All pieces of the mention a marker belongs to, in document order (the first is focusable). */
  groupOf(marker: Element): HTMLElement[];
  /** True when no work is queued, asked for, or waiting on a timer. */
  readonly settled: boolean;
  /** Number of markers created so far. */
  readonly markerCount: number;
  /** Number of runs (text nodes of a block, joined) matched so far. */
  readonly scannedCount: number;
  /** The longest batch of work so far, in ms (bench). */
  readonly longestBatchMs: number;
}

export function createAnnotator(options: AnnotatorOptions): Annotator {
  const { doc } = options;
  const { marks, scanned, roots, context, remover, watcher, intake, work, enqueue } = buildAnnotatorParts(options);

  return {
    start() {
      work.stopped = false;
      context.value = context.compute();
      watcher.observe(doc.documentElement);
      if (doc.body) roots.add(doc.body, false);
    },
    stop() {
      work.stop();
    },
    destroy() {
      work.stop();
      remover.restoreAll();
      scanned.clear();
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
      context.navigated();
      watcher.dropOwnRecords();
      if (doc.body) roots.add(doc.body, false);
    },
    isOwnMarker(el: Element) {
      return marks.ownGroupOf(el) !== undefined;
    },
    matchOf(marker: Element) {
      return marks.ownGroupOf(marker)?.match;
    },
    groupOf(marker: Element) {
      const g = marks.ownGroupOf(marker);
      return g ? [...g.markers] : [];
    },
    get settled() {
      return work.isSettled;
    },
    get markerCount() {
      return marks.created;
    },
    get scannedCount() {
      return intake.scannedCount;
    },
    get longestBatchMs() {
      return work.longestBatchMs;
    },
  };
}
