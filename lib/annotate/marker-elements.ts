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
import { MARKER_ATTR, MARKER_TAG, SEVERITY_ATTR, VARIANT_ATTR } from './dom-info';

/** Markers made from templates: one empty marker per kind (control or not, entry, severity, variant). */
export class MarkerFactory {
  private readonly templates = new Map<string, HTMLElement>();

  constructor(
    private readonly doc: Document,
    /** Markers are placed over their mentions (MarkerGeometry): off where nothing is laid out. */
    private readonly placed = true,
  ) {}

  /** A marker for a mention whose first text node's parent gives it `place`. */
  make(match: Match, severity: string | null, text: string, place: MarkerPlace): HTMLElement {
    const m = this.template(match, severity, !place.inLink).cloneNode(false) as HTMLElement;
    m.setAttribute('aria-label', text);
    if (place.absolute) m.setAttribute('style', markerStyle(true, null));
    return m;
  }

  /**
   * What a marker among `first`'s siblings must be. Reads the computed display of the box that
   * lays them out (a style read: the mark queue does it before it changes the page).
   */
  placeOf(first: Text): MarkerPlace {
    const parent = first.parentNode as Element;
    // A marker that is never placed needs no position, and no style read for one.
    const win = this.placed ? this.doc.defaultView : null;
    return { inLink: parent.closest?.('a[href]') != null, absolute: win ? laysOutItems(first, win) : false };
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

/** What a marker's place asks of it. */
export interface MarkerPlace {
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
 * Whether the box that lays out `first` and its siblings (the marker among them) lays them out as
 * items, not in lines: its parent in the flat tree (a slot when the parent hosts a shadow root),
 * past any `display: contents`.
 */
function laysOutItems(first: Text, win: Window): boolean {
  let box = flatParent(first);
  for (let depth = 0; box && depth < 16; depth++) {
    const display = win.getComputedStyle(box).display;
    if (display !== 'contents') return ITEM_LAYOUT.test(display);
    box = flatParent(box);
  }
  return false;
}

function flatParent(node: Node): Element | null {
  const slot = (node as Text | Element).assignedSlot;
  if (slot) return slot;
  const parent = node.parentNode;
  if (!parent) return null;
  return parent.nodeType === 11 ? ((parent as ShadowRoot).host ?? null) : (parent as Element);
}

/**
 * Where a mention's marker goes: after the run of sibling text nodes that holds the mention's first
 * piece, so that no marker ever stands between two of the page's text nodes (a page that calls
 * `normalize()` gets them merged as it expects) and the page's node keeps its place among its
 * siblings (its `firstChild`, its `previousSibling`); and after the markers there already, which
 * are of earlier mentions (a node the page streams into gets its new lines' markers last: the
 * keyboard goes through them in the text's order).
 */
export function markerPlace(first: Text): { parent: Node; before: Node | null } {
  let last: Node = first;
  while (last.nextSibling && last.nextSibling.nodeType === 3) last = last.nextSibling;
  let before = last.nextSibling;
  while (before !== null && (before as Element).localName === MARKER_TAG) before = before.nextSibling;
  return { parent: first.parentNode!, before };
}
