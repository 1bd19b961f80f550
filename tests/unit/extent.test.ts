/**
 * Where a marker ends (docs/matching.md, "Where a marker ends"): the code shape, the official
 * message or its runtime wording, and the detail that belongs to it; never the page's own prose
 * after it. Cases from logs, prose, headings and quotes, among them every example of issue 12.
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createMatcher, type MatchOptions } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** [marked text, entry id, reason] of each match. */
function marks(text: string, options: MatchOptions = {}): [string, string, string | null][] {
  return matcher.find(text, options).map((m) => [text.slice(m.start, m.end), m.entryId, m.reason]);
}

describe('a marker covers the code shape, the message and the detail that belongs to it', () => {
  it.each([
    // a farm name glued with ":" or "."
    ['ERROR -1 2104 Market data farm connection is OK:usfarm', 'ERROR -1 2104 Market data farm connection is OK:usfarm', 'usfarm'],
    ['Warning 2107, reqId -1: HMDS data farm connection is inactive but should be available upon demand.ushmds', 'Warning 2107, reqId -1: HMDS data farm connection is inactive but should be available upon demand.ushmds', 'ushmds'],
    // a reason the message announces: "cause - …", "error message:…", "reason:…"
    [
      "Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange",
      "Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange",
      'Missing order exchange',
    ],
    [
      'ERROR 22 162 Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades',
      'ERROR 22 162 Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades',
      'HMDS query returned no data: ESM3@CME Trades',
    ],
    ['Error 201, reqId 3: Order rejected - reason:Invalid or missing IBCustAcctNo', 'Error 201, reqId 3: Order rejected - reason:Invalid or missing IBCustAcctNo', 'Invalid or missing IBCustAcctNo'],
    // 202 as TWS writes it at runtime ("Canceled", "reason:"), with a reason and with none
    ['Error 202, reqId 13: Order Canceled - reason:', 'Error 202, reqId 13: Order Canceled - reason:', null],
    ['ERROR 13 202 Order Canceled - reason:Order was canceled by system', 'ERROR 13 202 Order Canceled - reason:Order was canceled by system', 'Order was canceled by system'],
    // a runtime reason glued with ":" to a message that announces none in the table
    [
      'ERROR 3 420 Invalid Real-time Query:Trading TWS session is connected from a different IP address',
      'ERROR 3 420 Invalid Real-time Query:Trading TWS session is connected from a different IP address',
      'Trading TWS session is connected from a different IP address',
    ],
    // a bracketed amount keeps its brackets, and TWS's reason in capitals runs over its sentences
    [
      'Error 201, reqId 5: Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [1000.00 USD] MUST EXCEED THE INITIAL MARGIN [2000.00 USD]',
      'Error 201, reqId 5: Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [1000.00 USD] MUST EXCEED THE INITIAL MARGIN [2000.00 USD]',
      'YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [1000.00 USD] MUST EXCEED THE INITIAL MARGIN [2000.00 USD]',
    ],
    // a farm list after "connected:"
    [
      'Error 1102, reqId -1: Connectivity between IB and Trader Workstation has been restored - data maintained. All data farms are connected: usfarm; ushmds; secdefnj.',
      'Error 1102, reqId -1: Connectivity between IB and Trader Workstation has been restored - data maintained. All data farms are connected: usfarm; ushmds; secdefnj.',
      'usfarm; ushmds; secdefnj.',
    ],
    // an official message that follows the reason's full stop is TWS's text going on
    [
      'Error 420, reqId 5: Invalid Real-time Query:No market data permissions for NYSE STK. Requested market data requires additional subscription for API.',
      'Error 420, reqId 5: Invalid Real-time Query:No market data permissions for NYSE STK. Requested market data requires additional subscription for API',
      'No market data permissions for NYSE STK. Requested market data requires additional subscription for API',
    ],
  ])('%s', (text, marked, reason) => {
    expect(marks(text)).toEqual([[marked, expect.any(String), reason]]);
  });
});

describe('the reasons and details the thread corpus showed (tests/fixtures/threads)', () => {
  it.each([
    // the table's "…Service error message." announces the reason that follows at runtime, after a space too
    [
      'Error 162: Historical Market Data Service error message: API historical data query cancelled',
      'Error 162: Historical Market Data Service error message: API historical data query cancelled',
      'ibkr-162',
      'API historical data query cancelled',
    ],
    // a symbol after a space is the value the runtime text names
    [
      'TWS Error 162: Historical Market Data Service error message:No historical market data for EUR/CASH@IDEALPRO Last 60',
      'Error 162: Historical Market Data Service error message:No historical market data for EUR/CASH@IDEALPRO Last 60',
      'ibkr-162',
      'No historical market data for EUR/CASH@IDEALPRO Last 60',
    ],
    // ib_insync's ", contract: …" after a number that ends the reason
    [
      "Error 162, reqId 28: Historical Market Data Service error message:API historical data query cancelled: 28, contract: Stock(symbol='AAPL', exchange='SMART', currency='USD')",
      'Error 162, reqId 28: Historical Market Data Service error message:API historical data query cancelled: 28',
      'ibkr-162',
      'API historical data query cancelled: 28',
    ],
    // TWS's two-space sentences are one reason
    [
      "Error 321, reqId 9: Error validating request.-'bS' : cause - VOL order requires non-negative floating point value for volatility.  Do not set it for other order types.",
      "Error 321, reqId 9: Error validating request.-'bS' : cause - VOL order requires non-negative floating point value for volatility.  Do not set it for other order types.",
      'ibkr-321',
      'VOL order requires non-negative floating point value for volatility.  Do not set it for other order types.',
    ],
    // a Java class after a full stop is no new sentence (erdewit/ib_insync#12)
    [
      'ERROR:ib_insync.wrapper:Error 320, reqId -1: Error reading request:Message type -1.  Unable to parse data. java.lang.NumberFormatException: For input string: "AAPL"',
      'Error 320, reqId -1: Error reading request:Message type -1.  Unable to parse data. java.lang.NumberFormatException: For input string: "AAPL"',
      'ibkr-320',
      'Message type -1.  Unable to parse data. java.lang.NumberFormatException: For input string: "AAPL"',
    ],
  ])('%s', (text, marked, id, reason) => {
    expect(marks(text)).toEqual([[marked, id, reason]]);
  });

  it('ends a reason where an ib_insync line glued to it starts, as in a title that repeats a line (erdewit/ib_insync#478)', () => {
    const title = "Error 321, reqId 69: Error validating request.-'bT' : cause - Please enter exchangeError 321, reqId 69: Error validating request.-'bT' : cause -";
    expect(marks(title).map(([t, id]) => [t, id])).toEqual([
      ["Error 321, reqId 69: Error validating request.-'bT' : cause - Please enter exchange", 'ibkr-321'],
      ["Error validating request.-'bT' : cause", 'ibkr-321'],
    ]);
  });

  it('ends a reason at a question on its line, however its sentences are spaced', () => {
    expect(marks("Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange.  What does it want? No idea.").map(([t]) => t)).toEqual([
      "Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange.",
    ]);
  });

  it('covers a message of several sentences as far as the text quotes it, up to a word that ends in other punctuation', () => {
    const line =
      "Error 162, reqId 3: Historical Market Data Service error message:No market data permissions for ISLAND STK. Requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details., contract: Stock(symbol='QQQ', exchange='SMART', currency='USD').";
    expect(marks(line).map(([t]) => t)).toEqual([line.slice(0, line.indexOf('., contract'))]);
  });

  it('ends a reason longer than MAX_TAIL before the word it would cut', () => {
    const list = Array.from({ length: 200 }, (_, i) => `${i}(Tick ${i})`).join(',');
    const line = `ERROR 125 321 Error validating request.-'bW' : cause - Incorrect generic tick list of 1,2.  Legal ones for (STK) are: ${list}`;
    const [[marked]] = marks(line);
    expect(line.startsWith(marked)).toBe(true);
    expect(marked.length).toBeLessThan(line.length);
    // No word is cut in two: the last character marked and the first left out are not both part of one.
    expect(/\w/.test(marked.at(-1)!) && /\w/.test(line[marked.length])).toBe(false);
  });
});

describe('multi-sentence official messages are covered whole, never split into message and reason', () => {
  const full502 =
    'Couldn\'t connect to TWS. Confirm that "Enable ActiveX and Socket EClients" is enabled and connection port is the same as "Socket Port" on the TWS "Edit->Global Configuration...->API->Settings" menu. Live Trading ports: TWS: 7496; IB Gateway: 4001. Simulated Trading ports for new installations of version 954.1 or newer: TWS: 7497; IB Gateway: 4002';

  it('covers 502 whole and gives no reason (its ports are the official text)', () => {
    expect(marks(`ERROR -1 502 ${full502}`)).toEqual([[`ERROR -1 502 ${full502}`, 'ibkr-502', null]]);
    expect(marks(`ERROR -1 502 ${full502}.`)).toEqual([[`ERROR -1 502 ${full502}`, 'ibkr-502', null]]);
  });

  it('covers the part of 502 a pasted line quotes, and stops where the line leaves the text', () => {
    expect(marks('ERROR -1 502 Couldn\'t connect to TWS. Confirm that "Enable ActiveX and Socket EClients" ...')).toEqual([
      ['ERROR -1 502 Couldn\'t connect to TWS. Confirm that "Enable ActiveX and Socket EClients"', 'ibkr-502', null],
    ]);
    expect(marks("ERROR -1 502 Couldn't connect to TWS. Is TWS running?")).toEqual([["ERROR -1 502 Couldn't connect to TWS", 'ibkr-502', null]]);
  });

  it('covers 2110 whole, with its runtime wording ("Trader Workstation" for "TWS")', () => {
    const line = 'Error 2110, reqId -1: Connectivity between Trader Workstation and server is broken. It will be restored automatically.';
    expect(marks(line)).toEqual([[line.slice(0, -1), 'ibkr-2110', null]]);
  });

  it('takes the longest official text: a whole message of one entry beats the first sentence of another', () => {
    expect(marks('Requested market data is not subscribed. Displaying delayed market data.').map(([t, id]) => [t, id])).toEqual([
      ['Requested market data is not subscribed. Displaying delayed market data', 'ibkr-10167'],
    ]);
    expect(marks('Error 354, reqId 4: Requested market data is not subscribed. Check API status by selecting the Account menu').map(([, id]) => id)).toEqual(['ibkr-354']);
  });

  it('takes the runtime value of a first sentence that ends in a placeholder, when the line quotes that sentence alone', () => {
    // ib_insync's line of 451 as IBC#227 quotes it (knowledge/runtime-codes.tsv), cut after the first sentence.
    const line451 = 'Error 451, reqId 329: The following order "ID:329" value estimate of 154,990 USD exceeds  the Total Value Limit of 100,000 USD. ...';
    expect(marks(line451)).toEqual([[line451.slice(0, -' ...'.length), 'ibkr-451', '100,000 USD.']]);
    expect(marks('Error 10324, reqId 3: Invalid parameters for OCA group for exchange SMART. What is wrong?')).toEqual([
      ['Error 10324, reqId 3: Invalid parameters for OCA group for exchange SMART.', 'ibkr-10324', 'SMART.'],
    ]);
    // 10329's whole text is 10311's first sentence: quoted alone, it is 10329's.
    expect(marks('TWS says: This order will be directly routed to NYSE.', { context: true })).toEqual([
      ['This order will be directly routed to NYSE.', 'ibkr-10329', 'NYSE.'],
    ]);
    expect(marks('Error 10329, reqId 1: This order will be directly routed to ARCA.')).toEqual([
      ['Error 10329, reqId 1: This order will be directly routed to ARCA.', 'ibkr-10329', 'ARCA.'],
    ]);
    // Quoted further, the message is 10311's, as before.
    expect(marks('TWS says: This order will be directly routed to NYSE. Direct routed orders may result in higher trade fees.').map(([t, id]) => [t, id])).toEqual([
      ['This order will be directly routed to NYSE. Direct routed orders may result in higher trade fees', 'ibkr-10311'],
    ]);
  });
});

describe('a marker never takes the prose that follows', () => {
  it.each([
    // issue 12: the next sentence of prose, a question
    ['I get Error 354, reqId 4: Requested market data is not subscribed. What subscription do I need?', 'Error 354, reqId 4: Requested market data is not subscribed'],
    // a new sentence after a reason
    ["Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange. What does it want?", "Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange."],
    // a question mark right after a reason
    ["Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange? No idea why", "Error 321, reqId 5: Error validating request.-'bW' : cause - Missing order exchange"],
    // "and then", ", which …", "when I …"
    ['Error 201, reqId 3: Order rejected - reason:Invalid account code and then TWS drops the connection', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    ['Error 201, reqId 3: Order rejected - reason:Invalid account code, which is odd', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    ['Error 201, reqId 3: Order rejected - reason:Invalid account code when I place a bracket order', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    // a spaced em or en dash: TWS writes ASCII, so the dash is the page's prose
    ['Error 201, reqId 3: Order rejected - reason:Account is closed — no idea why', 'Error 201, reqId 3: Order rejected - reason:Account is closed'],
    ["ERROR 7 321 Error validating request.-'cq' : cause - Invalid account code – the code is right", "ERROR 7 321 Error validating request.-'cq' : cause - Invalid account code"],
    // a spaced hyphen left before prose ("- so I …") is the page's too
    ['Error 10148, reqId 5: OrderId 5 that needs to be cancelled cannot be cancelled, state: Filled - so I retried', 'Error 10148, reqId 5: OrderId 5 that needs to be cancelled cannot be cancelled, state: Filled'],
    // an arrow after the reason ("-> retrying", "=> retry") is the page's
    ['Error 201, reqId 3: Order rejected - reason:Invalid account code -> retrying', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    ['Error 201, reqId 3: Order rejected - reason:Invalid account code => retry', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    // prose right after a glued farm name
    ['ERROR -1 2104 Market data farm connection is OK:usfarm is all I see', 'ERROR -1 2104 Market data farm connection is OK:usfarm'],
    // a full stop after a glued detail is the page's
    ['Last line: ERROR -1 2104 Market data farm connection is OK:usfarm. Then nothing.', 'ERROR -1 2104 Market data farm connection is OK:usfarm'],
  ])('%s', (text, marked) => {
    expect(marks(text).map(([t]) => t)).toEqual([marked]);
  });

  describe('a Python socket error covers the error and its official message, nothing after it', () => {
    const refused = 'No connection could be made because the target machine actively refused it';
    it.each([
      // the error alone, then prose
      ['ConnectionRefusedError: [WinError 10061] and then it stopped.', 'ConnectionRefusedError: [WinError 10061]'],
      ['[WinError 10061] and then it stopped.', '[WinError 10061]'],
      // with Windows' own text, then prose or a bracket of the page's
      [`ConnectionRefusedError: [WinError 10061] ${refused}. and then it stopped.`, `ConnectionRefusedError: [WinError 10061] ${refused}`],
      [`ConnectionRefusedError: [WinError 10061] ${refused} (TWS was closed)`, `ConnectionRefusedError: [WinError 10061] ${refused}`],
      [`[WinError 10061] ${refused}, which means TWS is closed`, `[WinError 10061] ${refused}`],
      // Linux and asyncio texts
      ['ConnectionRefusedError: [Errno 111] Connection refused and then it stopped', 'ConnectionRefusedError: [Errno 111] Connection refused'],
      ["ConnectionRefusedError: [Errno 10061] Connect call failed ('127.0.0.1', 7497) when I start", "ConnectionRefusedError: [Errno 10061] Connect call failed ('127.0.0.1', 7497)"],
      ['ConnectionRefusedError: [Errno 61] Connection refused', 'ConnectionRefusedError: [Errno 61] Connection refused'],
    ])('%s', (text, marked) => {
      expect(marks(text, { context: true }).map(([t, id]) => [t, id])).toEqual([[marked, 'connection-refused']]);
    });

    it('leaves the next error on the line to its own marker', () => {
      const line = 'ConnectionRefusedError: [WinError 10061] and Error 1100 Connectivity between IB and Trader Workstation has been lost.';
      expect(marks(line, { context: true }).map(([t, id]) => [t, id])).toEqual([
        ['ConnectionRefusedError: [WinError 10061]', 'connection-refused'],
        ['Error 1100 Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100'],
      ]);
      const bare = '[WinError 10061] and Error 1100, reqId -1: Connectivity between IB and Trader Workstation has been lost.';
      expect(marks(bare, { context: true }).map(([t, id]) => [t, id])).toEqual([
        ['[WinError 10061]', 'connection-refused'],
        ['Error 1100, reqId -1: Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100'],
      ]);
      // without the other error's context, the socket error alone stays unmarked (it is generic)
      expect(marks('[WinError 10061] and then it stopped.')).toEqual([]);
    });
  });

  it('stops at the end of the line', () => {
    const log = "ERROR 1 321 Error validating request.-'cq' : cause - Invalid account code\nnext line has nothing";
    expect(marks(log).map(([t]) => t)).toEqual(["ERROR 1 321 Error validating request.-'cq' : cause - Invalid account code"]);
  });
});

describe('runtime wordings that differ from the table are covered whole', () => {
  it("covers 2109 as TWS sends it (glued colon, single quotes, 'now being processed')", () => {
    const line =
      "Warning 2109, reqId 12: Order Event Warning:Attribute 'Outside Regular Trading Hours' is ignored based on the order type and destination. PlaceOrder is now being processed.";
    expect(marks(line).map(([t, id]) => [t, id])).toEqual([[line.slice(0, -1), 'ibkr-2109']]);
  });
});

describe("a glued symbol keeps its exchange and keys before ib_insync's contract", () => {
  it('covers the symbol of 354 and 10089 up to ", contract: …"', () => {
    const line354 =
      'Error 354, reqId 6: Requested market data is not subscribed. Check API status by selecting the Account menu then under Management choose Market Data Subscription Manager and/or availability of delayed data.AAPL NASDAQ.NMS/TOP/ALL';
    expect(marks(`${line354}, contract: Stock(symbol='AAPL', exchange='SMART', currency='USD')`)).toEqual([[line354, 'ibkr-354', 'AAPL NASDAQ.NMS/TOP/ALL']]);
    const line10089 =
      "Error 10089, reqId 5: Requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details.Delayed market data is available.AAPL NASDAQ.NMS/TOP/ALL";
    expect(marks(`${line10089}, contract: Stock(symbol='AAPL')`).map(([t, id]) => [t, id])).toEqual([[line10089, 'ibkr-10089']]);
  });
});

describe("a reason ends before the log line's next field", () => {
  const reason = 'Order rejected - reason:The account code is required for this order';
  it.each([
    // the Java, C# and C++ testbeds (formats 1.3): ", AdvancedOrderRejectJson: …"
    [`Error. Id: 3, Code: 201, Msg: ${reason}, AdvancedOrderRejectJson: {"rejectCode":"123"}`, `Error. Id: 3, Code: 201, Msg: ${reason}`],
    [
      'Error. Id: 3, Code: 162, Msg: Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades, AdvancedOrderRejectJson: ',
      'Error. Id: 3, Code: 162, Msg: Historical Market Data Service error message:HMDS query returned no data: AAPL@SMART Trades',
    ],
    // the Python testbed prints its fields with spaces
    [`Error. Id: 3 Code: 201 Msg: ${reason} AdvancedOrderRejectJson: {"rejectCode":"123"}`, `Error. Id: 3 Code: 201 Msg: ${reason}`],
    // ibapi 10.20+ appends the JSON after a space
    [`ERROR 12 201 ${reason} {"rejectCode":"123"}`, `ERROR 12 201 ${reason}`],
    // rust-ibapi's next field
    [`request_id: 5, error_code: 201, error_message: ${reason}, advanced_order_reject_json: {"x":1}`, `error_code: 201, error_message: ${reason}`],
    // Java's EWrapperMsgGenerator "id | code | msg | json", and a plain-text table's next cell
    [`12 | 201 | ${reason} | {"rejectCode":"123"}`, `12 | 201 | ${reason}`],
    [`| Error 201, reqId 12: ${reason} | rejected at the open |`, `Error 201, reqId 12: ${reason}`],
  ])('%s', (text, marked) => {
    expect(marks(text, { context: true }).map(([t]) => t)).toEqual([marked]);
  });
});

describe('a marker never takes a closing quote or bracket opened before the mention', () => {
  it.each([
    ['"Error 354, reqId 4: Requested market data is not subscribed" said the log', 'Error 354, reqId 4: Requested market data is not subscribed'],
    ['The log said "Error 201, reqId 3: Order rejected - reason:Invalid account code" twice', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    ["print('ERROR 1 321 Error validating request.-'cq' : cause - Invalid account code')", "ERROR 1 321 Error validating request.-'cq' : cause - Invalid account code"],
    ['(ERROR -1 2104 Market data farm connection is OK:usfarm)', 'ERROR -1 2104 Market data farm connection is OK:usfarm'],
    ['[Error 201, reqId 3: Order rejected - reason:Invalid account code] in the log', 'Error 201, reqId 3: Order rejected - reason:Invalid account code'],
    ['<error id=-1, errorCode=2104, errorMsg=Market data farm connection is OK:usfarm>', 'error id=-1, errorCode=2104, errorMsg=Market data farm connection is OK:usfarm'],
    ['“Market data farm connection is OK:usfarm” is harmless', 'Market data farm connection is OK:usfarm'],
  ])('%s', (text, marked) => {
    expect(marks(text).map(([t]) => t)).toEqual([marked]);
  });

  it('takes the quotes and brackets its own code shape opened, where they close right after it', () => {
    expect(marks('Warning 2104: "Market data farm connection is OK:usfarm"')).toEqual([
      ['Warning 2104: "Market data farm connection is OK:usfarm"', 'ibkr-2104', 'usfarm'],
    ]);
    expect(marks('Notice { code: 2104, message: "Market data farm connection is OK:usfarm" }')).toEqual([
      ['Notice { code: 2104, message: "Market data farm connection is OK:usfarm" }', 'ibkr-2104', 'usfarm'],
    ]);
    expect(marks('{"reqID":-1,"errCode":503,"errString":"The TWS is out of date and must be upgraded.","time":1}').map(([t]) => t)).toEqual([
      '"reqID":-1,"errCode":503,"errString":"The TWS is out of date and must be upgraded."',
    ]);
  });
});

describe('headings: an issue number or another element after the error is not part of it', () => {
  it('leaves the issue number after a title unmarked (issue 12)', () => {
    expect(marks('Error 354, reqId 4: Requested market data is not subscribed #42').map(([t]) => t)).toEqual([
      'Error 354, reqId 4: Requested market data is not subscribed',
    ]);
    expect(marks('Error 201, reqId 3: Order rejected - reason:Invalid account code #42').map(([t]) => t)).toEqual([
      'Error 201, reqId 3: Order rejected - reason:Invalid account code',
    ]);
    expect(marks('Error 201, reqId 3: Order rejected - reason:Invalid account code (#1234)').map(([t]) => t)).toEqual([
      'Error 201, reqId 3: Order rejected - reason:Invalid account code',
    ]);
  });

  it('ends a reason where the element holding it ends (edges given by the annotator)', () => {
    // <h1>Error 201 …:Invalid account code <span class="label">bug</span></h1>
    const heading = 'Error 201, reqId 3: Order rejected - reason:Invalid account code bug';
    expect(marks(heading, { edges: () => [heading.indexOf(' bug') + 1] }).map(([t]) => t)).toEqual([
      'Error 201, reqId 3: Order rejected - reason:Invalid account code',
    ]);
    // <p>I get <code>Error 201 …:Invalid account code</code> on every order</p>
    const prose = 'I get Error 201, reqId 3: Order rejected - reason:Invalid account code on every order';
    const codeStart = prose.indexOf('Error');
    const codeEnd = prose.indexOf(' on every');
    expect(marks(prose, { edges: () => [codeStart, codeEnd] }).map(([t, , r]) => [t, r])).toEqual([
      ['Error 201, reqId 3: Order rejected - reason:Invalid account code', 'Invalid account code'],
    ]);
    // <p>… reason: <b>Invalid account code</b></p>: an element that starts the reason is its own.
    const bold = 'Error 201, reqId 3: Order rejected - reason: Invalid account code';
    expect(marks(bold, { edges: () => [bold.indexOf('Invalid'), bold.length] }).map(([t]) => t)).toEqual([bold]);
  });

  it('asks for the edges only when a message has something after it', () => {
    let asked = 0;
    const edges = () => (asked++, []);
    marks('Error 354, reqId 4: Requested market data is not subscribed', { edges });
    expect(asked).toBe(0);
    marks('ERROR -1 2104 Market data farm connection is OK:usfarm', { edges });
    expect(asked).toBe(1);
  });
});

describe('in prose, a code shape followed by text that is not its message marks the code alone', () => {
  it.each([
    ['TWS keeps sending error 2104 and then No security definition has been found for the request', [['error 2104', 'ibkr-2104'], ['No security definition has been found for the request', 'ibkr-200']]],
    ['Since the upgrade IB Gateway gives error 354: the quotes come delayed', [['error 354', 'ibkr-354']]],
    ['This PR treats TWS error 2104 as a notice instead of raising', [['error 2104', 'ibkr-2104']]],
    ['IB Gateway, error 354: No security definition has been found for the request', [['error 354', 'ibkr-354'], ['No security definition has been found for the request', 'ibkr-200']]],
  ])('%s', (text, expected) => {
    expect(marks(text).map(([t, id]) => [t, id])).toEqual(expected);
  });

  it('joins a prose code to its own message, with or without context', () => {
    expect(marks('Error code 1100 - Connectivity between IB and Trader Workstation has been lost.').map(([t, id]) => [t, id])).toEqual([
      ['Error code 1100 - Connectivity between IB and Trader Workstation has been lost', 'ibkr-1100'],
    ]);
    expect(marks('error 2104: Market data farm connection is OK:usfarm').map(([t, id]) => [t, id])).toEqual([
      ['error 2104: Market data farm connection is OK:usfarm', 'ibkr-2104'],
    ]);
  });
});
