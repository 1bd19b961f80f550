/**
 * The tab the popup speaks about: the active one. Tests open popup.html in a tab of its own and
 * name the tab they mean with `?tab=<id>`.
 */
import { browser } from 'wxt/browser';

export async function currentTab(): Promise<{ id?: number; url?: string } | undefined> {
  const asked = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(asked) && asked > 0) return browser.tabs.get(asked);
  return (await browser.tabs.query({ active: true, currentWindow: true }))[0];
}

/** Asks the content script of the tab's top frame; undefined where none runs (or it does not answer). */
export async function askTab(message: { type: string }): Promise<unknown> {
  const tab = await currentTab().catch(() => undefined);
  if (tab?.id === undefined) return undefined;
  return browser.tabs.sendMessage(tab.id, message, { frameId: 0 }).catch(() => undefined);
}
