/**
 * Back-off per element: a page that keeps undoing our markers (a framework putting its own text
 * back as fast as we mark it) is left alone there after a few tries, instead of fighting it.
 */
import { parentOf } from './dom-info';
import type { Mark, MarkStore } from './mark-store';

/** A page that undoes our markers this many times within UNDO_WINDOW_MS is left alone there. */
const UNDO_LIMIT = 3;
const UNDO_WINDOW_MS = 10_000;

/** `node` is `at` or below it, shadow trees included: a host left alone is left alone inside its shadow root too. */
function holds(at: Element, node: Node): boolean {
  for (let n: Node | null = node; n; n = parentOf(n)) if (n === at) return true;
  return false;
}

export class UndoBackoff {
  private readonly undos = new WeakMap<Element, number[]>();
  private readonly blocked = new Set<Element>();

  constructor(
    private readonly store: MarkStore,
    private readonly now: () => number,
  ) {}

  /** Counts an undo at `at`; past the limit, `at` is left alone and its marks go to `remove`. */
  count(at: Element | null, remove: Set<Mark>): void {
    if (!at) return;
    const t = this.now();
    const times = (this.undos.get(at) ?? []).filter((x) => t - x < UNDO_WINDOW_MS);
    times.push(t);
    this.undos.set(at, times);
    if (times.length < UNDO_LIMIT || this.blocked.has(at)) return;
    // This page takes our markers out as fast as we add them: stop marking here.
    this.blocked.add(at);
    for (const mark of this.store.marks.values()) {
      if ((mark.block && holds(at, mark.block)) || holds(at, mark.pieces[0].node)) remove.add(mark);
    }
  }

  /**
   * True for a block inside an element left alone, or a run whose first node is (text in a shadow
   * root has its block outside the host, where the host stands in a paragraph).
   */
  isBlocked(block: Element | null, first?: Node): boolean {
    if (this.blocked.size === 0) return false;
    for (const b of this.blocked) if ((block && holds(b, block)) || (first && holds(b, first))) return true;
    return false;
  }
}
