/**
 * Which mark is under the pointer, and where a mark is on screen. A marker element holds no text
 * (lib/annotate/marker-elements.ts), so hovering a mention means hovering the page's own text: the
 * caret position under the pointer names a text node and an offset, and the marks covering that
 * node say whether the offset is theirs; the mark's text boxes confirm the pointer is on them.
 */
import { innermostTarget } from '../dom';
import { hostedRoot, type ShadowRootOf } from './dom-info';
import type { MarkPaint } from './mark-paint';
import type { Mark, MarkStore } from './mark-store';

interface Caret {
  node: Node;
  offset: number;
}

type CaretDocument = Document & {
  caretPositionFromPoint?(x: number, y: number, options?: { shadowRoots?: ShadowRoot[] }): { offsetNode: Node; offset: number } | null;
  caretRangeFromPoint?(x: number, y: number): Range | null;
};

/**
 * The innermost element an event happened at: its composed path's first node, and on into the
 * closed shadow roots `shadowRootOf` reaches, where the path stops at their host (a listener
 * outside sees no more): the element under the pointer for a mouse event, the root's focused
 * element for a key or focus event, and for the focus leaving, the element the focus came to there
 * last (the root may have no focused element by then).
 */
export class EventTargets {
  /** The element each closed root's last focus event came to. */
  private readonly focused = new WeakMap<ShadowRoot, Element>();

  constructor(private readonly shadowRootOf: ShadowRootOf) {}

  of(e: Event): EventTarget | null {
    const first = innermostTarget(e);
    let target = first;
    const pointer = 'clientX' in e ? (e as MouseEvent) : null;
    const leaving = e.type === 'focusout' || e.type === 'blur';
    for (let depth = 0; depth < 32 && target && (target as Node).nodeType === 1; depth++) {
      const host = target as Element;
      const root = hostedRoot(host, this.shadowRootOf);
      // An open root's host is where the path ends only for the host's own events.
      if (!root || (root.mode === 'open' && target === first)) break;
      const inner = pointer ? root.elementFromPoint(pointer.clientX, pointer.clientY) : leaving ? (this.focused.get(root) ?? null) : root.activeElement;
      if (!inner || inner === host) break;
      if (e.type === 'focusin' || e.type === 'focus') this.focused.set(root, inner);
      target = inner;
    }
    return target;
  }
}

/** The text position under a point (inside `shadow` when the point is over a shadow root's text). */
function caretAt(doc: Document, x: number, y: number, shadow: ShadowRoot | null): Caret | null {
  const d = doc as CaretDocument;
  if (d.caretPositionFromPoint) {
    const p = shadow ? d.caretPositionFromPoint(x, y, { shadowRoots: [shadow] }) : d.caretPositionFromPoint(x, y);
    return p ? { node: p.offsetNode, offset: p.offset } : null;
  }
  const r = d.caretRangeFromPoint?.(x, y);
  return r ? { node: r.startContainer, offset: r.startOffset } : null;
}

function within(rects: DOMRectList, x: number, y: number): boolean {
  for (let i = 0; i < rects.length; i++) {
    const r = rects[i];
    if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) return true;
  }
  return false;
}

/**
 * The mark at viewport point (x, y), or null. `target` is the innermost node the pointer event
 * was for (its composed path's first node): text under the pointer is one of its children, so an
 * element with no marked text of its own costs one lookup.
 */
export function markAt(doc: Document, store: MarkStore, paint: MarkPaint, x: number, y: number, target: Node | null): Mark | null {
  if (!target || store.size === 0 || !store.holdsMarkedText(target)) return null;
  const root = target.getRootNode() as Node & { host?: Element };
  const caret = caretAt(doc, x, y, root.host ? (root as ShadowRoot) : null);
  if (!caret || caret.node.nodeType !== 3) return null;
  for (const mark of store.marksOf(caret.node as Text)) {
    const piece = mark.pieces.find((p) => p.node === caret.node);
    if (!piece || caret.offset < piece.from || caret.offset > piece.to) continue;
    if (within(paint.liveRange(mark).getClientRects(), x, y)) return mark;
  }
  return null;
}

/** Where a mark's text starts on screen (its first line box), for placing its card. */
export function firstRectOf(mark: Mark, paint: MarkPaint): DOMRect {
  const rects = paint.liveRange(mark).getClientRects();
  return rects.length > 0 ? rects[0] : mark.marker.getBoundingClientRect();
}

/** The marker of the first mention starting in a link (the marker may stand after the link: marker-elements.ts). */
export function markerInLink(doc: Document, store: MarkStore, link: Element): HTMLElement | null {
  const texts = doc.createTreeWalker(link, 4 /* NodeFilter.SHOW_TEXT */);
  for (let t = texts.nextNode(); t; t = texts.nextNode()) for (const mark of store.marksOf(t as Text)) if (mark.pieces[0].node === t) return mark.marker;
  return null;
}

/** The link a marker's mention starts in, or null. */
export function linkOf(store: MarkStore, marker: Element): HTMLElement | null {
  return store.markOf(marker)?.pieces[0].node.parentElement?.closest<HTMLElement>('a[href]') ?? null;
}
