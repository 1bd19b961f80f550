/**
 * The page events the card reacts to: hover, focus, keys, clicks, scrolling and resizing. Each
 * handler turns an event into one thing the card does (lib/card/controller.ts); which element is
 * our marker is asked of `MarkerFinder`, so a page-made look-alike never opens a card.
 */
import type { PageListener } from '../page-listeners';
import type { CardController } from './controller';
import { markerDescription } from './views';

export interface MarkerFinder {
  /** The innermost node an event happened at (inside the closed shadow roots the annotator reads too). */
  targetOf(e: Event): EventTarget | null;
  /** Our marker at or around an event target, or null. */
  markerAt(target: EventTarget | null): HTMLElement | null;
  /** Our marker whose mention's text is under the pointer of a mouse event, or null. */
  markerUnder(e: Event): HTMLElement | null;
  /** Our first marker of a mention inside a link that is the target: the link keeps its own focus and Enter. */
  markerInLink(target: EventTarget | null): HTMLElement | null;
  /** The link a marker's mention is in (the marker stands where it adds no line break, maybe after the link), or null. */
  linkOf(marker: HTMLElement): HTMLElement | null;
}

interface Context {
  card: CardController;
  find: MarkerFinder;
  win: Window & typeof globalThis;
  /** The marker whose mention the pointer is on (its painted text, or the marker itself). */
  hovered: HTMLElement | null;
}

function enterMention({ card }: Context, marker: HTMLElement): void {
  card.keepOpen();
  if (card.state.isOpenFor(marker) || card.state.isDialog) return;
  card.showSoon(marker);
}

function leaveMention({ card }: Context, to: HTMLElement | null): void {
  if (to && card.state.isOpenFor(to)) return;
  card.cancelShow();
  if (card.state.mode.kind === 'tooltip' && !card.state.isDialog) card.hideSoon();
}

/**
 * Follows the pointer from mention to mention (mousemove and mouseover): a mention is the page's
 * own text, so moving within it, from one highlighter span to the next, is no change. The card's
 * own mouseenter and mouseleave keep it or let it go.
 */
function onPointer(c: Context, e: Event): void {
  if (c.card.ui.isCard(e.target)) {
    c.hovered = null;
    return;
  }
  const marker = c.find.markerAt(c.find.targetOf(e)) ?? c.find.markerUnder(e);
  if (marker === c.hovered) return;
  const left = c.hovered;
  c.hovered = marker;
  if (left) leaveMention(c, marker);
  if (marker) enterMention(c, marker);
}

function onMouseOut(c: Context, e: Event): void {
  // Out of the window.
  if ((e as MouseEvent).relatedTarget !== null || !c.hovered) return;
  c.hovered = null;
  leaveMention(c, null);
}

function onFocusIn({ card, find }: Context, e: Event): void {
  const target = find.targetOf(e);
  const marker = find.markerAt(target) ?? find.markerInLink(target);
  if (!marker || card.state.isReturning(target) || card.state.isOpenFor(marker)) return;
  const focused = target as Element;
  // Said once the entries' text is here (a marker can be focused before it arrives).
  card.whenEntryReady(marker, () => {
    const found = card.entryWord(marker);
    if (found && !focused.hasAttribute('aria-description')) focused.setAttribute('aria-description', markerDescription(found.entry, found.word));
  });
  card.show(marker);
}

function onFocusOut({ card, find }: Context, e: Event): void {
  const target = find.targetOf(e);
  const from = find.markerAt(target) ?? find.markerInLink(target);
  const to = (e as FocusEvent).relatedTarget;
  if (card.state.mode.kind === 'tooltip' && !card.state.isDialog && from && card.state.isOpenFor(from) && !card.ui.isCard(to)) card.hide();
}

/** What a marker's card hangs from for the keyboard: the marker, or the link that holds it (the marker then takes no focus). */
const focusTargetOf = (find: MarkerFinder, marker: HTMLElement): HTMLElement => find.linkOf(marker) ?? marker;

/**
 * Tab around a pinned card as if the card stood right after its marker in the page: its host is
 * at the end of the document, so Tab would reach it from the page's last control and leave it for
 * the page's top. Tab on the marker goes into the card, Shift+Tab on the card's first stop goes
 * back to the marker, and Tab on its last stop goes on from the marker (focus is moved there and
 * the browser's own Tab, not prevented, goes to what follows it). True when it took the key.
 */
function onTab({ card, find }: Context, ev: KeyboardEvent): boolean {
  const { mode } = card.state;
  if (mode.kind !== 'tooltip' || !mode.pinned) return false;
  const target = find.targetOf(ev);
  const from = focusTargetOf(find, mode.marker);
  const stops = card.stops();
  if (stops.length === 0) return false;
  if (!ev.shiftKey && target === from) {
    ev.preventDefault();
    stops[0].focus();
    return true;
  }
  const back = ev.shiftKey && target === stops[0];
  if (!back && !(!ev.shiftKey && target === stops[stops.length - 1])) return false;
  if (back) ev.preventDefault();
  from.focus({ preventScroll: true });
  return true;
}

function onKeyDown(c: Context, e: Event): void {
  const { card, find } = c;
  const ev = e as KeyboardEvent;
  if (ev.key === 'Tab' && onTab(c, ev)) return;
  if (ev.key === 'Escape' && card.state.mode.kind !== 'hidden') {
    // A hover tooltip closes, and the page still gets its Escape; a pinned card or a panel is a
    // dialog the user opened, so the Escape is ours.
    if (!card.state.isDialog) return card.hide();
    card.hide(true);
    ev.stopPropagation();
    return;
  }
  const marker = find.markerAt(find.targetOf(ev));
  // Inside a link, Enter follows the link: the marker never takes it.
  if (marker && !find.linkOf(marker) && (ev.key === 'Enter' || ev.key === ' ')) {
    ev.preventDefault();
    card.show(marker, true);
  }
}

function onClick({ card, find, win }: Context, e: Event): void {
  // A click on a mention's text (not the end of a drag that selects text) is a click on its marker.
  const selecting = win.getSelection()?.isCollapsed === false;
  const marker = find.markerAt(find.targetOf(e)) ?? (selecting ? null : find.markerUnder(e));
  if (marker) {
    // A mention inside a link keeps the link working; elsewhere a click pins the card.
    if (find.linkOf(marker) || (e.target instanceof win.Element && e.target.closest('a'))) return;
    e.preventDefault();
    card.show(marker, true);
    return;
  }
  if (!card.ui.isCard(e.target) && card.state.isDialog) card.hide();
}

function onScroll({ card }: Context): void {
  // A hover tooltip goes when its mention moves from under the pointer (a box that scrolled
  // elsewhere moved nothing of it); a pinned card follows its marker, and so does the tooltip of a
  // focused marker (the browser scrolls a marker the keyboard reached into view).
  const { mode } = card.state;
  if (mode.kind !== 'tooltip') return;
  if (card.state.isDialog || mode.marker.matches(':focus')) card.place();
  else if (card.anchorMoved()) card.hide();
}

/** The listeners to add to (and later remove from) the document and the window. */
export function pageListeners(card: CardController, find: MarkerFinder, doc: Document): PageListener[] {
  const c: Context = { card, find, win: doc.defaultView as Window & typeof globalThis, hovered: null };
  const on = (fn: (c: Context, e: Event) => void): EventListener => (e) => fn(c, e);
  const passive = { capture: true, passive: true };
  const capture = { capture: true };
  return [
    [doc, 'mousemove', on(onPointer), passive],
    [doc, 'mouseover', on(onPointer), passive],
    [doc, 'mouseout', on(onMouseOut), passive],
    [doc, 'focusin', on(onFocusIn), capture],
    [doc, 'focusout', on(onFocusOut), capture],
    [doc, 'keydown', on(onKeyDown), capture],
    [doc, 'click', on(onClick), capture],
    [doc, 'scroll', on(onScroll), passive],
    [c.win, 'resize', () => card.place(), { passive: true }],
  ];
}
