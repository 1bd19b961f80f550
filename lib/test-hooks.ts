/**
 * What the test build adds for the end-to-end tests, and nothing else does (the test build is
 * `npm run build:test`; see lib/test-build.ts). Kept free of build-time flags so that the tests and
 * the build check can import it anywhere.
 *
 * - On `<html>`, SCAN_STATE_ATTR says whether the content script has work left on the page: "busy"
 *   while anything is queued (page changes to scan, marks to put in, a badge report to send, a
 *   card about to show or hide after a hover), "idle" once all of it is done. Tests wait for "idle" before asserting that nothing was marked
 *   or nothing changed (tests/e2e/fixtures.ts, `scanSettled`). Only the test build writes it: in
 *   the extension users run, a page learns nothing of our work beyond the markers themselves.
 * - On `<html>`, TONE_READS_ATTR counts the reads of the page's tone, so that a test can tell that a
 *   page's unrelated changes cost none.
 * - On the service worker's global scope, the functions tests drive in place of a context-menu
 *   click or a keyboard shortcut (a headless browser has neither), flagged by TEST_HOOKS_FLAG.
 */

/** The attribute on the page's `<html>` with the content script's state: "busy" or "idle". */
export const SCAN_STATE_ATTR = 'data-ibkr-test-scan';

/** The attribute on the page's `<html>` that counts the page tone's reads (lib/page-tone.ts). */
export const TONE_READS_ATTR = 'data-ibkr-test-tone-reads';

/** Set to true on the service worker's global scope of a test build. */
export const TEST_HOOKS_FLAG = 'ibkrTestHooks';

/** Strings only test hooks contain: a production bundle holding one fails the build. */
export const TEST_HOOK_STRINGS: readonly string[] = [SCAN_STATE_ATTR, TONE_READS_ATTR, TEST_HOOKS_FLAG];

/** Puts test hooks on a global scope (the caller checks TEST_BUILD, so production bundles leave this call out). */
export function installTestHooks(scope: object, hooks: Record<string, unknown>): void {
  Object.assign(scope, hooks, { [TEST_HOOKS_FLAG]: true });
}

/** The test-hook strings found in a bundle's files, as "file: string" (empty when there are none). */
export function testHooksIn(files: readonly { name: string; text: string }[]): string[] {
  const found: string[] = [];
  for (const { name, text } of files) for (const s of TEST_HOOK_STRINGS) if (text.includes(s)) found.push(`${name}: ${s}`);
  return found;
}

/** The test build's counter of the page tone's reads (lib/page-tone.ts `onToneRead`), written on `<html>`. */
export function toneReadCounter(doc: Document): () => void {
  let reads = 0;
  return () => doc.documentElement?.setAttribute(TONE_READS_ATTR, String(++reads));
}

/**
 * The test build's writer of SCAN_STATE_ATTR: "idle" once page control says the page's work is
 * done and no card is about to show or hide, "busy" otherwise (nothing before the first word from
 * page control).
 */
export function scanStateWriter(doc: Document) {
  const win = doc.defaultView!;
  let page: boolean | null = null;
  let cardTimers = 0;
  const write = () => {
    if (page !== null) doc.documentElement.setAttribute(SCAN_STATE_ATTR, page && cardTimers === 0 ? 'idle' : 'busy');
  };
  return {
    pageSettled(settled: boolean): void {
      page = settled;
      write();
    },
    /**
     * A card's show or hide timer of `ms` is starting: busy until just after it fires (one that is
     * cancelled is waited out too). Returns `ms`.
     */
    cardTimer(ms: number): number {
      cardTimers++;
      write();
      win.setTimeout(() => {
        cardTimers--;
        write();
      }, ms + 1);
      return ms;
    },
  };
}
