/**
 * For the end-to-end tests (Chromium and Firefox): where a marker's mention is on screen. A marker
 * holds no text (the mention is the page's own text, painted; see docs/page-integrity.md), so the
 * mention is found as the user sees it: its marked text (the marker's accessible name) in the text
 * of the marker's block, at or before the marker. Runs in the page (passed to evaluate): no imports,
 * no closures.
 */
export interface MentionRect {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/** The first line box of the marker's mention, scrolled into view first when it is off screen. */
export function findMentionRect(marker: Element): MentionRect {
  const label = marker.getAttribute('aria-label') ?? '';
  const parent = marker.parentElement!;
  const block = parent.closest('p,pre,li,td,th,dd,dt,blockquote,h1,h2,h3,h4,h5,h6,div,section,article,main,body') ?? parent;
  const nodes: { node: Text; start: number }[] = [];
  let text = '';
  let markerAt = -1;
  const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n === marker) markerAt = text.length;
    else if (n.nodeType === 3) {
      nodes.push({ node: n as Text, start: text.length });
      text += (n as Text).data;
    }
  }
  const start = text.lastIndexOf(label, markerAt);
  if (!label || start < 0) throw new Error(`no text "${label}" before its marker`);
  const range = document.createRange();
  for (const [offset, isEnd] of [
    [start, false],
    [start + label.length, true],
  ] as const) {
    const i = nodes.findIndex((x) => (isEnd ? offset <= x.start + x.node.length : offset < x.start + x.node.length));
    if (isEnd) range.setEnd(nodes[i].node, offset - nodes[i].start);
    else range.setStart(nodes[i].node, offset - nodes[i].start);
  }
  let r = range.getClientRects()[0];
  if (r.top < 0 || r.bottom > innerHeight) {
    scrollBy(0, r.top - innerHeight / 2);
    r = range.getClientRects()[0];
  }
  return { top: r.top, bottom: r.bottom, left: r.left, right: r.right };
}
