/**
 * Huge blocks a page streams lines into: a highlighted log viewer that appends lines at the end
 * of one `<code>` of 20,000 elements (`insertAdjacentHTML`, `appendChild`) and removes its oldest
 * lines at the start. Read the usual way, each such edit queues the whole block to be walked again,
 * and the job that reads a huge block's rest (lib/annotate/huge-blocks.ts) ends at the next edit:
 * at hundreds of edits a second its lines are never marked, and the block's first 2,000 nodes are
 * walked and matched again at every edit.
 *
 * So once a huge block's rest has been read in full, the block is followed: a delivery whose
 * records of it only add plain inline nodes at the block's end and remove nodes at its start is a
 * stream edit. The marks in what was removed go (nothing else is matched again: the block's other
 * marks point into nodes the page kept); the lines added (from the start of the line the first
 * added node continues) are handed over as runs of their own, a line each, as the huge-block job
 * does. Any other edit of the block is read the usual way: the block is walked again, and
 * followed again once its rest has been read in full.
 *
 * Its lines count the context of their block's text as it is now (lib/annotate/block-context.ts):
 * when an edit brings a kind of context into the text read for it that a line waited for, that
 * line is matched again; when it takes the last sign of a kind out, the block's marks are.
 */
import type { TextMap } from '../textmap';
import { BlockWindow, type ContextChange } from './block-context';
import { MARKER_TAG, type DomInfo } from './dom-info';
import { lineStartBefore, MAX_LINE_ITEMS, nextInBlock } from './huge-blocks';
import type { Mark, MarkStore } from './mark-store';
import type { MarkRemoval } from './mark-removal';
import type { Run } from './walker';
import { isPlainInline } from './whole-blocks';

/** Lines of a block waiting for context kept at most (the oldest go first: a log removes them first too). */
const MAX_WAITING = 64;

/** What the block streams ask of the other parts when a block's context changes. */
export interface BlockContextHooks {
  /** Runs (a text node of each) to be matched again: context they waited for is there. */
  matchAgain(texts: readonly Text[]): void;
  /** Marks to be taken away and their lines matched again: context they may have been found with is gone. */
  removeAndRequeue(marks: Iterable<Mark>): void;
}

/** What a delivery did to one followed block. */
interface BlockEdit {
  records: MutationRecord[];
  /** Every record is a stream edit. */
  stream: boolean;
  /** The first node added (in document order: records append one after the other). */
  firstAdded: Node | null;
}

/** Characters of text the records removed. */
function removedChars(records: readonly MutationRecord[]): number {
  let chars = 0;
  for (const r of records) for (const n of r.removedNodes) chars += n.nodeType === 3 ? (n as Text).data.length : n.nodeType === 1 ? (n.textContent?.length ?? 0) : 0;
  return chars;
}

/** Whether nothing but our markers, comments and white space lies in `from` and its siblings the `next` way. */
function onlyBlank(from: Node | null, next: 'nextSibling' | 'previousSibling', isOwn: (n: Node) => boolean): boolean {
  for (let n = from; n; n = n[next]) {
    if (n.nodeType === 8 || isOwn(n)) continue;
    if (n.nodeType === 3 && !/\S/.test((n as Text).data)) continue;
    return false;
  }
  return true;
}

/** Whether `node` is at the block's end (`nextSibling`) or start (`previousSibling`): nothing but blanks past it. */
function atEdge(node: Node, block: Element, next: 'nextSibling' | 'previousSibling', isOwn: (n: Node) => boolean): boolean {
  for (let n: Node | null = node; n && n !== block; n = n.parentNode) if (!onlyBlank(n[next], next, isOwn)) return false;
  return true;
}

export class BlockStreams {
  /**
   * Blocks whose rest a huge-block job read in full. Weak: a block the page takes away (a log view
   * closed) is not kept alive by us; `count` says whether any was ever followed and not forgotten,
   * so that a page with none costs nothing.
   */
  private followed = new WeakSet<Element>();
  private count = 0;
  /** The text each followed block's lines take their context from (absent: the block has no context block). */
  private windows = new WeakMap<Element, BlockWindow>();
  /** Per huge block (being read or followed), the last text nodes of runs whose matching asked for context and found none. */
  private waiting = new WeakMap<Element, Text[]>();
  /** Blocks a huge-block job read or reads: only their lines are noted when they wait for context. */
  private huge = new WeakSet<Element>();
  /**
   * The pass that read each followed block (lib/annotate/text-order.ts): lines appended at its
   * end come after every run it found, so they go on in its order.
   */
  private passes = new WeakMap<Element, object>();
  /** Our markers, which a stream edit's neighbours may be. */
  private readonly isOwn = (n: Node): boolean => this.store.isMarker(n);

  constructor(
    private readonly store: MarkStore,
    private readonly removal: MarkRemoval,
    private readonly dom: DomInfo,
    /** Hands a line over to be matched (lib/annotate/run-queue.ts), and asks for work. */
    private readonly emit: (run: Run) => void,
    private readonly hooks: BlockContextHooks,
  ) {}

  /** The block's rest was read in full: its stream edits are read here from now on. */
  follow(block: Element, pass?: object): void {
    if (pass) this.passes.set(block, pass);
    else this.passes.delete(block);
    if (this.followed.has(block)) return;
    this.followed.add(block);
    this.count++;
    const el = this.dom.infoAt(block).contextBlock;
    if (el) this.windows.set(block, new BlockWindow(el));
  }

  /** A huge-block job starts reading the block's rest: its edits go the usual way meanwhile. */
  reading(block: Element): void {
    this.huge.add(block);
    this.forget(block);
  }

  /** The block is being read (walked or its rest read): its edits go the usual way meanwhile. */
  forget(block: Element): void {
    if (this.followed.delete(block)) this.count--;
    this.windows.delete(block);
  }

  clear(): void {
    this.followed = new WeakSet();
    this.windows = new WeakMap();
    this.passes = new WeakMap();
    this.waiting = new WeakMap();
    this.huge = new WeakSet();
    this.count = 0;
  }

  /**
   * A run of `block` asked for context and found none: it is matched again if its huge block's text
   * shows context later. It is known by its last text node: the block's first run (the walk's, up
   * to 2,000 nodes) loses its first lines first when the page removes the oldest, and its last node
   * stays as long as any of it does.
   */
  lacked(block: Element | null, map: TextMap): void {
    if (!block || !this.huge.has(block)) return;
    const last = map.segments[map.segments.length - 1]?.node;
    if (!last) return;
    const list = this.waiting.get(block);
    if (!list) this.waiting.set(block, [last]);
    else if (!list.includes(last)) {
      if (list.length >= MAX_WAITING) list.shift();
      list.push(last);
    }
  }

  /** Handles a delivery's stream edits of followed blocks; returns the records left to read the usual way. */
  take(records: MutationRecord[]): MutationRecord[] {
    if (this.count === 0) return records;
    const edits = this.editsOf(records);
    if (edits === null) return records;
    const handled = new Set<MutationRecord>();
    for (const [block, edit] of edits) {
      if (!edit.stream || !block.isConnected) {
        this.forget(block);
        continue;
      }
      const window = this.windows.get(block);
      const change = window ? window.moved(removedChars(edit.records)) : null;
      if (window && !change) {
        this.forget(block);
        continue;
      }
      for (const r of edit.records) handled.add(r);
      this.removeMarksIn(edit.records);
      if (edit.firstAdded) this.emitLines(block, edit.firstAdded);
      if (change) this.contextMoved(block, change);
    }
    return handled.size === 0 ? records : records.filter((r) => !handled.has(r));
  }

  /** The records of each followed block, and whether all of them are stream edits; null when none is in one. */
  private editsOf(records: MutationRecord[]): Map<Element, BlockEdit> | null {
    let edits: Map<Element, BlockEdit> | null = null;
    const blockOf = new Map<Node, Element | null>();
    for (const r of records) {
      const target = r.target;
      let block = blockOf.get(target);
      if (block === undefined) {
        block = null;
        for (let n: Node | null = target; n; n = n.parentNode) {
          if (this.followed.has(n as Element)) {
            block = n as Element;
            break;
          }
        }
        blockOf.set(target, block);
      }
      if (block === null) continue;
      edits ??= new Map();
      let edit = edits.get(block);
      if (!edit) edits.set(block, (edit = { records: [], stream: true, firstAdded: null }));
      edit.records.push(r);
      if (edit.stream && !this.isStreamEdit(r, block)) edit.stream = false;
      if (edit.firstAdded === null) for (const n of r.addedNodes) if (n.isConnected && edit.firstAdded === null) edit.firstAdded = n;
    }
    return edits;
  }

  /** Plain inline nodes added at the block's end, or nodes removed at its start. */
  private isStreamEdit(r: MutationRecord, block: Element): boolean {
    if (r.type !== 'childList') return false;
    const { isOwn } = this;
    const added = r.addedNodes.length > 0;
    const removed = r.removedNodes.length > 0;
    if (added && removed) return false;
    if (added) {
      if (r.nextSibling !== null || !atEdge(r.target, block, 'nextSibling', isOwn)) return false;
      for (const n of r.addedNodes) if (n.nodeType === 1 && !isPlainInline(n as Element)) return false;
      return true;
    }
    return onlyBlank(r.previousSibling, 'previousSibling', isOwn) && atEdge(r.target, block, 'previousSibling', isOwn);
  }

  /**
   * The text the block's lines take context from gained or lost a kind: lines that waited for
   * context are matched again, and, when a kind is gone, so are the block's marks (any of them may
   * have been found with it). Each needs a sign to have entered that text or left it.
   */
  private contextMoved(block: Element, { gained, lost }: ContextChange): void {
    if (gained.length > 0) {
      const waiting = this.waiting.get(block)?.filter((t) => t.isConnected);
      this.waiting.delete(block);
      if (waiting?.length) this.hooks.matchAgain(waiting);
    }
    if (lost.length > 0 && this.store.size > 0) {
      const marks = new Set<Mark>();
      for (const t of this.store.firstTextsIn(block)) for (const mark of this.store.marksOf(t)) marks.add(mark);
      this.hooks.removeAndRequeue(marks);
    }
  }

  /** The marks whose text or marker the page removed go (their lines are gone: nothing to match again). */
  private removeMarksIn(records: MutationRecord[]): void {
    if (this.store.size === 0) return;
    const { store } = this;
    const gone = new Set<Mark>();
    const add = (mark: Mark | undefined) => mark && gone.add(mark);
    for (const r of records) {
      for (const n of r.removedNodes) {
        if (store.isMarker(n)) add(store.markOf(n as Element));
        else if (n.nodeType === 3) for (const mark of store.marksOf(n as Text)) gone.add(mark);
        else if (n.nodeType === 1) {
          for (const marker of (n as Element).getElementsByTagName(MARKER_TAG)) add(store.markOf(marker));
          // A line's marker stands at its block's end, not in the line: its text says the mark.
          const texts = (n as Element).ownerDocument.createTreeWalker(n, 4 /* NodeFilter.SHOW_TEXT */);
          for (let t = texts.nextNode(); t; t = texts.nextNode()) for (const mark of store.marksOf(t as Text)) gone.add(mark);
        }
      }
    }
    if (gone.size > 0) this.removal.remove(gone);
  }

  /** Hands over the lines from the start of the one `first` is in to the block's end, a run each. */
  private emitLines(block: Element, first: Node): void {
    const { isOwn } = this;
    let items = lineStartBefore(first, block, isOwn);
    for (let n: Node | null = first; n; ) {
      if (n.nodeType === 3 && (n as Text).data.length > 0) {
        items.push(n as Text);
        if ((n as Text).data.endsWith('\n') || items.length >= MAX_LINE_ITEMS) {
          this.emitLine(block, items);
          items = [];
        }
      }
      n = nextInBlock(n, block, n.nodeType === 1 && !isOwn(n));
    }
    this.emitLine(block, items);
  }

  private emitLine(block: Element, items: Text[]): void {
    if (items.length === 0) return;
    const info = this.dom.infoAt(items[0]);
    this.emit({ items, block: info.block, info, open: false, pass: this.passes.get(block) });
  }
}
