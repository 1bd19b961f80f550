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
import { DomInfo, isBlockElement } from './annotate/dom-info';
import { readChanges } from './annotate/changes';
import { Marks } from './annotate/marks';
import { MarkQueue, MarkRemover } from './annotate/marking';
import { PageContext } from './annotate/page-context';
import { RunMatching, type RunJob } from './annotate/run-matching';
import { UndoBackoff } from './annotate/undo-backoff';
import { RunWalker, type Run } from './annotate/walker';
import { WeakNodeSet } from './annotate/weak-table';

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
/** Runs up to this long are matched in batches (lib/annotate/batch.ts), up to BATCH_CHARS at once. */
const SMALL_RUN = 2_000;
const BATCH_CHARS = 6_000;
/** Nodes walked between two looks at the clock. */
const WALK_STEP = 256;

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
  /** Roots waiting to be walked: true = shallow (the block's own runs only). */
  const roots = new Map<Node, boolean>();
  let walker: RunWalker | null = null;
  let runs: Run[] = [];
  let runHead = 0;
  let job: RunJob | null = null;
  /** Short runs waiting to be matched together, and runs found to need matching on their own. */
  let small: RunJob[] = [];
  let smallChars = 0;
  let jobs: RunJob[] = [];
  const markQueue = new MarkQueue(marks, win, now, onMarker);
  const remover = new MarkRemover(marks, scanned, (block) => enqueueRoot(block, true), onMarkersRemoved);
  let scheduled = false;
  let stopped = true;
  const observers = new Map<Node, MutationObserver>();
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

  // ---- queueing ------------------------------------------------------------------------------

  const request = () => {
    if (scheduled || stopped) return;
    scheduled = true;
    run((deadline) => work(deadline));
  };

  const enqueueRoot = (root: Node, shallow: boolean) => {
    if (!root.isConnected) return;
    const known = roots.get(root);
    if (known === undefined || (known && !shallow)) roots.set(root, shallow);
    request();
  };

  /** The scope to scan for a change at `node`: its block (or its tree's root), as a whole. */
  const scopeOf = (node: Node): Node => {
    if (node.nodeType === 1 && isBlockElement(node as Element)) return node;
    const block = dom.blockOf(node);
    const tree = node.getRootNode();
    return block && block.getRootNode() === tree ? block : tree.nodeType === 9 ? ((tree as Document).body ?? tree) : tree;
  };

  function enqueue(node: Node) {
    context.pageChanged();
    enqueueRoot(scopeOf(node), false);
  }

  const observe = (root: Node) => {
    if (observers.has(root) || !win?.MutationObserver) return;
    const observer = new win.MutationObserver(onMutations);
    observer.observe(root, { childList: true, subtree: true, characterData: true });
    observers.set(root, observer);
  };

  /** Our own DOM changes are not page changes: their records are dropped. */
  const dropOwnRecords = () => {
    for (const o of observers.values()) o.takeRecords();
  };

  // ---- page changes --------------------------------------------------------------------------

  function onMutations(records: MutationRecord[]) {
    if (records.length === 0 || stopped) return;
    context.pageChanged(true);
    const changes = readChanges(records, marks, markQueue.markedInTurn);
    for (const t of changes.changedTexts) scanned.delete(t);
    // A framework's update is often thousands of records under a few parents: one scope each.
    const scopes = new Map<Node, Node>();
    for (const [node, shallow] of changes.rescan) {
      const key = node.nodeType === 3 ? (node.parentNode ?? node) : node;
      let scope = scopes.get(key);
      if (!scope) scopes.set(key, (scope = scopeOf(key)));
      enqueueRoot(scope, shallow);
    }
    for (const at of changes.undoneAt) backoff.count(at, changes.restore);
    remover.restoreAndRequeue(changes.restore, changes.written);
    dropOwnRecords();
  }


  /** Matches the waiting short runs together; those with a candidate are matched on their own. */
  const matchSmall = () => {
    const batch = small;
    small = [];
    smallChars = 0;
    matching.pickCandidates(batch, jobs);
  };

  // ---- the work loop -------------------------------------------------------------------------

  const matchingPending = () => job !== null || jobs.length > 0 || small.length > 0 || runHead < runs.length || walker !== null || roots.size > 0;
  const pending = () => matchingPending() || markQueue.size > 0;

  const step = () => {
    if (markQueue.size > 0 && (markQueue.isDue() || !matchingPending())) {
      markQueue.apply();
    } else if (job) {
      if (job.cursor < job.map.text.length) matching.matchChunk(job);
      else {
        const specs = matching.marksFor(job);
        if (specs) markQueue.add(job, specs);
        job = null;
      }
    } else if (jobs.length > 0) {
      job = jobs.shift()!;
    } else if (runHead < runs.length) {
      const j = matching.prepare(runs[runHead++]);
      if (runHead === runs.length) {
        runs = [];
        runHead = 0;
      }
      if (j && j.map.text.length <= SMALL_RUN) {
        small.push(j);
        smallChars += j.map.text.length;
        if (smallChars >= BATCH_CHARS) matchSmall();
      } else if (j) jobs.push(j);
    } else if (small.length > 0) {
      matchSmall();
    } else if (walker) {
      walker.step(WALK_STEP, (r) => runs.push(r));
      if (walker.done) {
        if (!walker.valid && walker.root.isConnected) roots.set(walker.root, false);
        walker = null;
      }
    } else {
      const [root, shallow] = roots.entries().next().value as [Node, boolean];
      roots.delete(root);
      if (!root.isConnected) return;
      if (root.nodeType === 1 && dom.isSkipped((root as Element).parentElement)) return;
      walker = new RunWalker(root, shallow, dom, {
        isOwn: (n) => marks.isOwn(n),
        onShadowRoot: (sr) => {
          if (observers.has(sr)) return;
          observe(sr);
          enqueueRoot(sr, false);
        },
      });
    }
  };

  function work(deadline: IdleDeadlineLike, unbounded = false) {
    scheduled = false;
    if (stopped && !unbounded) return;
    const start = now();
    // The idle deadline may allow 50 ms, or nothing once it timed out: our slice is short either way.
    const budget = unbounded ? Infinity : deadline.didTimeout ? SLICE_MS : Math.max(1, Math.min(SLICE_MS, deadline.timeRemaining()));
    // Records of page changes made before this task: handle them before touching the page.
    for (const o of observers.values()) onMutations(o.takeRecords());
    context.refresh(start, unbounded);
    markQueue.beginSlice(start + budget);
    while (pending() && now() - start < budget) step();
    dropOwnRecords();
    markQueue.endSlice();
    longestBatchMs = Math.max(longestBatchMs, now() - start);
    if (pending()) request();
  }

  const stop = () => {
    for (const o of observers.values()) o.disconnect();
    observers.clear();
    stopped = true;
    roots.clear();
    walker = null;
    runs = [];
    runHead = 0;
    job = null;
    small = [];
    smallChars = 0;
    jobs = [];
    markQueue.clear();
  };

  return {
    start() {
      stopped = false;
      context.value = context.compute();
      observe(doc.documentElement);
      if (doc.body) enqueueRoot(doc.body, false);
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
      dropOwnRecords();
      if (doc.body) enqueueRoot(doc.body, false);
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
