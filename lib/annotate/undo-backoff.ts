/**
 * Back-off per element: a page that keeps undoing our markers (a framework putting its own text
 * back as fast as we mark it) is left alone there after a few tries, instead of fighting it.
 */
import type { Mark, MarkStore } from './mark-store';

/** A page that undoes our markers this many times within UNDO_WINDOW_MS is left alone there. */
const UNDO_LIMIT = 3;
const UNDO_WINDOW_MS = 10_000;

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
      if ((mark.block && at.contains(mark.block)) || at.contains(mark.pieces[0].node)) remove.add(mark);
    }
  }

  /** True for a block inside an element left alone. */
  isBlocked(block: Element | null): boolean {
    if (!block || this.blocked.size === 0) return false;
    for (const b of this.blocked) if (b.contains(block)) return true;
    return false;
  }
}
