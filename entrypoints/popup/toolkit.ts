/**
 * The popup's toolkit parts, kept apart from the search UI: the on/off switch for the current
 * tab's site, links to the log analyzer and the settings, and "Copy as Markdown" plus the IBKR
 * documentation link under an opened entry.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import '../../assets/entry-actions.css';
import './toolkit.css';
import knowledge from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { addCustomSite, removeCustomSite } from '../../lib/custom-sites';
import { accessFrom, grantedOrigins } from '../../lib/site-access';
import { entryActions, entryMarkdown } from '../../lib/markdown';
import { messenger } from '../../lib/messages';
import { siteState, type SiteState } from '../../lib/settings';
import { createSettingsStore } from '../../lib/settings-store';
import { sitePatternOf } from '../../lib/site-patterns';
import { switchView } from '../../lib/site-switch';
import { askTab, currentTab } from './tab';

const store = createSettingsStore(storage);
const syncScripts = (released: string[]) => messenger.sendMessage('syncSiteScripts', released);

/**
 * The URL of the tab the popup speaks about (the active one). Opening the popup grants activeTab,
 * which lets it read that URL; where the content script runs it is also asked directly.
 */
async function currentTabUrl(): Promise<string | undefined> {
  const tab = await currentTab();
  if (tab?.url) return tab.url;
  const url = await askTab('pageUrl');
  return typeof url === 'string' ? url : undefined;
}

/**
 * Flips the page's site: a group's switch is stored; a listed site is removed; any other site is
 * added (permissions.request runs first in the click: the browser asks about this one site).
 */
function flipSite(state: SiteState, pattern: string, on: boolean): Promise<{ ok: boolean; message?: string }> {
  if (state.kind === 'group') {
    return store.update((s) => ({ groups: { ...s.groups, [state.groupId]: on } })).then(
      () => ({ ok: true }),
      (err: unknown) => ({ ok: false, message: `Not changed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }
  if (state.kind === 'custom') return removeCustomSite(browser, store, state.pattern, syncScripts);
  return addCustomSite(browser, store, pattern, syncScripts);
}

/** "Allow": asks the browser for exactly `patterns` (first thing in the click), then `done`. */
function allowButton(patterns: string[], isCustom: boolean, fail: (text: string) => void, done: () => void): HTMLButtonElement {
  const allow = document.createElement('button');
  allow.type = 'button';
  allow.className = 'allow';
  allow.textContent = 'Allow';
  allow.addEventListener('click', () => {
    void browser.permissions
      .request({ origins: patterns })
      .then(async (granted) => {
        if (!granted) return fail('Not allowed: the browser kept it off.');
        if (isCustom) await syncScripts([]);
        done();
      })
      .catch(() => fail('The browser could not ask for this permission.'));
  });
  return allow;
}

const FIREFOX_VIEWER_NOTE =
  'Firefox shows this page in its own JSON or PDF viewer, where no extension can run: nothing is marked on it. Copy its text into the search above to look an error up.';

/**
 * Whether Firefox shows the tab in a viewer of its own (its JSON viewer, PDF.js) on a
 * site the extension is on and allowed: no content script answers there, and Firefox refuses to
 * run any script in it. Asked only when the page's content script did not answer.
 */
async function inFirefoxViewer(): Promise<boolean> {
  if ((await askTab('pageUrl')) !== undefined) return false;
  const tab = await currentTab().catch(() => undefined);
  if (tab?.id === undefined) return false;
  return browser.scripting.executeScript({ target: { tabId: tab.id }, func: () => true }).then(
    () => false,
    () => true,
  );
}

/** Renders the switch for `url` into `box`; re-renders itself after each change. */
async function renderSwitch(box: HTMLElement, url: string | undefined): Promise<void> {
  const pattern = url ? sitePatternOf(url) : null;
  if (!url || !pattern) {
    box.replaceChildren();
    box.textContent = 'Marking is not available on this page.';
    box.dataset.state = 'unavailable';
    return;
  }
  const [{ settings }, origins] = await Promise.all([store.read(), grantedOrigins(browser)]);
  // Firefox runs the built-in sites' content script on the page the toolbar button was used on.
  const view = switchView(url, pattern, settings, accessFrom(origins, settings), origins, import.meta.env.FIREFOX);
  if (import.meta.env.FIREFOX && view.on === true && view.allow.length === 0 && (await inFirefoxViewer())) view.note = FIREFOX_VIEWER_NOTE;
  const state = siteState(settings, url);
  const rerender = () => void renderSwitch(box, url);
  const message = document.createElement('span');
  message.className = 'site-message';
  message.setAttribute('role', 'status');
  const fail = (text: string) => {
    message.textContent = text;
  };

  const label = document.createElement('label');
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.id = 'site-switch';
  input.setAttribute('role', 'switch');
  input.checked = view.on === true;
  input.disabled = view.on === null;
  const text = document.createElement('span');
  text.textContent = view.label;
  label.append(input, text);
  box.replaceChildren(label);
  box.dataset.state = view.on === null ? 'unavailable' : view.allow.length > 0 ? 'not-allowed' : view.on ? 'on' : 'off';
  if (view.note) {
    const note = document.createElement('span');
    note.className = 'site-note';
    note.textContent = view.note;
    box.append(note);
  }
  if (view.allow.length > 0) box.append(allowButton(view.allow, state.kind === 'custom', fail, rerender));
  box.append(message);

  input.addEventListener('change', () => {
    const on = input.checked;
    void flipSite(state, pattern, on).then((result) => {
      if (result.ok) return rerender();
      // The control goes back to what is stored, and says why.
      input.checked = !on;
      fail(result.message ?? 'Not changed.');
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
  void currentTabUrl()
    .catch(() => undefined)
    .then((url) => renderSwitch(box, url))
    .catch(() => renderSwitch(box, undefined));
}

/** "Copy as Markdown" for the popup's entry view, with the case shown first (`variant`) when there is one. */
export function entryToolbar(doc: Document, entry: KnowledgeEntry, variant: string | null = null): HTMLElement {
  return entryActions(doc, () => entryMarkdown(entry, knowledge.notices, { variant }));
}
