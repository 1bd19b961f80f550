// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { TOP_CODES } from '../../knowledge/quality';
import { createAnnotator, MARKER_TAG } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { createSearch } from '../../lib/search';
import { pageEntries, parsePageEntries, startOrder } from '../../lib/start-page';

const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
const all = createSearch(knowledge.entries)('');

describe('what the content script reports as marked on its page', () => {
  it('lists each entry once, first mention first, with its first mention\'s case, from the annotator\'s record', () => {
    document.body.innerHTML =
      '<pre>Error 2104, reqId -1: Market data farm connection is OK:usfarm\n' +
      'Error 162, reqId 3: Historical Market Data Service error message:Historical data request pacing violation\n' +
      'Error 162, reqId 4: Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades</pre>' +
      '<p>A look-alike: <ibkr-error-mark data-ibkr-error="ibkr-326">Error 326</ibkr-error-mark></p>';
    const annotator = createAnnotator({ doc: document, matcher: createMatcher(knowledge.entries), schedule: (work) => work({ timeRemaining: () => Infinity }) });
    annotator.start();
    annotator.flush();
    // The page rewrites a real marker's attribute: what it reports does not change.
    document.querySelector(`${MARKER_TAG}[data-ibkr-error="ibkr-162"]`)!.setAttribute('data-ibkr-error', 'ibkr-504');
    expect(pageEntries(document.querySelectorAll(MARKER_TAG), (m) => annotator.matchOf(m))).toEqual([
      { id: 'ibkr-2104', variant: null },
      { id: 'ibkr-162', variant: 'pacing' },
    ]);
    annotator.destroy();
  });

  it('reads an answer defensively: anything malformed is nothing marked', () => {
    expect(parsePageEntries(undefined)).toEqual([]);
    expect(parsePageEntries({ entries: 'ibkr-162' })).toEqual([]);
    expect(parsePageEntries({ entries: [{ id: 'ibkr-162', variant: 'pacing' }, { id: 7 }, null, { id: 'ibkr-326', variant: 3 }] })).toEqual([
      { id: 'ibkr-162', variant: 'pacing' },
      { id: 'ibkr-326', variant: null },
    ]);
  });
});

describe('the start page order', () => {
  it('puts the page\'s errors first, its informational notices after them, then the most met, then the rest', () => {
    const onPage = [
      { id: 'ibkr-2104', variant: null },
      { id: 'ibkr-162', variant: 'pacing' },
      { id: 'ibkr-1100', variant: null },
      { id: 'not-in-the-catalog', variant: null },
    ];
    const start = startOrder(all, onPage, TOP_CODES);
    const ids = start.items.map((r) => r.entry.id);
    expect(start.onPage).toBe(3);
    expect(ids.slice(0, 3)).toEqual(['ibkr-162', 'ibkr-1100', 'ibkr-2104']);
    const top = TOP_CODES.map((c) => `ibkr-${c}`).filter((id) => byId.has(id) && !ids.slice(0, 3).includes(id));
    expect(start.mostMet).toBe(top.length);
    expect(ids.slice(3, 3 + top.length)).toEqual(top);
    // Every entry once, none lost.
    expect([...ids].sort()).toEqual(all.map((r) => r.entry.id).sort());
  });

  it('keeps "Error -1" out of the lead: it is no most-met code', () => {
    const ids = startOrder(all, [], TOP_CODES).items.map((r) => r.entry.id);
    expect(ids[0]).toBe(`ibkr-${TOP_CODES[0]}`);
    expect(ids.indexOf('ibkr--1')).toBeGreaterThanOrEqual(TOP_CODES.length);
  });

  it('orders only what the filters left', () => {
    const errorsOnly = all.filter((r) => r.entry.severity === 'error');
    const start = startOrder(errorsOnly, [{ id: 'ibkr-2104', variant: null }], TOP_CODES);
    expect(start.onPage).toBe(0);
    expect(start.items.every((r) => r.entry.severity === 'error')).toBe(true);
  });
});
