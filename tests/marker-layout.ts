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

/**
 * The lines of two `pageLayout` readings that differ by more than `tolerance` px in a number (or
 * in anything else), as "a ≠ b". The same text, edited in place the same way in two pages, was
 * seen laid out a fraction of a pixel wider in one of them (its shaping after the edit); what a
 * marker could cause is a line or a gap of pixels.
 */
export function layoutDifferences(a: readonly string[], b: readonly string[], tolerance = 0.5): string[] {
  const out: string[] = [];
  const numbers = /-?\d+(?:\.\d+)?/g;
  // A text node's excerpt is compared as it is; only the boxes' numbers get the tolerance.
  const quoted = /"(?:[^"\\]|\\.)*"/g;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const [qx, qy] = [a[i] ?? '', b[i] ?? ''];
    if (qx === qy) continue;
    if ((qx.match(quoted) ?? []).join('\n') !== (qy.match(quoted) ?? []).join('\n')) {
      out.push(`${qx} ≠ ${qy}`);
      continue;
    }
    const x = qx.replace(quoted, '""');
    const y = qy.replace(quoted, '""');
    const nx = x.match(numbers) ?? [];
    const ny = y.match(numbers) ?? [];
    const sameShape = x.replace(numbers, '#') === y.replace(numbers, '#') && nx.length === ny.length;
    if (!sameShape || nx.some((n, k) => Math.abs(Number(n) - Number(ny[k])) > tolerance)) out.push(`${qx} ≠ ${qy}`);
  }
  return out;
}
