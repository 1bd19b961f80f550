/**
 * Renders entries and notices as a small virtual-node tree. Pure: no DOM, no browser.
 * lib/dom.ts turns a tree into real nodes with createElement/textContent only, so no text ever
 * reaches the page as HTML; tests read the tree's text directly.
 */
import type { KnowledgeEntry, Notices } from '../knowledge/schema';

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
  return /^(p|li|h\d|header|footer|section|article|ul|ol|div)$/.test(node.tag) ? `${inner}\n` : inner;
}

/** "Error 326" for numbered IBKR codes, the code itself otherwise. */
export function codeLabel(entry: KnowledgeEntry): string {
  return entry.numericCode !== null ? `Error ${entry.numericCode}` : entry.code;
}

/** Section headings, as in the seed. */
export const SECTION_TITLES = {
  symptoms: 'Typical symptoms',
  causes: 'Likely causes',
  checks: 'Checks',
  resolution: 'Resolution path',
} as const;

export interface RenderEntryOptions {
  /** Heading level of the entry title (sections get the next level). */
  level?: 2 | 3;
  /** id attribute for the title, so a dialog can point aria-labelledby at it. */
  titleId?: string;
  /** Related terms as buttons carrying `data-query` (the popup searches them on click). */
  termButtons?: boolean;
}

export function renderEntry(entry: KnowledgeEntry, { level = 2, titleId, termButtons = false }: RenderEntryOptions = {}): VNode {
  const section = (key: keyof typeof SECTION_TITLES, ordered = false) =>
    h(
      'section',
      { class: `section section-${key}` },
      h(`h${level + 1}`, {}, SECTION_TITLES[key]),
      h(ordered ? 'ol' : 'ul', {}, entry[key].map((item) => h('li', {}, item))),
    );
  return h(
    'article',
    { class: 'entry', 'data-entry-id': entry.id },
    h(
      'header',
      { class: 'entry-header' },
      h('p', { class: 'entry-code' }, h('span', { class: 'code' }, codeLabel(entry)), ' ', h('span', { class: 'category' }, entry.category)),
      h(`h${level}`, { class: 'entry-title', ...(titleId ? { id: titleId } : {}) }, entry.title),
    ),
    h('p', { class: 'summary' }, entry.summary),
    section('symptoms'),
    section('causes'),
    section('checks'),
    section('resolution', true),
    h(
      'p',
      { class: 'related' },
      h('span', { class: 'related-label' }, 'Related terms:'),
      ...entry.related.flatMap((term) => [
        ' ',
        termButtons
          ? h('button', { type: 'button', class: 'term', 'data-query': term, title: `Search “${term}”` }, term)
          : h('span', { class: 'term' }, term),
      ]),
    ),
  );
}

/** The educational boundary and the trademark notice, verbatim. */
export function renderNotices(notices: Notices): VNode {
  return h(
    'footer',
    { class: 'notices' },
    h('p', { class: 'boundary' }, h('strong', {}, notices.boundary.title), ' ', notices.boundary.text),
    h('p', { class: 'trademark' }, notices.trademark),
  );
}

/** One line of a result list: code, title, summary. */
export function renderResultItem(entry: KnowledgeEntry): Child[] {
  return [
    h('span', { class: 'result-code' }, codeLabel(entry)),
    h('span', { class: 'result-title' }, entry.title),
    h('span', { class: 'result-summary' }, entry.summary),
  ];
}
