/**
 * Where the markers' style sheet (the `::highlight()` rules and the marker element's box, from
 * assets/marker.css) comes from. The browser adds it at document_start, before the page's DOM
 * exists, wherever the content script is declared (a css-only manifest entry beside it,
 * wxt.config.ts) or registered for a site the user added (a css-only script beside it,
 * lib/custom-sites.ts): the page's DOM never holds a style element of ours. Added to a page already
 * built, rules that any element may carry (a `::highlight()` pseudo-element) make the browser
 * restyle every element: a second or more on a page of 200,000 nodes (docs/performance.md). So a
 * copy of the script that the background injects later ("Explain selection" where the script did
 * not run) asks for the sheet only once it marks something, which it does only on a site that is
 * switched on.
 */
import type { browser } from 'wxt/browser';
import type { SenderInfo } from './messages';

type Api = typeof browser;

/** The built sheet (entrypoints/markers.content.css). */
export const MARKER_CSS_FILE = 'content-scripts/markers.css';

/** A property of the content scripts' own world (no page script can see or set it). */
const INJECTED_MARK = '__ibkrErrorLookupInjected';

/**
 * Run by the background in the frame just before it injects the content script (a function of
 * its own, serialised by `scripting.executeScript`: no imports, no closures).
 */
export function markInjected(name: string): void {
  (globalThis as unknown as Record<string, unknown>)[name] = true;
}
export const markInjectedArgs: [string] = [INJECTED_MARK];

/**
 * Whether the background injected this copy of the content script (the page then has no markers'
 * style sheet); the mark is taken, so a copy the browser starts later in the same page reads none.
 * `global` is the content script's `globalThis`, where `markInjected` wrote (in Firefox a content
 * script's `globalThis` is its sandbox, not `window`).
 */
export function takeInjectedMark(global: object): boolean {
  const scope = global as Record<string, unknown>;
  const injected = scope[INJECTED_MARK] === true;
  delete scope[INJECTED_MARK];
  return injected;
}

/** Background: adds the sheet to the frame of a content script the background injected (it asks once it marks something). */
export async function insertMarkerStyle(api: Api, sender: SenderInfo): Promise<void> {
  if (sender.id !== api.runtime.id || sender.tab?.id === undefined) return;
  await api.scripting.insertCSS({ target: { tabId: sender.tab.id, frameIds: [sender.frameId ?? 0] }, files: [MARKER_CSS_FILE] });
}
