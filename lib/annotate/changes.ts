/**
 * Reads the page's changes (MutationObserver records) in terms of what the annotator must do:
 * which marks to take away (the page wrote or removed their text, or removed their marker), which
 * parts of the page to scan again, and where the page undid our markers. The page's text is never
 * ours to restore: whatever the page wrote stays exactly as written (docs/page-integrity.md).
 */
import { MARKER_TAG } from './dom-info';
import type { Mark, MarkStore } from './mark-store';

export interface PageChanges {
  /** Marks to take away: the page wrote or removed their text, or removed their marker. */
  remove: Set<Mark>;
  /**
   * Text nodes the page wrote or added, and the first text node of each element it added: the run
   * holding each is matched again (lib/annotate/matched-runs.ts).
   */
  changedTexts: Text[];
  /** Where to scan again: a node (its scope is looked up by the caller) and whether shallowly. */
  rescan: [Node, boolean][];
  /** Elements where the page undid our markers (each counted once per delivery). */
  undoneAt: Set<Element>;
  /**
   * Copies of our markers the page added: Turbo keeps a clone of the page and puts it back on
   * Back, and `innerHTML +=` parses our markers again. Ours in form only (dead controls, bars where
   * the mention was), they are taken out; an element of that name holding anything is the page's.
   */
  copies: Element[];
}

/** Where a change counts: the element itself, a text node's parent, a shadow root's host (markers stand right under one). */
const elementOf = (node: Node): Element | null =>
  node.nodeType === 1 ? (node as Element) : node.nodeType === 11 ? ((node as ShadowRoot).host ?? null) : node.parentElement;

/** Whether `el` is an empty marker element the annotator did not make (a copy of one of ours). */
const isCopy = (el: Element, store: MarkStore): boolean => !store.isMarker(el) && !el.hasChildNodes();

/** The copies of our markers in an element the page added (itself included). */
function copiesIn(el: Element, store: MarkStore, found: Element[]): void {
  if (el.localName === MARKER_TAG) {
    if (isCopy(el, store)) found.push(el);
  } else if (el.firstElementChild) {
    for (const m of el.getElementsByTagName(MARKER_TAG)) if (isCopy(m, store)) found.push(m);
  }
}

/** The first text node inside an element (a run that reaches into the element holds it), or null. */
function firstTextIn(el: Element): Text | null {
  return el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */).nextNode() as Text | null;
}

/**
 * `inTurn`: we added markers in the task these records come right after, so a page change to
 * what we marked is a reaction to our markers (an undo), not the page's own update.
 */
export function readChanges(records: readonly MutationRecord[], store: MarkStore, inTurn: boolean): PageChanges {
  const changes: PageChanges = { remove: new Set(), changedTexts: [], rescan: [], undoneAt: new Set(), copies: [] };
  const putBack: PutBack | null = inTurn ? { removed: [], added: new Map() } : null;
  let sweep = false;
  for (const r of records) {
    if (r.type === 'characterData') readTextChange(r.target as Text, r.oldValue, store, inTurn, changes);
    else if (readChildChanges(r, store, putBack, changes)) sweep = true;
  }
  if (putBack) readPutBack(putBack, changes);
  // An element the page removed may have held marked text or markers: those marks go too.
  if (sweep) for (const mark of store.detached()) changes.remove.add(mark);
  return changes;
}

/**
 * What the page removed of ours and added, in the task right after we marked: removing what we
 * marked is undoing our markers only when the page puts the same text back in the same place (a
 * framework rendering its own content again). A log view that drops its oldest line, marked or
 * not, while it appends the next is not undoing anything.
 */
interface PutBack {
  /** Where the page removed marked text or an element holding our marker, and that text. */
  removed: { target: Node; texts: string[] }[];
  /** Nodes the page added, by parent. */
  added: Map<Node, Node[]>;
}

function readPutBack({ removed, added }: PutBack, changes: PageChanges): void {
  for (const { target, texts } of removed) {
    const back = added.get(target)?.some((n) => texts.includes(n.textContent ?? ''));
    const at = back ? elementOf(target) : null;
    if (at) changes.undoneAt.add(at);
  }
}

/**
 * The page wrote a text node (`data`, `nodeValue`, `appendData`, `insertData`, `normalize()`…).
 * Only writing back the very text it held, right after we marked it, is undoing our marks (a
 * framework rendering its own text again): a log tail appending its next line then is not.
 */
function readTextChange(t: Text, oldValue: string | null, store: MarkStore, inTurn: boolean, changes: PageChanges): void {
  const marks = store.marksOf(t);
  for (const mark of marks) changes.remove.add(mark);
  if (marks.length > 0 && inTurn && oldValue === t.data) {
    const at = elementOf(t);
    if (at) changes.undoneAt.add(at);
  }
  changes.changedTexts.push(t);
  changes.rescan.push([t, true]);
}

/** Nodes the page added or removed; returns whether removed elements may have held marks. */
function readChildChanges(r: MutationRecord, store: MarkStore, putBack: PutBack | null, changes: PageChanges): boolean {
  const target = r.target;
  let touchedOurs = false;
  let sweep = false;
  const removedTexts: string[] = [];
  r.removedNodes.forEach((n) => {
    if (store.isMarker(n)) {
      const mark = store.markOf(n as Element);
      touchedOurs = true;
      if (!mark) return;
      changes.remove.add(mark);
      // The page took out our marker and kept its own text: a page that undoes foreign nodes.
      const at = elementOf(target);
      if (at && mark.pieces[0].node.isConnected) changes.undoneAt.add(at);
    } else if (n.nodeType === 3) {
      const marks = store.marksOf(n as Text);
      for (const mark of marks) changes.remove.add(mark);
      if (marks.length === 0) return;
      touchedOurs = true;
      removedTexts.push((n as Text).data);
    } else if (n.nodeType === 1 && store.size > 0) {
      sweep = true;
      if (putBack && (n as Element).querySelector(MARKER_TAG)) removedTexts.push(n.textContent ?? '');
    }
  });
  if (putBack && removedTexts.length > 0) putBack.removed.push({ target, texts: removedTexts });
  if (putBack && r.addedNodes.length > 0) {
    const added = putBack.added.get(target);
    if (added) added.push(...r.addedNodes);
    else putBack.added.set(target, [...r.addedNodes]);
  }
  r.addedNodes.forEach((n) => {
    if (store.isMarker(n)) return;
    // An element may hold blocks of its own: its whole block is walked. New text changes the
    // runs of the block it is in.
    if (n.nodeType === 1) {
      copiesIn(n as Element, store, changes.copies);
      changes.rescan.push([n, false]);
      const first = firstTextIn(n as Element);
      if (first) changes.changedTexts.push(first);
    } else if (n.nodeType === 3) {
      changes.changedTexts.push(n as Text);
      changes.rescan.push([target, true]);
    }
  });
  if (touchedOurs) changes.rescan.push([target, true]);
  return sweep;
}
