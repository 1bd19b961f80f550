/**
 * Markers and the bookkeeping that lets the page's text always be given back exactly.
 *
 * Marking a page text node O never moves or clones O: O stays where the page put it and keeps
 * the text before the first mark (possibly ""); the rest of its text goes into new nodes
 * inserted right after it (marker elements and plain text pieces, all ours). A split record
 * remembers O's whole text and our nodes, so that:
 * - when the page writes O (`nodeValue`, `data`), our nodes are removed and O holds exactly what
 *   the page wrote;
 * - when the page removes O, or one of our nodes, our nodes go and O gets its whole text back;
 * - on teardown every O gets its whole text back.
 * All of O's new nodes are built in one pass from O's text: linear in its length however many
 * matches it has (splitText per match would copy the node's text once per match).
 */
import type { Match } from '../matcher';
import type { TextPiece } from '../textmap';
import { GROUP_ATTR, MARKER_ATTR, MARKER_TAG, SEVERITY_ATTR, VARIANT_ATTR } from './dom-info';

export interface SplitRecord {
  original: Text;
  /** O's whole text when it was marked. */
  text: string;
  /** What O holds while marked (the text before its first mark). */
  head: string;
  /** Our nodes after O, in order. */
  nodes: Node[];
  groups: Set<number>;
}

export interface Group {
  id: number;
  match: Match;
  markers: HTMLElement[];
  records: Set<SplitRecord>;
  /** Found with page-wide context (URL, title, heading) in play: given back and matched again on navigation. */
  withPageContext: boolean;
  block: Element | null;
  severity: string | null;
}

/** One mention to mark: a match and the pieces of text nodes it covers. */
export interface MarkSpec {
  match: Match;
  pieces: TextPiece[];
  severity: string | null;
  withPageContext: boolean;
  block: Element | null;
}

interface Cut {
  from: number;
  to: number;
  group: Group;
  first: boolean;
}

/** Up to this many new nodes, a split inserts them one by one rather than through a fragment. */
const FEW_NODES = 4;
/** Pieces built between two looks at the clock. */
const BUILD_STEP = 32;

/** One page text node's marked form, being built. */
interface NodeBuild {
  original: Text;
  parent: ParentNode;
  /** O's text when the build began: the page must not have changed it by the time it goes in. */
  data: string;
  cuts: Cut[];
  inLink: boolean;
  /** Cuts built so far, and where the text after the last one starts. */
  done: number;
  pos: number;
  nodes: Node[];
  markers: [HTMLElement, Cut][];
}

/** Mentions being marked: their new nodes are built (possibly over several slices), then put in the page at once. */
export interface MarkBuild {
  groups: Group[];
  nodes: NodeBuild[];
  /** The node being built. */
  at: number;
}

export class Marks {
  readonly records = new Map<Text, SplitRecord>();
  readonly groups = new Map<number, Group>();
  private readonly ownNodes = new WeakMap<Node, SplitRecord>();
  private readonly markerGroups = new WeakMap<Element, Group>();
  private nextGroup = 1;
  created = 0;
  /**
   * Empty markers with every attribute but the group, one per kind (control or plain piece, entry,
   * severity, variant): a marker is a copy of its template, not built attribute by attribute.
   */
  private readonly templates = new Map<string, HTMLElement>();

  constructor(private readonly doc: Document) {}

  /** A node the annotator made: a marker or a text piece. */
  isOwn(node: Node): boolean {
    return this.ownNodes.has(node);
  }

  recordOfOwn(node: Node): SplitRecord | undefined {
    return this.ownNodes.get(node);
  }

  isMarker(el: Element): boolean {
    return this.markerGroups.has(el);
  }

  groupOfMarker(el: Element): Group | undefined {
    return this.markerGroups.get(el);
  }

  /** The group of a marker still in place: not a page-forged look-alike, not given back. */
  ownGroupOf(el: Element): Group | undefined {
    const g = this.markerGroups.get(el);
    return g !== undefined && this.groups.get(g.id) === g ? g : undefined;
  }

  /** True while O and our nodes are as we left them. */
  isIntact(r: SplitRecord): boolean {
    const parent = r.original.parentNode;
    if (!parent || r.original.data !== r.head) return false;
    return r.nodes.every((n) => n.parentNode === parent);
  }

  /**
   * Starts marking the given mentions (then `build`, then `commit`): nothing is built yet,
   * nothing in the page changes.
   */
  begin(specs: readonly MarkSpec[]): MarkBuild {
    const byNode = new Map<Text, Cut[]>();
    const groups: Group[] = [];
    for (const spec of specs) {
      const { match, withPageContext, block, severity } = spec;
      const group: Group = { id: this.nextGroup++, match, markers: [], records: new Set(), withPageContext, block, severity };
      spec.pieces.forEach((p, i) => {
        let cuts = byNode.get(p.node);
        if (!cuts) byNode.set(p.node, (cuts = []));
        cuts.push({ from: p.from, to: p.to, group, first: i === 0 });
      });
      groups.push(group);
    }
    // Nodes were met in document order, so each group's markers will be in document order too.
    const nodes = [...byNode].map(([original, cuts]): NodeBuild => {
      cuts.sort((a, b) => a.from - b.from);
      const parent = original.parentNode!;
      const inLink = (parent as Element).closest?.('a[href]') != null;
      return { original, parent, data: original.data, cuts, inLink, done: 0, pos: cuts[0].from, nodes: [], markers: [] };
    });
    return { groups, nodes, at: 0 };
  }

  /**
   * Builds the new nodes (not yet in the page), asking `more()` every BUILD_STEP pieces whether to
   * go on: a log of hundreds of mentions in one text node is built over several slices. Returns
   * true once everything is built.
   */
  build(b: MarkBuild, more: () => boolean): boolean {
    for (let built = 0; b.at < b.nodes.length; b.at++) {
      const n = b.nodes[b.at];
      const { data, cuts } = n;
      for (; n.done < cuts.length; n.done++) {
        if (built > 0 && built % BUILD_STEP === 0 && !more()) return false;
        built++;
        const cut = cuts[n.done];
        if (cut.from > n.pos) n.nodes.push(this.doc.createTextNode(data.slice(n.pos, cut.from)));
        const m = this.marker(cut.group, data.slice(cut.from, cut.to), cut.first, n.inLink);
        n.nodes.push(m);
        n.markers.push([m, cut]);
        n.pos = cut.to;
      }
      if (n.pos < data.length) n.nodes.push(this.doc.createTextNode(data.slice(n.pos)));
    }
    return true;
  }

  /**
   * Puts what was built into the page: each page text node keeps its head and gets our nodes
   * after it. Returns the markers made, first pieces first within a group; null, and nothing
   * changed, when the page has changed one of those nodes meanwhile.
   */
  commit(b: MarkBuild): HTMLElement[] | null {
    if (b.nodes.some((n) => n.original.data !== n.data || n.original.parentNode !== n.parent)) return null;
    const made: HTMLElement[] = [];
    for (const n of b.nodes) made.push(...this.insert(n));
    for (const g of b.groups) this.groups.set(g.id, g);
    this.created += made.length;
    return made;
  }

  /** `inLink`: inside a link the link is the control (its tab stop, its Enter); the marker adds none. */
  private marker(group: Group, text: string, first: boolean, inLink: boolean): HTMLElement {
    const m = this.template(group, first && !inLink).cloneNode(false) as HTMLElement;
    m.setAttribute(GROUP_ATTR, String(group.id));
    m.appendChild(this.doc.createTextNode(text));
    return m;
  }

  /** `control`: the first piece of a mention (outside a link), the one that takes focus and Enter. */
  private template(group: Group, control: boolean): HTMLElement {
    const { entryId } = group.match;
    const variant = (group.match as Match & { variant?: string | null }).variant ?? null;
    const key = `${control ? 'c' : 'p'}\u0000${entryId}\u0000${group.severity ?? ''}\u0000${variant ?? ''}`;
    let t = this.templates.get(key);
    if (!t) {
      t = this.doc.createElement(MARKER_TAG);
      t.setAttribute(MARKER_ATTR, entryId);
      if (group.severity) t.setAttribute(SEVERITY_ATTR, group.severity);
      if (variant) t.setAttribute(VARIANT_ATTR, variant);
      if (control) {
        // Only the first piece is a control; the others stay plain (and readable) text.
        t.setAttribute('tabindex', '0');
        t.setAttribute('role', 'button');
        t.setAttribute('aria-haspopup', 'dialog');
        t.setAttribute('aria-expanded', 'false');
      }
      this.templates.set(key, t);
    }
    return t;
  }

  /** O's marked form, built: O keeps its head, the rest goes into the new nodes after it. */
  private insert(n: NodeBuild): HTMLElement[] {
    const { original, parent, data } = n;
    const record: SplitRecord = { original, text: data, head: data.slice(0, n.cuts[0].from), nodes: n.nodes, groups: new Set() };
    const made: HTMLElement[] = [];
    for (const [m, cut] of n.markers) {
      cut.group.markers.push(m);
      cut.group.records.add(record);
      record.groups.add(cut.group.id);
      this.markerGroups.set(m, cut.group);
      made.push(m);
    }
    for (const node of record.nodes) {
      this.ownNodes.set(node, record);
      if (node.nodeType === 1) this.ownNodes.set(node.firstChild!, record);
    }
    const next = original.nextSibling;
    original.data = record.head;
    // A few nodes (one mention in a line: marker and tail) go in one by one; many (a log with
    // hundreds of mentions in one text node) in one fragment, one change for the page to see.
    if (record.nodes.length <= FEW_NODES) for (const node of record.nodes) parent.insertBefore(node, next);
    else {
      const fragment = this.doc.createDocumentFragment();
      for (const node of record.nodes) fragment.appendChild(node);
      parent.insertBefore(fragment, next);
    }
    this.records.set(original, record);
    return made;
  }

  /**
   * Undoes the records given and every record sharing a mention with them. `written` are
   * originals the page has just written: they keep the page's text. Returns the markers removed
   * and the blocks they were in.
   */
  restore(start: Iterable<SplitRecord>, written: ReadonlySet<Text> = new Set()): { markers: HTMLElement[]; blocks: Set<Element> } {
    const markers: HTMLElement[] = [];
    const blocks = new Set<Element>();
    const todo = [...start];
    const seen = new Set<SplitRecord>(todo);
    while (todo.length > 0) {
      const r = todo.pop()!;
      for (const id of r.groups) {
        const g = this.groups.get(id);
        if (!g) continue;
        this.groups.delete(id);
        markers.push(...g.markers);
        if (g.block) blocks.add(g.block);
        for (const other of g.records) {
          if (!seen.has(other)) {
            seen.add(other);
            todo.push(other);
          }
        }
      }
      for (const n of r.nodes) n.parentNode?.removeChild(n);
      if (!written.has(r.original) && r.original.data !== r.text) r.original.data = r.text;
      this.records.delete(r.original);
    }
    return { markers, blocks };
  }

  /** Undoes everything: every marked page node holds its whole text again. */
  restoreAll(): HTMLElement[] {
    return this.restore([...this.records.values()]).markers;
  }
}
