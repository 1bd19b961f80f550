/**
 * The tab the popup speaks about: the active one. Tests open popup.html in a tab of its own and
 * name the tab they mean with `?tab=<id>`.
 */
import { browser } from 'wxt/browser';
import { messenger, type ProtocolMap } from '../../lib/messages';

export async function currentTab(): Promise<{ id?: number; url?: string } | undefined> {
  const asked = Number(new URLSearchParams(location.search).get('tab'));
  if (Number.isInteger(asked) && asked > 0) return browser.tabs.get(asked);
  return (await browser.tabs.query({ active: true, currentWindow: true }))[0];
}

type TabQuestion = 'pageUrl' | 'pageEntries';

/** Asks the content script of the tab's top frame; undefined where none runs (or it does not answer). */
export async function askTab<T extends TabQuestion>(type: T): Promise<ReturnType<ProtocolMap[T]> | undefined> {
  const tab = await currentTab().catch(() => undefined);
  if (tab?.id === undefined) return undefined;
  // Both questions carry no data; the messenger's overloads cannot see that through T.
  const ask = messenger.sendMessage as (type: TabQuestion, data: undefined, to: { tabId: number; frameId: number }) => Promise<ReturnType<ProtocolMap[T]>>;
  return ask(type, undefined, { tabId: tab.id, frameId: 0 }).catch(() => undefined);
}
