/**
 * The in-page card: a tooltip for markers and the "Explain selection" panel, one component in an
 * open shadow root, so host-page CSS cannot reach it and its CSS cannot reach the host page.
 * Created lazily, on the first hover, focus or explanation: a page with nothing to explain gets
 * no extra element.
 */
import type { KnowledgeBase, KnowledgeEntry } from '../knowledge/schema';
import { replaceChildren } from './dom';
import type { Explanation } from './explain';
import { MARKER_ATTR, MARKER_TAG, UI_HOST_TAG } from './annotate';
import { codeLabel, h, renderEntry, renderNotices, type Child } from './render';

export const NO_MATCH_MESSAGE = 'No known IBKR API error found in the selection';
const SHOW_DELAY_MS = 150;
const HIDE_DELAY_MS = 250;
const GAP = 6;
const MARGIN = 8;

export interface OverlayOptions {
  doc: Document;
  knowledge: KnowledgeBase;
  /** CSS for the shadow root (entry.css + overlay.css). */
  css: string;
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

type Mode = { kind: 'hidden' } | { kind: 'tooltip'; marker: HTMLElement; pinned: boolean } | { kind: 'panel'; anchor: DOMRect | null; returnFocus: Element | null };

export function createOverlay({ doc, knowledge, css }: OverlayOptions): Overlay {
  const win = doc.defaultView!;
  const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
  let host: HTMLElement | null = null;
  let shadow: ShadowRoot | null = null;
  let card: HTMLElement;
  let mode: Mode = { kind: 'hidden' };
  let showTimer: number | undefined;
  let hideTimer: number | undefined;
  let serial = 0;
  /** The marker focus is being handed back to after a close: its focus must not reopen the card. */
  let returningTo: Element | null = null;

  const ensure = () => {
    if (shadow && host?.isConnected) return;
    host = doc.createElement(UI_HOST_TAG);
    // Out of the page's flow and stacking order; the card inside is position: fixed.
    host.setAttribute(
      'style',
      'all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; z-index: 2147483647 !important; display: block !important;',
    );
    shadow = host.attachShadow({ mode: 'open' });
    const style = doc.createElement('style');
    style.textContent = css;
    card = doc.createElement('div');
    card.className = 'card ibkr-theme';
    card.hidden = true;
    card.addEventListener('mouseenter', () => win.clearTimeout(hideTimer));
    card.addEventListener('mouseleave', () => {
      if (mode.kind === 'tooltip' && !mode.pinned) scheduleHide();
    });
    shadow.append(style, card);
    doc.documentElement.appendChild(host);
  };

  const setExpanded = (value: boolean) => {
    if (mode.kind === 'tooltip') mode.marker.setAttribute('aria-expanded', String(value));
  };

  const bar = (label: string, closable: boolean): Child =>
    h(
      'div',
      { class: 'bar' },
      h('span', { class: 'brand' }, label),
      closable ? h('button', { class: 'close', type: 'button', 'aria-label': 'Close', title: 'Close (Esc)' }, '×') : null,
    );

  const fill = (nodes: Child[], role: 'tooltip' | 'dialog', labelledBy: string | null) => {
    ensure();
    replaceChildren(card, doc, ...nodes, renderNotices(knowledge.notices));
    card.setAttribute('role', role);
    if (labelledBy) card.setAttribute('aria-labelledby', labelledBy);
    else card.removeAttribute('aria-labelledby');
    card.querySelector('.close')?.addEventListener('click', () => hide(true));
    card.hidden = false;
  };

  const place = (anchor: DOMRect | null) => {
    const vw = win.innerWidth;
    const vh = win.innerHeight;
    const width = Math.min(440, vw - 2 * MARGIN);
    card.style.width = `${width}px`;
    if (!anchor) {
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
    card.style.top = `${Math.round(Math.max(MARGIN, top))}px`;
  };

  const show = (marker: HTMLElement, pinned = false) => {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    const entry = byId.get(marker.getAttribute(MARKER_ATTR) ?? '');
    if (!entry) return;
    if (mode.kind === 'tooltip' && mode.marker !== marker) setExpanded(false);
    const titleId = `ibkr-title-${++serial}`;
    fill([bar(`IBKR API · ${codeLabel(entry)}`, pinned), h('div', { class: 'body' }, renderEntry(entry, { titleId }))], pinned ? 'dialog' : 'tooltip', titleId);
    mode = { kind: 'tooltip', marker, pinned };
    setExpanded(true);
    place(marker.getBoundingClientRect());
    if (pinned) (card.querySelector('.close') as HTMLElement | null)?.focus();
  };

  const explainView = (selection: string, result: Explanation | null, titleId: string): Child[] => {
    const excerpt = selection.replace(/\s+/g, ' ').trim();
    const quoted = excerpt.length > 140 ? `${excerpt.slice(0, 140)}…` : excerpt;
    const body: Child[] = [h('p', { class: 'selection' }, 'Selected: ', h('q', {}, quoted))];
    if (result) {
      body.push(renderEntry(result.entry, { titleId }));
      if (result.others.length > 0) {
        body.push(
          h(
            'p',
            { class: 'also' },
            'Also in the selection: ',
            ...result.others.map((o) => h('button', { type: 'button', 'data-entry-id': o.id }, `${codeLabel(o)} — ${o.title}`)),
          ),
        );
      }
    } else {
      body.push(
        h(
          'div',
          { class: 'empty' },
          h('strong', { id: titleId }, NO_MATCH_MESSAGE),
          h('p', {}, 'Select a whole error line (for example “Error 326, reqId -1: …”), or search by code or term from the toolbar button.'),
        ),
      );
    }
    return [bar('Explain selection', true), h('div', { class: 'body' }, body)];
  };

  const explain = (selection: string, result: Explanation | null, anchor: DOMRect | null = null) => {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    setExpanded(false);
    const returnFocus = mode.kind === 'panel' ? mode.returnFocus : doc.activeElement;
    const titleId = `ibkr-title-${++serial}`;
    fill(explainView(selection, result, titleId), 'dialog', titleId);
    card.querySelectorAll<HTMLButtonElement>('.also button').forEach((b) =>
      b.addEventListener('click', () => {
        // Show another entry found in the same selection; the rest stay listed.
        const all: KnowledgeEntry[] = result ? [result.entry, ...result.others] : [];
        const first = all.find((e) => e.id === b.dataset.entryId)!;
        explain(selection, { entry: first, others: all.filter((e) => e !== first) }, anchor);
      }),
    );
    mode = { kind: 'panel', anchor, returnFocus };
    place(anchor);
    (card.querySelector('.close') as HTMLElement | null)?.focus();
  };

  const hide = (restoreFocus = false) => {
    win.clearTimeout(showTimer);
    win.clearTimeout(hideTimer);
    if (mode.kind === 'hidden') return;
    const previous = mode;
    setExpanded(false);
    mode = { kind: 'hidden' };
    if (card) card.hidden = true;
    if (restoreFocus) {
      const target = previous.kind === 'tooltip' ? previous.marker : previous.kind === 'panel' ? previous.returnFocus : null;
      if (target && (target as HTMLElement).isConnected) {
        returningTo = target;
        (target as HTMLElement).focus?.({ preventScroll: true });
        returningTo = null;
      }
    }
  };

  const scheduleHide = () => {
    win.clearTimeout(hideTimer);
    hideTimer = win.setTimeout(() => hide(), HIDE_DELAY_MS);
  };

  const markerOf = (target: EventTarget | null): HTMLElement | null =>
    target instanceof win.Element ? (target.closest(MARKER_TAG) as HTMLElement | null) : null;
  const inCard = (target: EventTarget | null) => target === host;

  const listeners: [string, EventListener, AddEventListenerOptions][] = [
    [
      'mouseover',
      (e) => {
        const marker = markerOf(e.target);
        if (!marker) return;
        win.clearTimeout(hideTimer);
        if (mode.kind === 'tooltip' && mode.marker === marker) return;
        if (mode.kind === 'panel' || (mode.kind === 'tooltip' && mode.pinned)) return;
        win.clearTimeout(showTimer);
        showTimer = win.setTimeout(() => show(marker), SHOW_DELAY_MS);
      },
      { capture: true, passive: true },
    ],
    [
      'mouseout',
      (e) => {
        const marker = markerOf(e.target);
        if (!marker) return;
        const to = (e as MouseEvent).relatedTarget;
        if (to instanceof win.Node && marker.contains(to)) return;
        win.clearTimeout(showTimer);
        if (mode.kind === 'tooltip' && !mode.pinned && !inCard(to)) scheduleHide();
      },
      { capture: true, passive: true },
    ],
    [
      'focusin',
      (e) => {
        const marker = markerOf(e.target);
        if (marker && marker !== returningTo && !(mode.kind === 'tooltip' && mode.marker === marker)) show(marker);
      },
      { capture: true },
    ],
    [
      'focusout',
      (e) => {
        const to = (e as FocusEvent).relatedTarget;
        if (mode.kind === 'tooltip' && !mode.pinned && markerOf(e.target) === mode.marker && !inCard(to)) hide();
      },
      { capture: true },
    ],
    [
      'keydown',
      (e) => {
        const ev = e as KeyboardEvent;
        if (ev.key === 'Escape' && mode.kind !== 'hidden') {
          hide(true);
          ev.stopPropagation();
          return;
        }
        const marker = markerOf(ev.target);
        if (marker && (ev.key === 'Enter' || ev.key === ' ')) {
          ev.preventDefault();
          show(marker, true);
        }
      },
      { capture: true },
    ],
    [
      'click',
      (e) => {
        const marker = markerOf(e.target);
        if (marker) {
          // A marker inside a link keeps the link working; elsewhere a click pins the card.
          if (marker.closest('a')) return;
          e.preventDefault();
          show(marker, true);
          return;
        }
        if (!inCard(e.target) && mode.kind !== 'hidden' && (mode.kind === 'panel' || mode.pinned)) hide();
      },
      { capture: true },
    ],
    [
      'scroll',
      () => {
        if (mode.kind === 'tooltip' && !mode.pinned) hide();
        else if (mode.kind === 'tooltip') place(mode.marker.getBoundingClientRect());
      },
      { capture: true, passive: true },
    ],
    ['resize', () => mode.kind === 'tooltip' ? place(mode.marker.getBoundingClientRect()) : mode.kind === 'panel' && place(mode.anchor), { passive: true }],
  ];
  for (const [type, fn, opts] of listeners) (type === 'resize' ? win : doc).addEventListener(type, fn, opts);

  return {
    show,
    explain,
    hide: () => hide(),
    get root() {
      return shadow;
    },
    destroy() {
      for (const [type, fn, opts] of listeners) (type === 'resize' ? win : doc).removeEventListener(type, fn, opts);
      host?.remove();
      host = null;
      shadow = null;
    },
  };
}
