/**
 * Taking marks away: a mark's marker leaves the page, its paint goes and the annotator forgets it.
 * The page's text was never changed, so there is nothing to give back; what the text now holds is
 * matched again where asked.
 */
import type { MarkPaint } from './mark-paint';
import type { Mark, MarkStore } from './mark-store';
import type { MarkerGeometry } from './marker-geometry';
import type { MatchedRuns } from './matched-runs';

export class MarkRemoval {
  constructor(
    private readonly store: MarkStore,
    private readonly paint: MarkPaint,
    private readonly geometry: MarkerGeometry | null,
    /** Runs already matched. */
    private readonly matched: MatchedRuns,
    /** Queues a block whose marks were taken away, to be matched again. */
    private readonly requeue: (block: Element) => void,
    private readonly onMarkersRemoved?: (markers: HTMLElement[]) => void,
  ) {}

  /** Takes marks away (a run about to be matched again). */
  remove(marks: Iterable<Mark>): void {
    const markers: HTMLElement[] = [];
    const gone: Mark[] = [];
    for (const mark of marks) {
      if (!this.store.delete(mark)) continue;
      gone.push(mark);
      markers.push(mark.marker);
      mark.marker.parentNode?.removeChild(mark.marker);
    }
    this.paint.unpaint(gone);
    this.geometry?.forget(gone);
    if (markers.length > 0) this.onMarkersRemoved?.(markers);
  }

  /** Takes marks away and queues their text to be matched again (the page changed it, or its context). */
  removeAndRequeue(marks: Iterable<Mark>): void {
    const list = [...marks];
    if (list.length === 0) return;
    const blocks = new Set<Element>();
    for (const mark of list) {
      this.matched.matchAgain(mark.runStart);
      if (mark.block) blocks.add(mark.block);
    }
    this.remove(list);
    for (const b of blocks) this.requeue(b);
  }

  /** Takes away what was found with the page's context (URL, title, heading) in play, to be matched again. */
  removeFoundWithPageContext(): void {
    const found: Mark[] = [];
    for (const mark of this.store.marks.values()) if (mark.withPageContext) found.push(mark);
    this.removeAndRequeue(found);
  }

  /** Takes every mark away, and our paint with them. */
  removeAll(): void {
    this.remove([...this.store.marks.values()]);
    this.paint.clear();
  }
}
