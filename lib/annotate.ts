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
import { DomInfo } from './annotate/dom-info';
import { Marks } from './annotate/marks';
import { MarkQueue, MarkRemover } from './annotate/marking';
import { PageContext } from './annotate/page-context';
import { PageWatcher } from './annotate/page-watcher';
import { RunMatching } from './annotate/run-matching';
import { RunQueue } from './annotate/run-queue';
import { ScanRoots } from './annotate/scan-roots';
import { UndoBackoff } from './annotate/undo-backoff';
import { WeakNodeSet } from './annotate/weak-table';
import { RootWalks, WorkQueue } from './annotate/work-queue';

export {
  GROUP_ATTR,
  MARKER_ATTR,
  MARKER_TAG,
  POST_SELECTOR,
  SEVERITY_ATTR,
  SKIP_SELECTOR,
  VARIANT_ATTR,
} from './annotate/dom-info';

/** The longest stretch of our work in one task, whatever the idle deadline allows. */
export const SLICE_MS = 8;

export interface IdleDeadlineLike {
  timeRemaining(): number;
  readonly didTimeout?: boolean;
}
export type Scheduler = (work: (deadline: IdleDeadlineLike) => void) => void;

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
  /** Clock (tests). */
  now?: () => number;
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
  /** Number of markers created so far. */
  readonly markerCount: number;
  /** Number of runs (text nodes of a block, joined) matched so far. */
  readonly scannedCount: number;
  /** The longest batch of work so far, in ms (bench). */
  readonly longestBatchMs: number;
}

export function defaultScheduler(win: Window & typeof globalThis): Scheduler {
  if (typeof win.requestIdleCallback === 'function') {
    return (work) => win.requestIdleCallback(work, { timeout: 1000 });
  }
  return (work) => win.setTimeout(() => work({ timeRemaining: () => 10, didTimeout: true }), 30);
}

export function createAnnotator(options: AnnotatorOptions): Annotator {
  const { doc, matcher, schedule, severityOf, onMarker, onMarkersRemoved } = options;
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  const now = options.now ?? (() => (win?.performance ?? performance).now());
  const run: Scheduler = schedule ?? (win ? defaultScheduler(win) : (work) => work({ timeRemaining: () => 10 }));
  const siteContext = () => (typeof options.pageContext === 'function' ? options.pageContext() : options.pageContext === true);

  const dom = new DomInfo();
  const marks = new Marks(doc);
  /** Page text nodes already matched in their current run (cleared when the page changes them). */
  // Every text node of the page ends up here: a WeakNodeSet, so no single table rehashes 200,000 entries.
  const scanned = new WeakNodeSet<Text>();
  const roots = new ScanRoots(dom, () => request());
  const markQueue = new MarkQueue(marks, win, now, onMarker);
  const remover = new MarkRemover(marks, scanned, (block) => roots.add(block, true), onMarkersRemoved);
  let scheduled = false;
  let stopped = true;
  let longestBatchMs = 0;
  const context = new PageContext(doc, win, siteContext, now, {
    lost: () => remover.restorePageOnly(),
    found(waiting) {
      for (const texts of waiting) {
        for (const t of texts) scanned.delete(t);
        if (texts[0]?.isConnected) enqueue(texts[0]);
      }
    },
    request: () => request(),
  });
  const backoff = new UndoBackoff(marks, now);
  const matching = new RunMatching(matcher, marks, dom, scanned, context, backoff, remover, severityOf);
  const runQueue = new RunQueue(matching, markQueue);
  const watcher = new PageWatcher(win, marks, scanned, roots, context, markQueue, remover, backoff, () => stopped);
  const walkHooks = { isOwn: (n: Node) => marks.isOwn(n), onShadowRoot: watcher.onShadowRoot };
  const queue = new WorkQueue(new RootWalks(roots, dom, walkHooks, runQueue.add), runQueue, markQueue, now);

  // ---- queueing ------------------------------------------------------------------------------

  const request = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    run((deadline) => work(deadline));
  };

  function enqueue(node: Node) {
    context.pageChanged();
    roots.add(roots.scopeOf(node), false);
  }

  function work(deadline: IdleDeadlineLike, unbounded = false) {
    scheduled = false;
    if (stopped && !unbounded) return;
    const start = now();
    // The idle deadline may allow 50 ms, or nothing once it timed out: our slice is short either way.
    const budget = unbounded ? Infinity : deadline.didTimeout ? SLICE_MS : Math.max(1, Math.min(SLICE_MS, deadline.timeRemaining()));
    // Records of page changes made before this task: handle them before touching the page.
    watcher.takePending();
    context.refresh(start, unbounded);
    markQueue.beginSlice(start + budget);
    queue.runSlice(start, budget);
    watcher.dropOwnRecords();
    markQueue.endSlice();
    longestBatchMs = Math.max(longestBatchMs, now() - start);
    if (queue.pending()) request();
  }

  const stop = () => {
    watcher.disconnect();
    stopped = true;
    queue.clear();
  };

  return {
    start() {
      stopped = false;
      context.value = context.compute();
      watcher.observe(doc.documentElement);
      if (doc.body) roots.add(doc.body, false);
    },
    stop,
    destroy() {
      stop();
      remover.restoreAll();
      scanned.clear();
    },
    enqueue(node: Node) {
      stopped = false;
      enqueue(node);
    },
    flush() {
      stopped = false;
      work({ timeRemaining: () => Infinity }, true);
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
    get markerCount() {
      return marks.created;
    },
    get scannedCount() {
      return matching.scannedCount;
    },
    get longestBatchMs() {
      return longestBatchMs;
    },
  };
}
