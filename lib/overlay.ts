/**
 * The in-page card: a tooltip for markers and the "Explain selection" panel, one component in an
 * open shadow root (lib/card/host.ts), so host-page CSS cannot reach it and its CSS cannot reach
 * the host page. Created lazily, on the first hover, focus or explanation: a page with nothing to
 * explain gets no extra element.
 *
 * This file holds the card's state and its page listeners; what it shows is in lib/card/views.ts
 * and where it goes in lib/card/place.ts.
 */
import type { KnowledgeBase, KnowledgeEntry } from '../knowledge/schema';
import { MARKER_ATTR, MARKER_TAG } from './annotate';
import { createCardHost, type CardHost } from './card/host';
import { placeCard } from './card/place';
import { explainView, markerDescription, tooltipView, type MentionDetails } from './card/views';
import { replaceChildren } from './dom';
import { entryActions, entryMarkdown } from './markdown';
import type { Match } from './matcher';
import type { Explanation } from './explain';
import { renderNotices, type Child } from './render';
import { pageTheme } from './theme';

export { NO_MATCH_MESSAGE } from './card/views';

const SHOW_DELAY_MS = 150;
const HIDE_DELAY_MS = 250;
/** Set on every piece of the marker group whose card is open, for the group highlight. */
export const ACTIVE_ATTR = 'data-ibkr-active';

export interface OverlayOptions {
  doc: Document;
  /**
   * The knowledge base, or a loader for it: the content script asks the background for the
   * entries' text the first time a card needs it (lib/knowledge-request.ts).
   */
  knowledge: KnowledgeBase | (() => Promise<KnowledgeBase>);
  /** CSS for the shadow root (entry.css + overlay.css). */
  css: string;
  /**
   * Only markers the annotator made get a card: a page can forge an element with
   * `data-ibkr-error`, but not put it in the annotator's own set. Defaults to every marker.
   */
  isOwnMarker?: (el: Element) => boolean;
  /** Every piece of the mention a marker belongs to (an error split across elements). */
  groupOf?: (marker: HTMLElement) => HTMLElement[];
  /** The match a marker stands for: its variant and the page's reason text reach the card. */
  matchOf?: (marker: HTMLElement) => Match | undefined;
  /** Hover delay before the tooltip shows, read at each hover (a setting may change it). */
  showDelay?: () => number;
}

export interface Overlay {
  /** Shows the tooltip for a marker; `pinned` turns it into a dialog that keeps focus. */
  show(marker: HTMLElement, pinned?: boolean): void;
  /** Shows the "Explain selection" panel near `anchor` (viewport coordinates). */
  explain(selection: string, result: Explanation | null, anchor?: DOMRect | null): void;
  hide(): void;
  /** The shadow root, once created. */
  readonly root: ShadowRoot | null;
  destroy(): void;
}

type Mode =
  | { kind: 'hidden' }
  | { kind: 'tooltip'; marker: HTMLElement; group: HTMLElement[]; pinned: boolean }
  | { kind: 'panel'; anchor: DOMRect | null; returnFocus: Element | null };

export function createOverlay(options: OverlayOptions): Overlay {
  const { doc, css } = options;
  const isOwnMarker = options.isOwnMarker ?? (() => true);
  const groupOf = options.groupOf ?? ((m: HTMLElement) => [m]);
  const showDelay = options.showDelay ?? (() => SHOW_DELAY_MS);
  const win = doc.defaultView as Window & typeof globalThis;
  let knowledge: KnowledgeBase | null = typeof options.knowledge === 'function' ? null : options.knowledge;
  let byId = new Map(knowledge?.entries.map((e) => [e.id, e]));
  const entryOf = (marker: Element) => byId.get(marker.getAttribute(MARKER_ATTR) ?? '');
  /** The card that waits for the knowledge base to arrive (the latest asked); cleared by anything that hides. */
  let waiting: { marker: HTMLElement; pinned: boolean } | null = null;
  /** Runs `then` once the knowledge base is here (at once when it is already). */
  const withKnowledge = (then: () => void) => {
    if (knowledge !== null || typeof options.knowledge !== 'function') return then();
    options.knowledge().then(
      (kb) => {
        if (knowledge === null) {
          knowledge = kb;
          byId = new Map(kb.entries.map((e) => [e.id, e]));
        }
        then();
      },
      // Orphaned by an update of the extension: there is nothing to show.
      () => undefined,
    );
  };
  let ui: CardHost | null = null;
  let mode: Mode = { kind: 'hidden' };
  let showTimer: number | undefined;
  let hideTimer: number | undefined;
  let serial = 0;
  /** The marker focus is being handed back to after a close: its focus must not reopen the card. */
  let returningTo: Element | null = null;

  const ensure = (): HTMLElement => {
    if (ui?.host.isConnected) return ui.card;
    ui = createCardHost(doc, css);
    const card = ui.card;
    card.addEventListener('mouseenter', () => win.clearTimeout(hideTimer));
    card.addEventListener('mouseleave', () => {
      if (mode.kind === 'tooltip' && !mode.pinned) scheduleHide();
    });
    return card;
  };

  /** The card's state on the markers: expanded on the focusable piece, highlight on all pieces. */
  const markGroup = (open: boolean) => {
    if (mode.kind !== 'tooltip') return;
    // aria-expanded belongs to the control: the first piece (inside a link there is none).
    if (mode.group[0]?.hasAttribute('aria-haspopup')) mode.group[0].setAttribute('aria-expanded', String(open));
    for (const piece of mode.group) {
      if (open) piece.setAttribute(ACTIVE_ATTR, '');
      else piece.removeAttribute(ACTIVE_ATTR);
    }
  };

  /** Fills the card; `markdown` gives the shown entry as Markdown for its "Copy as Markdown". */
  const fill = (nodes: Child[], role: 'tooltip' | 'dialog', labelledBy: string | null, markdown?: () => string): HTMLElement => {
    const card = ensure();
    replaceChildren(card, doc, ...nodes, renderNotices(knowledge!.notices));
    if (markdown) card.querySelector('.body')?.append(entryActions(doc, markdown));
    card.setAttribute('role', role);
    if (labelledBy) card.setAttribute('aria-labelledby', labelledBy);
    else card.removeAttribute('aria-labelledby');
    if (role === 'dialog') card.setAttribute('aria-modal', 'false');
    else card.removeAttribute('aria-modal');
    // Follow the site's own theme where it declares one; the OS setting otherwise.
    // (overlay.css turns data-theme into color-scheme, which drives the palette's light-dark()).
    card.dataset.theme = pageTheme(doc) ?? 'system';
    card.querySelector('.close')?.addEventListener('click', () => hide(true));
    card.hidden = false;
    return card;
  };

  const focusClose = (card: HTMLElement) => (card.querySelector('.close') as HTMLElement | null)?.focus();

  const show = (marker: HTMLElement, pinned = false) => {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    if (knowledge === null) {
      // A click that pins a marker's card is not undone by the hover show that follows it.
      const request = { marker, pinned: pinned || (waiting?.marker === marker && waiting.pinned) };
      waiting = request;
      withKnowledge(() => {
        if (waiting === request) show(marker, request.pinned);
      });
      return;
    }
    waiting = null;
    const entry = entryOf(marker);
    if (!entry) return;
    const group = groupOf(marker);
    if (mode.kind === 'tooltip' && mode.group[0] !== group[0]) markGroup(false);
    const titleId = `ibkr-title-${++serial}`;
    const match = options.matchOf?.(marker);
    const details: MentionDetails = { variant: match?.variant ?? null, reason: match?.reason ?? null };
    const card = fill(tooltipView(entry, titleId, pinned, details), pinned ? 'dialog' : 'tooltip', titleId, () =>
      entryMarkdown(entry, knowledge!.notices, details),
    );
    mode = { kind: 'tooltip', marker: group[0] ?? marker, group, pinned };
    markGroup(true);
    placeCard(card, win, marker.getBoundingClientRect());
    if (pinned) focusClose(card);
  };

  const explain = (selection: string, result: Explanation | null, anchor: DOMRect | null = null) => {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    waiting = null;
    if (knowledge === null) return withKnowledge(() => explain(selection, result, anchor));
    markGroup(false);
    const returnFocus = mode.kind === 'panel' ? mode.returnFocus : doc.activeElement;
    const titleId = `ibkr-title-${++serial}`;
    const shown = result?.entry;
    const card = fill(explainView(selection, result, titleId), 'dialog', titleId, shown && (() => entryMarkdown(shown, knowledge!.notices)));
    card.querySelectorAll<HTMLButtonElement>('.also button').forEach((b) =>
      b.addEventListener('click', () => {
        // Show another entry found in the same selection; the rest stay listed.
        const all: KnowledgeEntry[] = result ? [result.entry, ...result.others] : [];
        const first = all.find((e) => e.id === b.dataset.entryId)!;
        explain(selection, { entry: first, others: all.filter((e) => e !== first) }, anchor);
      }),
    );
    mode = { kind: 'panel', anchor, returnFocus };
    placeCard(card, win, anchor);
    focusClose(card);
  };

  const hide = (restoreFocus = false) => {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    waiting = null;
    if (mode.kind === 'hidden') return;
    const previous = mode;
    markGroup(false);
    mode = { kind: 'hidden' };
    if (ui) ui.card.hidden = true;
    if (!restoreFocus) return;
    const target = previous.kind === 'tooltip' ? previous.marker : previous.kind === 'panel' ? previous.returnFocus : null;
    if (target && (target as HTMLElement).isConnected) {
      returningTo = target;
      (target as HTMLElement).focus?.({ preventScroll: true });
      returningTo = null;
    }
  };

  const scheduleHide = () => {
    win.clearTimeout(hideTimer);
    hideTimer = win.setTimeout(() => hide(), HIDE_DELAY_MS);
  };

  const listeners = pageListeners({
    win,
    doc,
    markerOf: (target) => {
      if (!(target instanceof win.Element)) return null;
      const marker = target.closest(MARKER_TAG) as HTMLElement | null;
      return marker && marker.hasAttribute(MARKER_ATTR) && isOwnMarker(marker) ? marker : null;
    },
    ownMarkerIn: (el) => {
      for (const m of el.querySelectorAll<HTMLElement>(MARKER_TAG)) if (isOwnMarker(m)) return m;
      return null;
    },
    inCard: (target) => ui !== null && target === ui.host,
    mode: () => mode,
    isReturning: (el) => el === returningTo,
    entryOf,
    withKnowledge,
    show,
    hide,
    scheduleShow: (marker) => {
      win.clearTimeout(showTimer);
      showTimer = win.setTimeout(() => show(marker), showDelay());
    },
    cancelShow: () => {
      win.clearTimeout(showTimer);
      waiting = null;
    },
    cancelHide: () => win.clearTimeout(hideTimer),
    scheduleHide,
    place: () => {
      if (!ui) return;
      if (mode.kind === 'tooltip') placeCard(ui.card, win, mode.marker.getBoundingClientRect());
      else if (mode.kind === 'panel') placeCard(ui.card, win, mode.anchor);
    },
  });
  for (const [target, type, fn, opts] of listeners) target.addEventListener(type, fn, opts);

  return {
    show,
    explain,
    hide: () => hide(),
    get root() {
      return ui?.shadow ?? null;
    },
    destroy() {
      hide();
      for (const [target, type, fn, opts] of listeners) target.removeEventListener(type, fn, opts);
      ui?.host.remove();
      ui = null;
    },
  };
}

interface ListenerDeps {
  win: Window & typeof globalThis;
  doc: Document;
  markerOf(target: EventTarget | null): HTMLElement | null;
  /** Our first marker inside a page element (a link holding a marker keeps the focus itself). */
  ownMarkerIn(el: Element): HTMLElement | null;
  inCard(target: EventTarget | null): boolean;
  mode(): Mode;
  isReturning(el: Element): boolean;
  entryOf(marker: HTMLElement): KnowledgeEntry | undefined;
  /** Runs `then` once the knowledge base is here. */
  withKnowledge(then: () => void): void;
  show(marker: HTMLElement, pinned?: boolean): void;
  hide(restoreFocus?: boolean): void;
  scheduleShow(marker: HTMLElement): void;
  cancelShow(): void;
  cancelHide(): void;
  scheduleHide(): void;
  place(): void;
}

type Listener = [EventTarget, string, EventListener, AddEventListenerOptions];

/** The page events the card reacts to: hover, focus, keys, clicks, scrolling and resizing. */
function pageListeners(d: ListenerDeps): Listener[] {
  const isOpenTooltip = (marker: HTMLElement) => {
    const m = d.mode();
    return m.kind === 'tooltip' && (m.marker === marker || m.group.includes(marker));
  };
  /** A link with a marker inside: the link keeps its own focus and Enter; we only describe it. */
  const linkMarker = (target: EventTarget | null): HTMLElement | null =>
    target instanceof d.win.HTMLAnchorElement ? d.ownMarkerIn(target) : null;
  // Said once the entries' text is here (a marker can be focused before it arrives).
  const describe = (focused: Element, marker: HTMLElement) =>
    d.withKnowledge(() => {
      const entry = d.entryOf(marker);
      if (entry && !focused.hasAttribute('aria-description')) focused.setAttribute('aria-description', markerDescription(entry));
    });

  return [
    [
      d.doc,
      'mouseover',
      (e) => {
        const marker = d.markerOf(e.target);
        if (!marker) return;
        d.cancelHide();
        const m = d.mode();
        if (isOpenTooltip(marker) || m.kind === 'panel' || (m.kind === 'tooltip' && m.pinned)) return;
        d.scheduleShow(marker);
      },
      { capture: true, passive: true },
    ],
    [
      d.doc,
      'mouseout',
      (e) => {
        const marker = d.markerOf(e.target);
        if (!marker) return;
        const to = (e as MouseEvent).relatedTarget;
        if (to instanceof d.win.Node && marker.contains(to)) return;
        // Moving between pieces of one split mention keeps the card.
        const toMarker = d.markerOf(to);
        if (toMarker && isOpenTooltip(toMarker)) return;
        d.cancelShow();
        const m = d.mode();
        if (m.kind === 'tooltip' && !m.pinned && !d.inCard(to)) d.scheduleHide();
      },
      { capture: true, passive: true },
    ],
    [
      d.doc,
      'focusin',
      (e) => {
        const own = d.markerOf(e.target);
        const marker = own ?? linkMarker(e.target);
        if (!marker || d.isReturning(e.target as Element) || isOpenTooltip(marker)) return;
        describe(e.target as Element, marker);
        d.show(marker);
      },
      { capture: true },
    ],
    [
      d.doc,
      'focusout',
      (e) => {
        const to = (e as FocusEvent).relatedTarget;
        const m = d.mode();
        const from = d.markerOf(e.target) ?? linkMarker(e.target);
        if (m.kind === 'tooltip' && !m.pinned && from && isOpenTooltip(from) && !d.inCard(to)) d.hide();
      },
      { capture: true },
    ],
    [
      d.doc,
      'keydown',
      (e) => {
        const ev = e as KeyboardEvent;
        const m = d.mode();
        if (ev.key === 'Escape' && m.kind !== 'hidden') {
          // A hover tooltip closes, and the page still gets its Escape; a pinned card or a
          // panel is a dialog the user opened, so the Escape is ours.
          if (m.kind === 'tooltip' && !m.pinned) {
            d.hide();
            return;
          }
          d.hide(true);
          ev.stopPropagation();
          return;
        }
        const marker = d.markerOf(ev.target);
        // Inside a link, Enter follows the link: the marker never takes it.
        if (marker && !marker.closest('a') && (ev.key === 'Enter' || ev.key === ' ')) {
          ev.preventDefault();
          d.show(marker, true);
        }
      },
      { capture: true },
    ],
    [
      d.doc,
      'click',
      (e) => {
        const marker = d.markerOf(e.target);
        if (marker) {
          // A marker inside a link keeps the link working; elsewhere a click pins the card.
          if (marker.closest('a')) return;
          e.preventDefault();
          d.show(marker, true);
          return;
        }
        const m = d.mode();
        if (!d.inCard(e.target) && (m.kind === 'panel' || (m.kind === 'tooltip' && m.pinned))) d.hide();
      },
      { capture: true },
    ],
    [
      d.doc,
      'scroll',
      () => {
        const m = d.mode();
        if (m.kind === 'tooltip' && !m.pinned) d.hide();
        else if (m.kind === 'tooltip') d.place();
      },
      { capture: true, passive: true },
    ],
    [d.win, 'resize', () => d.place(), { passive: true }],
  ];
}
