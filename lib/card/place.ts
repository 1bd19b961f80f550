/** Positions the card next to its anchor (below if it fits, else above), inside the viewport. */
const GAP = 6;
const MARGIN = 8;
const MAX_WIDTH = 480;

/**
 * The part of the window a fixed box shows in: the viewport without its scrollbars, which
 * `innerWidth` and `innerHeight` count (a classic scrollbar would cover the card's edge). The
 * scrolling element is `<html>`, or `<body>` in quirks mode: its client size is the viewport's.
 */
function visibleSize(win: Window): { width: number; height: number } {
  const scroller = win.document.scrollingElement ?? win.document.documentElement;
  return { width: scroller?.clientWidth || win.innerWidth, height: scroller?.clientHeight || win.innerHeight };
}

export function placeCard(card: HTMLElement, win: Window, anchor: DOMRect | null): void {
  const { width: vw, height: vh } = visibleSize(win);
  const width = Math.min(MAX_WIDTH, vw - 2 * MARGIN);
  card.style.width = `${width}px`;
  if (!anchor) {
    // No anchor (a selection we could not measure): top right corner.
    card.style.left = `${vw - width - MARGIN}px`;
    card.style.top = `${MARGIN}px`;
    card.style.maxHeight = `${vh - 2 * MARGIN}px`;
    return;
  }
  const below = vh - anchor.bottom - GAP - MARGIN;
  const above = anchor.top - GAP - MARGIN;
  card.style.maxHeight = `${Math.max(160, Math.min(vh * 0.7, Math.max(below, above)))}px`;
  const height = card.getBoundingClientRect().height;
  const top = height <= below || below >= above ? anchor.bottom + GAP : anchor.top - GAP - height;
  const left = Math.min(Math.max(MARGIN, anchor.left), vw - width - MARGIN);
  card.style.left = `${Math.round(left)}px`;
  // Inside the window even when what it explains is not (a selection scrolled out of sight, a
  // pinned card's mention scrolled away): at its edge nearest the anchor.
  card.style.top = `${Math.round(Math.max(MARGIN, Math.min(top, vh - MARGIN - height)))}px`;
}
