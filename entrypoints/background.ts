/**
 * Background: the "Explain selection" context-menu item. Sends the selected text to the content
 * script of that tab, injecting it first (activeTab) on pages it does not run on by itself. Hands
 * content scripts the match data as they start and the entries' text when a card needs it.
 * No network: the selection goes from the menu to the page it came from (or, where Firefox lets no
 * extension script run, to the extension's own popup page), nowhere else. (The
 * settings are read here only to keep the scripts of the sites the user added registered.)
 */
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { storage } from 'wxt/utils/storage';
import knowledgeJson from '../knowledge/json';
import type { KnowledgeBase, KnowledgeEntry } from '../knowledge/schema';
import matchDataJson from '../knowledge/match-data';
import { CHROME_REMOVAL, FIREFOX_REMOVAL } from '../lib/site-access';
import { createExplainer } from '../lib/explain';
import { entriesAnswer, parseKnowledge, parseMatchData } from '../lib/knowledge-request';
import { insertMarkerStyle, markInjected, markInjectedArgs } from '../lib/marker-style';
import { capSelection } from '../lib/selection-limit';
import { MENU_ID, MENU_TITLE, messenger } from '../lib/messages';
import { TEST_BUILD } from '../lib/test-build';
import { installTestHooks } from '../lib/test-hooks';
import { installToolkit } from '../lib/toolkit-worker';

/** The knowledge base, parsed on the first question that needs it, and its entries by id. */
let parsed: { kb: KnowledgeBase; byId: Map<string, KnowledgeEntry> } | null = null;
const knowledge = () => {
  if (parsed) return parsed;
  const kb = parseKnowledge(knowledgeJson);
  return (parsed = { kb, byId: new Map(kb.entries.map((e) => [e.id, e])) });
};
/** "Explain selection" for content scripts, set up on the first question (the search lives here, not in every page). */
let explainer: ReturnType<typeof createExplainer> | null = null;
const explain = (text: string) => (explainer ??= createExplainer(knowledge().kb.entries, parseMatchData(matchDataJson).stemIndex))(text);

async function createMenu(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({ id: MENU_ID, title: MENU_TITLE, contexts: ['selection'] });
}

/**
 * Firefox's JSON and PDF viewers (and its other pages no extension may script) refuse the content
 * script: the popup page explains the selection instead, in a small window of its own. The shortcut
 * sends no text (the page's script reads its own selection), and the popup then says it cannot
 * read it there. The text goes in the page's address, cut as a page cuts a selection; `tab` names
 * the page, which the popup's site switch speaks of.
 */
async function explainInOwnWindow(text: string, tabId: number): Promise<void> {
  const { text: looked, cut } = capSelection(text);
  // `tab`: the popup's site switch speaks of the page the selection is on.
  const query = new URLSearchParams({ explain: looked, tab: String(tabId), ...(cut > 0 ? { cut: String(cut) } : {}) });
  await browser.windows.create({ url: browser.runtime.getURL(`/popup.html?${query}`), type: 'popup', width: 440, height: 640 });
}

/** Shows the explanation of `text` in the page of `tabId` (frame `frameId`). */
export async function explainSelectionInTab(tabId: number, text: string, frameId = 0): Promise<void> {
  try {
    await messenger.sendMessage('explainSelection', text, { tabId, frameId });
  } catch {
    // No content script in that frame yet: the menu click granted activeTab, inject it now, marked
    // as injected (the page has no markers' style sheet: lib/marker-style.ts).
    const target = { tabId, frameIds: [frameId] };
    try {
      await browser.scripting.executeScript({ target, func: markInjected, args: markInjectedArgs });
      await browser.scripting.executeScript({ target, files: ['/content-scripts/content.js'] });
    } catch (refused) {
      if (import.meta.env.FIREFOX) return explainInOwnWindow(text, tabId);
      throw refused;
    }
    await messenger.sendMessage('explainSelection', text, { tabId, frameId });
  }
}

export default defineBackground(() => {
  // Content scripts carry no knowledge: the match data comes from here as they start, the text
  // of the entries a page marks or shows a card for (lib/knowledge-request.ts), and what a
  // selection they are asked to explain is about.
  messenger.onMessage('matchData', () => matchDataJson);
  messenger.onMessage('knowledgeEntries', ({ data }) => entriesAnswer(knowledge().kb, knowledge().byId, data));
  // A copy injected for "Explain selection" that marks something asks for the markers' style sheet.
  messenger.onMessage('markerStyle', ({ sender }) => insertMarkerStyle(browser, sender));
  // A failure reaches the asking page as a rejected answer, not as no answer at all. A page's
  // script may send anything: the text is cut to the same limit the content script keeps to.
  messenger.onMessage('explainText', ({ data }) => {
    if (typeof data !== 'string') throw new TypeError('IBKR Error Lookup: nothing to explain');
    return explain(capSelection(data).text);
  });
  browser.runtime.onInstalled.addListener(() => void createMenu());
  browser.runtime.onStartup.addListener(() => void createMenu());
  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId !== MENU_ID || tab?.id === undefined) return;
    explainSelectionInTab(tab.id, info.selectionText ?? '', info.frameId ?? 0).catch((err: unknown) => {
      // Pages no extension may script (browser settings, extension galleries): nothing to show.
      console.warn('IBKR Error Lookup: cannot explain the selection on this page:', err);
    });
  });
  // The end-to-end tests drive the same function the menu item calls (headless Chromium has no
  // clickable context menu). Test builds only: production bundles leave this out.
  if (TEST_BUILD) installTestHooks(globalThis, { explainSelectionInTab });

  // --- toolkit: toolbar badge, "explain selection" shortcut, scripts of user-added sites (lib/toolkit-worker.ts)
  installToolkit(browser, storage, import.meta.env.FIREFOX ? FIREFOX_REMOVAL : CHROME_REMOVAL, explainSelectionInTab);
});
