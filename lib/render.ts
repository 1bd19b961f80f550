/**
 * Renders entries and notices as a small virtual-node tree. Pure: no DOM, no browser.
 * lib/dom.ts turns a tree into real nodes with createElement/textContent only, so no text ever
 * reaches the page as HTML; tests read the tree's text directly.
 */
import { CATEGORIES, type KnowledgeEntry, type Notices, type Severity } from '../knowledge/schema';

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

/** IBKR's own page of message codes: a plain link, never fetched. */
export const OFFICIAL_DOCS_URL = 'https://www.interactivebrokers.com/campus/ibkr-api-page/twsapi-doc/#api-error-codes';

/** What each severity is called wherever an entry is shown. */
export const SEVERITY_LABELS: Record<Severity, string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Information, not an error',
  system: 'Connectivity notice',
};

/** The line an informational entry leads with, in the card and in the popup. */
export const INFO_NOTICE = 'Not an error: nothing to fix.';

/** Examples shown in the full entry view. */
export const MAX_EXAMPLES = 3;

export interface RenderEntryOptions {
  /** Heading level of the entry title (sections get the next level). */
  level?: 2 | 3;
  /** id attribute for the title, so a dialog can point aria-labelledby at it. */
  titleId?: string;
  /** Related terms as buttons carrying `data-query` (the popup searches them on click). */
  termButtons?: boolean;
  /** Id of the variant the page's message matched (`Match.variant`): shown first, with its cause and fix. */
  variant?: string | null;
  /** The page's own reason text (`Match.reason`): quoted as plain text. */
  reason?: string | null;
  /** The full view (popup): every variant, a few examples. The card shows only the matched variant. */
  full?: boolean;
}

/** Severity and category, side by side under the code. */
function renderBadges(entry: KnowledgeEntry): Child[] {
  return [
    h('span', { class: 'code' }, codeLabel(entry)),
    ' ',
    h('span', { class: `severity severity-${entry.severity}`, 'data-severity': entry.severity }, SEVERITY_LABELS[entry.severity]),
    ' ',
    h('span', { class: 'category', 'data-category': entry.category }, CATEGORIES[entry.category]),
  ];
}

/** The lead notice of informational and connectivity entries, before anything else. */
function renderSeverityNotice(entry: KnowledgeEntry): VNode | null {
  if (entry.severity === 'info') {
    return h(
      'p',
      { class: 'notice notice-info', role: 'note' },
      h('strong', {}, INFO_NOTICE),
      ' TWS or IB Gateway reports this for your information; it is logged through the error callback but nothing failed.',
    );
  }
  if (entry.severity === 'system') {
    return h(
      'p',
      { class: 'notice notice-system', role: 'note' },
      h('strong', {}, 'Connectivity notice.'),
      ' TWS or IB Gateway reports a change in its connection; what to do depends on which change it is.',
    );
  }
  return null;
}

/** The case the page's message matched, and the page's own words for it. */
function renderMatchedCase(entry: KnowledgeEntry, variantId: string | null, reason: string | null, level: number): VNode | null {
  const variant = variantId ? entry.variants.find((v) => v.id === variantId) : undefined;
  const said = reason?.replace(/\s+/g, ' ').trim();
  if (!variant && !said) return null;
  return h(
    'section',
    { class: 'section matched-case', ...(variant ? { 'data-variant': variant.id } : {}) },
    h(`h${level + 1}`, {}, variant ? `This case: ${variant.label}` : 'This case'),
    said ? h('p', { class: 'page-reason' }, 'The page says: ', h('q', {}, said)) : null,
    variant ? h('p', { class: 'variant-cause' }, h('strong', {}, 'Cause: '), variant.cause) : null,
    variant ? h('p', { class: 'variant-fix' }, h('strong', {}, 'Fix: '), variant.fix) : null,
  );
}

/** Every variant of an entry, the matched one marked. */
function renderVariants(entry: KnowledgeEntry, matched: string | null, level: number): VNode | null {
  if (entry.variants.length === 0) return null;
  return h(
    'section',
    { class: 'section section-variants' },
    h(`h${level + 1}`, {}, 'Variants'),
    h(
      'ul',
      {},
      entry.variants.map((v) =>
        h(
          'li',
          { 'data-variant': v.id, ...(v.id === matched ? { class: 'matched' } : {}) },
          h('strong', { class: 'variant-label' }, v.label),
          v.id === matched ? ' (this case)' : '',
          h('span', { class: 'variant-cause' }, ` Cause: ${v.cause}`),
          h('span', { class: 'variant-fix' }, ` Fix: ${v.fix}`),
        ),
      ),
    ),
  );
}

function renderExamples(entry: KnowledgeEntry, level: number): VNode | null {
  if (entry.examples.length === 0) return null;
  return h(
    'section',
    { class: 'section section-examples' },
    h(`h${level + 1}`, {}, 'Examples'),
    h('ul', {}, entry.examples.slice(0, MAX_EXAMPLES).map((ex) => h('li', {}, h('code', {}, ex.text)))),
  );
}

export function renderDocsLink(): VNode {
  return h(
    'p',
    { class: 'docs' },
    h('a', { href: OFFICIAL_DOCS_URL, target: '_blank', rel: 'noopener' }, 'IBKR’s official message codes documentation'),
  );
}

export function renderEntry(
  entry: KnowledgeEntry,
  { level = 2, titleId, termButtons = false, variant = null, reason = null, full = false }: RenderEntryOptions = {},
): VNode {
  const section = (key: keyof typeof SECTION_TITLES, ordered = false) =>
    entry[key].length === 0
      ? null
      : h(
          'section',
          { class: `section section-${key}` },
          h(`h${level + 1}`, {}, SECTION_TITLES[key]),
          h(ordered ? 'ol' : 'ul', {}, entry[key].map((item) => h('li', {}, item))),
        );
  return h(
    'article',
    { class: 'entry', 'data-entry-id': entry.id, 'data-severity': entry.severity },
    h(
      'header',
      { class: 'entry-header' },
      h('p', { class: 'entry-code' }, renderBadges(entry)),
      h(`h${level}`, { class: 'entry-title', ...(titleId ? { id: titleId } : {}) }, entry.title),
    ),
    renderSeverityNotice(entry),
    h('p', { class: 'summary' }, entry.summary),
    renderMatchedCase(entry, variant, reason, level),
    section('symptoms'),
    section('causes'),
    section('checks'),
    section('resolution', true),
    full ? renderVariants(entry, variant, level) : null,
    full ? renderExamples(entry, level) : null,
    entry.related.length === 0
      ? null
      : h(
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
    renderDocsLink(),
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

/** One line of a result list: code, title, summary, then severity and category. */
export function renderResultItem(entry: KnowledgeEntry): Child[] {
  return [
    h('span', { class: 'result-code' }, codeLabel(entry)),
    h('span', { class: 'result-title' }, entry.title),
    h('span', { class: 'result-summary' }, entry.summary),
    h(
      'span',
      { class: 'result-meta' },
      h('span', { class: `severity severity-${entry.severity}`, 'data-severity': entry.severity }, SEVERITY_LABELS[entry.severity]),
      ' · ',
      h('span', { class: 'category' }, CATEGORIES[entry.category]),
    ),
  ];
}
