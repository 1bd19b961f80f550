/**
 * Every message between the extension's parts, as one typed protocol over
 * `@webext-core/messaging` (webextension-polyfill underneath). Each message's comment says who
 * sends it to whom; what the receiver checks of the sender is in `senderChecks`. Defining the
 * messenger touches no extension API: only sending and listening do.
 */
import { defineExtensionMessaging } from '@webext-core/messaging';
import type { ExplanationIds } from './explain';
import type { PageEntry } from './start-page';

/** What the background answers when asked to make the sites' scripts follow the settings. */
export interface SiteScriptsReport {
  /** Listed sites whose script is registered (the browser allows them). */
  active: string[];
  /** Permissions given back. */
  released: string[];
  /** Permissions that could have gone but stay, because a listed site relies on them. */
  kept: string[];
}

export interface ProtocolMap {
  /** Content script → background, as it starts: the match data (JSON text). */
  matchData(): string;
  /**
   * Content script → background, for the entries a page marks (at idle) or a card needs: those
   * entries and the notices (JSON text, lib/knowledge-request.ts).
   */
  knowledgeEntries(ids: string[]): string;
  /** Content script → background ("Explain selection"): what the text is about (the search lives there). */
  explainText(text: string): ExplanationIds | null;
  /**
   * Content script the background injected → background, once it marks something: add the
   * markers' style sheet to its frame (lib/marker-style.ts).
   */
  markerStyle(): void;
  /** Content script, top frame → background: the distinct errors marked on the page, for the badge. */
  pageErrors(ids: string[]): void;
  /** Background → a tab's content script (one frame): explain `text`, or the page's selection when empty. */
  explainSelection(text: string): { shown: boolean };
  /** Popup → a tab's content script, top frame: the page's address (the popup has no `tabs` permission). */
  pageUrl(): string | null;
  /**
   * Popup → a tab's content script, top frame: the entries marked there, first mention first
   * (checked by parsePageEntries); `reading`: the page is still being read (the parts far from
   * the viewport, which the question makes it read now), ask again.
   */
  pageEntries(): { entries: PageEntry[]; reading?: boolean };
  /**
   * Options page or popup → background: register the scripts of the listed sites the browser
   * allows, unregister the rest, and give back the permissions `released` names unless a listed
   * site still relies on them.
   */
  syncSiteScripts(released: string[]): SiteScriptsReport;
}

export const messenger = defineExtensionMessaging<ProtocolMap>();

export const MENU_ID = 'ibkr-explain-selection';
export const MENU_TITLE = 'Explain selection';

/** What the receiving side knows of a sender (runtime.MessageSender). */
export interface SenderInfo {
  id?: string;
  url?: string;
  tab?: { id?: number };
  frameId?: number;
}

/** What the receiving side checks of a sender (runtime messages come only from this extension's own scripts). */
export const senderChecks = {
  /** Sent by one of this extension's own pages (options, popup), not by a content script. */
  ownPage: (sender: SenderInfo, extensionId: string, extensionOrigin: string) =>
    sender.id === extensionId && typeof sender.url === 'string' && sender.url.startsWith(extensionOrigin),
  /** Sent by a content script in a tab's top frame: it speaks for the page (a frame's count would make the badge jump). */
  topFrame: (sender: SenderInfo, extensionId: string) =>
    sender.id === extensionId && sender.tab?.id !== undefined && (sender.frameId === undefined || sender.frameId === 0),
};
