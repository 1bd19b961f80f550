/**
 * Marker elements: one per mark, the public face of a mark (`<ibkr-error-mark
 * data-ibkr-error="<entry id>">`, see docs/marking.md). A marker holds no text: the page's text
 * stays in the page's own nodes, whole (docs/page-integrity.md), and the mention is painted there
 * (lib/annotate/mark-paint.ts). The marker is the control: it takes focus and Enter, carries the
 * mention's text as its accessible name, and sits in the page right after the mention's text; its
 * box, a thin bar that takes no room (assets/marker.css), is moved over the start of the mention
 * (lib/annotate/marker-geometry.ts).
 */
import type { Match } from '../matcher';
import { hostedRoot, MARKER_ATTR, MARKER_TAG, openShadowRoot, SEVERITY_ATTR, slotIn, VARIANT_ATTR, type ShadowRootOf } from './dom-info';
import { nodeBefore } from './text-order';

/** Markers made from templates: one empty marker per kind (control or not, entry, severity, variant). */
export class MarkerFactory {
  private readonly templates = new Map<string, HTMLElement>();

  constructor(
    private readonly doc: Document,
    /** Markers are placed over their mentions (MarkerGeometry): off where nothing is laid out. */
    private readonly placed = true,
    /** How a host's shadow root is reached: a closed root's host is a host too (never a marker among its children). */
    private readonly shadowRootOf: ShadowRootOf = openShadowRoot,
  ) {}

  /** A marker for a mention whose first text node's parent gives it `place`. */
  make(match: Match, severity: string | null, text: string, place: MarkerPlace): HTMLElement {
    const m = this.template(match, severity, !place.inLink).cloneNode(false) as HTMLElement;
    m.setAttribute('aria-label', text);
    if (place.absolute) m.setAttribute('style', markerStyle(true, null));
    return m;
  }

  /**
   * Where a mention's marker goes (`markerPlace`) and what that place asks of it. Reads computed
   * displays, bounded per marker (the mark queue does it before it changes the page); `displays`
   * keeps those read in one task, `links` whether a parent is in a link.
   */
  placeOf(first: Text, displays: Map<Element, string>, links?: Map<Node, boolean>): MarkerPlace {
    const parent = first.parentNode as Element;
    let inLink: boolean | undefined = links?.get(parent);
    if (inLink === undefined) {
      inLink = parent.closest?.('a[href]') != null;
      links?.set(parent, inLink);
    }
    // A marker that is never placed needs no position, and no style read for one.
    const win = this.placed ? this.doc.defaultView : null;
    const roots = this.shadowRootOf;
    if (!win) return { inLink, absolute: false, ...markerPlace(first, null, roots) };
    const displayOf = displayReader(win, displays);
    const spot = markerPlace(first, displayOf, roots);
    const box = spot.safe || spot.parent.nodeType === 11 ? layoutParent(spot.parent) : flatParent(first, roots);
    return { inLink, absolute: laysOutItems(box, displayOf, roots), parent: spot.parent, before: spot.before, safe: spot.safe };
  }

  private template(match: Match, severity: string | null, control: boolean): HTMLElement {
    const { entryId } = match;
    const variant = match.variant ?? null;
    const key = `${control ? 'c' : 'p'}\u0000${entryId}\u0000${severity ?? ''}\u0000${variant ?? ''}`;
    let t = this.templates.get(key);
    if (!t) {
      t = this.doc.createElement(MARKER_TAG);
      t.setAttribute(MARKER_ATTR, entryId);
      if (severity) t.setAttribute(SEVERITY_ATTR, severity);
      if (variant) t.setAttribute(VARIANT_ATTR, variant);
      if (control) {
        t.setAttribute('tabindex', '0');
        t.setAttribute('role', 'button');
        t.setAttribute('aria-haspopup', 'dialog');
        t.setAttribute('aria-expanded', 'false');
      } else {
        // Inside a link the link is what is announced (its text is the page's own): the marker's
        // label, which says what is marked, must not join the link's name.
        t.setAttribute('aria-hidden', 'true');
      }
      this.templates.set(key, t);
    }
    return t;
  }
}

/** Where a marker goes and what its place asks of it. */
export interface MarkerPlace extends MarkerSpot {
  /** Inside a link the link is the control (its tab stop, its Enter); the marker adds none. */
  inLink: boolean;
  /** Absolutely positioned, not floated: its siblings are flex, grid or table items. */
  absolute: boolean;
}

/** The custom property that makes a marker absolutely positioned (assets/marker.css). */
const POSITION_VAR = '--ibkr-position';

/** Where a placed marker's box goes: its translation from its own place, and its height (CSS pixels). */
export interface MarkerAt {
  x: number;
  y: number;
  height: number;
}

/**
 * A marker's style attribute (assets/marker.css): how its box is positioned and, once measured,
 * the scale that makes its 1px-high box as high as the mention's first line and the translation
 * that puts it over its mention (transforms only: placing a marker changes no layout).
 */
export function markerStyle(absolute: boolean, at: MarkerAt | null): string {
  const position = absolute ? `${POSITION_VAR}:absolute;` : '';
  return at ? `${position}--ibkr-scale:1 ${at.height};--ibkr-translate:${at.x}px ${at.y}px` : position;
}

/** Whether a marker is absolutely positioned (as `make` decided). */
export function isAbsoluteMarker(marker: HTMLElement): boolean {
  return marker.style.getPropertyValue(POSITION_VAR) === 'absolute';
}

/**
 * Displays whose children are items (flex, grid, table, ruby, math, the legacy -webkit-box): a
 * float there would be one of them (a gap, a grid cell, a table cell).
 */
const ITEM_LAYOUT = /flex|grid|box|ruby|math|table(?!-cell|-caption)/;

/**
 * Whether the box that lays out the marker among its siblings lays them out as items, not in
 * lines: `box`, the marker's parent in the flat tree (a slot when the parent hosts a shadow root),
 * past any `display: contents`.
 */
export function laysOutItems(box: Element | null, displayOf: (el: Element) => string, shadowRootOf = openShadowRoot): boolean {
  for (let depth = 0; box && depth < 16; depth++) {
    const display = displayOf(box);
    if (display !== 'contents') return ITEM_LAYOUT.test(display);
    box = flatParent(box, shadowRootOf);
  }
  return false;
}

/** The element whose box lays out a child of `parent` (a shadow root's host). */
export function layoutParent(parent: Node): Element | null {
  return parent.nodeType === 11 ? (parent as ShadowRoot).host : (parent as Element);
}

/** The element that lays `node` out: its slot when its parent hosts a shadow root (closed too), else its parent (a shadow root's host). */
function flatParent(node: Node, shadowRootOf: ShadowRootOf): Element | null {
  const parent = node.parentNode;
  if (!parent) return null;
  const root = parent.nodeType === 1 ? hostedRoot(parent as Element, shadowRootOf) : null;
  return (root && slotIn(root, node)) ?? layoutParent(parent);
}

/** Reads an element's computed display once per `displays` (one task's reads: the page's style does not change within it). */
export function displayReader(win: Window, displays = new Map<Element, string>()): (el: Element) => string {
  return (el) => {
    let display = displays.get(el);
    if (display === undefined) displays.set(el, (display = win.getComputedStyle(el).display));
    return display;
  };
}

/** A point in the page: a marker goes in `parent` before `before` (at its end when null). */
export interface MarkerSpot {
  parent: Node;
  before: Node | null;
  /** A point where a block-level box adds no line break to `innerText` (false: right after the mention's run). */
  safe?: boolean;
}

/**
 * Outer display types that make a box block-level: `innerText` puts a required line break around
 * it, which merges with the marker's own.
 */
const BLOCK_LEVEL = /^(block|flow-root|list-item|flex|grid|table|-webkit-box|-moz-box)$|^block |^(flow|flow-root) list-item$/;
/** Parts of a table that hold no text of their own (a box put in them gets an anonymous cell). */
const TABLE_PARTS = /^(inline-)?table(-row|-row-group|-header-group|-footer-group|-column|-column-group)?$/;
/** Element siblings looked at for a block-level one, at each level. */
const LOOK_AHEAD = 4;
/** Ancestors climbed for a block-level one: past that, the marker goes right after its run. */
const CLIMB = 32;

/** Whether an element's box is block-level (`<body>` and `<html>` count as such whatever their display). */
function isBlockLevel(el: Element, displayOf: (el: Element) => string): boolean {
  return BLOCK_LEVEL.test(displayOf(el)) || el.localName === 'body' || el.localName === 'html';
}

/**
 * Where a mention's marker goes. The marker's box is block-level (assets/marker.css), and the
 * `innerText` algorithm puts a required line break around a block-level box; next to another
 * required break (a block-level sibling's, the end of a block) it merges with it and adds
 * nothing. So the marker goes at the first such point after the run of sibling text nodes that
 * holds the mention's first piece (`safePointAfter`): right before a block-level sibling, or at
 * the end of a block-level ancestor. Never between two of the page's text nodes (a page that
 * calls `normalize()` gets them merged as it expects), and the page's nodes keep their places
 * among their siblings (`firstChild`, `previousSibling`). Markers already at that point are of
 * earlier mentions: the new one goes after them (a node the page streams into gets its new lines'
 * markers last, so the keyboard goes through them in the text's order). With no `displayOf` (no
 * layout) or past the climb's bound, it goes right after the run, as a place that needs no style
 * (at the end of the host's shadow root for a host's child, which right after the run would be
 * slotted).
 */
export function markerPlace(first: Text, displayOf: ((el: Element) => string) | null, shadowRootOf = openShadowRoot): MarkerSpot {
  let last: Node = first;
  while (last.nextSibling && last.nextSibling.nodeType === 3) last = last.nextSibling;
  const spot = displayOf && safePointAfter(last, displayOf, shadowRootOf);
  if (spot) return spot;
  // Never among a host's children: one there is slotted, or not rendered.
  const parent = first.parentNode!;
  const root = parent.nodeType === 1 ? hostedRoot(parent as Element, shadowRootOf) : null;
  return root ? { parent: root, before: null } : { parent, before: afterMarkers(last.nextSibling) };
}

/**
 * The first point after `node` where a block-level marker leaves `innerText` as it is: looking
 * ahead over a few element siblings for a block-level one (the marker goes right before it:
 * taking its parent's `:last-child` would restyle the page's last child), else the end of the
 * parent if that is block-level (after a table rather than in it), else the same from the parent.
 * The end of a block is also the end of the innermost element that ends it with `node`'s text
 * (the `<code>` of a `<pre>`, a link that ends its paragraph): the marker goes there, as deep as
 * it can (where it stood before, right after its mention's run, when that was such a point), but
 * not deeper than markers of earlier mentions standing there (text order).
 *
 * `innerText` reads each node tree alone (an element's reads its own tree's descendants: a host's
 * not its shadow tree, a slot's not the nodes slotted into it), in Chromium and Firefox ESR
 * alike. So the end of a shadow root is such a point too: no element of its tree holds it.
 * A slotted node is laid out where its slot is, and a point among its host's children would be
 * slotted too (or not rendered): the climb goes on from the slot, in the shadow tree (a closed
 * root's too, reached by `shadowRootOf`).
 * Null where the climb climbs too far or meets a host's child that is not slotted (not rendered).
 */
export function safePointAfter(node: Node, displayOf: (el: Element) => string, shadowRootOf = openShadowRoot): MarkerSpot | null {
  /** The innermost element whose end is the end of the block-level ancestor reached (nothing of the page's after `node` up to there). */
  let end: Element | ShadowRoot | null = null;
  for (let depth = 0; depth < CLIMB; depth++) {
    const parent = node.parentNode as Element | ShadowRoot | null;
    const inRoot = parent?.nodeType === 11;
    if (!parent || (!inRoot && parent.nodeType !== 1)) return null;
    const hosted = inRoot ? null : hostedRoot(parent as Element, shadowRootOf);
    if (hosted) {
      // A host's child is laid out where its slot is (not rendered where none takes it): what was
      // found in the light tree is no safe point there, the shadow tree holds the block.
      const slot = slotIn(hosted, node);
      if (!slot) return null;
      node = slot;
      end = null;
      continue;
    }
    const next = afterMarkers(node.nextSibling);
    let elements = 0;
    for (let sib = next; sib && elements < LOOK_AHEAD; sib = sib.nextSibling) {
      if (sib.nodeType !== 1 || (sib as Element).localName === MARKER_TAG) continue;
      elements++;
      if (isBlockLevel(sib as Element, displayOf)) return { parent, before: sib, safe: true };
    }
    if (next !== null) end = null;
    // Markers after `node` here (of mentions before it): the marker goes after them, not deeper.
    // Not a table's row, row group or the table itself: a marker there would be in a cell of its own.
    else if (end === null || node.nextSibling !== null) end = inRoot || !TABLE_PARTS.test(displayOf(parent as Element)) ? parent : null;
    if (inRoot) return { parent: end ?? parent, before: null, safe: true };
    if (isBlockLevel(parent as Element, displayOf)) {
      if (end !== null && end !== parent) return { parent: end, before: null, safe: true };
      if (displayOf(parent as Element) !== 'table') return { parent, before: null, safe: true };
      // Never inside a table (it would be a cell): right after it, a block-level box too.
      const outer = parent.parentNode;
      const open = outer?.nodeType === 11 || (outer?.nodeType === 1 && !hostedRoot(outer as Element, shadowRootOf));
      return open ? { parent: outer!, before: afterMarkers(parent.nextSibling), safe: true } : null;
    }
    node = parent;
  }
  return null;
}

/** The first node from `node` on that is not one of our markers. */
function afterMarkers(node: Node | null): Node | null {
  while (node !== null && (node as Element).localName === MARKER_TAG) node = node.nextSibling;
  return node;
}

/**
 * A point as a node and where at it: right before it, at its end, or inside it (in its shadow
 * tree, for a point compared with one of the host's tree).
 */
interface Point {
  node: Node;
  at: 0 | 1 | 2;
}
const BEFORE = 0;
const INSIDE = 1;
const END = 2;

/** Whether the point `a` comes before the point `b` in the text's order (the flat tree's, across shadow roots). */
export function spotBefore(a: MarkerSpot, b: MarkerSpot): boolean {
  if (a.parent === b.parent && a.before === b.before) return false;
  let pa: Point = a.before ? { node: a.before, at: BEFORE } : { node: a.parent, at: END };
  let pb: Point = b.before ? { node: b.before, at: BEFORE } : { node: b.parent, at: END };
  const ra = pa.node.getRootNode();
  const rb = pb.node.getRootNode();
  if (ra !== rb) {
    // In two trees: each compared as its host (or itself) in the tree the two share.
    const common = commonTree(ra, rb);
    if (!common) return false;
    pa = liftTo(pa, common);
    pb = liftTo(pb, common);
  }
  return pointBefore(pa, pb);
}

function pointBefore(a: Point, b: Point): boolean {
  const an = a.node;
  const bn = b.node;
  // The same node: right before it, then inside it, then its end.
  if (an === bn) return a.at < b.at;
  // bn inside an: before an is before it, an's end after it (so is an's shadow tree, after what is slotted).
  if (an.contains(bn)) return a.at === BEFORE;
  // bn holds an: bn's end (and bn's shadow tree) is after it, before bn before it.
  if (bn.contains(an)) return b.at !== BEFORE;
  // Apart: a walk of a few siblings, the browser's only past that (lib/annotate/text-order.ts).
  return nodeBefore(an, bn);
}

/** The tree of `a` and `b` (each a document or shadow root) that holds the other's host, if any. */
function commonTree(a: Node, b: Node): Node | null {
  const trees = new Set<Node>();
  for (let t: Node | null = a; t; t = outerTree(t)) trees.add(t);
  for (let t: Node | null = b; t; t = outerTree(t)) if (trees.has(t)) return t;
  return null;
}

function outerTree(tree: Node): Node | null {
  return tree.nodeType === 11 ? ((tree as ShadowRoot).host?.getRootNode() ?? null) : null;
}

/** A point in a shadow tree inside `tree` (a shadow root's end too), as a point inside its host there. */
function liftTo(p: Point, tree: Node): Point {
  let root = p.node.getRootNode();
  let point = p;
  while (root !== tree && root.nodeType === 11) {
    point = { node: (root as ShadowRoot).host, at: INSIDE };
    root = point.node.getRootNode();
  }
  return point;
}
