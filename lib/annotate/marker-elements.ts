/**
 * Marker elements: one per mark, the public face of a mark (`<ibkr-error-mark
 * data-ibkr-error="<entry id>">`, see docs/marking.md). A marker holds no text: the page's text
 * stays in the page's own nodes, whole (docs/page-integrity.md), and the mention is painted there
 * (lib/annotate/mark-paint.ts). The marker is the control: it takes focus and Enter, carries the
 * mention's text as its accessible name, and sits in the page right after the mention's text.
 */
import type { Match } from '../matcher';
import { MARKER_ATTR, MARKER_TAG, SEVERITY_ATTR, VARIANT_ATTR } from './dom-info';

/** Markers made from templates: one empty marker per kind (control or not, entry, severity, variant). */
export class MarkerFactory {
  private readonly templates = new Map<string, HTMLElement>();

  constructor(private readonly doc: Document) {}

  /**
   * A marker for a mention. `inLink`: inside a link the link is the control (its tab stop, its
   * Enter); the marker adds none.
   */
  make(match: Match, severity: string | null, text: string, inLink: boolean): HTMLElement {
    const m = this.template(match, severity, !inLink).cloneNode(false) as HTMLElement;
    m.setAttribute('aria-label', text);
    return m;
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

/**
 * Where a mention's marker goes: after the run of sibling text nodes that holds the mention's first
 * piece, so that no marker ever stands between two of the page's text nodes (a page that calls
 * `normalize()` gets them merged as it expects) and the page's node keeps its place among its
 * siblings (its `firstChild`, its `previousSibling`).
 */
export function markerPlace(first: Text): { parent: Node; before: Node | null } {
  let last: Node = first;
  while (last.nextSibling && last.nextSibling.nodeType === 3) last = last.nextSibling;
  return { parent: first.parentNode!, before: last.nextSibling };
}
