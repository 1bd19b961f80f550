import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createMatcher, hasIbkrContext, type Match } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** [marked text, entry id] pairs, so a failure shows exactly what was (not) marked. */
function marks(text: string, context = false): [string, string][] {
  return matcher.find(text, { context }).map((m: Match) => [text.slice(m.start, m.end), m.entryId]);
}

describe('numbered codes in IBKR error shapes (no other context needed)', () => {
  it.each([
    [
      'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      'Error 326, reqId -1: Unable to connect as the client id is already in use',
      'ibkr-326',
    ],
    ['ERROR -1 504 Not connected', 'ERROR -1 504 Not connected', 'ibkr-504'],
    ['ERROR -1 1715000000000 504 Not connected', 'ERROR -1 1715000000000 504 Not connected', 'ibkr-504'],
    ['Error. Id: -1, Code: 504, Msg: Not connected', 'Error. Id: -1, Code: 504, Msg: Not connected', 'ibkr-504'],
    ['Error. Id: 12, Time: 20240501 10:00:00, Code: 321, Msg: x', 'Error. Id: 12, Time: 20240501 10:00:00, Code: 321', 'ibkr-321'],
    ["TradeLogEntry(time=datetime(2024, 5, 1), status='Cancelled', message='', errorCode=321)", 'errorCode=321', 'ibkr-321'],
    ['Error 504, reqId 7: Not connected', 'Error 504, reqId 7: Not connected', 'ibkr-504'],
  ])('%s', (line, marked, id) => {
    expect(marks(line)).toEqual([[marked, id]]);
  });

  it('marks an ib_insync 321 line with the official message as one span', () => {
    const line =
      "Error 321, reqId 5: Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode.";
    expect(marks(line)).toEqual([['Error 321, reqId 5: Error validating request', 'ibkr-321']]);
  });

  it('marks several errors on several log lines', () => {
    const log = [
      '2024-05-01 10:00:01 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      '2024-05-01 10:00:05 ERROR -1 504 Not connected',
    ].join('\n');
    expect(marks(log).map(([, id]) => id)).toEqual(['ibkr-326', 'ibkr-504']);
  });

  it('ignores codes that have no entry', () => {
    expect(marks('ERROR -1 2104 Market data farm connection is OK:usfarm')).toEqual([]);
    expect(marks('Error 200, reqId 3: No security definition has been found for the request')).toEqual([]);
  });
});

describe('exact official messages (match alone)', () => {
  it.each([
    ['Unable to connect as the client id is already in use. Retry with a unique client id.', 'ibkr-326'],
    ['unable to connect as the client id is already   in use', 'ibkr-326'],
    ["Error validating request.-'bW' : cause - Missing order exchange", 'ibkr-321'],
  ])('%s', (line, id) => {
    expect(marks(line).map(([, got]) => got)).toEqual([id]);
  });
});

describe('generic messages need IBKR context', () => {
  const withContext: [string, string, string][] = [
    ['ib.connect("127.0.0.1", 7497, clientId=1) -> ConnectionRefusedError', 'ConnectionRefusedError', 'connection-refused'],
    [
      "ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it (TWS)",
      'ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it (TWS)',
      'connection-refused',
    ],
    [
      "API connection failed: ConnectionRefusedError(111, \"Connect call failed ('127.0.0.1', 7497)\")",
      "ConnectionRefusedError",
      'connection-refused',
    ],
    ['ib_insync: Not connected', 'Not connected', 'ibkr-504'],
    ['My TWS client says Error 326 every morning', 'Error 326', 'ibkr-326'],
    ['IB Gateway logs errorCode: 321 for my bracket order', 'errorCode: 321', 'ibkr-321'],
  ];
  it.each(withContext)('with context in the line: %s', (line, marked, id) => {
    expect(marks(line)).toContainEqual([marked, id]);
  });

  it('marks the asyncio connect failure on an IBKR port', () => {
    expect(marks("OSError: Connect call failed ('127.0.0.1', 7497)")).toEqual([
      ["Connect call failed ('127.0.0.1', 7497)", 'connection-refused'],
    ]);
  });

  it('uses context given by the caller (page or block)', () => {
    expect(marks('[WinError 10061] No connection could be made because the target machine actively refused it')).toEqual([]);
    expect(marks('[WinError 10061] No connection could be made because the target machine actively refused it', true)).toEqual([
      ['[WinError 10061] No connection could be made because the target machine actively refused it', 'connection-refused'],
    ]);
    expect(marks('Not connected', true)).toEqual([['Not connected', 'ibkr-504']]);
  });

  it('asks for lazy context only when a contextual rule has a candidate', () => {
    let asked = 0;
    const ask = () => (asked++, true);
    matcher.find('nothing to see here, price 504.25', { context: ask });
    expect(asked).toBe(0);
    expect(matcher.find('Not connected', { context: ask })).toHaveLength(1);
    expect(asked).toBe(1);
  });
});

describe('stays unmarked (precision)', () => {
  it.each([
    // HTTP status on an nginx question
    ['504 Gateway Timeout'],
    ['nginx returns 504 Gateway Time-out after 60 seconds'],
    ['Error 504 Gateway Timeout from the upstream'],
    ['<h1>504 Gateway Time-out</h1><hr><center>nginx/1.18.0</center>'],
    // Redis and other socket errors without IBKR context
    ['redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.'],
    ['ConnectionRefusedError: [Errno 111] Connection refused'],
    ["ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 6379)"],
    ['[WinError 10061] No connection could be made because the target machine actively refused it'],
    // MQTT
    ['MQTT broker: client id already in use, disconnecting the old session'],
    ['Connection refused: identifier rejected (client id is already in use)'],
    // Prices, quantities, issue numbers, dates, bare numbers
    ['Bought 326 shares at $504.32'],
    ['Fixed in #326 and #504'],
    ['see issue 321'],
    ['326'],
    ['504'],
    ['Error 504.5 percent'],
    ['We are not connected yet, try later'],
    ['Not connected to the Wi-Fi'],
    ['HTTP error 504 on /api/v1/portfolio'],
  ])('%s', (line) => {
    expect(marks(line)).toEqual([]);
  });

  it('keeps HTTP statuses unmarked even with IBKR context', () => {
    expect(marks('IBKR Client Portal Web API: Error 504 Gateway Timeout', false)).toEqual([]);
    expect(marks('HTTP 504 Gateway Time-out', true)).toEqual([]);
  });
});

describe('hasIbkrContext', () => {
  it.each([
    'I use ib_insync 0.9.86',
    'ib_async reconnect loop',
    'TWS build 10.19',
    'IB Gateway on a VPS',
    'from ibapi.client import EClient',
    'Interactive Brokers API',
    'tagged interactive-brokers',
    'error(reqId, errorCode, errorString)',
    "ib.connect('127.0.0.1', 7497, clientId=1)",
    'app.connect("127.0.0.1", 4002, 0)',
    "Connect call failed ('127.0.0.1', 4001)",
    'localhost:7496',
  ])('yes: %s', (text) => expect(hasIbkrContext(text)).toBe(true));

  it.each([
    'nginx upstream 504 Gateway Timeout',
    'redis on localhost:6379',
    'MQTT clientId collision',
    'the tws of a sentence', // lowercase is not the acronym
    'Price target 7497',
    'API gateway returned 502',
  ])('no: %s', (text) => expect(hasIbkrContext(text)).toBe(false));
});
