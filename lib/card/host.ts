/**
 * The element that hosts the extension's UI on a page: a plain <div> with an open shadow root.
 *
 * A plain element, not a custom element: a page that registers a custom element under our name
 * would otherwise get its constructor run on our host (and could attach its own shadow root
 * first). The host sits outside the page's flow and stacking order; the card inside is fixed.
 * If the page removes the host, it is made again on the next show.
 */
export const UI_HOST_ATTR = 'data-ibkr-error-lookup-ui';
export const UI_HOST_SELECTOR = `[${UI_HOST_ATTR}]`;

const HOST_STYLE =
  'all: initial !important; position: fixed !important; top: 0 !important; left: 0 !important; width: 0 !important; height: 0 !important; z-index: 2147483647 !important; display: block !important;';

export interface CardHost {
  readonly host: HTMLElement;
  readonly shadow: ShadowRoot;
  readonly card: HTMLElement;
}

/** Makes the host, its shadow root, the style and an empty hidden card, and adds them to `doc`. */
export function createCardHost(doc: Document, css: string): CardHost {
  const host = doc.createElement('div');
  host.setAttribute(UI_HOST_ATTR, '');
  host.setAttribute('style', HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'open' });
  const style = doc.createElement('style');
  style.textContent = css;
  const card = doc.createElement('div');
  card.className = 'card ibkr-theme';
  // The card is English whatever the page's language, which would reach it through the host.
  card.lang = 'en';
  card.hidden = true;
  shadow.append(style, card);
  doc.documentElement.appendChild(host);
  return { host, shadow, card };
}

/** The card element, made on first use and made again if the page removed its host. */
export interface LazyCard {
  /** The card, created now if it is missing. */
  element(): HTMLElement;
  /** The shadow root, once created. */
  readonly root: ShadowRoot | null;
  /** Whether an event target is the card (events from inside a shadow root are retargeted to its host). */
  isCard(target: EventTarget | null): boolean;
  /** Hides the card if there is one. */
  hide(): void;
  remove(): void;
}

/** `onCreate` wires each new card element (its own mouse listeners). */
export function lazyCard(doc: Document, css: string, onCreate: (card: HTMLElement) => void): LazyCard {
  let ui: CardHost | null = null;
  return {
    element() {
      if (ui?.host.isConnected) return ui.card;
      ui = createCardHost(doc, css);
      onCreate(ui.card);
      return ui.card;
    },
    get root() {
      return ui?.shadow ?? null;
    },
    isCard: (target) => ui !== null && target === ui.host,
    hide() {
      if (ui) ui.card.hidden = true;
    },
    remove() {
      ui?.host.remove();
      ui = null;
    },
  };
}

/** How a filled card presents itself to assistive technology and which theme it follows. */
export interface CardRole {
  role: 'tooltip' | 'dialog';
  /** Id of the element naming the card (its title). */
  labelledBy: string | null;
  /** Whether the page shows light or dark (lib/page-tone.ts; overlay.css turns it into color-scheme). */
  theme: 'light' | 'dark';
}

/**
 * Cancels a CSS `zoom` the page puts on <html>, which the host, a child of <html>, would take on:
 * the card would be scaled and its fixed position multiplied, away from its mention or out of the
 * window (`html { zoom: 0.8 }` shrinks some sites). The browser's own zoom is not CSS zoom.
 */
function unzoom(host: HTMLElement): void {
  const root = host.ownerDocument.documentElement;
  const zoom = root.currentCSSZoom ?? 1;
  if (zoom > 0 && zoom !== 1) host.style.setProperty('zoom', String(1 / zoom), 'important');
  else host.style.removeProperty('zoom');
}

/** Gives the card its role, name and theme, and shows it. */
export function presentCard(card: HTMLElement, { role, labelledBy, theme }: CardRole): void {
  const { host } = card.getRootNode() as Partial<ShadowRoot>;
  if (host) unzoom(host as HTMLElement);
  card.setAttribute('role', role);
  if (labelledBy) card.setAttribute('aria-labelledby', labelledBy);
  else card.removeAttribute('aria-labelledby');
  // A dialog the user opened, but the page stays usable around it.
  if (role === 'dialog') card.setAttribute('aria-modal', 'false');
  else card.removeAttribute('aria-modal');
  card.dataset.theme = theme;
  card.hidden = false;
}
