/**
 * Toolbar popup: fuzzy search over the whole knowledge base, keyboard first.
 * ↑/↓ choose a result, Enter opens it, Esc goes back (or clears the search).
 */
import '../../assets/entry.css';
import './style.css';
import knowledge from '../../knowledge';
import { replaceChildren } from '../../lib/dom';
import { h, renderEntry, renderNotices, renderResultItem } from '../../lib/render';
import { createSearch, type SearchResult } from '../../lib/search';
import { entryToolbar, mountToolkit } from './toolkit';

const search = createSearch(knowledge.entries);
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const input = $<HTMLInputElement>('#q');
const list = $<HTMLUListElement>('#results');
const status = $<HTMLParagraphElement>('#status');
const detail = $<HTMLElement>('#detail');
const entryView = $<HTMLDivElement>('#entry');
const back = $<HTMLButtonElement>('#back');

const EXAMPLES = ['326', '10061', 'clientId', 'not connected'];
let results: SearchResult[] = [];
let active = -1;

replaceChildren($('#notices'), document, renderNotices(knowledge.notices));

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

function renderResults(): void {
  const query = input.value.trim();
  results = search(query);
  replaceChildren(
    list,
    document,
    ...results.map((r) =>
      h('li', { id: optionId(r), role: 'option', 'data-entry-id': r.entry.id, 'aria-selected': 'false' }, renderResultItem(r.entry)),
    ),
  );
  list.querySelectorAll<HTMLLIElement>('[role=option]').forEach((li, i) => {
    li.addEventListener('click', () => open(i));
    li.addEventListener('mousemove', () => active !== i && setActive(i));
  });
  if (query === '') {
    status.textContent = `All ${results.length} entries. Type a code, a message or a term; ↑↓ to choose, Enter to open.`;
  } else if (results.length === 0) {
    replaceChildren(
      status,
      document,
      h('span', { class: 'empty-title' }, `No entry matches “${query}”.`),
      ' Try a code or a phrase: ',
      ...EXAMPLES.flatMap((ex, i) => [i ? ' ' : '', h('button', { type: 'button', class: 'example', 'data-query': ex }, ex)]),
    );
    status.querySelectorAll<HTMLButtonElement>('.example').forEach((b) =>
      b.addEventListener('click', () => {
        input.value = b.dataset.query!;
        renderResults();
        input.focus();
      }),
    );
  } else {
    status.textContent = `${results.length} ${results.length === 1 ? 'entry matches' : 'entries match'} “${query}”. Enter opens the first.`;
  }
  setActive(results.length > 0 ? 0 : -1);
}

function open(index: number): void {
  const r = results[index];
  if (!r) return;
  setActive(index);
  replaceChildren(entryView, document, renderEntry(r.entry, { titleId: 'entry-title', termButtons: true }));
  entryView.append(entryToolbar(document, r.entry)); // toolkit: Copy as Markdown + IBKR docs link
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
  status.hidden = true;
  detail.hidden = false;
  document.body.classList.add('showing-entry');
  back.focus();
}

function close(): void {
  detail.hidden = true;
  list.hidden = false;
  status.hidden = false;
  document.body.classList.remove('showing-entry');
  input.focus();
  setActive(active);
}

input.addEventListener('input', () => {
  if (!detail.hidden) close();
  renderResults();
});

input.addEventListener('keydown', (e) => {
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (results.length === 0) return;
    const step = e.key === 'ArrowDown' ? 1 : -1;
    setActive((active + step + results.length) % results.length);
  } else if (e.key === 'Home' && e.altKey) {
    setActive(results.length > 0 ? 0 : -1);
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
    // Typing anywhere goes back to searching.
    close();
  }
});

renderResults();
input.focus();
mountToolkit(document); // toolkit: this site's switch, Analyze a log, Settings
