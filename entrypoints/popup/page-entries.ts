/**
 * What the current tab has marked, for the popup's start page. The tab's content script may not
 * be there yet when the popup opens (Firefox runs it on a site the user withheld only once the
 * toolbar button was used there) or may still be scanning (a long thread reads the comments far
 * from the viewport when asked): the popup asks again a few times, for a few seconds, until the
 * page's entries come and it says it is done reading, and says meanwhile what it knows.
 */
import { parsePageEntries, type PageEntry } from '../../lib/start-page';
import { askTab } from './tab';

export type PageState =
  /** The tab's script answered with what it marked (maybe nothing yet). */
  | { kind: 'read'; entries: PageEntry[] }
  /** No script answers on this tab: the extension does not read it (a withheld or switched-off site, a browser page, Firefox's viewers). */
  | { kind: 'not-read' };

/** When to ask again, after the first ask (milliseconds from the popup's start). */
const ASK_AGAIN_MS = [300, 800, 1600, 3000];

/** Calls `changed` with each new state of the tab, until its entries come or the asks run out. */
export function followPageEntries(changed: (state: PageState) => void): void {
  let last = '';
  const ask = async (): Promise<boolean> => {
    const answer = await askTab('pageEntries');
    const state: PageState = answer === undefined ? { kind: 'not-read' } : { kind: 'read', entries: parsePageEntries(answer) };
    const key = JSON.stringify(state);
    if (key !== last) {
      last = key;
      changed(state);
    }
    return state.kind === 'read' && state.entries.length > 0 && answer?.reading !== true;
  };
  void (async () => {
    if (await ask()) return;
    const start = performance.now();
    for (const at of ASK_AGAIN_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, at - (performance.now() - start))));
      if (await ask()) return;
    }
  })();
}

export const NOT_READ_NOTE = 'The extension does not read this page, so its errors cannot be listed first.';
export const NONE_MARKED_NOTE = 'Nothing is marked on this page.';

/** The line above the start page's list: why it starts with the most met (null when the page's own come first). */
export function pageNote(state: PageState | null): string | null {
  if (state === null) return null;
  if (state.kind === 'not-read') return NOT_READ_NOTE;
  return state.entries.length === 0 ? NONE_MARKED_NOTE : null;
}
