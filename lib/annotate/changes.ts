/**
 * Reads the page's changes (MutationObserver records) in terms of what the annotator must do:
 * which split records to give back (and which originals the page itself wrote, so they keep the
 * page's text), which parts of the page to scan again, and where the page undid our markers.
 */
import { MARKER_TAG } from './dom-info';
import type { Marks, SplitRecord } from './marks';

export interface PageChanges {
  /** Records whose marks must go: the page wrote or removed their nodes. */
  restore: Set<SplitRecord>;
  /** Originals the page wrote: they keep the page's new text. */
  written: Set<Text>;
  /** Page text nodes whose text changed: to be matched again. */
  changedTexts: Text[];
  /** Where to scan again: a node (its scope is looked up by the caller) and whether shallowly. */
  rescan: [Node, boolean][];
  /** Elements where the page undid our markers (each counted once per delivery). */
  undoneAt: Set<Element>;
}

const elementOf = (node: Node): Element | null => (node.nodeType === 1 ? (node as Element) : node.parentElement);

/**
 * `inTurn`: we added markers in the task these records come right after, so a page change to
 * what we marked is a reaction to our markers (an undo), not the page's own update.
 */
export function readChanges(records: readonly MutationRecord[], marks: Marks, inTurn: boolean): PageChanges {
  const changes: PageChanges = { restore: new Set(), written: new Set(), changedTexts: [], rescan: [], undoneAt: new Set() };
  const undone = (el: Element | null) => el && changes.undoneAt.add(el);
  let sweep = false;
  for (const r of records) {
    const target = r.target;
    if (r.type === 'characterData') {
      const t = target as Text;
      const rec = marks.records.get(t) ?? marks.recordOfOwn(t);
      if (rec) {
        if (rec.original === t) changes.written.add(t);
        changes.restore.add(rec);
        if (inTurn) undone(elementOf(t));
      } else {
        changes.changedTexts.push(t);
      }
      changes.rescan.push([t, true]);
      continue;
    }
    let touchedOurs = false;
    r.removedNodes.forEach((n) => {
      const own = marks.recordOfOwn(n);
      if (own) {
        changes.restore.add(own);
        touchedOurs = true;
        // The page took out our node and kept its own: a page that undoes foreign nodes.
        if (own.original.isConnected) undone(elementOf(target));
      } else if (n.nodeType === 3) {
        const rec = marks.records.get(n as Text);
        if (rec) {
          changes.restore.add(rec);
          touchedOurs = true;
        }
      } else if (n.nodeType === 1 && marks.records.size > 0) {
        sweep = true;
        if (inTurn && (n as Element).querySelector(MARKER_TAG)) touchedOurs = true;
      }
    });
    if (touchedOurs && inTurn) undone(elementOf(target));
    r.addedNodes.forEach((n) => {
      if (marks.isOwn(n)) return;
      // An element may hold blocks of its own: its whole block is walked. New text changes the
      // runs of the block it is in.
      if (n.nodeType === 1) changes.rescan.push([n, false]);
      else if (n.nodeType === 3) changes.rescan.push([target, true]);
    });
    if (touchedOurs) changes.rescan.push([target, true]);
  }
  // An element the page removed may have held marked nodes: those records are given back too.
  if (sweep) for (const rec of marks.records.values()) if (!rec.original.isConnected) changes.restore.add(rec);
  return changes;
}
