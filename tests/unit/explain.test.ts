/**
 * "Explain selection" tolerates misspellings and cut-off lines as the popup's search does, and
 * names the case (variant) the selection shows (issue 12, point 6).
 */
import { describe, expect, it } from 'vitest';
import knowledge, { stemIndex } from '../../knowledge';
import { explainView } from '../../lib/card/views';
import { createExplainer, explainSelection, explanationFromIds } from '../../lib/explain';
import { createMatcher } from '../../lib/matcher';
import { textOf, type Child, type VNode } from '../../lib/render';
import { createSearch } from '../../lib/search';

const matcher = createMatcher(knowledge.entries);
const search = createSearch(knowledge.entries, { matcher });
const explain = (text: string) => explainSelection(text, knowledge.entries, matcher, search);
const ask = createExplainer(knowledge.entries, stemIndex);

describe('explain selection tolerates what the popup search tolerates', () => {
  it.each([
    // issue 12: a misspelt phrase, with the case it names
    ['historical data pacing violaton', 'ibkr-162', 'pacing'],
    // a line cut off in the middle of a word
    ['Historical data request pacing viol', 'ibkr-162', 'pacing'],
    ['HMDS query returned no dat', 'ibkr-162', 'no-data'],
    ['HMDS data farm connection is inac', 'ibkr-2107', null],
    ['Connectivity between IB and Trader Workstation has been lo', 'ibkr-1100', null],
    // misspelt words
    ['market data farm conection is OK', 'ibkr-2104', null],
    ['no security defintion found', 'ibkr-200', 'not-found'],
    ['historical data query returnd no data', 'ibkr-162', 'no-data'],
  ])('%s', (text, id, variant) => {
    const got = explain(text);
    expect(got?.entry.id).toBe(id);
    expect(got?.variant ?? null).toBe(variant);
    // The background answers the same, by ids.
    expect(ask(text)).toEqual({ entryId: id, others: [], variant, reason: null });
  });

  it('explains nothing for a selection of words that only stand beside codes ("error"): no code, no message', () => {
    for (const text of ['error', 'Error', 'ERROR:', 'errors', 'TWS error', 'API Error', 'Warning']) {
      expect(explain(text), text).toBeNull();
      expect(explainView(text, explain(text), 't').map((n) => textOf(n)).join(' '), text).toMatch(/Select a whole error line/);
    }
    expect(explain('Error 504')?.entry.id).toBe('ibkr-504');
    expect(explain('error 10061')?.entry.id).toBe('connection-refused');
  });

  it('explains nothing for a selection that only says something went wrong, and says it is too general', () => {
    for (const text of ['failed', 'Failed.', 'an error occurred', 'An error occurred.', 'error occurred', 'Something went wrong', 'FAILURE']) {
      expect(explain(text), text).toBeNull();
      expect(ask(text), text).toBeNull();
      const said = explainView(text, explain(text), 't').map((n) => textOf(n)).join(' ');
      expect(said, text).toMatch(/Too general to tell which IBKR error/);
      expect(said, text).toMatch(/Select a whole error line/);
    }
    // One word that tells the error apart is enough.
    expect(explain('connection failed')?.entry.id).toBe('api-connection-failed');
    expect(explain('order rejected')).not.toBeNull();
  });

  it('still finds nothing in prose, look-alikes and loose resemblances', () => {
    for (const text of ['The quick brown fox jumps over the lazy dog', '504 Gateway Timeout', 'HTTP 504', 'my script crashed yesterday', 'qqqq zzzz']) {
      expect(explain(text), text).toBeNull();
    }
  });

  // The word ib_insync puts before a notice's code, and the card's own heading word: a selected
  // "Warning 2104" is 2104, not an entry that mentions 2104 in its text.
  it.each([
    ['Warning 2104', 'ibkr-2104'],
    ['Notice 2104', 'ibkr-2104'],
    ['Warning 2106', 'ibkr-2106'],
    ['Warning 10167', 'ibkr-10167'],
    ['Info 2158', 'ibkr-2158'],
  ])('a selected "%s" is that code', (text, id) => {
    expect(ask(text)?.entryId).toBe(id);
  });

  it('gives the case and the reason of a selected error line', () => {
    expect(ask('Error 162, reqId 4: Historical Market Data Service error message:Historical data request pacing violation')).toEqual({
      entryId: 'ibkr-162',
      others: [],
      variant: 'pacing',
      reason: 'Historical data request pacing violation',
    });
    expect(ask("Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange")?.reason).toBe('Missing order exchange');
  });

  it('keeps only a variant the entry has from an answer', () => {
    expect(explanationFromIds({ entryId: 'ibkr-162', others: [], variant: 'pacing', reason: 'x' }, knowledge.entries)).toMatchObject({ variant: 'pacing', reason: 'x' });
    expect(explanationFromIds({ entryId: 'ibkr-162', others: [], variant: 'nope', reason: 3 }, knowledge.entries)).toMatchObject({ variant: null, reason: null });
  });

  it('says that nothing is selected when the shortcut finds no selection, instead of quoting an empty one', () => {
    for (const selection of ['', '   \n ']) {
      const text = explainView(selection, explain(selection), 't').map((n) => textOf(n)).join(' ');
      expect(text).toContain('Nothing is selected');
      expect(text).not.toContain('Selected:');
      expect(text).not.toContain('No known IBKR API error found');
    }
    expect(explainView('hello', null, 't').map((n) => textOf(n)).join(' ')).toContain('No known IBKR API error found in the selection');
  });

  it('shows the case in the panel, with its cause and fix', () => {
    const text = 'historical data pacing violaton';
    const find = (nodes: Child[]): VNode | undefined => {
      for (const n of nodes) {
        if (typeof n === 'string') continue;
        if (n.attrs.class?.split(' ').includes('matched-case')) return n;
        const inner = find(n.children);
        if (inner) return inner;
      }
      return undefined;
    };
    const matched = find(explainView(text, explain(text), 't'));
    expect(matched?.attrs['data-variant']).toBe('pacing');
    expect(textOf(matched!)).toContain('Fix:');
  });
});
