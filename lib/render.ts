/**
 * Renders entries and notices as a small virtual-node tree (lib/vnode.ts). Pure: no DOM, no
 * browser. lib/dom.ts turns a tree into real nodes; tests read the tree's text directly.
 *
 * An entry reads top down as the user needs it: what it is (`Error 162`, `Warning 2104`,
 * `Notice 2104`), its title, then this case (the page's own reason, the matched variant's cause
 * and fix), then what the entry says in general, folded when a case matched.
 */
import { CATEGORIES, type KnowledgeEntry, type Notices, type Severity } from '../knowledge/schema';
import { showBidi } from './bidi';
import { caseShown, type PageReason } from './page-reason';
import { onTwsCodesPage } from './tws-codes-page';
import { h, type Child, type VNode } from './vnode';

export { h, textOf, type Child, type VNode } from './vnode';

/** The word an entry is headed with, by severity: a notice is never headed "Error". */
export const KIND_WORDS: Record<Severity, string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Notice',
  system: 'Notice',
};

/** Words a log line puts before a code, as a header says them. */
const LINE_WORDS: Record<string, string> = {
  error: 'Error',
  err: 'Error',
  warning: 'Warning',
  warn: 'Warning',
  notice: 'Notice',
  info: 'Notice',
  information: 'Notice',
};
const LINE_WORD = /\b(error|err|warning|warn|notice|info|information)\b/gi;
/** How far before the code the line's own word may stand (`Warning 2104`, `<error id=-1, errorCode=2104`). */
const WORD_REACH = 40;

/**
 * The word a mention uses for itself right before the entry's code (`Warning 2104: ...` gives
 * `Warning`), or null when it uses none (`TWS Message: 2 1 2104 ...`, a message without its code).
 */
export function mentionWord(text: string, code: number | null): string | null {
  if (code === null) return null;
  const at = text.search(new RegExp(`(?<![\\d.])${code}(?!\\d)`));
  if (at < 0) return null;
  let word: string | null = null;
  for (const m of text.slice(Math.max(0, at - WORD_REACH), at).matchAll(LINE_WORD)) word = LINE_WORDS[m[1].toLowerCase()];
  return word;
}

/**
 * What an entry is headed with: the word the page's line uses for it, else its severity's word.
 * "Error" from the line is kept only for errors: ib_insync and ibapi log every notice as an
 * error, and a `Market data farm connection is OK` headed "Error 2104" misleads.
 */
export function kindWord(entry: KnowledgeEntry, mentionText?: string | null): string {
  const said = mentionText ? mentionWord(mentionText, entry.numericCode) : null;
  if (said && !(said === 'Error' && entry.severity !== 'error')) return said;
  return KIND_WORDS[entry.severity];
}

/** "Error 326", "Notice 2104" for numbered IBKR codes (`word` overrides the severity's), the code itself otherwise. */
export function codeLabel(entry: KnowledgeEntry, word?: string): string {
  return entry.numericCode !== null ? `${word ?? KIND_WORDS[entry.severity]} ${entry.numericCode}` : entry.code;
}

/** Section headings, as in the seed. */
export const SECTION_TITLES = {
  symptoms: 'Typical symptoms',
  causes: 'Likely causes',
  checks: 'Checks',
  resolution: 'Resolution path',
} as const;

/** The general lists of an entry, in the order they are shown. */
export type SectionKey = keyof typeof SECTION_TITLES;

/** Headings that fit an informational notice, where nothing failed: no "causes", no "resolution". */
export const NOTICE_SECTION_TITLES = { causes: 'Why it appears', resolution: 'What to do' } as const;

/**
 * The heading of one of an entry's general lists, wherever the entry is shown (card, popup,
 * analyzer, Copy as Markdown).
 */
export function sectionTitle(entry: Pick<KnowledgeEntry, 'severity'>, key: SectionKey): string {
  if (entry.severity === 'info' && (key === 'causes' || key === 'resolution')) return NOTICE_SECTION_TITLES[key];
  return SECTION_TITLES[key];
}

/** IBKR's own page of message codes: a plain link, never fetched. */
export const OFFICIAL_DOCS_URL = 'https://www.interactivebrokers.com/campus/ibkr-api-page/twsapi-doc/#api-error-codes';
/** IBKR's documentation of the Client Portal Web API, for its entries. */
export const CPAPI_DOCS_URL = 'https://www.interactivebrokers.com/campus/ibkr-api-page/cpapi-v1/';

/** IBKR's page of TWS API message codes, as a link names it and as a Markdown copy names it. */
export const TWS_CODES_DOCS = { url: OFFICIAL_DOCS_URL, label: 'IBKR’s official message codes documentation', name: 'Official message codes' } as const;
const CPAPI_DOCS = { url: CPAPI_DOCS_URL, label: 'IBKR’s Client Portal Web API documentation', name: 'Client Portal Web API documentation' } as const;

/**
 * IBKR's documentation that covers an entry: the Web API's for Client Portal entries, the TWS
 * message-code page for the codes it lists (lib/tws-codes-page.ts), none for the others (a
 * Python `ConnectionRefusedError`, the generic -1, codes met only at runtime). Its address, the
 * link's text, and the short name a Markdown copy gives it.
 */
export function officialDocsOf(entry: Pick<KnowledgeEntry, 'category' | 'numericCode'>): { url: string; label: string; name: string } | null {
  if (entry.category === 'cpapi') return CPAPI_DOCS;
  return onTwsCodesPage(entry) ? TWS_CODES_DOCS : null;
}

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

/** The one line that stands for the educational boundary and the trademark notice; it opens to their full text. */
export const NOTICES_LINE = 'Not financial advice. Not affiliated with Interactive Brokers.';
export const NOTICES_MORE = 'Full text';

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
  /** The header's word (`Warning` for a line saying `Warning 2104`); the severity's word by default. */
  word?: string;
  /** The full view (popup): every variant, a few examples. The card shows only the matched variant. */
  full?: boolean;
}

/** The code under its kind, coloured by severity, and the category; `detail` goes under the title. */
function renderHeader(entry: KnowledgeEntry, level: number, titleId: string | undefined, word: string | undefined, detail: VNode | null): VNode {
  const severity = { class: `severity severity-${entry.severity}`, 'data-severity': entry.severity };
  return h(
    'header',
    { class: 'entry-header' },
    h(
      'p',
      { class: 'entry-code' },
      h('span', { ...severity, class: `code ${severity.class}`, title: SEVERITY_LABELS[entry.severity] }, codeLabel(entry, word)),
      // A numbered code says its kind in its label; a named one (`ConnectionRefusedError`) gets it here.
      entry.numericCode === null ? [' ', h('span', severity, SEVERITY_LABELS[entry.severity])] : null,
      ' ',
      h('span', { class: 'category', 'data-category': entry.category }, CATEGORIES[entry.category]),
    ),
    h(`h${level}`, { class: 'entry-title', ...(titleId ? { id: titleId } : {}) }, entry.title),
    detail,
  );
}

/** The lead notice of informational and connectivity entries. */
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

/** The page's own words for a case: a farm's name as `Farm: usfarm`, anything else quoted as text (control characters shown). */
function renderPageReason(words: PageReason): VNode {
  if (words.kind === 'farm') {
    return h('p', { class: 'page-farm' }, h('strong', {}, `${words.label}: `), words.names.flatMap((name, i) => (i > 0 ? [', ', h('code', {}, name)] : [h('code', {}, name)])));
  }
  return h('p', { class: 'page-reason' }, `${words.label}: `, h('q', {}, showBidi(words.text)));
}

/**
 * The case the page's message matched, and the page's own words for it. Only a farm's name and no
 * case: that is no case section, the name goes under the title (`Farm: usfarm` for 2104).
 */
function renderMatchedCase(entry: KnowledgeEntry, variantId: string | null, reason: string | null, level: number): { section: VNode | null; underTitle: VNode | null } {
  const shown = caseShown(entry, variantId, reason);
  if (shown.kind === 'none') return { section: null, underTitle: null };
  if (shown.kind === 'farm') return { section: null, underTitle: renderPageReason(shown.words) };
  const { variant, words } = shown;
  const section = h(
    'section',
    { class: 'section matched-case', ...(variant ? { 'data-variant': variant.id } : {}) },
    h(`h${level + 1}`, {}, variant ? `This case: ${variant.label}` : 'This case'),
    words ? renderPageReason(words) : null,
    variant ? h('p', { class: 'variant-cause' }, h('strong', {}, 'Cause: '), variant.cause) : null,
    variant ? h('p', { class: 'variant-fix' }, h('strong', {}, 'Fix: '), variant.fix) : null,
  );
  return { section, underTitle: null };
}

/**
 * Symptoms, causes, checks and resolution; folded when a case matched, under one line that names
 * the lists it holds (`Error 162 in general: symptoms, causes, checks, resolution`).
 */
function renderGeneral(entry: KnowledgeEntry, level: number, folded: boolean, label: string): VNode | VNode[] | null {
  const keys = (['symptoms', 'causes', 'checks', 'resolution'] as const).filter((key) => entry[key].length > 0);
  if (keys.length === 0) return null;
  const sections = keys.map((key) =>
    h(
      'section',
      { class: `section section-${key}` },
      h(`h${level + 1}`, {}, sectionTitle(entry, key)),
      h(key === 'resolution' ? 'ol' : 'ul', {}, entry[key].map((item) => h('li', {}, item))),
    ),
  );
  if (!folded) return sections;
  // Each list by its key (`causes`), or by its heading where a notice's differs (`why it appears`).
  const named = keys.map((key) => (sectionTitle(entry, key) === SECTION_TITLES[key] ? key : sectionTitle(entry, key).toLowerCase()));
  return h('details', { class: 'general' }, h('summary', {}, `${label} in general: ${named.join(', ')}`), sections);
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

function renderRelated(entry: KnowledgeEntry, termButtons: boolean): VNode | null {
  if (entry.related.length === 0) return null;
  return h(
    'p',
    { class: 'related' },
    h('span', { class: 'related-label' }, 'Related terms:'),
    ...entry.related.flatMap((term) => [
      ' ',
      termButtons
        ? h('button', { type: 'button', class: 'term', 'data-query': term, title: `Search “${term}”` }, term)
        : h('span', { class: 'term' }, term),
    ]),
  );
}

/** The link to IBKR's documentation of the entry, where IBKR documents it. */
export function renderDocsLink(entry: Pick<KnowledgeEntry, 'category' | 'numericCode'>): VNode | null {
  const docs = officialDocsOf(entry);
  if (!docs) return null;
  // No referrer: IBKR's site learns nothing of the page the user was reading.
  return h('p', { class: 'docs' }, h('a', { href: docs.url, target: '_blank', rel: 'noopener noreferrer' }, docs.label));
}

export function renderEntry(
  entry: KnowledgeEntry,
  { level = 2, titleId, termButtons = false, variant = null, reason = null, word, full = false }: RenderEntryOptions = {},
): VNode {
  const matchedCase = renderMatchedCase(entry, variant, reason, level);
  const caseFound = matchedCase.section?.attrs['data-variant'] !== undefined;
  return h(
    'article',
    { class: 'entry', 'data-entry-id': entry.id, 'data-severity': entry.severity },
    renderHeader(entry, level, titleId, word, matchedCase.underTitle),
    matchedCase.section,
    renderSeverityNotice(entry),
    h('p', { class: 'summary' }, entry.summary),
    renderGeneral(entry, level, caseFound, codeLabel(entry, word)),
    full ? renderVariants(entry, variant, level) : null,
    full ? renderExamples(entry, level) : null,
    renderRelated(entry, termButtons),
    renderDocsLink(entry),
  );
}

/** The educational boundary and the trademark notice, verbatim (pages with room for them). */
export function renderNotices(notices: Notices): VNode {
  return h('footer', { class: 'notices' }, renderNoticeTexts(notices));
}

function renderNoticeTexts(notices: Notices): VNode[] {
  return [
    h('p', { class: 'boundary' }, h('strong', {}, notices.boundary.title), ' ', notices.boundary.text),
    h('p', { class: 'trademark' }, notices.trademark),
  ];
}

/**
 * Both notices in one line that opens to their full, verbatim text: the card and the popup keep
 * their height for the explanation.
 */
export function renderNoticesLine(notices: Notices): VNode {
  return h(
    'footer',
    { class: 'notices notices-line' },
    h(
      'details',
      {},
      h('summary', {}, h('span', { class: 'notices-short' }, NOTICES_LINE), ' ', h('span', { class: 'notices-more' }, NOTICES_MORE)),
      renderNoticeTexts(notices),
    ),
  );
}

/** One line of a result list: code, title, summary, then severity, category and an optional note. */
export function renderResultItem(entry: KnowledgeEntry, note?: string): Child[] {
  return [
    h('span', { class: 'result-code', 'data-severity': entry.severity }, codeLabel(entry)),
    h('span', { class: 'result-title' }, entry.title),
    h('span', { class: 'result-summary' }, entry.summary),
    h(
      'span',
      { class: 'result-meta' },
      h('span', { class: `severity severity-${entry.severity}`, 'data-severity': entry.severity }, SEVERITY_LABELS[entry.severity]),
      ' · ',
      h('span', { class: 'category' }, CATEGORIES[entry.category]),
      note ? [' · ', h('span', { class: 'result-note' }, note)] : null,
    ),
  ];
}
