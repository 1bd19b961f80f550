/**
 * Attribute changes that may move far blocks with nothing else to tell (lib/annotate/near-blocks.ts):
 * in an app shell the size of the viewport, a class or `hidden` that hides the tall section above
 * a panel, a `style` that moves a section, a `<details>` closed above. Our MutationObserver of the
 * page's nodes does not watch attributes; this one watches the few that CSS most often moves boxes
 * by, and only while far blocks wait (a look then reads them all: on a page without any, a
 * record is not even made). A MutationObserver does not see into shadow roots: each open shadow
 * root the annotator reads is observed too.
 */

const MOVING_ATTRIBUTES = ['class', 'style', 'hidden', 'open'];
const OBSERVED: MutationObserverInit = { attributes: true, attributeFilter: MOVING_ATTRIBUTES, subtree: true };

export class AttributeMoves {
  private readonly observer: MutationObserver | null;
  /** The document and the open shadow roots read. */
  private readonly roots = new Set<Node>();
  private on = false;

  /** `onMove`: the page changed one of those attributes (a batch of records, while on). */
  constructor(win: (Window & typeof globalThis) | null, doc: Document, onMove: () => void) {
    this.observer = typeof win?.MutationObserver === 'function' ? new win.MutationObserver(onMove) : null;
    this.roots.add(doc);
  }

  /** Watches an open shadow root too (while on). */
  addRoot(root: ShadowRoot): void {
    if (this.roots.has(root)) return;
    this.roots.add(root);
    if (this.on) this.observer!.observe(root, OBSERVED);
  }

  /** No longer watches a shadow root (an observer cannot let go of one target: the others are observed again). */
  removeRoot(root: ShadowRoot): void {
    if (!this.roots.delete(root) || !this.on) return;
    this.set(false);
    this.set(true);
  }

  /** Watches while `on` (far blocks wait). O(1) when that is so already. */
  set(on: boolean): void {
    if (on === this.on || !this.observer) return;
    this.on = on;
    if (on) for (const root of this.roots) this.observer.observe(root, OBSERVED);
    else this.observer.disconnect();
  }

  /**
   * Drops the records of our own writes (the marker places written in this task of ours: the
   * page's records of changes made before the task were delivered before it began).
   */
  dropOwn(): void {
    if (this.on) this.observer!.takeRecords();
  }
}
