/**
 * Walks a subtree a slice at a time and cuts its text into runs: the text nodes (and `<br>` line
 * breaks) of one block between two block boundaries. A run is the unit of matching, so a mention
 * split over inline elements is seen whole and a match never crosses a block boundary.
 *
 * Iterative (no recursion: 2,500-deep nesting is fine), linear in the number of nodes, and
 * resumable: the position is a node, checked again before each slice.
 */
import type { RunItem } from '../textmap';
import { elementInfo, MARKER_TAG, openShadowRoot, parentOf, tagNameSet, TOP_INFO, type DomInfo, type ElementInfo, type ShadowRootOf } from './dom-info';

export interface Run {
  items: RunItem[];
  /** The block the run's text is in (its nearest block element). */
  block: Element | null;
  /** What is known about the element holding the run's first text node (its block, post, notebook). */
  info: ElementInfo;
  /** Cut for its length: its block's text goes on in the next run. */
  open: boolean;
  /** The pass over its block that found it, in the text's order (lib/annotate/text-order.ts); none for a run found out of order. */
  pass?: object;
  /** Its number in the order runs are handed to matching (lib/annotate/run-queue.ts). */
  seq?: number;
  /** A Client Portal sign shows earlier in its block, in text read before it (a huge block's rest: lib/annotate/huge-blocks.ts). */
  cpapiBefore?: boolean;
}

export interface WalkHooks {
  /** Elements the annotator made (markers): their text is accounted for elsewhere. */
  isOwn(node: Node): boolean;
  /** A shadow root met on the way (scanned and observed on its own). */
  onShadowRoot(root: ShadowRoot): void;
  /** A custom element's shadow root, closed ones too where the caller reaches them (default: open ones). */
  shadowRootOf?: ShadowRootOf;
  /** A block below the root, offered to be read whole (lib/annotate/whole-blocks.ts): true when its nodes need no visit. */
  readWhole?(block: Element): boolean;
  /**
   * The rest of a block after `last`, where a run was cut for its length at a line end, offered to
   * be read without a visit of each node (lib/annotate/huge-blocks.ts): true when it was taken.
   */
  readRest?(block: Element, last: Text, pass: object): boolean;
  /**
   * A page's container (a site's unit, else a post: `ElementInfo.unit`) below the root, offered to
   * be left for when it comes near the viewport (lib/annotate/far-units.ts): true when it was.
   */
  leaveUnit?(unit: Element): boolean;
}

/**
 * The elements a shadow root can be attached to (DOM's "valid shadow host name", besides custom
 * elements): only these are asked for one, every such read being a call into the page's DOM. Their
 * `shadowRoot` is read (open roots); a custom element's root is asked of `shadowRootOf` (closed too).
 */
const SHADOW_HOST_TAGS = tagNameSet('ARTICLE ASIDE BLOCKQUOTE BODY DIV FOOTER H1 H2 H3 H4 H5 H6 HEADER MAIN NAV P SECTION SPAN'.split(' '));

/** Our markers' tag as `tagName` gives it. */
const MARKER_TAGS = tagNameSet([MARKER_TAG]);

/** A run is cut at the first line end after this many items, so no run (and no map) grows without bound. */
const MAX_RUN_ITEMS = 2_000;
/** …and after this many, wherever it is (a block of a million spans with no line end). */
const HARD_RUN_ITEMS = 8 * MAX_RUN_ITEMS;

export class RunWalker {
  private next: Node | null;
  private run: RunItem[] = [];
  /** What is known about the element holding the current run's first text node. */
  private runInfo: ElementInfo | null = null;
  /** What is known about each element from the root's parent down to the parent of the next node. */
  private readonly infos: ElementInfo[];
  /** False once the walk met a node the page has since removed: the caller walks again. */
  valid = true;
  /** A block whose rest was just handed over (`readRest`): the walk goes on after it. */
  private handedOver: Element | null = null;
  /** A block whose rest was not taken: not offered again in this walk (its rest only gets smaller). */
  private keptBlock: Element | null = null;
  /** This walk's pass over each block it meets: its runs there are found in the text's order. */
  private readonly passes = new Map<Element | null, object>();

  constructor(
    readonly root: Node,
    /** Shallow: the root's own runs only, nested blocks are left out (they did not change). */
    private readonly shallow: boolean,
    dom: DomInfo,
    private readonly hooks: WalkHooks,
  ) {
    this.next = root;
    const parent = root.nodeType === 11 ? (((root as ShadowRoot).host as Element | undefined) ?? null) : parentOf(root);
    this.infos = [parent ? dom.info(parent) : TOP_INFO];
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
    const { infos, root } = this;
    let parent = infos[infos.length - 1];
    let i = 0;
    // Each node's links are read once: every read crosses from this world into the page's DOM.
    for (; n && i < limit; i++) {
      const inside = this.visit(n, parent, emit);
      const handedOver = this.handedOver;
      if (handedOver) {
        this.handedOver = null;
        // Out of the block: what is known about each element left is dropped on the way up.
        while (n !== handedOver) {
          n = n.parentNode!;
          infos.pop();
        }
        parent = infos[infos.length - 1];
      } else if (inside) {
        const child = n.firstChild;
        if (child) {
          infos.push((parent = inside));
          n = child;
          continue;
        }
      }
      let next: Node | null = n === root ? null : n.nextSibling;
      while (next === null && n !== root) {
        n = n.parentNode;
        if (n === null) break;
        // Leaving an element: a block's end cuts the run.
        if (infos.pop()!.block === n) this.cut(emit);
        parent = infos[infos.length - 1];
        next = n === root ? null : n.nextSibling;
      }
      n = next;
    }
    this.next = n;
    if (!n) this.cut(emit);
    return i;
  }

  /** Looks at one node; returns what is known about it when the walk goes into its children, else null. */
  private visit(n: Node, parent: ElementInfo, emit: (run: Run) => void): ElementInfo | null {
    if (n.nodeType === 3) {
      const run = this.run;
      if (this.runInfo === null) this.runInfo = parent;
      run.push(n as Text);
      if (run.length >= MAX_RUN_ITEMS) {
        const lineEnd = (n as Text).data.endsWith('\n');
        if (lineEnd || run.length >= HARD_RUN_ITEMS) this.cut(emit, true);
        const block = parent.block;
        if (lineEnd && block && block !== this.keptBlock && this.hooks.readRest && (block === this.root || this.root.contains(block))) {
          if (this.hooks.readRest(block, n as Text, this.passOf(block))) this.handedOver = block;
          else this.keptBlock = block;
        }
      }
      return null;
    }
    if (n.nodeType === 11) return parent; // a shadow root walked as a root of its own: its children's parent is its host
    if (n.nodeType !== 1) return null;
    const el = n as Element;
    const tag = el.tagName;
    // By tag first: only an element of our markers' tag can be one (no table lookup per element).
    if (MARKER_TAGS.has(tag) && this.hooks.isOwn(el)) return null;
    const info = elementInfo(el, parent, tag);
    if (info.skipped || (info.unit === el && el !== this.root && this.hooks.leaveUnit?.(el))) {
      this.cut(emit);
      return null;
    }
    if (tag === 'BR') {
      this.run.push('\n');
      if (this.run.length >= MAX_RUN_ITEMS) this.cut(emit, true);
      return null;
    }
    const shadow = tag.includes('-') ? (this.hooks.shadowRootOf ?? openShadowRoot)(el) : SHADOW_HOST_TAGS.has(tag) ? el.shadowRoot : null;
    if (shadow) this.hooks.onShadowRoot(shadow);
    if (info.block === el) {
      this.cut(emit);
      if (el === this.root) return info;
      return this.shallow || this.hooks.readWhole?.(el) ? null : info;
    }
    return info;
  }

  private cut(emit: (run: Run) => void, open = false): void {
    const items = this.run;
    const info = this.runInfo;
    this.runInfo = null;
    if (items.length === 0) return;
    this.run = [];
    if (info) emit({ items, block: info.block, info, open, pass: this.passOf(info.block) });
  }

  private passOf(block: Element | null): object {
    let pass = this.passes.get(block);
    if (!pass) this.passes.set(block, (pass = {}));
    return pass;
  }
}
