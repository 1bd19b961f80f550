/**
 * For the end-to-end tests (Chromium and Firefox): the page's layout with and without the
 * extension's markers. Both run in the page (passed to evaluate): no imports, no closures.
 */

/**
 * The page's layout as lines of numbers: every element's box and scroll size, and every text
 * node's line boxes, in the document and in open shadow roots (the extension's markers and UI left
 * out).
 */
export function pageLayout(): string[] {
  const out: string[] = [];
  const fmt = (r: DOMRect) => `${r.x.toFixed(2)},${r.y.toFixed(2)},${r.width.toFixed(2)},${r.height.toFixed(2)}`;
  const range = document.createRange();
  const walk = (root: Document | ShadowRoot) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === Node.TEXT_NODE) {
        range.selectNodeContents(n);
        out.push(`text ${JSON.stringify((n as Text).data.slice(0, 20))} ${[...range.getClientRects()].map(fmt).join(' ')}`);
        continue;
      }
      const el = n as Element;
      if (el.localName === 'ibkr-error-mark' || el.hasAttribute('data-ibkr-error-lookup-ui')) continue;
      out.push(`${el.localName}${el.id ? '#' + el.id : ''} ${fmt(el.getBoundingClientRect())} scroll ${el.scrollWidth}x${el.scrollHeight}`);
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return out;
}

/**
 * Shows or hides every marker of the page: a style sheet the test adopts in the document and in
 * each open shadow root (nothing of the extension's is touched). Hidden, the page is laid out as
 * with no marker at all.
 */
export function showMarkers(shown: boolean): void {
  const w = window as unknown as { __hideMarkers?: CSSStyleSheet };
  const sheet = (w.__hideMarkers ??= new CSSStyleSheet());
  sheet.replaceSync(shown ? '' : 'ibkr-error-mark[data-ibkr-error][data-ibkr-error]:empty { display: none !important; }');
  const roots: (Document | ShadowRoot)[] = [document];
  for (let i = 0; i < roots.length; i++) for (const el of roots[i].querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
  for (const root of roots) if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
