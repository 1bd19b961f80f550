/**
 * The annotator's parts, built and wired to one another; lib/annotate.ts gives them their public
 * face. Who does what: ScanRoots, RootWalks, RunQueue and WorkQueue hold the work to do and its
 * order; SlicedWork runs it in short idle-time slices; RunIntake and RunMatching match runs;
 * MarkQueue and MarkRemover put markers in and take them out; PageContext and PageWatcher follow
 * the page.
 */
import type { AnnotatorOptions } from '../annotate';
import { DomInfo } from './dom-info';
import { MarkQueue, MarkRemover } from './marking';
import { Marks } from './marks';
import { PageContext } from './page-context';
import { PageWatcher } from './page-watcher';
import { RunIntake, RunMatching } from './run-matching';
import { RunQueue } from './run-queue';
import { ScanRoots } from './scan-roots';
import { defaultScheduler, SlicedWork, type Scheduler } from './slices';
import { UndoBackoff } from './undo-backoff';
import { WeakNodeSet } from './weak-table';
import { WholeBlocks } from './whole-blocks';
import { RootWalks, WorkQueue } from './work-queue';

export function buildAnnotatorParts(options: AnnotatorOptions) {
  const { doc, matcher, onMarker, onMarkersRemoved } = options;
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  // The clock is read at every step of the work: the window's `performance` is looked up once
  // (from a content script's world each lookup crosses into the page's window object).
  const perf = win?.performance ?? performance;
  const now = options.now ?? (() => perf.now());
  const schedule: Scheduler = options.schedule ?? (win ? defaultScheduler(win) : (work) => work({ timeRemaining: () => 10 }));
  const siteContext = () => (typeof options.pageContext === 'function' ? options.pageContext() : options.pageContext === true);

  const dom = new DomInfo();
  const marks = new Marks(doc);
  /** Page text nodes already matched in their current run (cleared when the page changes them). */
  // Every text node of the page ends up here: a WeakNodeSet, so no single table rehashes 200,000 entries.
  const scanned = new WeakNodeSet<Text>();
  const roots = new ScanRoots(dom, () => work.request());
  const markQueue = new MarkQueue(marks, win, now, onMarker);
  const remover = new MarkRemover(marks, scanned, (block) => roots.add(block, true), onMarkersRemoved);
  const context = new PageContext(doc, win, siteContext, now, {
    lost: () => remover.restoreFoundWithPageContext(),
    found(waiting) {
      for (const texts of waiting) {
        for (const t of texts) scanned.delete(t);
        if (texts[0]?.isConnected) enqueue(texts[0]);
      }
    },
    request: () => work.request(),
  });
  const backoff = new UndoBackoff(marks, now);
  const intake = new RunIntake(marks, dom, scanned, backoff, remover);
  const runQueue = new RunQueue(intake, new RunMatching(matcher, context, options.severityOf), markQueue);
  const watcher = new PageWatcher(win, marks, scanned, roots, context, markQueue, remover, backoff, () => work.stopped);
  const wholes = new WholeBlocks(matcher, (block) => roots.add(block, false), options.wholeBlocksAfter);
  const hooks = { isOwn: (n: Node) => marks.isOwn(n), onShadowRoot: watcher.onShadowRoot, readWhole: (block: Element) => wholes.read(block) };
  const walks = new RootWalks(roots, dom, hooks, runQueue.add, wholes);
  const work: SlicedWork = new SlicedWork(schedule, now, watcher, context, markQueue, new WorkQueue(walks, runQueue, wholes, markQueue, now), options.onSettled);
  /** A change at `node`: its block is scanned again, and the page context looked at again. */
  const enqueue = (node: Node) => {
    context.pageChanged();
    roots.add(roots.scopeOf(node), false);
  };
  return { marks, scanned, roots, context, remover, watcher, intake, work, enqueue };
}
