/**
 * A small virtual-node tree: what lib/render.ts builds and lib/dom.ts turns into real nodes with
 * createElement/textContent only, so no text ever reaches a page as HTML. Tests read its text.
 */
export interface VNode {
  tag: string;
  attrs: Record<string, string>;
  children: Child[];
}
export type Child = VNode | string;

export function h(tag: string, attrs: Record<string, string> = {}, ...children: (Child | Child[] | null | false)[]): VNode {
  const flat: Child[] = [];
  for (const c of children) {
    if (c === null || c === false) continue;
    if (Array.isArray(c)) flat.push(...c);
    else flat.push(c);
  }
  return { tag, attrs, children: flat };
}

/** The visible text of a tree, blocks separated by new lines (for tests and aria labels). */
export function textOf(node: Child): string {
  if (typeof node === 'string') return node;
  const inner = node.children.map(textOf).join('');
  return /^(p|li|h\d|header|footer|section|article|ul|ol|div|summary|details)$/.test(node.tag) ? `${inner}\n` : inner;
}
