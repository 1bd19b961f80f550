/**
 * Where focus goes when a detached card closes (a pinned card whose mention the page took away,
 * lib/card/controller.ts): the close button that had it goes, and the browser would leave focus on
 * `<body>`, where Tab starts again from the card's host at the end of the document. The keyboard
 * user is put back where the mention was instead, never scrolling:
 *
 * 1. the mention made again (a marker of the same entry and text) inside what is left of the place
 *    it was in, the one nearest to where it was;
 * 2. else the nearest focusable element around that place (a notebook cell, a focusable post);
 * 3. else the last Tab stop before that place (Tab goes on from there into what followed the
 *    mention), else the first one after it.
 */
import { UI_HOST_SELECTOR } from './host';

/** What is known of the pinned mention once the page took it away. */
export interface LostMention {
  /** The mention's ancestors when it was pinned, innermost first. */
  ancestors: Element[];
  /** Markers made since for the same entry and the same text. */
  again: HTMLElement[];
  /** Where the mention was, in document coordinates. */
  at: { x: number; y: number } | null;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), summary, iframe, [tabindex], [contenteditable]:not([contenteditable="false"])';
const TAB_STOP = `:is(${FOCUSABLE}):not([tabindex^="-"])`;

const visible = (el: Element) => !el.checkVisibility || el.checkVisibility();

/** The marker made again nearest to where the mention was. */
function nearestAgain(lost: LostMention, place: Element, rectOf: (m: HTMLElement) => DOMRect, win: Window): HTMLElement | null {
  const here = lost.again.filter((m) => m.isConnected && place.contains(m));
  if (here.length === 0 || !lost.at) return here[0] ?? null;
  const at = lost.at;
  const distance = (m: HTMLElement) => {
    const r = rectOf(m);
    return Math.hypot(r.left + win.scrollX - at.x, r.top + win.scrollY - at.y);
  };
  return here.reduce((best, m) => (distance(m) < distance(best) ? m : best));
}

/** The last Tab stop before `place` in document order (found by bisection), else the first at or after it. */
function tabStopBy(doc: Document, place: Element): HTMLElement | null {
  const stops = [...doc.querySelectorAll<HTMLElement>(TAB_STOP)].filter((el) => !el.closest(UI_HOST_SELECTOR));
  // The first stop inside or after `place`.
  let lo = 0;
  let hi = stops.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const before = stops[mid].compareDocumentPosition(place) & Node.DOCUMENT_POSITION_FOLLOWING && !place.contains(stops[mid]);
    if (before) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) if (visible(stops[i])) return stops[i];
  for (let i = lo; i < stops.length; i++) if (visible(stops[i])) return stops[i];
  return null;
}

/** Where focus goes as a detached card closes (see the top of this file); null leaves it to the browser. */
export function focusAfterDetached(doc: Document, lost: LostMention, rectOf: (m: HTMLElement) => DOMRect): HTMLElement | null {
  const win = doc.defaultView;
  const place = lost.ancestors.find((el) => el.isConnected) ?? doc.body;
  if (!win || !place) return null;
  const again = nearestAgain(lost, place, rectOf, win);
  if (again) return again;
  for (let el: Element | null = place; el && el !== doc.body && el !== doc.documentElement; el = el.parentElement) {
    if (el.matches(FOCUSABLE) && visible(el)) return el as HTMLElement;
  }
  return tabStopBy(doc, place);
}
