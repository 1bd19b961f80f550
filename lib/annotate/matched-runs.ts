/**
 * Which runs are matched already, so that a block scanned again (the page changed something in it,
 * a navigation, a mark given back) matches only the runs that changed. One entry per run worth
 * matching, under its first text node: its number of nodes and the length of its text. Any other
 * change to a run's text reaches us as a MutationObserver record and marks a node of the run as
 * changed (`changed`): the text the page wrote, a text node it added, or the first text node of
 * an element it added (a run that reaches into the element holds that node). A run with the same
 * nodes, the same length and no changed node has the same text: its matches are the same.
 *
 * An entry per run rather than per text node: a table entry for each of a big page's nodes was a
 * large share of the walk's time and of its garbage.
 *
 * The table may lose entries (lib/annotate/weak-table.ts drops tables whose nodes the page let
 * go): such a run is matched again, its old marks taken away first. An older entry may show
 * instead; it says "matched" only when it equals the run's shape, and a run not marked as changed
 * has the shape last recorded: its text is the text matched last.
 */
import { WeakTable } from './weak-table';

/** Node count and text length in one number (runs are cut well before 2^15 nodes). */
const shapeOf = (nodes: number, length: number) => length * 32_768 + nodes;

export class MatchedRuns {
  private runs = new WeakTable<Text, number>();
  /** Text nodes changed since their run was matched, and first nodes of runs asked for again (few: a WeakSet). */
  private dirty = new WeakSet<Text>();
  /** Nodes put in `dirty` and not taken out since (nodes the page removed stay counted: that is only slower). */
  private dirtyCount = 0;

  /** Whether the run of `texts` (text `length` long) was matched as it is now. */
  isMatched(texts: readonly Text[], length: number): boolean {
    const shape = this.runs.get(texts[0]);
    if (shape !== shapeOf(texts.length, length)) return false;
    if (this.dirtyCount > 0) for (const t of texts) if (this.dirty.has(t)) return false;
    return true;
  }

  /** Records the run of `texts` as matched with a text `length` long. */
  record(texts: readonly Text[], length: number): void {
    if (this.dirtyCount > 0) for (const t of texts) if (this.dirty.delete(t)) this.dirtyCount--;
    this.runs.set(texts[0], shapeOf(texts.length, length));
  }

  /** The run holding `node` is matched again the next time it is scanned, whatever its text. */
  matchAgain(node: Text): void {
    if (this.dirty.has(node)) return;
    this.dirty.add(node);
    this.dirtyCount++;
  }

  clear(): void {
    this.runs.clear();
    this.dirty = new WeakSet();
    this.dirtyCount = 0;
  }
}
