import { describe, expect, it } from 'vitest';
import knowledge, { stemIndex } from '../../knowledge';
import { createMatcher, hasCpapiContext, hasIbkrContext, hasSocketApiSign, type Match } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** [marked text, entry id] pairs, so a failure shows exactly what was (not) marked. */
function marks(text: string, context = false): [string, string][] {
  return matcher.find(text, { context }).map((m: Match) => [text.slice(m.start, m.end), m.entryId]);
}

describe('numbered codes in IBKR error shapes (no other context needed)', () => {
  it.each([
    // The whole error is one marker: code shape plus the official message on that line.
    [
      'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id',
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

  it('marks an ib_insync 321 line with the official message and its reason as one span', () => {
    const line =
      "Error 321, reqId 5: Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode.";
    expect(marks(line)).toEqual([[line, 'ibkr-321']]);
    expect(matcher.find(line)[0].reason).toBe('The API interface is currently in Read-Only mode.');
  });

  it('marks several errors on several log lines', () => {
    const log = [
      '2024-05-01 10:00:01 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      '2024-05-01 10:00:05 ERROR -1 504 Not connected',
    ].join('\n');
    expect(marks(log).map(([, id]) => id)).toEqual(['ibkr-326', 'ibkr-504']);
  });

  // The catalog now has every code of the TSV (2104 and 200 have entries): codes outside it stay unmarked.
  it('ignores codes that have no entry', () => {
    expect(marks('ERROR -1 108 Something the catalog does not know')).toEqual([]);
    expect(marks('Error 9999, reqId 3: no such code')).toEqual([]);
    expect(marks('Error. Id: 4, Code: 600, Msg: nothing')).toEqual([]);
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
      'ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it',
      'connection-refused',
    ],
    // ib_insync's wrapper line is one mention, not the inner ConnectionRefusedError alone
    [
      "API connection failed: ConnectionRefusedError(111, \"Connect call failed ('127.0.0.1', 7497)\")",
      "API connection failed: ConnectionRefusedError(111, \"Connect call failed ('127.0.0.1', 7497)\")",
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

  it('reads a percentage as a quantity, not a code, even with IBKR context', () => {
    // "this error 100% of the time" is not 100 (the message rate limit) on an ib_insync thread.
    expect(marks('With ib_insync I get this error 100% of the time after the reconnect', true)).toEqual([]);
    expect(marks('TWS: error 200% CPU while the order loop runs', true)).toEqual([]);
    expect(marks('With ib_insync I get error 100 every time I stream ticks', true)).toEqual([['error 100', 'ibkr-100']]);
  });

  it("reads the operating system's socket error number as that, not a code, even with IBKR context", () => {
    // 104, 110, 111 and 113 are Linux's ECONNRESET, ETIMEDOUT, ECONNREFUSED and EHOSTUNREACH,
    // and TWS's codes for a filled order, the price increment, the time in force and MOC orders.
    for (const line of [
      'ib_insync: socket error 104 Connection reset by peer',
      'TWS: Error 110: Connection timed out',
      'TWS API error 110 (Connection timed out) when connecting',
      'TWS error 111: Connection refused',
      'IB Gateway: error 113 - No route to host',
      'Error 111 connecting to 127.0.0.1:7497. Connection refused.',
    ]) expect(marks(line, true), line).toEqual([]);
    expect(marks('ib_insync: error 110: The price does not conform to the minimum price variation for this contract', true).map(([, id]) => id)).toEqual(['ibkr-110']);
    expect(marks('TWS: error 502: connection refused', true)).toEqual([['error 502', 'ibkr-502']]);
    expect(marks('TWS: error 104 again after the fill', true)).toEqual([['error 104', 'ibkr-104']]);
  });

  it("reads VBA's run-time errors as Excel's, not TWS's codes, even with IBKR context", () => {
    // The TWS Excel and ActiveX samples run in VBA: its 429, 424 and 438 are TWS's 429, 424 and 438 too.
    for (const line of [
      "TWS ActiveX: Run-time error '429': ActiveX component can't create object",
      "TWS DDE: Run-time error '424': Object required",
      "TWS ActiveX: Runtime error 438: Object doesn't support this property or method",
    ]) expect(marks(line, true), line).toEqual([]);
    expect(marks('TWS: error 438 when I send the order', true)).toEqual([['error 438', 'ibkr-438']]);
  });

  it('keeps HTTP statuses unmarked even with IBKR context', () => {
    // a web page's 404 and 403 in the words sites use for them
    expect(marks('The TWS download link gives error 404 page not found', true)).toEqual([]);
    expect(marks('TWS docs: error 404: File Not Found', true)).toEqual([]);
    expect(marks('TWS: error 403 access denied on the download page', true)).toEqual([]);
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

describe('hasSocketApiSign', () => {
  it.each([
    'I use ib_insync 0.9.86',
    'TWS build 10.19',
    'IB Gateway on a VPS',
    'from ibapi.client import EClient',
    'error(reqId, errorCode, errorString)',
    "ib.connect('127.0.0.1', 7497, clientId=1)",
    'ERROR -1 2104 Market data farm connection is OK:usfarm',
  ])('yes: %s', (text) => expect(hasSocketApiSign(text)).toBe(true));

  // IBKR as a whole, or its Client Portal client: they say nothing of the socket API
  it.each(['Interactive Brokers API', 'IBKR says no', 'ibind on the gateway', 'IBKR Client Portal Web API'])('no: %s', (text) => {
    expect(hasIbkrContext(text)).toBe(true);
    expect(hasSocketApiSign(text)).toBe(false);
  });
});

/** [marked text, entry id] of each match, with no outside context. */
const ids = (text: string, context = false) => matcher.find(text, { context }).map((m) => m.entryId);

describe('every log format people paste (ibkr-formats.md, section 1)', () => {
  // Real lines from the reference, each with the one entry it must resolve to, marked whole.
  it.each([
    // ib_insync / ib_async
    ['2021-02-11 16:56:11,067 ib_insync.wrapper INFO Warning 2158, reqId -1: Sec-def data farm connection is OK:secdefil', 'Warning 2158, reqId -1: Sec-def data farm connection is OK:secdefil', 'ibkr-2158'],
    ['2021-02-11 16:56:12,271 ib_insync.wrapper INFO Warning 2119, reqId -1: Market data farm is connecting:usfarm', 'Warning 2119, reqId -1: Market data farm is connecting:usfarm', 'ibkr-2119'],
    ['Error 1100, reqId -1: Connectivity between IBKR and Trader Workstation has been lost.', 'Error 1100, reqId -1: Connectivity between IBKR and Trader Workstation has been lost', 'ibkr-1100'],
    ['ib_insync.wrapper ERROR Error 354, reqId 4: Requested market data is n…', 'Error 354, reqId 4', 'ibkr-354'],
    ['API error: 200: No security definition has been found for the request', 'API error: 200: No security definition has been found for the request', 'ibkr-200'],
    ['[reqId 7] API error: 162: Historical Market Data Service error message:Historical data request pacing violation', '[reqId 7] API error: 162: Historical Market Data Service error message:Historical data request pacing violation', 'ibkr-162'],
    // official ibapi
    ['ERROR -1 2104 Market data farm connection is OK:cashfarm', 'ERROR -1 2104 Market data farm connection is OK:cashfarm', 'ibkr-2104'],
    ['ERROR:ibapi.wrapper:ERROR 25 200 No security definition has been found for the request', 'ERROR 25 200 No security definition has been found for the request', 'ibkr-200'],
    ['ERROR 99 1715000000000 200 No security definition has been found for the request', 'ERROR 99 1715000000000 200 No security definition has been found for the request', 'ibkr-200'],
    ["03:36:04,441 ibapi.wrapper INFO ANSWER error {'reqId': -1, 'errorCode': 2104, 'errorString': 'Market data farm connection is OK:uscrypto', 'advancedOrderRejectJson': ''}", "ANSWER error {'reqId': -1, 'errorCode': 2104, 'errorString': 'Market data farm connection is OK:uscrypto'", 'ibkr-2104'],
    ['ERROR -1 502 Couldn\'t connect to TWS. Confirm that "Enable ActiveX and Socket EClients" ...', 'ERROR -1 502 Couldn\'t connect to TWS. Confirm that "Enable ActiveX and Socket EClients"', 'ibkr-502'],
    // official samples
    ['Error. Id: 21, Code: 105, Msg: Order being modified does not match original order', 'Error. Id: 21, Code: 105, Msg: Order being modified does not match original order', 'ibkr-105'],
    ['Error. Id: 22 Code: 162 Msg: Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades', 'Error. Id: 22 Code: 162 Msg: Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades', 'ibkr-162'],
    ['Error. Request: 5, Code: 200 - No security definition has been found for the request', 'Error. Request: 5, Code: 200 - No security definition has been found for the request', 'ibkr-200'],
    ['Trader - error-3: -1 | 2103 | Market data farm connection is broken:usfarm', '-1 | 2103 | Market data farm connection is broken:usfarm', 'ibkr-2103'],
    // wire log, frameworks
    ['IN: Msg id (ERRORMESSAGE)=4;Version=2;Id=-1;Error code=1100;Error msg=Connectivity between IB and Trader Workstation has been lost.;Advanced order reject=;', 'Error code=1100;Error msg=Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100'],
    ['***** STORE NOTIF: <error id=-1, errorCode=502, errorMsg=Couldn\'t connect to TWS.  Confirm that "Enable ActiveX and Socket Clients" is enabled on the TWS "Configure->API" menu.>', 'error id=-1, errorCode=502, errorMsg=Couldn\'t connect to TWS.  Confirm that "Enable ActiveX and Socket Clients" is enabled on the TWS "Configure->API" menu', 'ibkr-502'],
    ['[ERROR] volcarry-001.InteractiveBrokersClient-001: Couldn\'t connect to TWS. … (code: 502, req_id=-1)', 'Couldn\'t connect to TWS. … (code: 502, req_id=-1)', 'ibkr-502'],
    ['InteractiveBrokersBrokerage.HandleError(): RequestId: -1 ErrorCode: 1100 - Connectivity between IB and Trader Workstation has been lost.', 'ErrorCode: 1100 - Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100'],
    ['Brokerage.OnMessage(): Warning - Code: 162 - Historical Market Data Service error message:No market data permissions for NYSE STK', 'Warning - Code: 162 - Historical Market Data Service error message:No market data permissions for NYSE STK', 'ibkr-162'],
    ['request_id: -1, error_code: 2107, error_message: HMDS data farm connection is inactive but should be available upon demand.ushmds, advanced_order_reject_json: ', 'error_code: 2107, error_message: HMDS data farm connection is inactive but should be available upon demand.ushmds', 'ibkr-2107'],
    ['[ERROR] ezibpy: [#2107] HMDS data farm connection is inactive but should be available upon demand.ushmds', '[#2107] HMDS data farm connection is inactive but should be available upon demand.ushmds', 'ibkr-2107'],
    ['Duplicate ticker id (Error #322)', 'Duplicate ticker id (Error #322)', 'ibkr-322'],
    ['connect ECONNREFUSED 127.0.0.1:4002 (Error #502)', '(Error #502)', 'ibkr-502'],
    ['{"level":"error","reqID":-1,"errCode":503,"errString":"The TWS is out of date and must be upgraded. It does not support market data type requests.","time":1}', '"reqID":-1,"errCode":503,"errString":"The TWS is out of date and must be upgraded. It does not support market data type requests."', 'ibkr-503'],
    // official texts alone, matched by prefix
    ['Market data farm connection is OK:usfarm', 'Market data farm connection is OK:usfarm', 'ibkr-2104'],
    ['Sec-def data farm connection is broken:secdefhk', 'Sec-def data farm connection is broken:secdefhk', 'ibkr-2157'],
    ['HMDS data farm connection is OK:euhmds', 'HMDS data farm connection is OK:euhmds', 'ibkr-2106'],
    ['Historical Market Data Service error message:HMDS query returned no data: NQZ4@CME Trades', 'Historical Market Data Service error message:HMDS query returned no data: NQZ4@CME Trades', 'ibkr-162'],
    ['Requested market data is not subscribed. Displaying delayed market data.', 'Requested market data is not subscribed. Displaying delayed market data', 'ibkr-10167'],
    ['TWS socket port has been reset and this connection is being dropped. Please reconnect on the new port - 7499', 'TWS socket port has been reset and this connection is being dropped. Please reconnect on the new port - 7499', 'ibkr-1300'],
    ['The contract description specified for MSFT is ambiguous', 'The contract description specified for MSFT is ambiguous', 'ibkr-200'],
    // the client libraries' own messages
    ['Peer closed connection. clientId 7 already in use?', 'Peer closed connection. clientId 7 already in use?', 'ibkr-326'],
    ['ib_insync.client ERROR API connection failed: TimeoutError()', 'API connection failed: TimeoutError()', 'api-connection-failed'],
    ['ib_async.client ERROR Make sure API port on TWS/IBG is open', 'Make sure API port on TWS/IBG is open', 'api-connection-failed'],
  ])('%s', (line, marked, id) => {
    expect(marks(line)).toEqual([[marked, id]]);
  });

  // Request id -1: the self-evident form of ibapi's line (another id needs the code's own message,
  // which a placeholder such as 10329's "%s" may make read as another entry's: shapes.test.ts).
  it('resolves every official text of the catalog in the ibapi and testbed formats to its own entry', () => {
    const wrong: string[] = [];
    for (const e of knowledge.entries) {
      if (e.numericCode === null) continue;
      for (const message of e.match.messages) {
        for (const line of [`ERROR -1 ${e.numericCode} ${message}`, `Error. Id: 12, Code: ${e.numericCode}, Msg: ${message}`]) {
          const got = ids(line);
          if (got.length !== 1 || got[0] !== e.id) wrong.push(`${line} -> ${got.join(', ') || 'nothing'}`);
        }
      }
    }
    expect(wrong, wrong.slice(0, 20).join('\n')).toEqual([]);
  });

  it('recognises distinctive official texts alone, short ones only with context', () => {
    expect(ids('No security definition has been found for the request')).toEqual(['ibkr-200']);
    expect(ids('Duplicate order id')).toEqual([]);
    expect(ids('Duplicate order id', true)).toEqual(['ibkr-103']);
    expect(marks('ib_insync says: Duplicate order id')).toEqual([['Duplicate order id', 'ibkr-103']]);
  });

  it('never crosses a newline', () => {
    const log = 'ERROR 1 321 Error validating request.-\'cq\' : cause - Invalid account code\nnext line has nothing';
    expect(marks(log)).toEqual([["ERROR 1 321 Error validating request.-'cq' : cause - Invalid account code", 'ibkr-321']]);
  });

  it('joins a message to a code only in the code\'s message slot', () => {
    expect(ids('TWS: error 2104 and then No security definition has been found for the request')).toEqual(['ibkr-2104', 'ibkr-200']);
    // A runtime value may open the message: "%s field cannot contain more than %s decimals."
    expect(marks('Error 10286, reqId 3: Price field cannot contain more than 2 decimals.')).toEqual([
      ['Error 10286, reqId 3: Price field cannot contain more than 2 decimals', 'ibkr-10286'],
    ]);
  });

  it('keeps two errors of one line apart', () => {
    const line = 'Error 2104, reqId -1: Market data farm connection is OK:usfarm Error 2106, reqId -1: HMDS data farm connection is OK:ushmds';
    expect(ids(line)).toEqual(['ibkr-2104', 'ibkr-2106']);
  });
});

describe('reasons', () => {
  it.each([
    ["Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange", 'Missing order exchange'],
    ['Error 322, reqId 9: Error processing request.-\'bO\' : cause - Duplicate ticker id', 'Duplicate ticker id'],
    ['ERROR 22 162 Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades', 'HMDS query returned no data: ESM3@CME Trades'],
    ["Error 162, reqId 28: Historical Market Data Service error message:API historical data query cancelled: 28, contract: Stock(symbol='AAPL', exchange='SMART', currency='USD')", 'API historical data query cancelled: 28'],
    ['Error 201, reqId 3: Order rejected - reason:Invalid or missing IBCustAcctNo', 'Invalid or missing IBCustAcctNo'],
    ['ERROR -1 2104 Market data farm connection is OK:usfarm', 'usfarm'],
    ['Warning 2107, reqId -1: HMDS data farm connection is inactive but should be available upon demand.ushmds', 'ushmds'],
    ['ERROR -1 504 Not connected', null],
  ])('%s', (line, reason) => {
    const found = matcher.find(line);
    expect(found).toHaveLength(1);
    expect(found[0].reason).toBe(reason);
  });
});

describe('variants', () => {
  // A variant set of our own, on the real 162 entry: the matcher reads the message line.
  const base = knowledge.entries.find((e) => e.id === 'ibkr-162')!;
  const withVariants = createMatcher([
    {
      ...base,
      variants: [
        { id: 'pacing', label: 'Pacing', pattern: 'pacing violation', cause: 'c', fix: 'f' },
        { id: 'no-data', label: 'No data', pattern: 'returned no data', cause: 'c', fix: 'f' },
        { id: 'any-hmds', label: 'Any', pattern: 'HMDS', cause: 'c', fix: 'f' },
      ],
    },
  ]);
  const variantOf = (text: string) => withVariants.find(text).map((m) => m.variant);

  it('sets the first variant whose pattern matches the message line', () => {
    expect(variantOf('Error 162, reqId 1: Historical Market Data Service error message:Historical data request pacing violation')).toEqual(['pacing']);
    expect(variantOf('ERROR 3 162 Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades')).toEqual(['no-data']);
    expect(variantOf('Historical Market Data Service error message:hmds something new')).toEqual(['any-hmds']);
  });

  it('tests the rest of the line, case-insensitively, and nothing past it', () => {
    expect(variantOf('Error 162, reqId 1: Historical Market Data Service error message:PACING VIOLATION')).toEqual(['pacing']);
    expect(variantOf('Error 162, reqId 1: Historical market data Service error message.\npacing violation on the next line')).toEqual([null]);
  });
});

describe('Client Portal Web API', () => {
  it.each([
    ['GET https://localhost:5000/v1/api/iserver/account/orders -> 401 {"error":"no bridge","statusCode":401}', 'cpapi-no-bridge'],
    ['/iserver/auth/status -> {"authenticated": false, "competing": false, "connected": true}', 'cpapi-not-authenticated'],
    ['/iserver/auth/status -> {"authenticated": true, "competing": true, "connected": true}', 'cpapi-competing-session'],
    ['IBKR Client Portal session timed out after ten idle minutes', 'cpapi-session-timeout'],
  ])('marks %s with Client Portal context in the text', (text, id) => {
    expect(ids(text)).toEqual([id]);
  });

  it('marks "Please query /accounts first" anywhere', () => {
    expect(ids('{"error":"Please query /accounts first"}')).toEqual(['cpapi-query-accounts-first']);
  });

  it('needs Client Portal context, not IBKR API context, for the generic ones', () => {
    expect(ids('{"error":"no bridge"}')).toEqual([]);
    expect(ids('{"authenticated": false}')).toEqual([]);
    expect(matcher.find('{"authenticated": false}', { context: true })).toEqual([]);
    expect(matcher.find('{"authenticated": false}', { cpapiContext: true }).map((m) => m.entryId)).toEqual(['cpapi-not-authenticated']);
    expect(matcher.find('Not connected', { cpapiContext: true })).toEqual([]);
  });

  it('tells Client Portal context apart', () => {
    expect(hasCpapiContext('curl -k https://localhost:5000/v1/api/iserver/auth/status')).toBe(true);
    expect(hasCpapiContext('calling /tickle every minute')).toBe(true);
    expect(hasCpapiContext('IBKR Client Portal Web API')).toBe(true);
    expect(hasCpapiContext('ib.connect("127.0.0.1", 7497, clientId=1)')).toBe(false);
    expect(hasCpapiContext('my Django app on localhost:8000')).toBe(false);
  });
});

describe("a code followed by a quoted fragment of its own message, from anywhere in it", () => {
  // 10197's official text is "No market data during competing live session": prose quotes the words that matter.
  it.each<[string, [string, string][]]>([
    ['snapshot() returns 10197 "competing session"', [['10197 "competing session"', 'ibkr-10197']]],
    ['reqMktData gives 10197 “competing live session” every morning', [['10197 “competing live session”', 'ibkr-10197']]],
    ["then 162 'pacing violation' for an hour", [["162 'pacing violation'", 'ibkr-162']]],
    ['then 162 ‘pacing violation’ for an hour', [['162 ‘pacing violation’', 'ibkr-162']]],
  ])('with IBKR context: %s', (text, expected) => {
    expect(marks(text, true)).toEqual(expected);
  });

  it('needs IBKR context, as a prose code does', () => {
    expect(marks('snapshot() returns 10197 "competing session"')).toEqual([]);
    expect(marks('ib_insync: snapshot() returns 10197 "competing session"')).toEqual([['10197 "competing session"', 'ibkr-10197']]);
  });

  it.each<[string, [string, string][]]>([
    // words of no message of that code, or of another code's message
    ['nginx gives 504 "gateway timeout" here', []],
    ['I get 10197 "security definition" again', []],
    ['I get 10197 "Not connected" again', [['Not connected', 'ibkr-504']]],
    // one telling word, stop words, words out of the message's order
    ['10197 "competing"', []],
    ['10197 "the session"', []],
    ['10197 "session competing"', []],
    // a number glued to something, a price, a version
    ['build 3.10197 "competing session"', []],
    ['#10197 "competing session"', []],
    ['$10197 "competing session"', []],
    // the message from its start is the message's own mention, as before
    ['I get 200 "No security definition has been found for the request" again', [['No security definition has been found for the request', 'ibkr-200']]],
    // a prose code keeps its own mention
    ['error 10197 "competing session"', [['error 10197', 'ibkr-10197']]],
  ])('not a fragment mention: %s', (text, expected) => {
    expect(marks(text, true)).toEqual(expected);
  });

  it('reads a code that is an HTTP status too by API, as a prose code is read', () => {
    const text = 'calling /v1/api/iserver/accounts gives 502 "connect to TWS"';
    expect(matcher.find(text, { context: true, cpapiContext: true }).map((m) => m.entryId)).toEqual([]);
    expect(marks('ib_insync gives 502 "connect to TWS"', true)).toEqual([['502 "connect to TWS"', 'ibkr-502']]);
  });

  it('reads the messages\' words from the stems alone, as the content script carries them', () => {
    const entries = knowledge.entries.map((e) => ({ ...e, match: { ...e.match, messages: undefined } }));
    const contentMatcher = createMatcher(entries, { stemIndex });
    const text = 'snapshot() returns 10197 "competing session"';
    expect(contentMatcher.find(text, { context: true }).map((m) => [text.slice(m.start, m.end), m.entryId])).toEqual([['10197 "competing session"', 'ibkr-10197']]);
  });
});

describe("a message's runtime value is on its line", () => {
  it("does not take the next line's text as a placeholder's value", () => {
    const question = 'A question was not given a positive reply. Question: "Are you sure?". Answers:';
    const text = `${question}\n2024-05-01 09:29:46,415 IBKR connection is not healthy.`;
    expect(matcher.find(text, { context: true, cpapiContext: true }).map((m) => [text.slice(m.start, m.end), m.entryId])).toEqual([
      [question, 'cpapi-ibind-question-not-positive'],
      ['IBKR connection is not healthy', 'cpapi-ibind-connection-not-healthy'],
    ]);
    const inline = `${question} Yes, No. Request: POST /iserver/reply`;
    expect(matcher.find(inline, { context: true, cpapiContext: true }).map((m) => [inline.slice(m.start, m.end), m.entryId])).toEqual([[inline, 'cpapi-ibind-question-not-positive']]);
  });
});

describe('look-alikes stay unmarked', () => {
  it.each([
    ['urllib.error.HTTPError: HTTP Error 502: Bad Gateway'],
    ['HTTP Error 502: Bad Gateway'],
    ['Response status 200 OK'],
    ['status 200'],
    ['fixes [#326] and [#2104] in the changelog'],
    ['| 10 | 200 | rows |'],
    ['{"errCode": 200, "msg": "ok"}'],
    ['ErrorCode: 504 - Gateway Timeout'],
    ['ERROR 3 500 Internal Server Error'],
  ])('%s', (line) => {
    expect(marks(line)).toEqual([]);
  });
});
