/**
 * For the end-to-end tests (Chromium and Firefox): the blocks of tests/e2e/pages/github-marker-text.html
 * and their text as the page wrote it (read in both browsers with no extension). Each holds one
 * mention; where more of its block's text follows it, a block-level marker right after the
 * mention's text would add a line break to `innerText`: the marker's place is what keeps it
 * (docs/page-integrity.md, "Where the marker goes").
 */
const E326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use';

export interface MarkerTextCase {
  id: string;
  entry: string;
  innerText: string;
  textContent: string;
  /** More of the block's text follows the mention's run of text (a marker right after it would add a line break). */
  textAfterMarker: boolean;
}

export const MARKER_TEXT_CASES: MarkerTextCase[] = [
  {
    id: 'in-code',
    entry: 'ibkr-200',
    innerText: 'Also check Error 200, reqId 3: No security definition has been found for the request. AAPL closed',
    textContent: 'Also check Error 200, reqId 3: No security definition has been found for the request. AAPL closed',
    textAfterMarker: true,
  },
  { id: 'spans', entry: 'ibkr-326', innerText: `ERROR ${E326}. retrying\nINFO connected`, textContent: `ERROR ${E326}. retrying\nINFO connected`, textAfterMarker: true },
  // The mention's text node ends its line: the next line's <span> follows the marker.
  { id: 'lines', entry: 'ibkr-326', innerText: `ERROR ${E326}.\nINFO connected`, textContent: `ERROR ${E326}.\nINFO connected`, textAfterMarker: true },
  { id: 'flex', entry: 'ibkr-326', innerText: `ERROR ${E326}! tail\nretry`, textContent: `ERROR ${E326}! tailretry`, textAfterMarker: true },
  // A table cell (the marker goes after the table).
  { id: 'cell', entry: 'ibkr-326', innerText: `ERROR ${E326}. tail\tx`, textContent: `ERROR ${E326}. tailx`, textAfterMarker: true },
  { id: 'item', entry: 'ibkr-326', innerText: `TWS says ${E326}. again`, textContent: `TWS says ${E326}. again`, textAfterMarker: true },
  // The marker ends its flex item (absolutely positioned among flex items) or its block.
  { id: 'flex-direct', entry: 'ibkr-326', innerText: `ERROR ${E326}\n!`, textContent: `ERROR ${E326}!`, textAfterMarker: false },
  // Markdown: loose text, then a <p> (the marker goes before it, not at the end of the block, whose
  // last child keeps its `:last-child` style).
  { id: 'md-loose', entry: 'ibkr-326', innerText: `Loose ${E326} then more\n\nblock after`, textContent: `Loose ${E326} then moreblock after`, textAfterMarker: true },
  // GitHub's blob view: a line per table row (the marker goes after the table).
  { id: 'blob', entry: 'ibkr-326', innerText: `1\tERROR ${E326}\n2\tnext line`, textContent: `1ERROR ${E326}2next line`, textAfterMarker: true },
  { id: 'inline-block', entry: 'ibkr-326', innerText: `See ${E326} and more.`, textContent: `See ${E326} and more.`, textAfterMarker: true },
  { id: 'nested', entry: 'ibkr-326', innerText: `ERROR ${E326} x\nsecond`, textContent: `ERROR ${E326} xsecond`, textAfterMarker: true },
  { id: 'link', entry: 'ibkr-326', innerText: `Read ${E326} now.`, textContent: `Read ${E326} now.`, textAfterMarker: true },
  { id: 'nested-list', entry: 'ibkr-326', innerText: `TWS says ${E326}\nretry later`, textContent: `TWS says ${E326}retry later`, textAfterMarker: true },
  { id: 'md', entry: 'ibkr-326', innerText: `First paragraph.\n\nTWS says ${E326}`, textContent: `First paragraph.TWS says ${E326}`, textAfterMarker: false },
  {
    id: 'log',
    entry: 'ibkr-326',
    innerText: `2024-03-11 09:29:01,240 ib_insync.wrapper ERROR ${E326}.\n`,
    textContent: `2024-03-11 09:29:01,240 ib_insync.wrapper ERROR ${E326}.\n`,
    textAfterMarker: false,
  },
];

/** Runs in the page (passed to evaluate): each case's entry ids marked, innerText and textContent. */
export function readMarkerTextCases(ids: string[]): { id: string; marked: string[]; innerText: string; textContent: string }[] {
  return ids.map((id) => {
    const el = document.getElementById(id) as HTMLElement;
    const marked = [...el.querySelectorAll('[data-ibkr-error]')].map((m) => m.getAttribute('data-ibkr-error') ?? '');
    return { id, marked, innerText: el.innerText, textContent: el.textContent ?? '' };
  });
}

/**
 * Runs in the page (passed to evaluate, as a string): a log streams into the `<pre>` #streamed after
 * its marker: a line appended as a text node, then a highlighted line (a `<span>` and its text, with
 * a mention). Returns the block's innerText and textContent read in the same task, once its
 * microtasks (the MutationObservers' callbacks) have run: before anything is matched again.
 */
export const STREAM_AFTER_MARKER = `(async () => {
  const log = document.getElementById('streamed');
  log.append('2024-03-11 09:29:06,100 ib_insync.client INFO reconnecting\\n');
  const level = document.createElement('span');
  level.className = 'hljs-keyword';
  level.textContent = 'ERROR';
  log.append(level, ' ${E326}.\\n');
  await new Promise((resolve) => queueMicrotask(resolve));
  return { innerText: log.innerText, textContent: log.textContent };
})()`;
