import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { explainSelection } from '../../lib/explain';
import { createMatcher } from '../../lib/matcher';
import { createSearch } from '../../lib/search';

const search = createSearch(knowledge.entries);
const matcher = createMatcher(knowledge.entries);
const ids = (query: string) => search(query).map((r) => r.entry.id);

describe('popup search ranking', () => {
  it.each([
    ['10061', 'connection-refused'],
    ['WinError 10061', 'connection-refused'],
    ['326', 'ibkr-326'],
    ['504', 'ibkr-504'],
    ['321', 'ibkr-321'],
    ['ibkr-321', 'ibkr-321'],
    ['clientId', 'ibkr-326'],
    ['client id', 'ibkr-326'],
    ['7497', 'connection-refused'],
    ['4002', 'connection-refused'],
    ['isConnected', 'ibkr-504'],
    ['connection refused', 'connection-refused'],
    ['conection refused', 'connection-refused'],
    ['ConnectionRefusedError', 'connection-refused'],
    ['socket dropped', 'ibkr-504'],
    ['enable socket clients', 'connection-refused'],
    ['isconected', 'ibkr-504'],
    ['Not connected', 'ibkr-504'],
    ['ERROR -1 504 Not connected', 'ibkr-504'],
    ['Unable to connect as the client id is already in use', 'ibkr-326'],
    ['contract fields', 'ibkr-321'],
    ['contract qualified', 'ibkr-321'],
    ['stale notebook', 'ibkr-326'],
    ['notebook', 'ibkr-326'],
  ])('"%s" puts %s first', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  it('lists a code hit alone, not its look-alikes ("326" is not "321")', () => {
    expect(ids('326')).toEqual(['ibkr-326']);
    expect(ids('7497')).toEqual(['connection-refused']);
    expect(ids('999')).toEqual([]);
  });

  it('returns nothing for unrelated text', () => {
    expect(ids('hello world')).toEqual([]);
    expect(ids('qqqqzzzz')).toEqual([]);
    expect(ids('gateway timeout')).toEqual([]);
    expect(ids('market data')).toEqual([]);
  });

  it('lists every entry for an empty query', () => {
    expect(ids('  ').sort()).toEqual(['connection-refused', 'ibkr-321', 'ibkr-326', 'ibkr-504']);
  });

  it('says why a result matched', () => {
    expect(search('10061')[0].reason).toBe('code');
    expect(search('clientId')[0].reason).toBe('term');
    expect(search('conection refused')[0].reason).toBe('text');
    expect(search('Error 326, reqId -1: Unable to connect')[0].reason).toBe('error');
  });
});

describe('explain selection', () => {
  const explain = (text: string) => explainSelection(text, knowledge.entries, matcher, search);

  it('explains a selected log line', () => {
    const got = explain('2024-05-01 10:00:05 ib_insync.wrapper ERROR Error 504, reqId 7: Not connected');
    expect(got?.entry.id).toBe('ibkr-504');
    expect(got?.others).toEqual([]);
  });

  it('explains a generic message: the user asking is context enough', () => {
    expect(explain('ConnectionRefusedError: [WinError 10061] No connection could be made')?.entry.id).toBe('connection-refused');
    expect(explain('Not connected')?.entry.id).toBe('ibkr-504');
  });

  it('explains a bare code or term', () => {
    expect(explain('326')?.entry.id).toBe('ibkr-326');
    expect(explain(' clientId ')?.entry.id).toBe('ibkr-326');
    expect(explain('Error 504')?.entry.id).toBe('ibkr-504');
    expect(explain('WinError 10061')?.entry.id).toBe('connection-refused');
  });

  it('picks the entry with most hits and lists the others', () => {
    const got = explain('Error 326, reqId -1: x\nERROR -1 504 Not connected\nError 504, reqId 3: Not connected');
    expect(got?.entry.id).toBe('ibkr-504');
    expect(got?.others.map((e) => e.id)).toEqual(['ibkr-326']);
  });

  it('finds nothing in unrelated text', () => {
    expect(explain('The quick brown fox jumps over the lazy dog')).toBeNull();
    expect(explain('504 Gateway Timeout')).toBeNull();
    expect(explain('HTTP 504')).toBeNull();
    expect(explain('')).toBeNull();
    expect(explain('x'.repeat(500))).toBeNull();
  });
});
