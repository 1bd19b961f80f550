/**
 * The in-page card: a tooltip for markers and the "Explain selection" panel, one component in an
 * open shadow root (lib/card/host.ts), so host-page CSS cannot reach it and its CSS cannot reach
 * the host page. Created lazily, on the first hover, focus or explanation: a page with nothing to
 * explain gets no extra element.
 *
 * The parts: what the card does (lib/card/controller.ts) with its state (state.ts), what it shows
 * (views.ts), where it goes (place.ts), the page events it follows (listeners.ts).
 */
import type { KnowledgeBase } from '../knowledge/schema';
import { MARKER_TAG } from './annotate';
import { CardController } from './card/controller';
import { type EntriesLoader, knowledgeSource } from './card/knowledge-source';
import { pageListeners, type MarkerFinder } from './card/listeners';
import type { Explanation } from './explain';
import type { Match } from './matcher';
import { innermostTarget } from './dom';
import { listenOnPage } from './page-listeners';

export { NO_MATCH_MESSAGE } from './card/views';
export { ACTIVE_ATTR } from './card/state';

const SHOW_DELAY_MS = 150;
/** A tooltip the pointer left hides after this long (coming back keeps it). */
export const HIDE_DELAY_MS = 250;

export interface OverlayOptions {
  doc: Document;
  /**
   * The knowledge base, or a loader of entries: the content script asks the background for an
   * entry's text the first time a card needs it (lib/knowledge-request.ts).
   */
  knowledge: KnowledgeBase | EntriesLoader;
  /** CSS for the shadow root (entry.css + overlay.css + entry-actions.css). */
  css: string;
  /**
   * The annotator's record of a marker: the entry, variant and reason the card explains. A marker
   * without one (a page-made look-alike, a marker the annotator dropped) gets no card, and a
   * page that rewrites a marker's `data-ibkr-error` does not change what its card says.
   */
  matchOf: (marker: HTMLElement) => Match | undefined;
  /** Every piece of the mention a marker belongs to (an error split across elements). */
  groupOf?: (marker: HTMLElement) => HTMLElement[];
  /** Hover delay before the tooltip shows, read at each hover (a setting may change it). */
  showDelay?: () => number;
  /** Delay before a tooltip the pointer left hides, read each time. */
  hideDelay?: () => number;
  /**
   * The marker of the mention under a viewport point. A marker holds no text: the mention is the
   * page's own text, painted (lib/annotate.ts), so the pointer is on a mention when it is on that
   * text. `target`: the pointer event's innermost node.
   */
  markerAt?: (x: number, y: number, target: Node | null) => HTMLElement | null;
  /** The innermost node an event happened at (default: its composed path's first), inside the closed shadow roots the annotator reads too. */
  targetOf?: (e: Event) => EventTarget | null;
  /**
   * The marker of a mention in a link, and the link a marker's mention is in: a marker stands
   * where it adds no line break to the page's text, which may be after the link.
   */
  markerInLink?: (link: HTMLAnchorElement) => HTMLElement | null;
  linkOf?: (marker: HTMLElement) => HTMLElement | null;
  /** Where a marker's mention starts on screen, to place its card (defaults to the marker's box). */
  rectOf?: (marker: HTMLElement) => DOMRect;
  /** The mention whose card opens or closes, to paint it as the open one. */
  onActive?: (marker: HTMLElement, active: boolean) => void;
}

export interface Overlay {
  /** Shows the tooltip for a marker; `pinned` turns it into a dialog that keeps focus. */
  show(marker: HTMLElement, pinned?: boolean): void;
  /**
   * Shows the "Explain selection" panel near `anchor` (viewport coordinates); `note` says what was
   * left out of a long selection.
   */
  explain(selection: string, result: Explanation | null, anchor?: DOMRect | null, note?: string | null): void;
  hide(): void;
  /** The annotator took these markers away (the page changed their text). */
  markersRemoved(markers: HTMLElement[]): void;
  /** The annotator made this marker. */
  markerAdded(marker: HTMLElement): void;
  /** The shadow root, once created. */
  readonly root: ShadowRoot | null;
  destroy(): void;
}

/** Finds our markers by the annotator's record alone (a marker whose attribute the page removed is still ours). */
function markerFinder(doc: Document, options: OverlayOptions): MarkerFinder {
  const { matchOf } = options;
  const win = doc.defaultView as Window & typeof globalThis;
  const ours = (el: Element | null) => (el instanceof win.HTMLElement && matchOf(el) !== undefined ? el : null);
  const targetOf = options.targetOf ?? innermostTarget;
  return {
    targetOf,
    // Markers hold nothing: the pointer or the focus is on one only when it is the target itself.
    markerAt: (target) => (target instanceof win.Element && target.localName === MARKER_TAG ? ours(target) : null),
    markerUnder(e) {
      const m = e as MouseEvent;
      const target = (targetOf(m) as Node | null) ?? null;
      return options.markerAt?.(m.clientX, m.clientY, target) ?? null;
    },
    markerInLink(target) {
      if (!(target instanceof win.HTMLAnchorElement)) return null;
      for (const m of target.querySelectorAll(MARKER_TAG)) if (ours(m)) return m as HTMLElement;
      return options.markerInLink?.(target) ?? null;
    },
    linkOf: (marker) => marker.closest('a') ?? options.linkOf?.(marker) ?? null,
  };
}

export function createOverlay(options: OverlayOptions): Overlay {
  const { doc } = options;
  const card = new CardController({
    doc,
    css: options.css,
    knowledge: knowledgeSource(options.knowledge),
    showDelay: options.showDelay ?? (() => SHOW_DELAY_MS),
    hideDelay: options.hideDelay ?? (() => HIDE_DELAY_MS),
    groupOf: options.groupOf ?? ((m) => [m]),
    matchOf: options.matchOf,
    rectOf: options.rectOf ?? ((m) => m.getBoundingClientRect()),
    onActive: options.onActive,
  });
  const unlisten = listenOnPage(doc, pageListeners(card, markerFinder(doc, options), doc));
  return {
    show: (marker, pinned) => card.show(marker, pinned),
    explain: (selection, result, anchor, note) => card.explain(selection, result, anchor, note),
    hide: () => card.hide(),
    markersRemoved: (markers) => card.markersRemoved(markers),
    markerAdded: (marker) => card.markerAdded(marker),
    get root() {
      return card.ui.root;
    },
    destroy() {
      card.hide();
      unlisten();
      card.ui.remove();
    },
  };
}
