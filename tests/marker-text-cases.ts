/**
 * For the end-to-end tests (Chromium and Firefox): the blocks of tests/e2e/pages/github-marker-text.html
 * and their text as the page wrote it (read in both browsers with no extension). Each holds one
 * mention; where text follows its marker in the same block, the marker's box is what decides whether
 * `innerText` still reads what the page wrote (docs/page-integrity.md, "The markers' box").
 */
const E326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use';

export interface MarkerTextCase {
  id: string;
  entry: string;
  innerText: string;
  textContent: string;
  /** Text of the same block follows the marker (not only block boundaries or the block's end). */
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
  { id: 'cell', entry: 'ibkr-326', innerText: `ERROR ${E326}. tail`, textContent: `ERROR ${E326}. tail`, textAfterMarker: true },
  { id: 'item', entry: 'ibkr-326', innerText: `TWS says ${E326}. again`, textContent: `TWS says ${E326}. again`, textAfterMarker: true },
  // The marker ends its flex item (absolutely positioned among flex items) or its block.
  { id: 'flex-direct', entry: 'ibkr-326', innerText: `ERROR ${E326}\n!`, textContent: `ERROR ${E326}!`, textAfterMarker: false },
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
