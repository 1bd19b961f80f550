/**
 * Marker geometry: each marker's box, a thin bar (assets/marker.css), is moved over the start of
 * its mention's first line, so that hovering, clicking or focusing the marker element is hovering,
 * clicking or focusing the mention. The marker stands after the mention's run of text
 * (lib/annotate/marker-elements.ts), out of the text's flow; the distance from its own place to
 * the mention's first character is a translation, a transform, which changes no layout.
 *
 * Reading that distance needs layout. It is read in a ResizeObserver callback, which the browser
 * runs after its layout and before it paints, so reading forces no layout of its own; all the reads
 * of a pass come before all its writes, and a pass stops after READ_MS of reads (the rest waits for
 * the next frame). A pass is asked for when marks are made, and again for a block's marks when the
 * block holding them changes size (a resize, a rewrap, a font), when the page edits it, and for all
 * marks when fonts finish loading.
 */
import type { Mark } from './mark-store';
import { isAbsoluteMarker, markerStyle } from './marker-elements';

/** Reading per pass, in ms; writing (attributes only) takes a fraction of it. */
export const READ_MS = 6;
/** Marks read between two looks at the clock. */
const READ_STEP = 16;
/** Moves smaller than this (CSS pixels) are not written: a pass that finds nothing new writes nothing. */
const TOLERANCE = 0.25;

interface Placement {
  /** The element observed for the mark: its block. */
  block: Element;
  absolute: boolean;
  /** The translation written, once placed. */
  at: { x: number; y: number } | null;
}

interface Reading {
  /** The mention's first character's line box, and the marker's centre now (viewport pixels). */
  start: DOMRect;
  centreX: number;
  centreY: number;
  /** The marker's layout width (CSS pixels) and the block's on-screen scale. */
  width: number;
  scale: number;
}

type GeometryWindow = Window & typeof globalThis;

export class MarkerGeometry {
  private readonly observer: ResizeObserver | null;
  private readonly placements = new Map<Mark, Placement>();
  private readonly byBlock = new Map<Element, Set<Mark>>();
  /** Marks to measure in the next pass. */
  private readonly pending = new Set<Mark>();
  /** A frame is asked for to observe the pulse target again (a pass after the next layout). */
  private frame = 0;
  private range: Range | null = null;
  private busy = false;
  /** The window was resized: a pass is due after the next layout (what moved is known only then). */
  private resized = false;

  constructor(
    private readonly doc: Document,
    private readonly now: () => number,
    /** Told when the geometry goes from having work to having none, and back. */
    private readonly onBusyChange?: () => void,
  ) {
    const win = doc.defaultView as GeometryWindow | null;
    this.observer = typeof win?.ResizeObserver === 'function' && typeof win.requestAnimationFrame === 'function' ? new win.ResizeObserver(this.onResize) : null;
    doc.fonts?.addEventListener('loadingdone', this.onFonts);
    if (this.observer) win!.addEventListener('resize', this.onWindowResize, { passive: true });
  }

  /** True when no mark waits to be measured. */
  get isSettled(): boolean {
    return this.pending.size === 0 && !this.resized;
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
      this.pending.add(mark);
    }
    this.pulse();
  }

  /** Marks taken away. */
  forget(marks: Iterable<Mark>): void {
    for (const mark of marks) {
      const placement = this.placements.get(mark);
      if (!placement) continue;
      this.placements.delete(mark);
      this.pending.delete(mark);
      const inBlock = this.byBlock.get(placement.block);
      inBlock?.delete(mark);
      if (inBlock?.size === 0) {
        this.byBlock.delete(placement.block);
        this.observer?.unobserve(placement.block);
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
    this.resized = false;
    if (this.frame) this.doc.defaultView?.cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.placements.clear();
    this.byBlock.clear();
    this.pending.clear();
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
    this.pass();
  };

  /** Queues a block's marks; false when it holds none. */
  private dirty(block: Element): boolean {
    const marks = this.byBlock.get(block);
    if (!marks) return false;
    for (const mark of marks) this.pending.add(mark);
    return true;
  }

  /**
   * Asks for a pass after the next layout: the document element is observed afresh in the next
   * frame (a ResizeObserver reports a new target once, after layout). Observing it from inside the
   * observer's own callback would be a loop the browser reports as an error on the page.
   */
  private pulse(): void {
    this.tell();
    const win = this.doc.defaultView;
    if (this.frame || this.isSettled || !this.observer || !win) return;
    this.frame = win.requestAnimationFrame(() => {
      this.frame = 0;
      const root = this.doc.documentElement;
      this.observer!.unobserve(root);
      this.observer!.observe(root);
    });
  }

  /** Reads the pending marks' geometry (until READ_MS have passed), then writes their translations. */
  private pass(): void {
    this.resized = false;
    const start = this.now();
    const batch: Mark[] = [];
    const readings: (Reading | null)[] = [];
    const scales = new Map<Element, number>();
    for (const mark of this.pending) {
      batch.push(mark);
      readings.push(this.read(mark, scales));
      if (batch.length % READ_STEP === 0 && this.now() - start >= READ_MS) break;
    }
    for (let i = 0; i < batch.length; i++) {
      this.pending.delete(batch[i]);
      const reading = readings[i];
      if (reading) this.write(batch[i], reading);
    }
    this.range?.collapse(true);
    if (this.pending.size > 0) this.pulse();
    else this.tell();
  }

  private read(mark: Mark, scales: Map<Element, number>): Reading | null {
    const placement = this.placements.get(mark);
    const { marker } = mark;
    const first = mark.pieces[0];
    // (A stopped annotator no longer hears of the page's edits: its text may have changed.)
    if (!placement || !marker.isConnected || !first.node.isConnected || first.to > first.node.length) return null;
    // Not rendered, or in a subtree the browser skips for now (content-visibility): reading it
    // would lay it out. Its block is measured again when it is laid out (its size changes).
    if (marker.checkVisibility && !marker.checkVisibility({ contentVisibilityAuto: true } as CheckVisibilityOptions)) return null;
    const range = (this.range ??= this.doc.createRange());
    range.setStart(first.node, first.from);
    range.setEnd(first.node, first.to);
    const start = firstLineBox(range.getClientRects());
    if (!start) return null;
    const box = marker.getBoundingClientRect();
    let scale = scales.get(placement.block);
    if (scale === undefined) scales.set(placement.block, (scale = scaleOf(placement.block)));
    return { start, centreX: box.left + box.width / 2, centreY: box.top + box.height / 2, width: marker.offsetWidth, scale };
  }

  /**
   * The bar's left edge goes on the mention's first character, its middle on that line's middle.
   * The translation moves the box's centre (the transform's origin), so the centre without it is
   * the centre now less the translation written before, in screen pixels.
   */
  private write(mark: Mark, r: Reading): void {
    const placement = this.placements.get(mark)!;
    const was = placement.at ?? { x: 0, y: 0 };
    const ownX = r.centreX - was.x * r.scale;
    const ownY = r.centreY - was.y * r.scale;
    const x = round((r.start.left + (r.width * r.scale) / 2 - ownX) / r.scale);
    const y = round((r.start.top + r.start.height / 2 - ownY) / r.scale);
    if (placement.at && Math.abs(x - was.x) < TOLERANCE && Math.abs(y - was.y) < TOLERANCE) return;
    placement.at = { x, y };
    mark.marker.setAttribute('style', markerStyle(placement.absolute, placement.at));
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
