import { describe, expect, it } from 'vitest';
import knowledge, { stemIndex } from '../../knowledge';
import { createExplainer, explainSelection, explanationFromIds } from '../../lib/explain';
import { createMatcher } from '../../lib/matcher';
import { createSearch, editDistance, type SearchFilters } from '../../lib/search';

const search = createSearch(knowledge.entries);
const matcher = createMatcher(knowledge.entries);
const ids = (query: string, filters?: SearchFilters) => search(query, filters).map((r) => r.entry.id);

describe('popup search ranking', () => {
  it.each([
    ['10061', 'connection-refused'],
    ['WinError 10061', 'connection-refused'],
    ['326', 'ibkr-326'],
    ['162', 'ibkr-162'],
    ['2104', 'ibkr-2104'],
    ['pacing violation', 'ibkr-162'],
    // The most met pacing problem first (162's reason), then the Client Portal's rate limit.
    ['pacing', 'ibkr-162'],
    // 1100 says it in its own words ("Connectivity between IB and TWS has been lost"), 2103 only names it.
    ['connectivity lost', 'ibkr-1100'],
    ['504', 'ibkr-504'],
    ['321', 'ibkr-321'],
    ['ibkr-321', 'ibkr-321'],
    ['clientId', 'ibkr-326'],
    ['client id', 'ibkr-326'],
    // A port, no code: the entries listing it, 502 first (its official message names the ports).
    ['7497', 'ibkr-502'],
    ['4002', 'ibkr-502'],
    ['connectAsync', 'connection-refused'],
    ['isConnected', 'ibkr-504'],
    ['connection refused', 'connection-refused'],
    ['conection refused', 'connection-refused'],
    ['ConnectionRefusedError', 'connection-refused'],
    ['socket dropped', 'ibkr-504'],
    ['isconected', 'ibkr-504'],
    ['Not connected', 'ibkr-504'],
    ['ERROR -1 504 Not connected', 'ibkr-504'],
    ['Unable to connect as the client id is already in use', 'ibkr-326'],
    ['validation error', 'ibkr-321'],
    ['request payload', 'ibkr-321'],
    ['read-only mode', 'ibkr-321'],
    ['unknown contract', 'ibkr-517'],
    ['gateway timeout', 'api-connection-failed'],
    ['stale notebook', 'ibkr-326'],
    ['notebook', 'ibkr-326'],
    ['Peer closed connection', 'peer-closed-connection'],
    ['TWS/gateway version must be >= 972', 'tws-version-too-old'],
    ['keeps disconnecting', 'peer-closed-connection'],
    ['Broken pipe', 'peer-closed-connection'],
    ['asyncio.TimeoutError', 'api-connection-failed'],
  ])('"%s" puts %s first', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  it.each([
    // 502's message names the setting; connection-refused's resolution says to enable it.
    ['enable socket clients', ['connection-refused', 'ibkr-502']],
    // 200's summary is about turning contract fields into one instrument; 517 says to fix them.
    ['contract fields', ['ibkr-200', 'ibkr-517']],
  ])('"%s" puts both entries that use the phrase on top', (query, expected) => {
    expect(ids(query).slice(0, 2).sort()).toEqual(expected);
  });

  it('lists a code hit alone, not its look-alikes ("326" is not "321")', () => {
    expect(ids('326')).toEqual(['ibkr-326']);
    expect(ids('162')).toEqual(['ibkr-162']);
    // 2103 and 2119 list "2104" as a related term: a number that is a code means that code.
    expect(ids('2104')).toEqual(['ibkr-2104']);
    // A number that is no code is a port: exactly the entries listing it.
    expect(ids('7497')).toEqual(['ibkr-502', 'ibkr-1300', 'connection-refused']);
    expect(ids('999')).toEqual([]);
  });

  it('finds the live ports as it finds the paper ones', () => {
    // A live account dials 7496 (TWS) or 4001 (Gateway): the entries about the API port list
    // them as they list the paper ports (connection-refused keeps the seed's related terms).
    expect(ids('7496')).toEqual(['ibkr-502', 'ibkr-1300']);
    expect(ids('4001')).toEqual(['ibkr-502', 'ibkr-1300']);
    expect(ids('4002')).toEqual(['ibkr-502', 'ibkr-1300', 'connection-refused']);
  });

  it('reads "Errno 111" as the operating system\'s error (connection refused), not IBKR\'s code 111', () => {
    for (const query of ['Errno 111', '[Errno 111] Connect call failed', 'OSError: [Errno 111]']) {
      expect(ids(query)[0], query).toBe('connection-refused');
      expect(ids(query), query).not.toContain('ibkr-111');
    }
    // Linux's connection reset by peer, not IBKR's 104.
    expect(ids('Errno 104')).not.toContain('ibkr-104');
    // A code of its own after the word stays that code (TWS's refusal first, then the Client
    // Portal gateway's, which Windows words the same); alone, 111 is IBKR's.
    expect(ids('WinError 10061')).toEqual(['connection-refused', 'cpapi-gateway-unreachable']);
    expect(ids('111')).toEqual(['ibkr-111']);
    expect(ids('Error 111')).toEqual(['ibkr-111']);
  });

  it('reads a small number after another word as that word\'s value ("clientId 0"), not as code 0 or -1', () => {
    for (const query of ['clientId 0', 'clientId=0', 'client id 0', 'reqId 0', 'port 0', 'reqId -1', 'orderId 1']) {
      const found = search(query).filter((r) => r.reason === 'code').map((r) => r.entry.id);
      expect(found, query).toEqual([]);
    }
    // 327 is about clientId 0 itself (only that client may bind TWS's orders).
    expect(ids('clientId 0')).toContain('ibkr-327');
    expect(ids('clientId 0')[0]).not.toBe('api-rate-warning');
    // Alone, with a word of its code or a word that stands beside codes, it is still the code.
    expect(ids('0')).toEqual(['api-rate-warning', 'cpapi-easyib-empty-order-reply']);
    expect(ids('code 0')[0]).toBe('api-rate-warning');
    expect(ids('KeyError: 0')[0]).toBe('cpapi-easyib-empty-order-reply');
    expect(ids('Error -1')[0]).toBe('ibkr--1');
  });

  it('takes "canceled" and "cancelled" for one word, as TWS writes both', () => {
    // 202's message says "Order cancelled"; 10147's says "Order to be canceled was not found".
    expect(ids('Order Canceled')[0]).toBe('ibkr-202');
    expect(ids('order cancelled')[0]).toBe('ibkr-202');
    expect(ids('order to be cancelled was not found')[0]).toBe('ibkr-10147');
    expect(ids('canceled')).toEqual(expect.arrayContaining(['ibkr-202', 'ibkr-10147']));
  });

  it('reads a pasted text of 100 KB up to 10,000 characters, and still finds the errors there', () => {
    const prose = 'my bot kept trying to reconnect after the gateway restarted overnight and nothing happened until morning '.repeat(1000);
    expect(ids(prose)).toEqual([]);
    const log = `${'2024-06-03 09:29:01 ibapi.wrapper INFO note '.repeat(100)}ERROR -1 504 Not connected ${'x '.repeat(50_000)}`;
    expect(ids(log)).toEqual(['ibkr-504']);
    expect(ids(`${'y '.repeat(5_000)}ERROR -1 504 Not connected`)).toEqual([]);
  });

  it('returns nothing for unrelated text', () => {
    expect(ids('hello world')).toEqual([]);
    expect(ids('qqqqzzzz')).toEqual([]);
    expect(ids('coffee machine')).toEqual([]);
    expect(ids('weather forecast tomorrow')).toEqual([]);
  });

  it('lists every entry for an empty query, numbered codes in numeric order', () => {
    const all = search('  ');
    expect(all).toHaveLength(knowledge.entries.length);
    expect(all.every((r) => r.reason === 'all')).toBe(true);
    const codes = all.map((r) => r.entry.numericCode).filter((c): c is number => c !== null);
    expect(codes.slice(0, 3)).toEqual([-1, 100, 101]);
    expect(codes).toEqual([...codes].sort((a, b) => a - b));
    // Then the named entries (no IBKR number), by id.
    const named = knowledge.entries.filter((e) => e.numericCode === null).map((e) => e.id).sort();
    expect(named).toEqual(expect.arrayContaining(['api-connection-failed', 'connection-refused', 'cpapi-session-timeout']));
    expect(ids('').slice(-named.length)).toEqual(named);
  });

  it('says why a result matched', () => {
    expect(search('10061')[0].reason).toBe('code');
    expect(search('clientId')[0].reason).toBe('term');
    expect(search('7497').map((r) => r.reason)).toEqual(['term', 'term', 'term']);
    expect(search('pacing violation')[0].reason).toBe('message');
    expect(search('conection refused')[0].reason).toBe('text');
    expect(search('Error 326, reqId -1: Unable to connect')[0].reason).toBe('error');
  });
});

describe('ranking over the full catalog: code, then official message words, then fuzzy', () => {
  it('puts the entry whose official message holds the words on top', () => {
    // 420 after it: "pacing violation" is one of the reasons its own message can carry.
    expect(search('pacing violation').map((r) => [r.entry.id, r.reason])).toEqual([
      ['ibkr-162', 'message'],
      ['ibkr-420', 'text'],
    ]);
    // Half typed: the last word stands for the words it begins.
    expect(ids('pacing viol')[0]).toBe('ibkr-162');
    expect(ids('no security definition')[0]).toBe('ibkr-200');
  });

  it('puts the "farm connection is OK" family first, and only that family by its message', () => {
    // The broken and connecting notices follow: their own text says the OK notice comes next.
    for (const q of ['farm connection is OK', 'farm connection ok']) {
      const got = search(q);
      expect(got.slice(0, 3).map((r) => r.entry.id).sort(), q).toEqual(['ibkr-2104', 'ibkr-2106', 'ibkr-2158']);
      expect(got.filter((r) => r.reason === 'message').length, q).toBe(3);
      expect(got.slice(3).map((r) => r.entry.id), q).toEqual(expect.arrayContaining(['ibkr-2103', 'ibkr-2119']));
    }
    // Without "OK", every farm message qualifies (broken, inactive, OK).
    expect(ids('farm connection')).toEqual(expect.arrayContaining(['ibkr-2103', 'ibkr-2104', 'ibkr-2106', 'ibkr-2107', 'ibkr-2108', 'ibkr-2157', 'ibkr-2158']));
  });

  it('ranks an exact code or a recognised error above message words', () => {
    // 504's own message, then the messages holding the words ("because not connected", "farms
    // are not connected"), then entries that only mention them.
    const notConnected = search('Not connected');
    expect(notConnected.slice(0, 3).map((r) => [r.entry.id, r.reason])).toEqual([
      ['ibkr-504', 'error'],
      ['ibkr-586', 'message'],
      ['ibkr-1102', 'message'],
    ]);
    expect(notConnected.slice(3).every((r) => r.reason === 'text')).toBe(true);
    expect(ids('Error 2104')).toEqual(['ibkr-2104']);
  });

  it('lists a pasted log line\'s own error alone: its request id is not code -1 or 1', () => {
    expect(ids('ERROR -1 504 Not connected')).toEqual(['ibkr-504']);
    expect(ids('Error 2104, reqId -1: Market data farm connection is OK:usfarm')).toEqual(['ibkr-2104']);
    expect(ids('Error 162, reqId 1: Historical Market Data Service error message:Historical data request pacing violation')).toEqual(['ibkr-162']);
    expect(ids('-1')).toEqual(['ibkr--1']);
  });

  it('lists the errors of pasted log lines before their informational notices', () => {
    // A search field takes a pasted log's lines as one line.
    expect(ids('ERROR -1 2104 Market data farm connection is OK:usfarm ERROR -1 2106 HMDS data farm connection is OK:ushmds ERROR -1 504 Not connected')).toEqual([
      'ibkr-504',
      'ibkr-2104',
      'ibkr-2106',
    ]);
    expect(
      ids('09:29:01 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm 09:29:02 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use.'),
    ).toEqual(['ibkr-326', 'ibkr-2104']);
  });

  it('ranks message words above other text, and corrected misspellings last', () => {
    const tier = { error: 0, code: 1, term: 1, all: 1, message: 2, text: 3 } as const;
    for (const q of ['Not connected', 'connect', 'market data', 'historical data', 'market data farm', 'order', 'clinet id']) {
      const got = search(q);
      expect(got.length, q).toBeGreaterThan(0);
      const scores = got.map((r) => r.score);
      expect(scores, `scores of "${q}" best first`).toEqual([...scores].sort((a, b) => a - b));
      const tiers = got.map((r) => tier[r.reason]);
      expect(tiers, `tiers of "${q}" best first`).toEqual([...tiers].sort((a, b) => a - b));
    }
    // One exception, on purpose: a whole phrase written in an entry beats the same words scattered
    // over a message ("The socket dropped" in 504's causes; 1300's message has both words apart;
    // "client ID" in 327's title, while 320's message has them only in "Client Req Id").
    expect(search('socket dropped').slice(0, 2).map((r) => [r.entry.id, r.reason])).toEqual([
      ['ibkr-504', 'text'],
      ['ibkr-1300', 'message'],
    ]);
    const clientId = search('client id').map((r) => [r.entry.id, r.reason]);
    expect(clientId.slice(0, 2)).toEqual([
      ['ibkr-326', 'message'],
      ['ibkr-327', 'text'],
    ]);
    expect(clientId.findIndex(([id]) => id === 'ibkr-320')).toBeGreaterThan(1);
    expect(clientId.find(([id]) => id === 'ibkr-320')?.[1]).toBe('message');
    // The same entry, spelt right and wrong: the misspelling scores worse.
    const right = search('connection refused')[0];
    const wrong = search('conection refused')[0];
    expect([right.entry.id, wrong.entry.id]).toEqual(['connection-refused', 'connection-refused']);
    expect(wrong.score).toBeGreaterThan(right.score);
    expect(search('client id')[0].score).toBeLessThan(search('clinet id')[0].score);
  });

  it.each([
    // "Connection refused" is a symptom of connection-refused; 420 has only "refused" and "connection" apart.
    ['conection refused', 'connection-refused'],
    // Half typed: the corrected phrase may end in the start of a word.
    ['conection ref', 'connection-refused'],
    // isConnected() is in 504; 1100 and 2103 have only "disconnected".
    ['isconected', 'ibkr-504'],
    ['farm conection ok', 'ibkr-2104'],
    ['secrity definition', 'ibkr-200'],
    ['duplicate ordr', 'ibkr-103'],
    ['clinet id', 'ibkr-326'],
  ])('corrects the misspelling "%s" to %s', (query, id) => {
    expect(ids(query)[0]).toBe(id);
  });

  it('falls back to fuzzy phrases for run-together words', () => {
    expect(['ibkr-2103', 'ibkr-2104', 'ibkr-2106', 'ibkr-2107', 'ibkr-2108', 'ibkr-2157', 'ibkr-2158']).toContain(ids('farmconnection')[0]);
  });

  it('finds nothing for placeholder words (no entry ships placeholder text: see catalog.test.ts)', () => {
    expect(ids('TODO title')).toEqual([]);
  });
});

describe('edit distance for misspellings', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('conection', 'connection', 2)).toBe(1);
    expect(editDistance('histroical', 'historical', 2)).toBe(1);
    expect(editDistance('clinet', 'client', 2)).toBe(1);
    expect(editDistance('dta', 'data', 1)).toBe(1);
    expect(editDistance('order', 'order', 1)).toBe(0);
  });

  it('gives up past the allowed edits', () => {
    expect(editDistance('hello', 'world', 2)).toBe(3);
    expect(editDistance('ab', 'abcdef', 2)).toBe(3);
  });
});

describe('filters', () => {
  it('narrows to one severity', () => {
    expect(ids('', { severity: 'info' }).sort()).toEqual([
      'cpapi-client-login-succeeds',
      'cpapi-gateway-banner',
      'cpapi-gateway-illegal-reflective-access',
      'cpapi-gateway-open-login',
      'cpapi-no-bridge-hmds',
      'cpapi-snapshot-preflight',
      'ibkr-2104',
      'ibkr-2106',
      'ibkr-2107',
      'ibkr-2108',
      'ibkr-2119',
      'ibkr-2158',
    ]);
    expect(ids('', { severity: 'system' })).toEqual(['ibkr-1100', 'ibkr-1101', 'ibkr-1102', 'ibkr-1300']);
    expect(ids('farm connection', { severity: 'info' })).toEqual(
      ids('farm connection').filter((id) => ['ibkr-2104', 'ibkr-2106', 'ibkr-2107', 'ibkr-2108', 'ibkr-2119', 'ibkr-2158'].includes(id)),
    );
  });

  it('narrows to one category, keeping the ranking', () => {
    const all = search('market data');
    const got = search('market data', { category: 'market-data' });
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(all.length);
    expect(got.every((r) => r.entry.category === 'market-data')).toBe(true);
    expect(got.map((r) => r.entry.id)).toEqual(all.filter((r) => r.entry.category === 'market-data').map((r) => r.entry.id));
  });

  it('combines both filters, and null means any', () => {
    expect(ids('', { category: 'orders', severity: 'info' })).toEqual([]);
    expect(ids('', { category: 'connectivity', severity: 'system' })).toEqual(['ibkr-1100', 'ibkr-1101', 'ibkr-1102', 'ibkr-1300']);
    expect(ids('162', { category: null, severity: null })).toEqual(['ibkr-162']);
    expect(ids('162', { category: 'orders' })).toEqual([]);
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

  it('puts an error before the informational notices around it, however many they are', () => {
    // The start of every ibapi session log: the farm notices, then what went wrong.
    const start = [
      'ERROR -1 2104 Market data farm connection is OK:usfarm',
      'ERROR -1 2106 HMDS data farm connection is OK:ushmds',
      'ERROR -1 2158 Sec-def data farm connection is OK:secdefnj',
      'ERROR 7 200 No security definition has been found for the request',
    ].join('\n');
    expect(explain(start)?.entry.id).toBe('ibkr-200');
    expect(explain(start)?.others.map((e) => e.id)).toEqual(['ibkr-2104', 'ibkr-2106', 'ibkr-2158']);
    const notices = 'ERROR -1 2104 Market data farm connection is OK:usfarm\n'.repeat(5);
    expect(explain(`${notices}ERROR -1 504 Not connected`)?.entry.id).toBe('ibkr-504');
    // Notices alone: the most met one.
    expect(explain(`${notices}ERROR -1 2106 HMDS data farm connection is OK:ushmds`)?.entry.id).toBe('ibkr-2104');
  });

  it('finds nothing in unrelated text', () => {
    expect(explain('The quick brown fox jumps over the lazy dog')).toBeNull();
    expect(explain('504 Gateway Timeout')).toBeNull();
    expect(explain('HTTP 504')).toBeNull();
    expect(explain('')).toBeNull();
    expect(explain('x'.repeat(500))).toBeNull();
  });
});

describe('explain selection, answered by the background', () => {
  // What the content script shows: the background's ids, turned back into the page's entries.
  const ask = createExplainer(knowledge.entries, stemIndex);
  const viaBackground = (text: string) => explanationFromIds(JSON.parse(JSON.stringify(ask(text))), knowledge.entries);
  const selections = [
    '2024-05-01 10:00:05 ib_insync.wrapper ERROR Error 504, reqId 7: Not connected',
    'Error 326, reqId -1: x\nERROR -1 504 Not connected\nError 504, reqId 3: Not connected',
    'ConnectionRefusedError: [WinError 10061] No connection could be made',
    '326',
    ' clientId ',
    'Market data farm connection is OK:usfarm',
    '504 Gateway Timeout',
    'The quick brown fox jumps over the lazy dog',
    '',
  ];

  it('gives what explaining on the page gave', () => {
    for (const text of selections) {
      const direct = explainSelection(text, knowledge.entries, matcher, search);
      const answered = viaBackground(text);
      expect(answered?.entry.id ?? null, text).toBe(direct?.entry.id ?? null);
      expect(answered?.others.map((e) => e.id), text).toEqual(direct?.others.map((e) => e.id));
    }
    expect(viaBackground(selections[1])?.others.map((e) => e.id)).toEqual(['ibkr-326']);
  });

  it('turns a missing or malformed answer into no explanation', () => {
    expect(explanationFromIds(undefined, knowledge.entries)).toBeNull();
    expect(explanationFromIds('ibkr-326', knowledge.entries)).toBeNull();
    expect(explanationFromIds({ entryId: 'ibkr-99999', others: [] }, knowledge.entries)).toBeNull();
    expect(explanationFromIds({ entryId: 'ibkr-326', others: ['nope', 'ibkr-504'] }, knowledge.entries)?.others.map((e) => e.id)).toEqual(['ibkr-504']);
  });
});

describe('a word that only says something went wrong', () => {
  it('"failed" is no code: a word of a named entry\'s code does not put it first; official messages holding the word do', () => {
    const got = search('failed');
    expect(got.length).toBeGreaterThan(0);
    expect(got.some((r) => r.reason === 'code')).toBe(false);
    expect(got[0].reason).toBe('message');
    expect(got[0].entry.match.messages.some((m) => /\bfailed\b/i.test(m))).toBe(true);
    // The word with one that tells the error apart still finds it first.
    expect(ids('connection failed')[0]).toBe('api-connection-failed');
    expect(ids('API connection failed')[0]).toBe('api-connection-failed');
  });

  it('"error" alone is no code either', () => {
    expect(search('error').some((r) => r.reason === 'code')).toBe(false);
    expect(search('Error').some((r) => r.reason === 'code')).toBe(false);
  });

  it('"an error occurred" finds no entry by a generic phrase in its prose (306\'s summary), only official messages', () => {
    for (const r of search('an error occurred')) expect(r.reason, r.entry.id).toBe('message');
    expect(ids('an error occurred')).not.toContain('ibkr-306');
  });
});
