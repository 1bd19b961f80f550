/**
 * The context a huge block the page streams lines into gives its lines (lib/annotate/block-streams.ts).
 * A line's short messages count by the text of its context block (a `<pre>`), read up to
 * CONTEXT_TEXT_LIMIT characters (lib/annotate/page-context.ts): a window on the block's start,
 * which the page moves on each time it removes the oldest lines, and fills while the block is
 * shorter. Read again at each edit, it would be 20,000 characters a delivery.
 *
 * So the window is followed: where it ends (a text node, and how much of it is in), and, per kind
 * of context, the text node where its last sign in the window starts. An edit reads only the text
 * that enters the window (as much as the page removed, or appended to a short block), and a kind
 * is gone when the page has removed the node of its last sign: signs enter at the window's end and
 * leave at its start, so none is left behind it.
 */
import { CONTEXT_KINDS, type ContextKind } from '../../knowledge/schema';
import { lastSignStart, SIGN_REACH } from '../context-signs';
import { CONTEXT_TEXT_LIMIT } from './page-context';

/** Text entering the window read for signs in one piece, at most. */
const PIECE = 4_096;

type ContextKinds = Record<ContextKind, boolean>;
/** The kinds of context a window shows now and did not (`gained`), and the other way (`lost`). */
export interface ContextChange {
  gained: ContextKind[];
  lost: ContextKind[];
}

export class BlockWindow {
  private readonly walker: TreeWalker;
  /** Characters of the element's text in the window. */
  private length = 0;
  /** Characters of the walker's node in the window (the window may end inside it). */
  private inNode = 0;
  /** The last text node whose start entered the window (the walker's current node), or null before the first. */
  private node: Text | null = null;
  /** The window's last SIGN_REACH characters, and the nodes they start in (a sign may start in an earlier node). */
  private tail = '';
  private tailNodes: { node: Text; at: number }[] = [];
  /** Per kind, the node its last sign in the window starts in. */
  private readonly lastSign: Record<ContextKind, Text | null> = { ibkr: null, cpapi: null };
  /** The kinds of context the window showed when last read. */
  private shown: ContextKinds;

  constructor(readonly el: Element) {
    this.walker = el.ownerDocument.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
    this.fill();
    this.shown = this.kinds();
  }

  /**
   * The page removed `chars` characters of text at the element's start and may have appended at
   * its end: the text that enters the window is read. Returns the kinds of context gained and
   * lost, or null when the window's end was removed too (the block is to be read whole again).
   */
  moved(chars: number): ContextChange | null {
    if (this.node !== null && !this.el.contains(this.node)) return null;
    this.length = Math.max(0, this.length - chars);
    this.fill();
    const before = this.shown;
    const after = (this.shown = this.kinds());
    return { gained: CONTEXT_KINDS.filter((k) => after[k] && !before[k]), lost: CONTEXT_KINDS.filter((k) => before[k] && !after[k]) };
  }

  /** The kinds of context the window shows: the node of its last sign is still in the element. */
  private kinds(): ContextKinds {
    const shows = (kind: ContextKind) => this.lastSign[kind] !== null && this.el.contains(this.lastSign[kind]);
    return { ibkr: shows('ibkr'), cpapi: shows('cpapi') };
  }

  /** Reads text into the window up to CONTEXT_TEXT_LIMIT characters, a piece at a time. */
  private fill(): void {
    let text = this.tail;
    let nodes = this.tailNodes;
    const readPiece = () => {
      this.findSigns(text, nodes);
      this.tail = text.slice(-SIGN_REACH);
      const cut = text.length - this.tail.length;
      nodes = nodes.filter((_, i) => i === nodes.length - 1 || nodes[i + 1].at > cut).map((n) => ({ node: n.node, at: n.at - cut }));
      this.tailNodes = nodes;
      text = this.tail;
    };
    while (this.length < CONTEXT_TEXT_LIMIT) {
      // What is left of the node the window ends in, then the next nodes.
      let node = this.node;
      if (node === null || this.inNode >= node.data.length) {
        const next = this.walker.nextNode() as Text | null;
        if (next === null) break;
        node = this.node = next;
        this.inNode = 0;
        nodes.push({ node, at: text.length });
      }
      const take = Math.min(node.data.length - this.inNode, CONTEXT_TEXT_LIMIT - this.length);
      text += node.data.slice(this.inNode, this.inNode + take);
      this.inNode += take;
      this.length += take;
      if (text.length - this.tail.length >= PIECE) readPiece();
    }
    if (text.length > this.tail.length) readPiece();
  }

  /** Notes the node the last sign of each kind in `text` starts in (`nodes`: where each node's text starts in it). */
  private findSigns(text: string, nodes: readonly { node: Text; at: number }[]): void {
    for (const kind of CONTEXT_KINDS) {
      const at = lastSignStart(text, kind);
      if (at < 0) continue;
      let i = nodes.length - 1;
      while (i > 0 && nodes[i].at > at) i--;
      if (i >= 0) this.lastSign[kind] = nodes[i].node;
    }
  }
}
