/**
 * Reacting to the page's changes. A MutationObserver per tree (the document and each open shadow
 * root) feeds changed blocks back in to be scanned again; marks whose text the page wrote or
 * removed are taken away at once, before the next paint (lib/annotate/changes.ts reads what the
 * records mean), and a page that keeps undoing our markers is left alone there
 * (lib/annotate/undo-backoff.ts).
 */
import { readChanges } from './changes';
import type { MarkQueue } from './mark-queue';
import type { MarkRemoval } from './mark-removal';
import type { MarkStore } from './mark-store';
import { markersWrittenPast, moveMarkersOn } from './marker-moves';
import type { MarkerGeometry } from './marker-geometry';
import type { MatchedRuns } from './matched-runs';
import type { PageContext } from './page-context';
import type { ScanRoots } from './scan-roots';
import type { UndoBackoff } from './undo-backoff';

/** Reads the page's stream edits (lib/annotate/text-streams.ts, block-streams.ts): returns the records left to read the usual way. */
export interface StreamEdits {
  take(records: MutationRecord[]): MutationRecord[];
  clear(): void;
}

/** `characterDataOldValue`: a page that writes back the very text we marked is undoing our marks (lib/annotate/changes.ts). */
const OBSERVED: MutationObserverInit = { childList: true, subtree: true, characterData: true, characterDataOldValue: true };

export class PageWatcher {
  private readonly observers = new Map<Node, MutationObserver>();

  constructor(
    private readonly win: (Window & typeof globalThis) | null,
    private readonly store: MarkStore,
    private readonly matched: MatchedRuns,
    private readonly roots: ScanRoots,
    private readonly context: PageContext,
    private readonly markQueue: MarkQueue,
    private readonly removal: MarkRemoval,
    private readonly backoff: UndoBackoff,
    private readonly geometry: MarkerGeometry | null,
    /** What a page streams into a text node or a huge block is read there first. */
    private readonly streams: readonly StreamEdits[],
    private readonly isStopped: () => boolean,
  ) {}

  observe(root: Node): void {
    if (this.observers.has(root) || !this.win?.MutationObserver) return;
    const observer = new this.win.MutationObserver(this.onMutations);
    observer.observe(root, OBSERVED);
    this.observers.set(root, observer);
  }

  /**
   * An open shadow root met on a walk: observed, scanned as a root of its own, and its scrolls and
   * CSS motion ends heard (they never reach the window) while it is observed.
   */
  readonly onShadowRoot = (sr: ShadowRoot): void => {
    if (this.observers.has(sr)) return;
    this.observe(sr);
    this.geometry?.listenInShadowRoot(sr);
    this.roots.add(sr, false);
  };

  /** Handles the records of page changes made before this task (before we touch the page). */
  takePending(): void {
    for (const o of this.observers.values()) this.onMutations(o.takeRecords());
  }

  /**
   * For a slice of our own work: the page's changes made before it are handled, then nothing is
   * observed until `resume`, so the browser makes no record of our own changes at all (marking
   * one mention is three or four of them; made and thrown away, they were a tenth of a scan).
   * Nothing else runs meanwhile: no page change can be missed.
   */
  pause(): void {
    this.takePending();
    for (const o of this.observers.values()) o.disconnect();
  }

  /** Observes again after a slice (a shadow root met during it is observed already: its records are ours). */
  resume(): void {
    for (const [root, o] of this.observers) {
      o.takeRecords();
      o.observe(root, OBSERVED);
    }
  }

  /** Our own DOM changes are not page changes: their records are dropped. */
  dropOwnRecords(): void {
    for (const o of this.observers.values()) o.takeRecords();
  }

  disconnect(): void {
    for (const [root, o] of this.observers) {
      o.disconnect();
      if (root.nodeType === 11) this.geometry?.stopListeningInShadowRoot(root as ShadowRoot);
    }
    this.observers.clear();
  }

  /** Moves on the markers the page wrote past; they are measured afresh where they stand now. */
  private moveOn(writtenPast: Element[]): void {
    const moved = moveMarkersOn(writtenPast, this.store, this.win!);
    if (moved.length === 0 || !this.geometry) return;
    this.geometry.forget(moved);
    this.geometry.add(moved);
  }

  private readonly onMutations = (records: MutationRecord[]): void => {
    if (records.length === 0 || this.isStopped()) return;
    const { roots } = this;
    const writtenPast = markersWrittenPast(records, this.store);
    this.context.pageChanged(true);
    this.markQueue.pageChanged();
    // A log streaming into a text node or a huge block: only what it appended is matched.
    let rest = records;
    for (const s of this.streams) rest = s.take(rest);
    const changes = readChanges(rest, this.store, this.markQueue.markedInTurn);
    for (const t of changes.changedTexts) this.matched.matchAgain(t);
    // A framework's update is often thousands of records under a few parents: one scope each.
    const scopes = new Map<Node, Node | null>();
    for (const [node, shallow] of changes.rescan) {
      const key = node.nodeType === 3 ? (node.parentNode ?? node) : node;
      let scope = scopes.get(key);
      if (scope === undefined) scopes.set(key, (scope = roots.scopeOf(key)));
      if (scope) roots.add(scope, shallow);
    }
    for (const at of changes.undoneAt) this.backoff.count(at, changes.remove);
    this.removal.removeAndRequeue(changes.remove);
    for (const copy of changes.copies) copy.remove();
    const targets = records.map((r) => r.target);
    // Markers the page wrote past go on to where they add no line break to innerText (our own
    // moves' records are dropped below: they are no page change).
    if (writtenPast.length > 0 && this.win) this.moveOn(writtenPast);
    // What the page changed may move the mentions that stay marked in the same blocks.
    this.geometry?.pageChanged(targets);
    this.dropOwnRecords();
  };
}
