/**
 * The popup's toolkit parts, kept apart from the search UI: the on/off switch for the current
 * tab's site, links to the log analyzer and the settings, and "Copy as Markdown" plus the IBKR
 * documentation link under an opened entry.
 */
import { browser } from 'wxt/browser';
import '../../assets/entry-actions.css';
import './toolkit.css';
import knowledge from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { PAGE_URL_REQUEST } from '../../lib/badge';
import { addCustomSite, removeCustomSite } from '../../lib/custom-sites';
import { entryActions, entryMarkdown } from '../../lib/markdown';
import { loadSettings, siteState, updateSettings, type Settings } from '../../lib/settings';
import { sitePatternOf } from '../../lib/site-groups';
import { askTab, currentTab } from './tab';

/**
 * The URL of the tab the popup speaks about (the active one). Opening the popup grants activeTab,
 * which lets it read that URL; where the content script runs it is also asked directly.
 */
async function currentTabUrl(): Promise<string | undefined> {
  const tab = await currentTab();
  if (tab?.url) return tab.url;
  const answer: unknown = await askTab({ type: PAGE_URL_REQUEST });
  const url = (answer as { url?: unknown } | undefined)?.url;
  return typeof url === 'string' ? url : undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** Renders the switch for `url` into `box`; re-renders itself after each change. */
function renderSwitch(box: HTMLElement, url: string | undefined, settings: Settings): void {
  box.replaceChildren();
  const pattern = url ? sitePatternOf(url) : null;
  if (!url || !pattern) {
    box.textContent = 'Marking is not available on this page.';
    box.dataset.state = 'unavailable';
    return;
  }
  const state = siteState(settings, url);
  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = 'site-switch';
  input.setAttribute('role', 'switch');
  input.checked = state.on;
  const text = document.createElement('span');
  const where = state.kind === 'group' ? state.label : hostOf(url);
  text.textContent = `${state.on ? 'On' : 'Off'} for ${where}`;
  label.append(input, text);
  box.append(label);
  box.dataset.state = state.on ? 'on' : 'off';
  const message = document.createElement('span');
  message.className = 'site-message';
  message.setAttribute('role', 'status');
  box.append(message);
  input.addEventListener('change', () => {
    const on = input.checked;
    let done: Promise<unknown>;
    if (state.kind === 'group') done = updateSettings(browser.storage.sync, (s) => ({ groups: { ...s.groups, [state.groupId]: on } }));
    else if (state.kind === 'custom') done = removeCustomSite(browser, state.pattern);
    // permissions.request runs first in the click: the browser asks about this one site.
    else done = addCustomSite(browser, pattern).then((granted) => (granted ? undefined : Promise.reject(new Error('permission not granted'))));
    void done
      .then(() => loadSettings(browser.storage.sync))
      .then((s) => renderSwitch(box, url, s))
      .catch((err: unknown) => {
        input.checked = !on;
        message.textContent = `Not changed: ${err instanceof Error ? err.message : String(err)}`;
      });
  });
}

/** Adds the site switch and the links under the popup's header. */
export function mountToolkit(doc: Document): void {
  const bar = doc.createElement('section');
  bar.className = 'toolkit-bar';
  bar.setAttribute('aria-label', 'This site and more tools');
  const box = doc.createElement('div');
  box.className = 'site-state';
  box.id = 'site-state';
  const links = doc.createElement('nav');
  links.className = 'toolkit-links';
  const analyze = doc.createElement('a');
  analyze.href = '/analyze.html';
  analyze.target = '_blank';
  analyze.id = 'open-analyzer';
  analyze.textContent = 'Analyze a log';
  const options = doc.createElement('a');
  options.href = '/options.html';
  options.id = 'open-options';
  options.textContent = 'Settings';
  options.addEventListener('click', (e) => {
    e.preventDefault();
    void browser.runtime.openOptionsPage();
  });
  links.append(analyze, options);
  bar.append(box, links);
  const header = doc.querySelector('header');
  if (header) header.after(bar);
  else doc.body.prepend(bar);
  void Promise.all([currentTabUrl(), loadSettings(browser.storage.sync)])
    .then(([url, settings]) => renderSwitch(box, url, settings))
    .catch(() => renderSwitch(box, undefined, {} as Settings));
}

/** "Copy as Markdown" for the popup's entry view, with the case shown first (`variant`) when there is one. */
export function entryToolbar(doc: Document, entry: KnowledgeEntry, variant: string | null = null): HTMLElement {
  return entryActions(doc, () => entryMarkdown(entry, knowledge.notices, { variant }));
}
