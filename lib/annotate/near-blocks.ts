/**
 * Blocks near the viewport: which of the blocks whose marks wait to be placed are within NEAR
 * viewport sizes of the viewport (lib/annotate/marker-geometry.ts places only those). Looking at a
 * block is one rectangle (and a style check), not one per mark. A block found far keeps where it
 * was, in page coordinates: while only scrolling happens (the page's, or a box's in it), whether it
 * came near is worked out from the scroll offsets, and only the blocks that did are read again.
 * A box scrolls the blocks it holds in the flat tree, across shadow boundaries too (a block in a
 * shadow root hosted inside it, a page's block slotted into a box of a shadow root).
 * A frame that may have changed layout (`relayout`) makes every waiting block be read again, and
 * so does a page change that may have moved far blocks with nothing else to tell it (`changed`:
 * the document kept its size, no block with marks changed size).
 */

import { parentOf } from './dom-info';

/**
 * How far from the viewport a block's marks are placed, in viewport sizes on each side: a page
 * scrolled by less than this since the last look shows no unplaced mark.
 */
const NEAR = 1;

/** How far from the viewport a block counts as near, in viewport heights above and below it (sideways: NEAR widths). */
export interface NearMargins {
  above: number;
  below: number;
}

const MARKER_MARGINS: NearMargins = { above: NEAR, below: NEAR };

/** A rectangle in page coordinates (a viewport rectangle plus the window's scroll). */
interface PageRect {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** Where a far block is. */
interface PageBox extends PageRect {
  /** The block's tree (the document or a shadow root): a box in another tree holds it only across a shadow boundary. */
  tree: Node;
}

/** The viewport: its size, and the window's scroll offsets. */
interface View {
  width: number;
  height: number;
  x: number;
  y: number;
}

interface Offset {
  x: number;
  y: number;
}

export class NearBlocks<T> {
  /** Blocks whose items wait until the block is near the viewport, and those items. */
  private readonly waiting = new Map<Element, Set<T>>();
  /** Waiting blocks to look at (new, or layout may have moved them). */
  private toRead = new Set<Element>();
  /** Waiting blocks found far, and where (null: not rendered; looked at again after a relayout). */
  private readonly far = new Map<Element, PageBox | null>();
  /** The far blocks with a place, by the rows of ROW px of the page they cover. */
  private readonly rows = new Map<number, Set<Element>>();
  /** Scroll offsets of the scrolling boxes, when they were last looked at. */
  private readonly offsets = new WeakMap<Element, Offset>();
  /** Boxes that scrolled since the last look (the window's own scroll is read at the look). */
  private readonly scrolled = new Set<Element>();
  /** Something scrolled since the last look, with far blocks to look at again. */
  private moved = false;
  /** The page changed since the last look, with far blocks: all are read again at the next. */
  private stale = false;
  /** The look under way (sliced) found a block near. */
  private found = false;
  /** The last complete look found a block near (one that finds none: a page changing to no effect on them). */
  private lastFound = false;

  /** `win`: null where nothing is laid out (no look is ever taken there). */
  constructor(
    private readonly win: Window | null,
    private readonly margins: NearMargins = MARKER_MARGINS,
  ) {}

  /** Blocks waiting. */
  get size(): number {
    return this.waiting.size;
  }

  /** Whether the last complete look found a waiting block near the viewport. */
  get lastLookFoundNear(): boolean {
    return this.lastFound;
  }

  /** True when every waiting block is known to be far from the viewport. */
  get settled(): boolean {
    return !this.moved && !this.stale && this.toRead.size === 0;
  }

  /** Whether a block waits. */
  has(block: Element): boolean {
    return this.waiting.has(block);
  }

  /** Every waiting item, all let go of (as if near: a page nobody looks at). */
  takeAll(): T[] {
    const items = [...this.waiting.values()].flatMap((set) => [...set]);
    this.clear();
    return items;
  }

  add(block: Element, item: T): void {
    let items = this.waiting.get(block);
    if (!items) {
      this.waiting.set(block, (items = new Set()));
      this.toRead.add(block);
    }
    items.add(item);
  }

  delete(block: Element, item: T): void {
    const items = this.waiting.get(block);
    if (!items?.delete(item) || items.size > 0) return;
    this.waiting.delete(block);
    this.toRead.delete(block);
    this.unfar(block);
  }

  clear(): void {
    this.waiting.clear();
    this.toRead.clear();
    this.far.clear();
    this.rows.clear();
    this.scrolled.clear();
    this.moved = this.stale = this.found = this.lastFound = false;
  }

  /** Layout may have changed (a frame laid the page out): every waiting block is looked at again. */
  relayout(): void {
    this.stale = false;
    // Already so (several CSS motions ending in one frame): O(1). toRead is a subset of waiting.
    if (this.far.size === 0 && this.toRead.size === this.waiting.size) return;
    this.far.clear();
    this.rows.clear();
    this.toRead = new Set(this.waiting.keys());
  }

  /**
   * A scroll event's target (a scrolling box, or the document for the window's own scroll). O(1).
   * True when a look is due: far blocks may have come near.
   */
  scrolledAt(target: EventTarget | null): boolean {
    if ((target as Node | null)?.nodeType === 1) this.scrolled.add(target as Element);
    if (this.far.size === 0 || this.moved) return false;
    this.moved = true;
    return true;
  }

  /**
   * The page changed (its nodes): far blocks may have moved even though the document kept its size
   * (a section above removed and as much appended at the end). O(1): the next look reads every
   * waiting block again. True when a look is due.
   */
  changed(): boolean {
    if (this.far.size === 0 || this.stale) return false;
    this.stale = true;
    return true;
  }

  /**
   * Moves the items of the waiting blocks near the viewport into `into`, reading the blocks not
   * known to be far (layout must be clean), until `timeUp()`; false when time ran out first.
   */
  take(into: Set<T>, timeUp: () => boolean): boolean {
    if (this.stale) this.relayout();
    if (!this.moved && this.scrolled.size === 0 && this.toRead.size === 0) return true;
    const view = this.view();
    if (this.moved || this.scrolled.size > 0) this.follow(view);
    for (const block of this.toRead) {
      this.toRead.delete(block);
      // Removed from the page: forgotten (its items cannot be placed or read there).
      if (!block.isConnected) {
        this.waiting.delete(block);
        continue;
      }
      const at = lookAt(block, view, this.margins);
      if (at === NEAR_NOW) {
        for (const item of this.waiting.get(block)!) into.add(item);
        this.waiting.delete(block);
        this.found = true;
      } else this.setFar(block, at);
      if (timeUp()) break;
    }
    if (this.toRead.size > 0) return false;
    this.lastFound = this.found;
    this.found = false;
    return true;
  }

  private view(): View {
    const { innerWidth, innerHeight, scrollX, scrollY } = this.win!;
    return { width: innerWidth, height: innerHeight, x: scrollX, y: scrollY };
  }

  /**
   * What scrolled since the last look: the far blocks in a box that scrolled move with it, and
   * those now near (or in a box never seen to scroll before) are to be read again. Only the rows
   * of the page near the viewport are looked through for the window's own scroll.
   */
  private follow(view: View): void {
    this.moved = false;
    const shifts: { box: Element; x: number; y: number }[] = [];
    const unknown: Element[] = [];
    for (const box of this.scrolled) {
      const now = { x: box.scrollLeft, y: box.scrollTop };
      const was = this.offsets.get(box);
      this.offsets.set(box, now);
      if (!was) unknown.push(box);
      else if (now.x !== was.x || now.y !== was.y) shifts.push({ box, x: now.x - was.x, y: now.y - was.y });
    }
    this.scrolled.clear();
    if (shifts.length > 0 || unknown.length > 0) this.followBoxes(shifts, unknown);
    const { above, below } = this.margins;
    const from = Math.floor((view.y - above * view.height) / ROW);
    const to = Math.floor((view.y + (1 + below) * view.height) / ROW);
    for (let row = from; row <= to; row++) {
      for (const block of this.rows.get(row) ?? NO_BLOCKS) {
        if (!isNear(this.far.get(block)!, view, this.margins)) continue;
        this.unfar(block);
        this.toRead.add(block);
      }
    }
  }

  /** The far blocks inside boxes that scrolled: moved with them, or read again (a box never seen to scroll). */
  private followBoxes(shifts: { box: Element; x: number; y: number }[], unknown: Element[]): void {
    const trees = new Map<Element, Node>();
    const holds = (box: Element, block: Element, at: PageBox) => scrollsWith(box, block, at.tree, trees);
    for (const [block, at] of [...this.far]) {
      if (!at) continue;
      if (unknown.some((box) => holds(box, block, at))) {
        this.unfar(block);
        this.toRead.add(block);
        continue;
      }
      const moves = shifts.filter((s) => holds(s.box, block, at));
      if (moves.length === 0) continue;
      this.unrow(block, at);
      for (const s of moves) {
        at.top -= s.y;
        at.bottom -= s.y;
        at.left -= s.x;
        at.right -= s.x;
      }
      this.row(block, at);
    }
  }

  private setFar(block: Element, at: PageBox | null): void {
    this.far.set(block, at);
    if (at) this.row(block, at);
  }

  private unfar(block: Element): void {
    const at = this.far.get(block);
    this.far.delete(block);
    if (at) this.unrow(block, at);
  }

  private row(block: Element, at: PageBox): void {
    for (let row = Math.floor(at.top / ROW); row <= Math.floor(at.bottom / ROW); row++) {
      let blocks = this.rows.get(row);
      if (!blocks) this.rows.set(row, (blocks = new Set()));
      blocks.add(block);
    }
  }

  private unrow(block: Element, at: PageBox): void {
    for (let row = Math.floor(at.top / ROW); row <= Math.floor(at.bottom / ROW); row++) {
      const blocks = this.rows.get(row);
      blocks?.delete(block);
      if (blocks?.size === 0) this.rows.delete(row);
    }
  }
}

/** The height of a row of the page, in CSS pixels, by which far blocks are found again as the page scrolls. */
const ROW = 512;
const NO_BLOCKS: ReadonlySet<Element> = new Set();

const NEAR_NOW = 'near';

/**
 * A block's place: NEAR_NOW when it is near the viewport (or has no box of its own, `display:
 * contents`: its marks are looked at one by one), null when it is not rendered or in content the
 * browser skips for now (a style check first: reading its rectangle would lay it out), else where
 * it is in page coordinates.
 */
function lookAt(block: Element, view: View, margins: NearMargins): PageBox | null | typeof NEAR_NOW {
  if (!isShown(block)) return null;
  const r = block.getBoundingClientRect();
  if (r.width === 0 && r.height === 0) return NEAR_NOW;
  const at = { top: r.top + view.y, bottom: r.bottom + view.y, left: r.left + view.x, right: r.right + view.x };
  return isNear(at, view, margins) ? NEAR_NOW : { ...at, tree: block.getRootNode() };
}

/**
 * Whether a scrolling box scrolls a block: holds it in the flat tree, as the browser lays it out.
 * In the same tree that is `contains` (native, the usual case); across trees (a block in a shadow
 * root hosted inside the box, or a page's block slotted into a box of a shadow root) `contains`
 * stops at the boundary, and the block's flat-tree ancestors are walked (slot, host) up to the box.
 * `trees`: each box's tree, read once per look.
 */
function scrollsWith(box: Element, block: Element, tree: Node, trees: Map<Element, Node>): boolean {
  if (box.contains(block)) return true;
  let boxTree = trees.get(box);
  if (!boxTree) trees.set(box, (boxTree = box.getRootNode()));
  if (boxTree === tree) return false;
  for (let n = flatParent(block); n; n = flatParent(n)) if (n === box) return true;
  return false;
}

/** A node's parent element in the flat tree: the slot it is assigned to, else its parent (a shadow root's host). */
function flatParent(n: Node): Element | null {
  return (n as Element).assignedSlot ?? parentOf(n);
}

/** Rendered, and not in a subtree the browser skips for now (content-visibility); a style check, no layout. */
export function isShown(el: Element): boolean {
  return !el.checkVisibility || el.checkVisibility({ contentVisibilityAuto: true } as CheckVisibilityOptions);
}

/** The events that end a CSS motion (neither leaves a shadow root: not composed). */
export const CSS_MOTION_ENDS = ['transitionend', 'animationend'] as const;

/**
 * Whether the end of a CSS transition or animation may have moved boxes. A transition of a
 * property that only paints (a colour, an opacity, a shadow: most hover effects) moves none; an
 * animation's properties are not told by its event, so it may.
 */
export function mayMoveBoxes(e: Event): boolean {
  const property = (e as TransitionEvent).propertyName;
  return typeof property !== 'string' || !PAINT_ONLY.test(property);
}

const PAINT_ONLY = /^(?:color|opacity|visibility|background|box-shadow|text-shadow|outline|fill|stroke|filter|backdrop-filter|text-decoration|caret-color|accent-color|clip-path|mask)|-color$/;

function isNear(at: PageRect, view: View, { above, below }: NearMargins): boolean {
  const { width, height, x, y } = view;
  return at.bottom - y >= -above * height && at.top - y <= (1 + below) * height && at.right - x >= -NEAR * width && at.left - x <= (1 + NEAR) * width;
}
