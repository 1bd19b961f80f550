/**
 * The background's part of the toolkit features: the toolbar badge, the "explain selection"
 * keyboard shortcut and keeping the scripts of user-added sites registered. Takes the extension
 * API as an argument (no globals), so the background entrypoint only calls `installToolkit`.
 */
import type { browser } from 'wxt/browser';
import type { WxtStorage } from '@wxt-dev/storage';
import { badgeFor } from './badge';
import { syncSiteScripts } from './custom-sites';
import type { RemovalRule } from './site-access';
import { messenger, senderChecks, type SiteScriptsReport } from './messages';
import { createSettingsStore } from './settings-store';
import { TEST_BUILD } from './test-build';
import { installTestHooks } from './test-hooks';

type Api = typeof browser;

/** The command id of the "explain the current selection" shortcut (manifest `commands`). */
export const EXPLAIN_COMMAND = 'explain-selection';

export async function setBadge(api: Api, tabId: number, count: number): Promise<void> {
  const { text, title } = badgeFor(count);
  await api.action.setBadgeText({ tabId, text });
  await api.action.setTitle({ tabId, title });
}

export function installToolkit(
  api: Api,
  storage: WxtStorage,
  removal: RemovalRule,
  explainSelectionInTab: (tabId: number, text: string) => Promise<void>,
): void {
  messenger.onMessage('pageErrors', ({ data, sender }) => {
    // Only the top frame speaks for the page; a frame's own errors would make the count jump.
    if (!senderChecks.topFrame(sender, api.runtime.id) || !Array.isArray(data)) return;
    return setBadge(api, sender.tab!.id!, data.length);
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
  // The end-to-end tests press the shortcut through this (a headless browser has no key binding
  // UI). Test builds only.
  if (TEST_BUILD) installTestHooks(globalThis, { ibkrRunCommand: onCommand });
  installSiteScripts(api, storage, removal);
}

/**
 * Keeps the registered scripts of the sites the user added, and their permissions, in step with
 * the settings and with what the browser grants: when the extension starts or is updated (WXT
 * migrates the stored settings then), when the options page or the popup asks (it waits for the
 * answer), when the settings change elsewhere (another computer removed a site) and when a
 * permission is granted or taken back in the browser's own settings. One sync at a time.
 */
function installSiteScripts(api: Api, storage: WxtStorage, removal: RemovalRule): void {
  const store = createSettingsStore(storage);
  let queue: Promise<unknown> = Promise.resolve();
  const sync = (released: string[]): Promise<SiteScriptsReport> => {
    const run = queue.then(async () => syncSiteScripts(api, (await store.read()).settings, released, removal));
    queue = run.catch((err: unknown) => console.warn('IBKR Error Lookup: site scripts:', err));
    return run;
  };
  const origin = api.runtime.getURL('/');
  messenger.onMessage('syncSiteScripts', ({ data, sender }) => {
    if (!senderChecks.ownPage(sender, api.runtime.id, origin)) throw new Error('IBKR Error Lookup: only the extension’s own pages may change its sites');
    return sync(Array.isArray(data) ? data.filter((p): p is string => typeof p === 'string') : []);
  });
  const syncNow = () => void sync([]).catch(() => undefined);
  api.runtime.onInstalled.addListener(syncNow);
  api.runtime.onStartup.addListener(syncNow);
  api.permissions.onAdded.addListener(syncNow);
  api.permissions.onRemoved.addListener(syncNow);
  store.watch((now, before) => {
    const removed = before.settings.customSites.filter((p) => !now.settings.customSites.includes(p));
    void sync(removed).catch(() => undefined);
  });
}
