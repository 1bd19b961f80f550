/**
 * The background's part of the toolkit features: the toolbar badge, the "explain selection"
 * keyboard shortcut and keeping the scripts of user-added sites registered. Takes the extension
 * API as an argument (no globals), so the background entrypoint only calls `installToolkit`.
 */
import type { browser } from 'wxt/browser';
import { badgeFor, isPageErrorsMessage } from './badge';
import { syncSiteScripts } from './custom-sites';

type Api = typeof browser;

/** The command id of the "explain the current selection" shortcut (manifest `commands`). */
export const EXPLAIN_COMMAND = 'explain-selection';

export async function setBadge(api: Api, tabId: number, count: number): Promise<void> {
  const { text, title } = badgeFor(count);
  await api.action.setBadgeText({ tabId, text });
  await api.action.setTitle({ tabId, title });
}

export function installToolkit(api: Api, explainSelectionInTab: (tabId: number, text: string) => Promise<void>): void {
  api.runtime.onMessage.addListener((message: unknown, sender) => {
    if (!isPageErrorsMessage(message) || sender.tab?.id === undefined) return undefined;
    // Only the top frame speaks for the page; a frame's own errors would make the count jump.
    if (sender.frameId !== undefined && sender.frameId !== 0) return undefined;
    return setBadge(api, sender.tab.id, message.ids.length).then(() => ({ ok: true }));
  });
  api.tabs.onUpdated.addListener((tabId, change) => {
    // A new page (or a new URL in a single-page app) starts with no count until its script reports.
    if (change.status === 'loading' || change.url !== undefined) void setBadge(api, tabId, 0).catch(() => undefined);
  });
  const onCommand = async (command: string, tab?: { id?: number }): Promise<void> => {
    if (command !== EXPLAIN_COMMAND) return;
    const tabId = tab?.id ?? (await api.tabs.query({ active: true, currentWindow: true }))[0]?.id;
    if (tabId === undefined) return;
    // No text: the page's content script explains its own current selection (injected first under
    // activeTab, which the shortcut grants, where it does not run by itself).
    await explainSelectionInTab(tabId, '');
  };
  api.commands.onCommand.addListener((command: string, tab?: { id?: number }) => {
    onCommand(command, tab).catch((err: unknown) => console.warn('IBKR Error Lookup: cannot explain the selection on this page:', err));
  });
  // The end-to-end tests press the shortcut through this (a headless browser has no key binding UI).
  (globalThis as { ibkrRunCommand?: typeof onCommand }).ibkrRunCommand = onCommand;
  const sync = () => void syncSiteScripts(api).catch((err: unknown) => console.warn('IBKR Error Lookup: site scripts:', err));
  api.runtime.onInstalled.addListener(sync);
  api.runtime.onStartup.addListener(sync);
  // Changes made in the options page or the popup are synced right there (they await the result).
}
