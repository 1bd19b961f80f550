/**
 * The shapes issue 12 lists as missed, each recognised as one mention of the right entry, in
 * logs and in prose; runtime wordings that differ from the official table; and the look-alikes
 * that must stay unmarked (other brokers, HTTP statuses, issue numbers, prices, nginx, Redis).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { scanCodeShapes } from '../../lib/code-shapes';
import { lastSignStart } from '../../lib/context-signs';
import { createMatcher, hasIbkrContext } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** [marked text, entry id] of each match. */
function marks(text: string, context = false): [string, string][] {
  return matcher.find(text, { context }).map((m) => [text.slice(m.start, m.end), m.entryId]);
}

describe('shapes missed before, now one mention of the right entry', () => {
  it.each([
    // backtrader's store notification
    ['***** STORE NOTIF: <error id=-1, errorCode=2104, errorMsg=Market data farm connection is OK:usfarm>', 'error id=-1, errorCode=2104, errorMsg=Market data farm connection is OK:usfarm', 'ibkr-2104'],
    // a code and its message in quotes, in a log and in prose
    ['Warning 2104: "Market data farm connection is OK:usfarm"', 'Warning 2104: "Market data farm connection is OK:usfarm"', 'ibkr-2104'],
    ['Every morning I get Warning 2104: "Market data farm connection is OK:usfarm" and nothing else.', 'Warning 2104: "Market data farm connection is OK:usfarm"', 'ibkr-2104'],
    ["warning 2106: 'HMDS data farm connection is OK:ushmds'", "warning 2106: 'HMDS data farm connection is OK:ushmds'", 'ibkr-2106'],
    // bare "id code message" lines of MATLAB (IB4m) and R (IBrokers) wrappers
    ["-1 502 Couldn't connect to TWS. Confirm that \"Enable ActiveX and Socket Clients\" is enabled on the TWS \"Configure->API\" menu.", "-1 502 Couldn't connect to TWS. Confirm that \"Enable ActiveX and Socket Clients\" is enabled on the TWS \"Configure->API\" menu", 'ibkr-502'],
    ['TWS Message: 2 1 2104 Market data farm connection is OK:usfarm', 'TWS Message: 2 1 2104 Market data farm connection is OK:usfarm', 'ibkr-2104'],
    ['TWS Message: 2 -1 2158 Sec-def data farm connection is OK:secdefnj', 'TWS Message: 2 -1 2158 Sec-def data farm connection is OK:secdefnj', 'ibkr-2158'],
    // rust-ibapi's notice
    ['Notice { code: 2104, message: "Market data farm connection is OK:usfarm" }', 'Notice { code: 2104, message: "Market data farm connection is OK:usfarm" }', 'ibkr-2104'],
    ['Err(Notice(Notice { code: 200, message: "No security definition has been found for the request" }))', 'Notice { code: 200, message: "No security definition has been found for the request" }', 'ibkr-200'],
    // atreyu-backtrader-api's debug line
    ["Calling error(-1, 2104, 'Market data farm connection is OK:hfarm')", "Calling error(-1, 2104, 'Market data farm connection is OK:hfarm')", 'ibkr-2104'],
    // "Error code N - message" with the runtime wordings of 1100
    ['Error code 1100 - Connectivity between IB and Trader Workstation has been lost.', 'Error code 1100 - Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100'],
    ['Error code 1100 - Connectivity between IB and TWS has been lost', 'Error code 1100 - Connectivity between IB and TWS has been lost', 'ibkr-1100'],
    ['Error code 1100 - Connectivity between IBKR and the TWS has been lost.', 'Error code 1100 - Connectivity between IBKR and the TWS has been lost', 'ibkr-1100'],
    // ib_insync's connection failure: one mention, of connection-refused
    [
      "2024-03-01 09:29:03,412 ib_insync.client ERROR API connection failed: ConnectionRefusedError(111, \"Connect call failed ('127.0.0.1', 7497)\")",
      "API connection failed: ConnectionRefusedError(111, \"Connect call failed ('127.0.0.1', 7497)\")",
      'connection-refused',
    ],
    // 399's runtime text, whose order and warning follow
    [
      'Error 399, reqId 15: Order Message: BUY 100 AAPL NASDAQ.NMS Warning: your order will not be placed at the exchange until 2024-01-02 09:30:00 US/Eastern',
      'Error 399, reqId 15: Order Message: BUY 100 AAPL NASDAQ.NMS Warning: your order will not be placed at the exchange until 2024-01-02 09:30:00 US/Eastern',
      'ibkr-399',
    ],
    ['Warning 399, reqId 8: Order Message:\nBUY 1 ES MAR\'24', 'Warning 399, reqId 8: Order Message:', 'ibkr-399'],
  ])('%s', (text, marked, id) => {
    expect(marks(text)).toEqual([[marked, id]]);
  });
});

describe('shapes the thread corpus showed (tests/fixtures/threads), one mention of the right entry', () => {
  it.each([
    // wrappers' copies of the testbed line (letianzj/quanttrader#1, a VeighNa blog post)
    ['2021-04-10 09:50:20,217 - ib_brokerage - ERROR - Error. id: -1, Code: 2104, Msg: Market data farm connection is OK:hfarm', 'Error. id: -1, Code: 2104, Msg: Market data farm connection is OK:hfarm', 'ibkr-2104'],
    ['ERROR:root:Error - ReqId: 1, Code: 200, Message: No security definition has been found for the request', 'Error - ReqId: 1, Code: 200, Message: No security definition has been found for the request', 'ibkr-200'],
    // qtpylib's "[IB #321]" (ranaroussi/qtpylib#38)
    ["[WARNING] qtpylib.blotter: [IB #321] Error validating request:-'aV' : cause - Invalid account code '0'.", "[IB #321] Error validating request:-'aV' : cause - Invalid account code '0'.", 'ibkr-321'],
    // IBC's event report (IbcAlpha/IBC#143)
    ['EventReport - [IB API] 2103: Market data farm connection is broken:usfarm', '[IB API] 2103: Market data farm connection is broken:usfarm', 'ibkr-2103'],
    // swigibpy's exception and rust-ibapi's error (Komnomnomnom/swigibpy#11, wboayue/rust-ibapi#227)
    ["TWSError: 162: 'Historical Market Data Service error message:HMDS query returned no data: DELL@SMART Trades'", "TWSError: 162: 'Historical Market Data Service error message:HMDS query returned no data: DELL@SMART Trades'", 'ibkr-162'],
    ['historical data request failed: Message(200, "No security definition has been found for the request")', 'Message(200, "No security definition has been found for the request")', 'ibkr-200'],
    // a code alone before its own message (QuantConnect/Lean#1134, hadrianl/ibapi#32, pst-group/pysystemtrade#1196)
    ['354 - Requested market data is not subscribed. ', '354 - Requested market data is not subscribed', 'ibkr-354'],
    ["300 - Can't find EId with tickerId:nnn", "300 - Can't find EId with tickerId:nnn", 'ibkr-300'],
    ["10274 The 'PostToATS' order attribute may not be specified for this order or is invalid.", "10274 The 'PostToATS' order attribute may not be specified for this order or is invalid", 'ibkr-10274'],
    ['[Warning] Reqid 69917: 110 The price does not conform to the minimum price variation for this contract. for None', '110 The price does not conform to the minimum price variation for this contract', 'ibkr-110'],
    // the ibapi answer dict printed without "ANSWER error" (atreyuxtrading/atreyu-backtrader-api#5)
    [
      "{'reqId': 16780436, 'errorCode': 321, 'errorString': \"Error validating request.-'bY' : cause - What to show field is missing or incorrect.\", 'advancedOrderRejectJson': ''}",
      "'reqId': 16780436, 'errorCode': 321, 'errorString': \"Error validating request.-'bY' : cause - What to show field is missing or incorrect.\"",
      'ibkr-321',
    ],
    // a label between a code and its message (FueledByChai/SumZeroTrading#43, rolandgg/rust_ib_api#2)
    [
      "Quote engine error: id='43' errorCode='162' message='Historical Market Data Service error message:HMDS query returned no data: GOOGL@SMART Trades'",
      "errorCode='162' message='Historical Market Data Service error message:HMDS query returned no data: GOOGL@SMART Trades'",
      'ibkr-162',
    ],
    ["TWS Error code: 321, message: Error validating request.-'bN' : cause - Security type 'BAG' requires combo leg details.", "Error code: 321, message: Error validating request.-'bN' : cause - Security type 'BAG' requires combo leg details.", 'ibkr-321'],
    // a code in quotes keeps its closing quote (deephaven-examples/deephaven-ib#59)
    ["Unmapped error code. ibapi says: errorCode='10147'", "errorCode='10147'", 'ibkr-10147'],
    // a dash between a prose code and its message (a blog post on the TWS API)
    ['Instead of prices, you get: Error 200 — The contract description specified for MSFT is ambiguous.', 'Error 200 — The contract description specified for MSFT is ambiguous', 'ibkr-200'],
  ])('%s', (text, marked, id) => {
    expect(marks(text)).toEqual([[marked, id]]);
  });

  it('recognises a bare line whose short message needs IBKR context only with it', () => {
    expect(marks('12 103 Duplicate order id')).toEqual([]);
    expect(marks('12 103 Duplicate order id', true)).toEqual([['12 103 Duplicate order id', 'ibkr-103']]);
    expect(marks('IB4m with TWS 10.19 prints: 12 103 Duplicate order id')).toEqual([['12 103 Duplicate order id', 'ibkr-103']]);
  });

  it('marks a bare code only beside its own message', () => {
    // 502 and 2104 are codes, but these are not their messages: nothing, or the message alone.
    expect(marks('-1 502 Bad Gateway', true)).toEqual([]);
    expect(marks('7 2104 No security definition has been found for the request')).toEqual([['No security definition has been found for the request', 'ibkr-200']]);
    expect(marks('354 - No security definition has been found for the request')).toEqual([['No security definition has been found for the request', 'ibkr-200']]);
    expect(marks('Message(404, "Not Found")')).toEqual([]);
    expect(marks("TWSError: 502: 'Bad Gateway'")).toEqual([]);
  });
});

describe('runtime wordings that differ from the table', () => {
  it.each([
    // "Trader Workstation" where the table says "TWS", and the other way round
    ['Connectivity between Trader Workstation and server is broken. It will be restored automatically.', 'ibkr-2110'],
    ['Connectivity between IB and TWS has been lost.', 'ibkr-1100'],
    // "IBKR" where the table says "IB"
    ['Connectivity between IBKR and TWS has been restored- data lost.', 'ibkr-1101'],
    // a full stop missing or added between sentences, or at the end
    ['Requested market data is not subscribed Displaying delayed market data', 'ibkr-10167'],
    ['Requested market data is not subscribed.Displaying delayed market data.', 'ibkr-10167'],
    ['Duplicate order ID', 'ibkr-103'],
    ['No security definition has been found for the request.', 'ibkr-200'],
    // wordings of the thread corpus: "Unable connect" (pilwon/node-ib#27), "fractional size rules …
    // a minimum version 163" (hadrianl/ibapi#43), 10311 with its third sentence (deephaven-ib#106)
    ['Unable connect as the client id is already in use. Retry with a unique client id.', 'ibkr-326'],
    ['Your API version does not support fractional size rules. Please upgrade to a minimum version 163', 'ibkr-10285'],
    [
      'This order will be directly routed to NYSE. Direct routed orders may result in higher trade fees. Restriction is specified in Precautionary Settings of Global Configuration/API.',
      'ibkr-10311',
    ],
    // 10147 and 10148 with the order id (erdewit/ib_insync#656, #690), 10148's "cannot"
    ['OrderId 902 that needs to be cancelled is not found.', 'ibkr-10147'],
    ['OrderId 15073 that needs to be cancelled cannot be cancelled, state: Filled', 'ibkr-10148'],
  ])('%s', (text, id) => {
    const found = matcher.find(text, { context: true });
    expect(found.map((m) => m.entryId)).toEqual([id]);
    // The whole text is the mention (its final full stop aside).
    expect(text.slice(found[0].start, found[0].end)).toBe(text.replace(/\.$/, ''));
  });
});

describe('look-alikes stay unmarked', () => {
  it.each([
    // other brokers and services
    ['alpaca_trade_api.rest.APIError: forbidden (code 40310000)'],
    ['binance.exceptions.BinanceAPIException: APIError(code=-1021): Timestamp for this request is outside of the recvWindow.'],
    ['Kraken: EAPI:Invalid nonce, warning 2104 ignored by the client'],
    ['Notice { code: 404, message: "Not Found" }'],
    ['Calling error(-1, 404, \'Not Found\')'],
    // HTTP statuses, in prose and in logs
    ['Warning 502: "Bad Gateway"'],
    ['HTTP/1.1 502 Bad Gateway'],
    ['-1 502 Bad Gateway'],
    ['Error code 504 - Gateway Timeout'],
    ['127.0.0.1 - - [01/May/2024:10:00:00 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/7.68.0"'],
    ['2024/05/01 10:00:00 [error] 1234#1234: *5 upstream timed out (110: Connection timed out) while reading response header from upstream'],
    // issue numbers, prices, quantities
    ['Fixes #2104 and #103 (see PR 502)'],
    ['Bought 12 103 shares at 2104.50'],
    ['Order 12 103 filled at $502.25'],
    ['The 12 103 bus leaves at 21:04'],
    // Redis, MQTT
    ['redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.'],
    ['API connection failed: ConnectionRefusedError(111, "Connect call failed (\'127.0.0.1\', 6379)")'],
    ['MQTT: client id already in use'],
  ])('%s', (text) => {
    expect(marks(text)).toEqual([]);
  });

  it("leaves a Spring Boot log line's process id unmarked, even with IBKR context in the line", () => {
    expect(marks('2024-01-02 10:00:00.123 ERROR 2104 --- [main] c.e.TwsClient : TWS connection lost', true)).toEqual([]);
    expect(marks('2024-01-02T10:00:00.123Z ERROR 1100 --- [tws-app] [ib-reader] c.e.Tws : reconnecting', true)).toEqual([]);
    // The line's own message still counts.
    expect(marks('2024-01-02 10:00:00.123 ERROR 4321 --- [main] c.e.Tws : Error 1100 from TWS', true)).toEqual([['Error 1100', 'ibkr-1100']]);
  });

  it('leaves the nginx look-alike page of the e2e tests unmarked, with or without its block text joined', () => {
    const html = readFileSync(new URL('../e2e/pages/stackoverflow-nginx.html', import.meta.url), 'utf8');
    const body = html.replace(/<(script|style)[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, '\n');
    expect(marks(body)).toEqual([]);
    for (const line of body.split('\n')) expect(marks(line), line).toEqual([]);
  });
});

describe('an HTTP status called an error stays unmarked, even on a page with IBKR context', () => {
  it.each([
    ['ServerError: HTTP Error 502: ...'],
    ['http error 502 from the gateway'],
    ['HTTP error 504 when calling /iserver/accounts'],
    ['HTTP-Error code 504 again'],
  ])('%s', (text) => {
    expect(marks(text, true)).toEqual([]);
  });

  it('still marks the error code that follows no HTTP', () => {
    expect(marks('Error 504 from TWS', true)).toEqual([['Error 504', 'ibkr-504']]);
    // the same words after a number that is no HTTP status
    expect(marks('Error 1100 gone after the reconnect', true)).toEqual([['Error 1100', 'ibkr-1100']]);
    expect(marks('error 200 not found for ESZ4', true)).toEqual([['error 200', 'ibkr-200']]);
  });

  it.each([
    // a status's reason phrase after the number, in any case, also in brackets
    ['Error 429 Too Many Requests'],
    ['error code 429 (Too Many Requests)'],
    ['Error: 429 - too many requests'],
    ['error 405 Method Not Allowed'],
    ['error 406 Not Acceptable'],
    ['error 408 Request Timeout'],
    ['error 409 Conflict'],
    ['Error 410 Gone'],
    ['error 411 Length Required'],
    ['error 413 Payload Too Large'],
    ['error 413 Request Entity Too Large'],
    ['error 415 Unsupported Media Type'],
    ['error 422 Unprocessable Entity'],
    ['error 501 Not Implemented'],
    ['error 502 Proxy Error'],
    ['error 503 Service Temporarily Unavailable'],
    ['fetch failed with error 404 (Not Found)'],
    ['error 400 (Bad Request)'],
    ['error: 403 forbidden'],
    // the HTTP errors of Python API clients (openai, anthropic …): "Error code: N - {body}"
    ["openai.BadRequestError: Error code: 400 - {'error': {'message': 'Invalid request'}}"],
    ["anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error'}}"],
  ])('with its reason phrase or body: %s', (text) => {
    expect(marks(text, true)).toEqual([]);
  });
});

describe('Markdown links that cite issues stay unmarked, even on a page with IBKR context', () => {
  // Changelogs cite issues as "[#131](…)", "[the issue][#131]" or "[#131]: …"; ezibpy's "[#2107] "
  // is followed by its message. Seen in the changelogs of babel, uuid, jszip, yargs, dotenv, async
  // and highlight.js.
  it.each([
    ['* **deno:** force release for deno ([#121](https://www.github.com/yargs/y18n/issues/121))'],
    ['fix an issue with webpack (see [#328](https://github.com/Stuk/jszip/pull/328))'],
    ['[#2104]: https://github.com/erdewit/ib_insync/issues/2104'],
    ['drop a comment into [the issue][#542] on GitHub'],
    ['[IB #321](https://github.com/ranaroussi/qtpylib/issues/321)'],
  ])('%s', (text) => {
    expect(marks(text, true)).toEqual([]);
  });

  it('still marks ezibpy and qtpylib lines, and a cited issue number beside a real mention', () => {
    expect(marks('[#2107] HMDS data farm connection is inactive but should be available upon demand.ushmds', true)).toEqual([
      ['[#2107] HMDS data farm connection is inactive but should be available upon demand.ushmds', 'ibkr-2107'],
    ]);
    expect(marks('[#326] Unable to connect as the client id is already in use. Retry with a unique client id. and [#162](https://example.test/162)', true)).toEqual([
      ['[#326] Unable to connect as the client id is already in use. Retry with a unique client id', 'ibkr-326'],
    ]);
  });
});

describe('the code-shape scan: `warning N`, scanned apart, merged as one regex over all shapes would find it', () => {
  /** [code, shape name] of each occurrence `scanCodeShapes` tells of, in order. */
  function scanned(text: string): [number, string][] {
    const out: [number, string][] = [];
    scanCodeShapes(text, (_start, _end, _messageAt, code, shape) => out.push([code, shape.name]));
    return out;
  }

  it.each<[string, [number, string][]]>([
    // A tie at one place goes to the shape listed first: ib_insync's line, not `Warning 2104`.
    ['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', [[2104, 'ib_insync']]],
    // A match apart that starts inside a combined one is not told of: the testbed's field.
    ['Error. Id: -1, Warning: 2104, Code: 2106, Msg: HMDS data farm connection is OK:ushmds', [[2106, 'testbed']]],
    // Both scans, in text order, each going on after the other's match.
    [
      'warning 2104 then Error 326, reqId -1: Unable to connect and Warning code: 2106, Errors 2104 and 2106, warning 2158',
      [
        [2104, 'prose-warning'],
        [326, 'ib_insync'],
        [2106, 'prose-warning'],
        [2104, 'prose-list'],
        [2106, 'prose-list'],
        [2158, 'prose-warning'],
      ],
    ],
  ])('%s', (text, expected) => {
    expect(scanned(text)).toEqual(expected);
  });
});

describe('the lookaheads after a code, checked after a match: what they refuse stays refused', () => {
  it.each<[string, boolean]>([
    ['ERROR -1 404 page not found', false],
    ['ERROR -1 504 bad gateway', false],
    ['API error: 429: too many requests', false],
    ['ERROR -1 404 Order rejected', true],
    ['error id=-1, errorCode=111, errorMsg=x', true],
  ])('%s: a self-evident shape, so IBKR context: %s', (text, context) => {
    expect(hasIbkrContext(text)).toBe(context);
  });

  it('marks the codes after one that is refused, and none that is', () => {
    expect(marks('ERROR -1 404 page not found', true)).toEqual([]);
    const text = 'error 504 bad gateway and error 504 afterwards';
    expect(matcher.find(text, { context: true }).map((m) => m.start)).toEqual([text.lastIndexOf('error 504')]);
    expect(marks('socket error 104 connection reset by peer, then Error 1100', true)).toEqual([['Error 1100', 'ibkr-1100']]);
  });
});

describe('log shapes other software prints too: self-evident on the IBKR client\'s own line only', () => {
  // [line, marks without context, marks with IBKR context]
  it.each<[string, [string, string][], [string, string][]]>([
    // QuantConnect LEAN: its method or request id before the code, else a code like any other
    ['ErrorCode: 1100 - disk full', [], [['ErrorCode: 1100', 'ibkr-1100']]],
    ['Warning - Code: 162 - low battery', [], [['Warning - Code: 162', 'ibkr-162']]],
    ['InteractiveBrokersBrokerage.HandleError(): RequestId: 1 ErrorCode: 1100 - disk full', [['ErrorCode: 1100', 'ibkr-1100']], [['ErrorCode: 1100', 'ibkr-1100']]],
    ['RequestId: 1 ErrorCode: 1100 - disk full', [['ErrorCode: 1100', 'ibkr-1100']], [['ErrorCode: 1100', 'ibkr-1100']]],
    ['HandleError(): Order: 67 ErrorCode: 162 - low battery', [['ErrorCode: 162', 'ibkr-162']], [['ErrorCode: 162', 'ibkr-162']]],
    ['Brokerage.OnMessage(): Warning - Code: 162 - low battery', [['Warning - Code: 162', 'ibkr-162']], [['Warning - Code: 162', 'ibkr-162']]],
    // its own message after " - " is enough; another entry's message is marked alone, the code only with context
    ['ErrorCode: 1100 - Connectivity between IB and Trader Workstation has been lost.', [['ErrorCode: 1100 - Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100']], [['ErrorCode: 1100 - Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100']]],
    ['ErrorCode: 2104 - No security definition has been found for the request', [['No security definition has been found for the request', 'ibkr-200']], [['ErrorCode: 2104', 'ibkr-2104'], ['No security definition has been found for the request', 'ibkr-200']]],
    ['HandleError(): RequestId: 1 ErrorCode: 2104 - No security definition has been found for the request', [['ErrorCode: 2104 - No security definition has been found for the request', 'ibkr-2104']], [['ErrorCode: 2104 - No security definition has been found for the request', 'ibkr-2104']]],
    // ib_insync's RequestError, ib_async's request id; REST clients of any service
    ['API error: 401: Bad credentials', [], [['API error: 401', 'ibkr-401']]],
    ['ib_insync.wrapper.RequestError: API error: 401: Bad credentials', [['API error: 401', 'ibkr-401']], [['API error: 401', 'ibkr-401']]],
    ['API error: 200: No security definition has been found for the request', [['API error: 200: No security definition has been found for the request', 'ibkr-200']], [['API error: 200: No security definition has been found for the request', 'ibkr-200']]],
    // ibapi: request id -1, the time field or its logger's name; a log format with the process id
    ['ERROR 4711 201 rows failed to import', [], [['ERROR 4711 201', 'ibkr-201']]],
    ['ERROR -1 2104 farm gone', [['ERROR -1 2104', 'ibkr-2104']], [['ERROR -1 2104', 'ibkr-2104']]],
    ['ERROR 5 1715000000000 201 x', [['ERROR 5 1715000000000 201', 'ibkr-201']], [['ERROR 5 1715000000000 201', 'ibkr-201']]],
    ['ERROR:ibapi.wrapper:ERROR 25 200 x', [['ERROR 25 200', 'ibkr-200']], [['ERROR 25 200', 'ibkr-200']]],
    ['ERROR 5 103 Duplicate order id', [['ERROR 5 103 Duplicate order id', 'ibkr-103']], [['ERROR 5 103 Duplicate order id', 'ibkr-103']]],
    // the testbeds' "Error." and a request id; REST clients' "Error - Id: …, Code: …"
    ['Error - Id: 5, Code: 404, Message: Resource missing', [], [['Error - Id: 5, Code: 404', 'ibkr-404']]],
    ['Error. Id: 5, Code: 404, Msg: Resource missing', [['Error. Id: 5, Code: 404', 'ibkr-404']], [['Error. Id: 5, Code: 404', 'ibkr-404']]],
    ['Error - ReqId: 5, Code: 404, Message: Resource missing', [['Error - ReqId: 5, Code: 404', 'ibkr-404']], [['Error - ReqId: 5, Code: 404', 'ibkr-404']]],
    // the wire log with its message field; "Error code=401" is any program's prose code
    ['Upload failed. Error code=401', [], [['Error code=401', 'ibkr-401']]],
    ['Error code=1100;Error msg=disk full', [['Error code=1100', 'ibkr-1100']], [['Error code=1100', 'ibkr-1100']]],
    // "errorCode=": ib_insync's TradeLogEntry; Java's toString, an address
    ['ApiException(errorCode=401, errorMsg=Unauthorized)', [], [['errorCode=401', 'ibkr-401']]],
    ['https://example.com/login?errorCode=321', [], [['errorCode=321', 'ibkr-321']]],
    ["TradeLogEntry(time=datetime(2024, 5, 1), status='Cancelled', message='', errorCode=321)", [['errorCode=321', 'ibkr-321']], [['errorCode=321', 'ibkr-321']]],
    // rust-ibapi after its request id; services log the same fields
    ['error_code: 502, error_message: upstream timeout', [], [['error_code: 502', 'ibkr-502']]],
    ['request_id: -1, error_code: 502, error_message: upstream timeout', [['error_code: 502', 'ibkr-502']], [['error_code: 502', 'ibkr-502']]],
    // stoqey/ib after an official message, a short one too; sites and games print the same
    ['Something went wrong (Error #404)', [], [['(Error #404)', 'ibkr-404']]],
    ['Could not save the game (Error #1100)', [], [['(Error #1100)', 'ibkr-1100']]],
    ['Duplicate order id (Error #103)', [['Duplicate order id (Error #103)', 'ibkr-103']], [['Duplicate order id (Error #103)', 'ibkr-103']]],
    ['The order size cannot be zero. (Error #434)', [['The order size cannot be zero. (Error #434)', 'ibkr-434']], [['The order size cannot be zero. (Error #434)', 'ibkr-434']]],
  ])('%s', (line, alone, withContext) => {
    expect(marks(line)).toEqual(alone);
    expect(marks(line, true)).toEqual(withContext);
  });

  it.each<[string, boolean]>([
    ['ErrorCode: 1100 - disk full', false],
    ['InteractiveBrokersBrokerage.HandleError(): RequestId: 1 ErrorCode: 1100 - disk full', true],
    ['Brokerage.OnMessage(): Warning - Code: 162 - low battery', true],
    ['API error: 401: Bad credentials', false],
    ['ERROR 4711 201 rows failed to import', false],
    ['ERROR -1 2104 farm gone', true],
    ['Error - Id: 5, Code: 404, Message: Resource missing', false],
    ['Error. Id: 5, Code: 404, Msg: Resource missing', true],
    ['Upload failed. Error code=401', false],
    ['ApiException(errorCode=401, errorMsg=Unauthorized)', false],
    ['error_code: 502, error_message: upstream timeout', false],
    ['Something went wrong (Error #404)', false],
  ])('%s: IBKR context by itself: %s', (text, context) => {
    expect(hasIbkrContext(text)).toBe(context);
  });

  it('reads a page\'s other line by such a line only where it is self-evident', () => {
    const page = (line: string) => marks(`${line}\nDuplicate order id`);
    expect(page('ErrorCode: 1100 - disk full')).toEqual([]);
    expect(page('HandleError(): RequestId: 1 ErrorCode: 1100 - disk full')).toEqual([
      ['ErrorCode: 1100', 'ibkr-1100'],
      ['Duplicate order id', 'ibkr-103'],
    ]);
  });
});

describe('a self-evident line whose lead stands before the window it starts in', () => {
  it('is found where its code shape starts, the lead read from before the window', () => {
    const lead = 'x '.repeat(100) + 'InteractiveBrokersBrokerage.HandleError(): RequestId: 1 ';
    const rest = 'ErrorCode: 1100 - disk full ' + 'y'.repeat(4096 - 28);
    const text = lead + rest;
    // lastSignStart reads 4,096 characters at a time from the end: the shape starts the last window.
    expect(text.length - lead.length).toBe(4096);
    expect(lastSignStart(text, 'ibkr')).toBe(lead.length);
    expect(lastSignStart('x '.repeat(100) + rest, 'ibkr')).toBe(-1);
  });
});
