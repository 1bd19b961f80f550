/**
 * Marker geometry: each marker's box is made a thin bar over the start of its mention's first line
 * (assets/marker.css), so that hovering, clicking or focusing the marker element is hovering,
 * clicking or focusing the mention. The marker stands after the mention's run of text
 * (lib/annotate/marker-elements.ts), out of the text's flow, its margin box empty; the distance
 * from its own place to the mention's first character becomes a translation.
 *
 * Reading that distance needs layout. It is read in a ResizeObserver callback, which the browser
 * runs after its layout and before it paints, so reading forces no layout of its own. A pass reads
 * for READ_MS at most (the rest waits for the next frame) and writes after all its reads. Writing
 * changes only transforms (the bar's box has its size from the start and is scaled, assets/marker.css),
 * so it costs no layout, but each frame with a write repaints (the block, and with highlights
 * registered the whole page). So the marks of one block are written together, once none of them
 * waits to be read: a block with 500 mentions costs one more repaint, not one per frame. A pass is
 * asked for when marks are made (it runs in the frame they cause anyway), and again for a block's
 * marks when the block changes size (a resize, a rewrap, a font) or the page edits it, and for all
 * marks when fonts finish loading or the window is resized. docs/page-integrity.md has figures.
 */
import type { Mark } from './mark-store';
import { isAbsoluteMarker, markerStyle, type MarkerAt } from './marker-elements';

/**
 * Reading per pass, in ms. The clock is looked at after every mark: one read costs from a few
 * microseconds to a few milliseconds (in a text node of thousands of lines the browser walks all
 * its lines to find the mention's).
 */
const READ_MS = 6;
/** Moves smaller than this (CSS pixels) are not written: a pass that finds nothing new writes nothing. */
const TOLERANCE = 0.25;

interface Placement {
  /** The element observed for the mark: its block. */
  block: Element;
  absolute: boolean;
  /** What was written, once placed. */
  at: MarkerAt | null;
}

type GeometryWindow = Window & typeof globalThis;

export class MarkerGeometry {
  private readonly observer: ResizeObserver | null;
  private readonly placements = new Map<Mark, Placement>();
  private readonly byBlock = new Map<Element, Set<Mark>>();
  /** Marks to read in the next pass, and how many of each block's marks are among them. */
  private readonly pending = new Set<Mark>();
  private readonly pendingIn = new Map<Element, number>();
  /** What was read, by block, until the block's marks are written together. */
  private readonly planned = new Map<Element, Map<Mark, MarkerAt>>();
  /** A frame is asked for, to observe the document element afresh (a pass after that frame's layout). */
  private frame = 0;
  private range: Range | null = null;
  private busy = false;
  /** The window was resized: a pass is due after the next layout (what moved is known only then). */
  private resized = false;
  /** In the observer's callback. */
  private inPass = false;

  constructor(
    private readonly doc: Document,
    private readonly now: () => number,
    /** Told when the geometry goes from having work to having none, and back. */
    private readonly onBusyChange?: () => void,
  ) {
    const win = doc.defaultView as GeometryWindow | null;
    this.observer = typeof win?.ResizeObserver === 'function' && typeof win.requestAnimationFrame === 'function' ? new win.ResizeObserver(this.onResize) : null;
    if (!this.observer) return;
    doc.fonts?.addEventListener('loadingdone', this.onFonts);
    win!.addEventListener('resize', this.onWindowResize, { passive: true });
  }

  /** True when no mark waits to be measured or placed. */
  get isSettled(): boolean {
    return this.pending.size === 0 && this.planned.size === 0 && !this.resized;
  }

  /** Marks just put in the page: measured after the next layout. */
  add(marks: readonly Mark[]): void {
    if (!this.observer || marks.length === 0) return;
    for (const mark of marks) {
      const block = mark.block ?? mark.marker.parentElement;
      if (!block) continue;
      this.placements.set(mark, { block, absolute: isAbsoluteMarker(mark.marker), at: null });
      let marks = this.byBlock.get(block);
      if (!marks) {
        this.byBlock.set(block, (marks = new Set()));
        this.observer.observe(block);
      }
      marks.add(mark);
      this.queue(mark, block);
    }
    this.pulse();
  }

  /** Marks taken away. */
  forget(marks: Iterable<Mark>): void {
    for (const mark of marks) {
      const placement = this.placements.get(mark);
      if (!placement) continue;
      const { block } = placement;
      this.unqueue(mark, block);
      this.placements.delete(mark);
      const plans = this.planned.get(block);
      if (plans?.delete(mark) && plans.size === 0) this.planned.delete(block);
      const inBlock = this.byBlock.get(block);
      inBlock?.delete(mark);
      if (inBlock?.size === 0) {
        this.byBlock.delete(block);
        this.observer?.unobserve(block);
      }
    }
    this.tell();
  }

  /** The page changed these nodes: the marks of the blocks holding them are measured again. */
  pageChanged(nodes: Iterable<Node>): void {
    if (this.byBlock.size === 0) return;
    const seen = new Set<Node>();
    let found = false;
    for (const node of nodes) {
      for (let n: Node | null = node; n && !seen.has(n); n = n.parentNode) {
        seen.add(n);
        if (this.dirty(n as Element)) found = true;
      }
    }
    if (found) this.pulse();
  }

  /** Stops measuring: observers off, nothing pending (the markers leave the page). */
  disconnect(): void {
    this.observer?.disconnect();
    this.doc.fonts?.removeEventListener('loadingdone', this.onFonts);
    this.doc.defaultView?.removeEventListener('resize', this.onWindowResize);
    if (this.frame) this.doc.defaultView?.cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.resized = false;
    this.placements.clear();
    this.byBlock.clear();
    this.pending.clear();
    this.pendingIn.clear();
    this.planned.clear();
    this.range = null;
    this.tell();
  }

  private readonly onWindowResize = (): void => {
    if (this.byBlock.size === 0) return;
    this.resized = true;
    this.pulse();
  };

  private readonly onFonts = (): void => {
    for (const block of this.byBlock.keys()) this.dirty(block);
    this.pulse();
  };

  /** After layout: blocks that changed size (or were just observed), then a pass. */
  private readonly onResize = (entries: ResizeObserverEntry[]): void => {
    for (const entry of entries) this.dirty(entry.target);
    this.inPass = true;
    try {
      this.pass();
    } finally {
      this.inPass = false;
    }
  };

  /** Queues a block's marks to be read again; false when it holds none. */
  private dirty(block: Element): boolean {
    const marks = this.byBlock.get(block);
    if (!marks) return false;
    for (const mark of marks) this.queue(mark, block);
    return true;
  }

  private queue(mark: Mark, block: Element): void {
    if (this.pending.has(mark)) return;
    this.pending.add(mark);
    this.pendingIn.set(block, (this.pendingIn.get(block) ?? 0) + 1);
  }

  private unqueue(mark: Mark, block: Element): void {
    if (!this.pending.delete(mark)) return;
    const left = (this.pendingIn.get(block) ?? 1) - 1;
    if (left > 0) this.pendingIn.set(block, left);
    else this.pendingIn.delete(block);
  }

  /**
   * Asks for a pass after the next layout: the document element is observed afresh (a
   * ResizeObserver reports a new target once, after layout). That costs no frame of its own: the
   * marks just put in the page make the browser lay it out anyway. From inside the observer's own
   * callback (a pass that left work for later) it is done in the next frame: observing there would
   * be a loop the browser reports as an error on the page.
   */
  private pulse(): void {
    this.tell();
    const win = this.doc.defaultView;
    if (this.frame || this.isSettled || !this.observer || !win) return;
    if (!this.inPass) return this.observeRoot();
    this.frame = win.requestAnimationFrame(() => {
      this.frame = 0;
      this.observeRoot();
    });
  }

  private observeRoot(): void {
    const root = this.doc.documentElement;
    this.observer!.unobserve(root);
    this.observer!.observe(root);
  }

  /** Reads pending marks until READ_MS have passed, then writes the blocks whose marks are all read. */
  private pass(): void {
    this.resized = false;
    const start = this.now();
    const scales = new Map<Element, number>();
    for (const mark of this.pending) {
      const placement = this.placements.get(mark)!;
      this.unqueue(mark, placement.block);
      const at = this.measure(mark, placement, scales);
      if (at) {
        let plans = this.planned.get(placement.block);
        if (!plans) this.planned.set(placement.block, (plans = new Map()));
        plans.set(mark, at);
      }
      if (this.now() - start >= READ_MS) break;
    }
    this.range?.collapse(true);
    for (const [block, plans] of this.planned) {
      if (this.pendingIn.has(block)) continue;
      this.planned.delete(block);
      for (const [mark, at] of plans) this.write(mark, at);
    }
    if (this.isSettled) this.tell();
    else this.pulse();
  }

  /**
   * Where a mark's marker must go: its left edge on the mention's first character, its top and
   * height those of the first line of text. The translation written before moved the marker's box
   * from its own place, which is where the box is now less that translation, in screen pixels.
   */
  private measure(mark: Mark, placement: Placement, scales: Map<Element, number>): MarkerAt | null {
    const { marker } = mark;
    const first = mark.pieces[0];
    // (A stopped annotator no longer hears of the page's edits: its text may have changed.)
    if (!marker.isConnected || !first.node.isConnected || first.to > first.node.length) return null;
    // Not rendered, or in a subtree the browser skips for now (content-visibility): reading it
    // would lay it out. Its block is measured again when it is laid out (its size changes).
    if (marker.checkVisibility && !marker.checkVisibility({ contentVisibilityAuto: true } as CheckVisibilityOptions)) return null;
    const range = (this.range ??= this.doc.createRange());
    range.setStart(first.node, first.from);
    range.setEnd(first.node, first.to);
    const line = firstLineBox(range.getClientRects());
    if (!line) return null;
    const box = marker.getBoundingClientRect();
    let scale = scales.get(placement.block);
    if (scale === undefined) scales.set(placement.block, (scale = scaleOf(placement.block)));
    const was = placement.at;
    const ownX = box.left - (was ? was.x * scale : 0);
    const ownY = box.top - (was ? was.y * scale : 0);
    return { x: round((line.left - ownX) / scale), y: round((line.top - ownY) / scale), height: round(line.height / scale) };
  }

  /** Writes a marker's place, unless it is where it was. */
  private write(mark: Mark, at: MarkerAt): void {
    const placement = this.placements.get(mark);
    if (!placement) return;
    const was = placement.at;
    if (was && Math.abs(at.x - was.x) < TOLERANCE && Math.abs(at.y - was.y) < TOLERANCE && Math.abs(at.height - was.height) < TOLERANCE) return;
    placement.at = at;
    mark.marker.setAttribute('style', markerStyle(placement.absolute, at));
  }

  private tell(): void {
    const busy = !this.isSettled;
    if (busy === this.busy) return;
    this.busy = busy;
    this.onBusyChange?.();
  }
}

/** The first line box of a text range: the first rectangle with a height. */
function firstLineBox(rects: DOMRectList): DOMRect | null {
  for (let i = 0; i < rects.length; i++) if (rects[i].height > 0) return rects[i];
  return null;
}

/** How many screen pixels a CSS pixel of the block is (a scaled or zoomed ancestor); 1 when it cannot tell. */
function scaleOf(block: Element): number {
  const layoutWidth = (block as HTMLElement).offsetWidth;
  const screenWidth = block.getBoundingClientRect().width;
  return layoutWidth > 0 && screenWidth > 0 ? screenWidth / layoutWidth : 1;
}

const round = (n: number) => Math.round(n * 100) / 100;
