/**
 * Toolbar popup: search over the whole knowledge base, keyboard first.
 * ↑/↓ choose a result, Enter opens it, Esc goes back (or clears the search).
 * Category and severity filters narrow the results; the list shows a page of rows at a time so a
 * broad query over ~500 entries stays quick to draw.
 */
import '../../assets/entry.css';
import './style.css';
import knowledge, { CATEGORIES, SEVERITIES, stemIndex, type Category, type Severity } from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { TOP_CODES } from '../../knowledge/quality';
import { replaceChildren, toDom } from '../../lib/dom';
import { h, renderEntry, renderNoticesLine, renderResultItem, SEVERITY_LABELS } from '../../lib/render';
import { quoted } from '../../lib/quote';
import { isTooGeneric } from '../../lib/query-words';
import { createSearch, type SearchFilters, type SearchResult } from '../../lib/search';
import { startOrder, type PageEntry } from '../../lib/start-page';
import { explainRequest, showExplanation } from './explain-window';
import { followPageEntries, pageNote, type PageState } from './page-entries';
import { entryToolbar, mountToolkit } from './toolkit';

/** Rows drawn at once; "Show more" draws the next page. */
const PAGE_SIZE = 50;
/** A note on the rows of entries marked on the current tab. */
const ON_PAGE_NOTE = 'On this page';

const search = createSearch(knowledge.entries, { stemIndex });
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const input = $<HTMLInputElement>('#q');
const categorySelect = $<HTMLSelectElement>('#category');
const severitySelect = $<HTMLSelectElement>('#severity');
const list = $<HTMLUListElement>('#results');
const more = $<HTMLButtonElement>('#more');
const status = $<HTMLParagraphElement>('#status');
const detail = $<HTMLElement>('#detail');
const entryView = $<HTMLDivElement>('#entry');
const back = $<HTMLButtonElement>('#back');

/** How much of a query the empty state quotes. */
const QUOTE_CHARS = 60;
/** Queries the empty state offers: socket API codes and terms, and a Client Portal message. */
const EXAMPLES = ['326', '10061', 'clientId', 'pacing violation', 'no bridge'];
let results: SearchResult[] = [];
/** How many of `results` are drawn. */
let shown = 0;
let active = -1;
/** What the current tab has marked (asked once the popup is up), and how many of `results` lead with it. */
let onPage: PageEntry[] = [];
let onPageShown = 0;
/** What the current tab's script said of its marks; null before it answers. */
let pageState: PageState | null = null;
const pageNoteLine = $<HTMLParagraphElement>('#page-note');

/** The line above the start page's list that says why the page's own errors do not lead it. */
function renderPageNote(): void {
  const note = input.value.trim() === '' && onPageShown === 0 ? pageNote(pageState) : null;
  pageNoteLine.textContent = note ?? '';
  pageNoteLine.hidden = note === null;
}

replaceChildren($('#notices'), document, renderNoticesLine(knowledge.notices));
for (const [value, label] of Object.entries(CATEGORIES)) categorySelect.appendChild(new Option(label, value));
for (const value of SEVERITIES) severitySelect.appendChild(new Option(SEVERITY_LABELS[value], value));

function filters(): SearchFilters {
  return {
    category: (categorySelect.value || null) as Category | null,
    severity: (severitySelect.value || null) as Severity | null,
  };
}

function optionId(r: SearchResult): string {
  return `result-${r.entry.id}`;
}

function setActive(index: number): void {
  active = index;
  list.querySelectorAll<HTMLLIElement>('[role=option]').forEach((li, i) => {
    li.setAttribute('aria-selected', String(i === active));
    li.classList.toggle('active', i === active);
    if (i === active) li.scrollIntoView({ block: 'nearest' });
  });
  if (active >= 0) input.setAttribute('aria-activedescendant', optionId(results[active]));
  else input.removeAttribute('aria-activedescendant');
}

/** The search field tells whether its list is shown: not while an entry is open, nor when it is empty. */
function syncExpanded(): void {
  const expanded = detail.hidden && results.length > 0;
  input.setAttribute('aria-expanded', String(expanded));
  if (!expanded) input.removeAttribute('aria-activedescendant');
}

/** Appends rows `shown` .. `shown + PAGE_SIZE` to the list. */
function drawMore(): void {
  const start = shown;
  shown = Math.min(results.length, shown + PAGE_SIZE);
  const fragment = document.createDocumentFragment();
  for (let i = start; i < shown; i++) {
    const r = results[i];
    const li = h(
      'li',
      { id: optionId(r), role: 'option', 'data-entry-id': r.entry.id, 'aria-selected': 'false' },
      renderResultItem(r.entry, i < onPageShown ? ON_PAGE_NOTE : undefined),
    );
    const node = toDom(li, document) as HTMLLIElement;
    node.addEventListener('click', () => open(i));
    node.addEventListener('mousemove', () => active !== i && setActive(i));
    fragment.appendChild(node);
  }
  list.appendChild(fragment);
  more.hidden = shown >= results.length;
  more.textContent = `Show ${Math.min(PAGE_SIZE, results.length - shown)} more (showing ${shown} of ${results.length})`;
  renderStatus(input.value.trim());
}

function describeFilters(): string {
  const { category, severity } = filters();
  return [category ? CATEGORIES[category] : '', severity ? SEVERITY_LABELS[severity] : ''].filter(Boolean).join(' · ');
}

/** The start of a long query, quoted (a pasted log can be thousands of characters): QUOTE_CHARS and the ellipsis. */
const quotedQuery = (query: string) => quoted(query, QUOTE_CHARS + 1);

/** What the status says of a query that only says something went wrong ("failed", "an error occurred"). */
function genericNote(query: string): string {
  return isTooGeneric(query) ? `${quotedQuery(query)} only says that something went wrong: add the error’s code or more words of its message. ` : '';
}

function renderStatus(query: string): void {
  const count = results.length;
  const filtered = describeFilters();
  const generic = genericNote(query);
  if (count === 0) {
    replaceChildren(
      status,
      document,
      h('span', { class: 'empty-title' }, 'No results'),
      query ? `No entry matches ${quotedQuery(query)}${filtered ? ` in ${filtered}` : ''}. ` : `No entry in ${filtered}. `,
      ...(filtered ? [h('button', { type: 'button', class: 'clear-filters' }, 'Clear filters'), ' '] : []),
      generic,
      'Try a code or a phrase: ',
      ...EXAMPLES.flatMap((ex, i) => [i ? ' ' : '', h('button', { type: 'button', class: 'example', 'data-query': ex }, ex)]),
    );
    status.querySelector<HTMLButtonElement>('.clear-filters')?.addEventListener('click', () => {
      categorySelect.value = '';
      severitySelect.value = '';
      renderResults();
      input.focus();
    });
    status.querySelectorAll<HTMLButtonElement>('.example').forEach((b) =>
      b.addEventListener('click', () => {
        // An example is a search of the whole catalog: under a filter it could find nothing again.
        input.value = b.dataset.query!;
        categorySelect.value = '';
        severitySelect.value = '';
        renderResults();
        input.focus();
      }),
    );
    return;
  }
  const parts = [h('strong', { class: 'count' }, `${count} ${count === 1 ? 'result' : 'results'}`)];
  const start = onPageShown > 0 ? `, the ${onPageShown} marked on this page first, then the most met` : ', the most met first';
  const note = [
    filtered ? ` in ${filtered}` : '',
    query === '' ? start : '',
    count > shown ? ` · showing ${shown} of ${count}` : '',
    query === '' ? '. Type a code, a message or a term; ↑↓ to choose, Enter to open.' : '. Enter opens the first.',
    generic && ` ${generic.trimEnd()}`,
  ].join('');
  replaceChildren(status, document, ...parts, note);
}

function renderResults(): void {
  const query = input.value.trim();
  results = search(query, filters());
  onPageShown = 0;
  if (query === '') {
    // The start page: what this tab has marked, then the most met entries, then the rest.
    const start = startOrder(results, onPage, TOP_CODES);
    results = start.items;
    onPageShown = start.onPage;
  }
  shown = 0;
  replaceChildren(list, document);
  renderPageNote();
  drawMore();
  setActive(results.length > 0 ? 0 : -1);
  syncExpanded();
}

/**
 * The case to show first: the one the page's mention matched (start page), or the variant the
 * query names (`162 pacing violation`).
 */
function caseOf(entry: KnowledgeEntry, index: number): string | null {
  if (index < onPageShown) return onPage.find((p) => p.id === entry.id)?.variant ?? null;
  const query = input.value.trim();
  if (query === '') return null;
  return entry.variants.find((v) => new RegExp(v.pattern, 'i').test(query))?.id ?? null;
}

function open(index: number): void {
  const r = results[index];
  if (!r) return;
  setActive(index);
  openEntry(r.entry, caseOf(r.entry, index));
}

/** Shows `entry` in full, its case `variant` first. */
function openEntry(entry: KnowledgeEntry, variant: string | null): void {
  replaceChildren(entryView, document, renderEntry(entry, { titleId: 'entry-title', termButtons: true, full: true, variant }));
  entryView.append(entryToolbar(document, entry, variant)); // toolkit: Copy as Markdown
  entryView.querySelectorAll<HTMLButtonElement>('button.term').forEach((b) =>
    b.addEventListener('click', () => {
      // A related term is a new search.
      input.value = b.dataset.query!;
      close();
      renderResults();
    }),
  );
  detail.setAttribute('aria-labelledby', 'entry-title');
  list.hidden = true;
  more.hidden = true;
  status.hidden = true;
  pageNoteLine.hidden = true;
  detail.hidden = false;
  syncExpanded();
  document.body.classList.add('showing-entry');
  back.focus();
}

function close(): void {
  detail.hidden = true;
  list.hidden = false;
  more.hidden = shown >= results.length;
  status.hidden = false;
  renderPageNote();
  document.body.classList.remove('showing-entry');
  input.focus();
  setActive(active);
  syncExpanded();
}

input.addEventListener('input', () => {
  if (!detail.hidden) close();
  renderResults();
});

for (const select of [categorySelect, severitySelect]) {
  select.addEventListener('change', () => {
    if (!detail.hidden) close();
    renderResults();
    select.focus();
  });
}

more.addEventListener('click', () => {
  const next = shown;
  drawMore();
  setActive(next);
  input.focus();
});

input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (shown === 0) return;
    const step = e.key === 'ArrowDown' ? 1 : -1;
    // Moving down past the last drawn row draws the next page.
    if (step === 1 && active === shown - 1 && shown < results.length) drawMore();
    setActive((active + step + shown) % shown);
  } else if (e.key === 'Home' && e.altKey) {
    setActive(shown > 0 ? 0 : -1);
  } else if (e.key === 'Enter') {
    e.preventDefault();
    open(active >= 0 ? active : 0);
  } else if (e.key === 'Escape' && input.value !== '') {
    // Clear first; a second Esc closes the popup as usual.
    e.preventDefault();
    input.value = '';
    renderResults();
  }
});

back.addEventListener('click', close);
document.addEventListener('keydown', (e) => {
  if (detail.hidden) return;
  if (e.key === 'Escape' || (e.key === 'Backspace' && e.target !== input) || (e.key === 'ArrowLeft' && e.altKey)) {
    e.preventDefault();
    close();
  } else if (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey && e.target !== input) {
    // Space on a control (a folded section's summary, a button) is that control's; on the
    // focused scrolling area it scrolls.
    if (e.key === ' ' && (e.target as Element).closest?.('summary, button, a, select, main')) return;
    // Typing anywhere goes back to searching.
    close();
  }
});

const asked = explainRequest(location.search);
// The selection is the query: its results stay one Back away.
if (asked) input.value = asked.query;
renderResults();
input.focus();
// Firefox moves the toolbar popup's page into its panel once it has loaded, and on a busy machine
// that move can take the focus off the search without a blur event: when the panel then gives the
// page the focus, the search takes it back unless something else holds it.
addEventListener(
  'focus',
  () => {
    if (document.activeElement === document.body || document.activeElement === null) input.focus();
  },
  { once: true },
);
// Opened by "Explain selection" where Firefox lets no extension run (its JSON and PDF viewers).
if (asked) showExplanation(asked, (entry, variant) => openEntry(entry, variant));
// The entries marked on the current tab lead the start page once its content script answers, and
// more as it reads the rest of a long page (the list is drawn again only while the user has not
// moved in it).
followPageEntries((state) => {
  pageState = state;
  const entries = state.kind === 'read' ? state.entries : [];
  const untouched = input.value.trim() === '' && detail.hidden && active <= 0;
  if (entries.length > onPage.length && untouched) {
    onPage = entries;
    renderResults();
  } else renderPageNote();
});
// The first view needs no index; build it (and compile the matcher) before the first keystroke.
requestAnimationFrame(() => setTimeout(() => search.warmUp(), 0));
mountToolkit(document); // toolkit: this site's switch, Analyze a log, Settings
