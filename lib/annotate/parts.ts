/**
 * The annotator's parts, built and wired to one another; lib/annotate.ts gives them their public
 * face. Who does what: ScanRoots, RootWalks, RunQueue and WorkQueue hold the work to do and its
 * order; SlicedWork runs it in short idle-time slices; RunIntake and RunMatching match runs;
 * MarkQueue marks what was matched (MarkStore records the marks, MarkerFactory makes their marker
 * elements, MarkPaint paints their text, MarkerGeometry puts each marker's box over its mention)
 * and MarkRemoval takes marks away; PageContext and PageWatcher follow the page, TextStreams and
 * BlockStreams the text nodes and huge blocks it streams lines into.
 */
import type { Matcher } from '../matcher';
import { DomInfo, openShadowRoot, type ShadowRootOf } from './dom-info';
import { FarUnits } from './far-units';
import { HugeBlocks, type HugeBlockHooks } from './huge-blocks';
import { EventTargets } from './mark-lookup';
import { MarkPaint } from './mark-paint';
import { MarkQueue } from './mark-queue';
import { MarkRemoval } from './mark-removal';
import { MarkStore } from './mark-store';
import { MarkerFactory } from './marker-elements';
import { MarkerGeometry } from './marker-geometry';
import { PageContext } from './page-context';
import { PageWatcher } from './page-watcher';
import { RunIntake, RunMatching } from './run-matching';
import { RunQueue } from './run-queue';
import { ScanRoots } from './scan-roots';
import { defaultScheduler, messageContinuation, SlicedWork, type Continuation, type Scheduler } from './slices';
import { MatchedRuns } from './matched-runs';
import { TextStreams } from './text-streams';
import { BlockStreams } from './block-streams';
import { UndoBackoff } from './undo-backoff';
import { WholeBlocks } from './whole-blocks';
import { RootWalks, WorkQueue } from './work-queue';

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
  /**
   * Runs the next batch in a task of its own while an idle period lasts; defaults to a
   * MessageChannel with the default `schedule`, none with another (tests step batches themselves).
   */
  continueWork?: Continuation;
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
  /** The `::highlight()` rules that paint marks, for shadow roots (assets/marker.css). */
  highlightCss?: string;
  /**
   * An element's shadow root, closed ones too: the content script passes the browser's reader for
   * extensions. Defaults to `shadowRoot` (open roots only).
   */
  shadowRootOf?: ShadowRootOf;
  /**
   * Whether the document is laid out, so that each marker's box can be put over its mention (on
   * by default). A DOM without layout (an emulator in unit tests) never reports one: there, markers
   * stay where they are and there is nothing to wait for.
   */
  measure?: boolean;
  /** Clock (tests). */
  now?: () => number;
  /**
   * Nodes walked before plain blocks are read whole rather than node by node (big pages; see
   * lib/annotate/whole-blocks.ts). Tests set it to compare both ways on one page.
   */
  wholeBlocksAfter?: number;
  /**
   * Elements in a block, where a walk cut a run for its length, from which the rest is read
   * without visiting each node (see lib/annotate/huge-blocks.ts). Tests set it to compare both ways.
   */
  hugeBlockElements?: number;
  /**
   * The page's containers (a site's unit, else a post) far from the viewport are read when they
   * come near (lib/annotate/far-units.ts); off by default, and only where the page is laid out.
   */
  nearFirst?: boolean;
}

/** What a huge block's job asks of the other parts (lib/annotate/huge-blocks.ts). */
function hugeBlockHooks(store: MarkStore, roots: ScanRoots, blocks: BlockStreams): HugeBlockHooks {
  return {
    isOwn: (n) => store.isMarker(n),
    markedIn: (block, pass) => store.firstTextsIn(block, pass),
    isQueued: (block) => roots.has(block),
    walkAgain: (block) => roots.again(block),
    reading: (block) => blocks.reading(block),
    readInFull: (block, pass) => blocks.follow(block, pass),
  };
}

/**
 * The reader the walk asks for a custom element's shadow root, and where events are looked for:
 * in the closed roots that reader gave the walk, kept by host (no reader call per event).
 */
function shadowReaders(shadowRootOf: ShadowRootOf) {
  const closedRoots = new WeakMap<Element, ShadowRoot>();
  const walkedRootOf: ShadowRootOf = (el) => {
    const root = shadowRootOf(el);
    if (root?.mode === 'closed') closedRoots.set(el, root);
    return root;
  };
  return { walkedRootOf, targets: new EventTargets((el) => el.shadowRoot ?? closedRoots.get(el) ?? null) };
}

export function buildAnnotatorParts(options: AnnotatorOptions) {
  const { doc, matcher, onMarker, onMarkersRemoved } = options;
  const shadowRootOf = options.shadowRootOf ?? openShadowRoot;
  const { walkedRootOf, targets } = shadowReaders(shadowRootOf);
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  // The clock is read at every step of the work: the window's `performance` is looked up once
  // (from a content script's world each lookup crosses into the page's window object).
  const perf = win?.performance ?? performance;
  const now = options.now ?? (() => perf.now());
  const schedule: Scheduler = options.schedule ?? (win ? defaultScheduler(win) : (work) => work({ timeRemaining: () => 10 }));
  const continueWork = options.continueWork ?? (!options.schedule && win?.MessageChannel ? messageContinuation(win) : undefined);
  const siteContext = () => (typeof options.pageContext === 'function' ? options.pageContext() : options.pageContext === true);

  const dom = new DomInfo();
  const store = new MarkStore();
  const paint = new MarkPaint(doc, options.highlightCss);
  // Its measuring counts as the annotator's work: settled only once every marker is placed.
  const geometry = win && options.measure !== false ? new MarkerGeometry(doc, now, () => tellSettled()) : null;
  const matched = new MatchedRuns();
  const roots = new ScanRoots(dom, () => work.request());
  const markQueue = new MarkQueue(store, new MarkerFactory(doc, geometry !== null, shadowRootOf), paint, geometry, win, now, onMarker);
  const removal = new MarkRemoval(store, paint, geometry, matched, (block) => roots.add(block, true), onMarkersRemoved);
  /** Runs (their first text nodes) matched again: context they waited for came. */
  const matchAgain = (texts: readonly (Text | undefined)[]) => {
    for (const t of texts) {
      if (!t?.isConnected) continue;
      matched.matchAgain(t);
      enqueue(t);
    }
  };
  const context = new PageContext(doc, win, siteContext, now, {
    lost: () => removal.removeFoundWithPageContext(),
    found: (waiting) => matchAgain(waiting.map((texts) => texts.find((t) => t.isConnected))),
    request: () => work.request(),
  });
  const backoff = new UndoBackoff(store, now);
  const streams = new TextStreams(store, paint, removal, matched, backoff, (map, block, info) => {
    runQueue.addText(map, block, info);
    work.request();
  });
  const intake = new RunIntake(store, matched, backoff, removal, streams);
  const blocks = new BlockStreams(store, removal, dom, (run) => (runQueue.add(run), work.request()), {
    matchAgain,
    removeAndRequeue: (marks) => removal.removeAndRequeue(marks),
  });
  const runQueue = new RunQueue(intake, new RunMatching(matcher, context, options.severityOf, (block, map) => blocks.lacked(block, map)), markQueue);
  const streamEdits = [streams, blocks];
  const watcher = new PageWatcher(win, store, matched, roots, context, markQueue, removal, backoff, geometry, streamEdits, () => work.stopped);
  const wholes = new WholeBlocks(matcher, (block) => roots.add(block, false), options.wholeBlocksAfter);
  const isOwn = (n: Node) => store.isMarker(n);
  const huge = new HugeBlocks(matcher, dom, hugeBlockHooks(store, roots, blocks), runQueue.add, options.hugeBlockElements);
  const farUnits = options.nearFirst && geometry?.canWaitForUnits ? new FarUnits(doc, dom, geometry, (unit) => roots.add(unit, false)) : null;
  const hooks = {
    isOwn,
    onShadowRoot: watcher.onShadowRoot,
    shadowRootOf: walkedRootOf,
    readWhole: (block: Element) => wholes.read(block),
    readRest: (block: Element, last: Text, pass: object) => huge.take(block, last, pass),
    leaveUnit: farUnits ? (unit: Element) => farUnits.leave(unit) : undefined,
  };
  const walks = new RootWalks(roots, dom, hooks, runQueue.add, wholes, huge, farUnits);
  const queue = new WorkQueue(walks, runQueue, wholes, markQueue, streamEdits, now);
  const work: SlicedWork = new SlicedWork(schedule, now, watcher, context, markQueue, queue, () => tellSettled(), continueWork);
  /** Settled: no work queued or asked for, and no marker waiting to be placed. */
  const isSettled = () => work.isSettled && (geometry?.isSettled ?? true);
  let settled = true;
  const tellSettled = () => {
    if (isSettled() === settled) return;
    settled = !settled;
    options.onSettled?.(settled);
  };
  /** A change at `node`: its block is scanned again, and the page context looked at again. */
  const enqueue = (node: Node) => {
    context.pageChanged();
    const scope = roots.scopeOf(node);
    if (scope) roots.add(scope, false);
  };
  return { store, paint, geometry, matched, roots, context, removal, watcher, intake, work, enqueue, isSettled, targets };
}
