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
  card.hidden = true;
  shadow.append(style, card);
  doc.documentElement.appendChild(host);
  return { host, shadow, card };
}
