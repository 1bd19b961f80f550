/**
 * The page's containers far from the viewport, read when they come near: on a long thread most of
 * the walk, the matching and the marking is for comments many screens away. A container is a
 * site's unit (GitHub's timeline item: the comment with its header, avatar and reactions, told
 * without going in), else a post (`ElementInfo.unit`). The walk offers each one it meets; it is
 * left unread and looked at with the blocks whose markers wait to be placed (one rectangle each,
 * on a clean layout after a frame, found again by arithmetic as the page scrolls:
 * lib/annotate/near-blocks.ts, lib/annotate/marker-geometry.ts); one found near is walked as a
 * root of its own. The page's changes inside a container left unread need nothing until it is
 * read; one removed meanwhile is forgotten. A hidden page (a background tab) reads everything:
 * no frame comes there to tell near from far, and nobody is looking at it then.
 */
import type { DomInfo } from './dom-info';
import type { MarkerGeometry } from './marker-geometry';

export class FarUnits {
  constructor(
    private readonly doc: Document,
    private readonly dom: DomInfo,
    private readonly geometry: MarkerGeometry,
    /** Walks a container found near. */
    read: (unit: Element) => void,
  ) {
    geometry.onUnitsNear((units) => {
      for (const unit of units) if (unit.isConnected) read(unit);
    });
  }

  /** The walk met a container: true when it is left until it comes near. */
  leave(unit: Element): boolean {
    if (this.doc.visibilityState === 'hidden') return false;
    this.geometry.waitUntilNear(unit);
    return true;
  }

  /** Whether a root to walk is in a container left unread (a page change there waits for it). */
  holds(root: Node): boolean {
    const { unit } = this.dom.infoAt(root);
    return unit !== null && this.geometry.isUnitWaiting(unit);
  }
}
