/**
 * Marks: the annotator's own record of each mention it marked. A mark is what was matched (entry,
 * variant, the page's reason text), the pieces of the page's text it covers and the marker element
 * standing for it. The page's text nodes are never split, moved or written (see
 * docs/page-integrity.md): a mark only points into them, its paint is a CSS highlight
 * (lib/annotate/mark-paint.ts) and its marker is an element of ours next to the text
 * (lib/annotate/marker-elements.ts). The card and the badge read a mark, never a marker's
 * attributes, which a page can rewrite.
 */
import type { Match } from '../matcher';
import type { TextPiece } from '../textmap';
import type { MentionOrder } from './text-order';

/** One marked mention. */
export interface Mark {
  id: number;
  match: Match;
  /** The page text it covers, in document order: node.data.slice(from, to) for each piece. */
  pieces: TextPiece[];
  /** That text, joined (the marker's accessible name). */
  text: string;
  /** The marker element: focusable, hoverable, in the page right after the mention's text. */
  marker: HTMLElement;
  /** Found with page-wide context (URL, title, heading) in play: dropped and matched again on navigation. */
  withPageContext: boolean;
  block: Element | null;
  /** The first text node of the run it was found in: its run is matched again when the mark is taken away. */
  runStart: Text;
  severity: string | null;
  /** Where its mention stands in the text's order, as its run's pass found it (lib/annotate/text-order.ts). */
  order?: MentionOrder;
}

/** One mention to mark: a match and the pieces of text nodes it covers. */
export interface MarkSpec {
  match: Match;
  pieces: TextPiece[];
  severity: string | null;
  withPageContext: boolean;
  block: Element | null;
  runStart: Text;
  order?: MentionOrder;
}

export class MarkStore {
  /** Marks in place, by id, in the order they were made. */
  readonly marks = new Map<number, Mark>();
  /**
   * The marks covering each page text node (a mention over three spans is under three nodes), and
   * the node's parent when it was marked.
   */
  private readonly byNode = new Map<Text, { marks: Mark[]; parent: Node | null }>();
  /** Every marker element ever made, to its mark (a page-forged look-alike is not in here). */
  private readonly byMarker = new WeakMap<Element, Mark>();
  /** Elements whose own child text nodes are marked, and how many such nodes each has. */
  private readonly markedParents = new WeakMap<Node, number>();
  private nextId = 1;
  /** Markers made so far. */
  created = 0;

  newId(): number {
    return this.nextId++;
  }

  get size(): number {
    return this.marks.size;
  }

  /** A marker element the annotator made (in place or not). */
  isMarker(node: Node): boolean {
    return this.byMarker.has(node as Element);
  }

  /** The mark of a marker still in place: not a page-forged look-alike, not taken away. */
  markOf(marker: Element): Mark | undefined {
    const mark = this.byMarker.get(marker);
    return mark !== undefined && this.marks.get(mark.id) === mark ? mark : undefined;
  }

  /** The marks covering a page text node (empty when none). */
  marksOf(node: Text): readonly Mark[] {
    return this.byNode.get(node)?.marks ?? NONE;
  }

  /** Whether a page text node is covered by a mark. */
  isMarked(node: Text): boolean {
    return this.byNode.has(node);
  }

  /** Whether an element has child text nodes that are marked (a cheap test before looking closer). */
  holdsMarkedText(el: Node): boolean {
    return (this.markedParents.get(el) ?? 0) > 0;
  }

  /** True while the mark's marker is in the page and the text it covers is what was marked. */
  isIntact(mark: Mark): boolean {
    if (!mark.marker.isConnected) return false;
    let text = '';
    for (const p of mark.pieces) {
      if (!p.node.isConnected) return false;
      text += p.node.data.slice(p.from, p.to);
    }
    return text === mark.text;
  }

  add(mark: Mark): void {
    this.marks.set(mark.id, mark);
    this.byMarker.set(mark.marker, mark);
    for (const { node } of mark.pieces) {
      const entry = this.byNode.get(node);
      if (entry) {
        // A short list is copied one longer, not pushed to: a pushed-to array keeps room for 17,
        // and most nodes keep a few marks. A long one (a log in one text node) is pushed to.
        if (!entry.marks.includes(mark)) {
          if (entry.marks.length < SHORT_LIST) entry.marks = entry.marks.concat(mark);
          else entry.marks.push(mark);
        }
        continue;
      }
      const parent = node.parentNode;
      this.byNode.set(node, { marks: [mark], parent });
      if (parent) this.markedParents.set(parent, (this.markedParents.get(parent) ?? 0) + 1);
    }
    this.created++;
  }

  /** Forgets a mark (its marker and paint are the caller's to take away). */
  delete(mark: Mark): boolean {
    if (this.marks.get(mark.id) !== mark) return false;
    this.marks.delete(mark.id);
    for (const { node } of mark.pieces) {
      const entry = this.byNode.get(node);
      if (!entry) continue;
      entry.marks = entry.marks.filter((m) => m !== mark);
      if (entry.marks.length > 0) continue;
      this.byNode.delete(node);
      const { parent } = entry;
      if (!parent) continue;
      const count = (this.markedParents.get(parent) ?? 1) - 1;
      if (count > 0) this.markedParents.set(parent, count);
      else this.markedParents.delete(parent);
    }
    return true;
  }

  /** The first text node of each mark made in `block`, but those of marks `pass` found (lib/annotate/text-order.ts). */
  firstTextsIn(block: Element, pass?: object): Text[] {
    const found: Text[] = [];
    for (const mark of this.marks.values()) if (mark.block === block && (pass === undefined || mark.order?.pass !== pass)) found.push(mark.pieces[0].node);
    return found;
  }

  /** Marks whose text or marker the page has taken out of the document. */
  detached(): Mark[] {
    const found: Mark[] = [];
    for (const mark of this.marks.values()) if (!this.isIntact(mark)) found.push(mark);
    return found;
  }
}

const NONE: readonly Mark[] = Object.freeze([]);
/** Marks of one text node up to which its list is copied rather than grown. */
const SHORT_LIST = 16;
