/**
 * Walks a subtree a slice at a time and cuts its text into runs: the text nodes (and `<br>` line
 * breaks) of one block between two block boundaries. A run is the unit of matching, so a mention
 * split over inline elements is seen whole and a match never crosses a block boundary.
 *
 * Iterative (no recursion: 2,500-deep nesting is fine), linear in the number of nodes, and
 * resumable: the position is a node, checked again before each slice.
 */
import type { RunItem } from '../textmap';
import { isBlockElement, type DomInfo } from './dom-info';

export interface Run {
  items: RunItem[];
  /** The block the run's text is in (its nearest block element). */
  block: Element | null;
}

export interface WalkHooks {
  /** Nodes the annotator made (markers, text pieces): their text is accounted for elsewhere. */
  isOwn(node: Node): boolean;
  /** An open shadow root met on the way (scanned and observed on its own). */
  onShadowRoot(root: ShadowRoot): void;
  /** A block below the root, offered to be read whole (lib/annotate/whole-blocks.ts): true when its nodes need no visit. */
  readWhole?(block: Element): boolean;
}

/** A run is cut after this many items, so no run (and no map) grows without bound. */
const MAX_RUN_ITEMS = 2_000;

export class RunWalker {
  private next: Node | null;
  private run: RunItem[] = [];
  /** False once the walk met a node the page has since removed: the caller walks again. */
  valid = true;

  constructor(
    readonly root: Node,
    /** Shallow: the root's own runs only, nested blocks are left out (they did not change). */
    private readonly shallow: boolean,
    private readonly dom: DomInfo,
    private readonly hooks: WalkHooks,
  ) {
    this.next = root;
  }

  get done(): boolean {
    return this.next === null;
  }

  /** Visits up to `limit` nodes, handing each finished run to `emit`; returns the number visited. */
  step(limit: number, emit: (run: Run) => void): number {
    let n = this.next;
    if (n && n !== this.root && !n.isConnected) {
      this.valid = false;
      this.next = null;
      this.run = [];
      return 0;
    }
    let i = 0;
    for (; n && i < limit; i++) {
      const descend = this.visit(n, emit);
      if (descend && n.firstChild) {
        n = n.firstChild;
        continue;
      }
      while (n && n !== this.root && !n.nextSibling) {
        n = n.parentNode;
        if (n && n.nodeType === 1 && isBlockElement(n as Element)) this.cut(emit);
      }
      n = !n || n === this.root ? null : n.nextSibling;
    }
    this.next = n;
    if (!n) this.cut(emit);
    return i;
  }

  /** Looks at one node; returns whether to walk into its children. */
  private visit(n: Node, emit: (run: Run) => void): boolean {
    if (n.nodeType === 3) {
      if (!this.hooks.isOwn(n)) {
        this.run.push(n as Text);
        if (this.run.length >= MAX_RUN_ITEMS) this.cut(emit);
      }
      return false;
    }
    if (n.nodeType === 11) return true; // a shadow root walked as a root of its own
    if (n.nodeType !== 1) return false;
    const el = n as Element;
    if (this.hooks.isOwn(el)) return false;
    const info = this.dom.fresh(el);
    if (info.skipped) {
      this.cut(emit);
      return false;
    }
    if (el.tagName === 'BR') {
      this.run.push('\n');
      return false;
    }
    const shadow = (el as HTMLElement).shadowRoot;
    if (shadow) this.hooks.onShadowRoot(shadow);
    if (isBlockElement(el)) {
      this.cut(emit);
      if (el === this.root) return true;
      return !this.shallow && !this.hooks.readWhole?.(el);
    }
    return true;
  }

  private cut(emit: (run: Run) => void): void {
    const items = this.run;
    if (items.length === 0) return;
    this.run = [];
    const first = items.find((i): i is Text => i !== '\n');
    if (first) emit({ items, block: this.dom.blockOf(first) });
  }
}
