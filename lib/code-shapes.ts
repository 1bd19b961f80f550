/**
 * The shapes in which IBKR error codes reach people: log lines of the official clients, of
 * ib_insync / ib_async and of the other frameworks (see ../shared/reference/ibkr-formats.md,
 * section 1). Pure: no DOM, no browser.
 *
 * All shapes are compiled into ONE regular expression, so a text is scanned once for codes
 * whatever the number of shapes or entries; the code found is then looked up in a table.
 */

/**
 * How much a shape proves by itself:
 * - `self`: an IBKR error shape; the code counts without further context;
 * - `message`: counts when an official message stands beside it on the line, or with IBKR
 *   context (`-1 | 2103 |`, ezibpy's `[#326]` after its logger's name);
 * - `slot`: counts only with an official message in its slot, any entry's (`[#326] Unable to
 *   connect …`: changelogs cite issues as `[#326]` too, on IBKR pages as well);
 * - `context`: counts with IBKR context ("Error 326" in a question about TWS), or without it when
 *   its own official message follows (`Warning 2104: "Market data farm connection is OK"`);
 * - `own-message`: counts only when its own official message follows (`12 103 Duplicate order
 *   id`: a bare request id and code, as MATLAB and R wrappers print them).
 * A `context` or `own-message` code followed by another entry's message is marked alone.
 */
export type ShapeStrength = 'self' | 'message' | 'slot' | 'context' | 'own-message';

/** Where the message sits relative to the code: after it (most formats) or before it. */
export type MessageSide = 'after' | 'before';

export interface CodeShape {
  name: string;
  /**
   * Regular expression source with exactly two capturing groups: the code, then the separator
   * that leads to the message (possibly empty). The separator is not part of the marked code.
   */
  source: string;
  strength: ShapeStrength;
  message: MessageSide;
  /** Text before the match that belongs to the shape (the request id of `-1 | 2103 | …`). */
  lead?: RegExp;
  /**
   * Its number may be an HTTP status as well as a socket-API code ("error 401" about a REST call):
   * read by the API the text is about (docs/matching.md, "HTTP statuses in prose").
   */
  httpStatus?: true;
  /** Counts only for a notice's code (an entry whose severity is not `error`): `warning 2104`, not `warning 200`. */
  notice?: true;
  /**
   * What the marker covers when not the whole match: the code alone (a code of a list, `Errors
   * 2104 and 2106`), or from the code, which stands right before the match, to its end (`2105
   * error`).
   */
  span?: 'code' | 'from-code';
  /**
   * The logger's name that may stand right before the match (`ezibpy: `): after it, a `slot`
   * shape counts as a `message` shape does. Checked in the matcher, not in the scan: a lookbehind
   * at every `[` slowed the combined scan.
   */
  loggerBefore?: RegExp;
  /**
   * For a shape that other software prints too (`ErrorCode: 1100 - disk full`): what the IBKR
   * client's own line shows right before the code (a regex source that ends where the code starts:
   * LEAN's `HandleError(): RequestId: 1 ErrorCode: `). There the shape is self-evident; elsewhere it
   * counts as `strength` says (`selfEvidentForm`).
   */
  selfAfter?: string;
}

/** The code: digits, or -1 (FAIL_GENERIC). */
const CODE = '(-?\\d{1,5})';
/**
 * The reason phrases of the 4xx and 5xx statuses, in any case, or a body in braces (Python API
 * clients' "Error code: 429 - {'error': …}"): after a number from 400 to 599 ("error 429 Too Many
 * Requests", "error 404 (Not Found)"), never an IBKR code. Only after such a number: "error 200
 * not found" may well be TWS's 200.
 */
const HTTP_REASONS = [
  'bad request',
  'bad gateway',
  'service (?:temporarily )?unavailable',
  'not (?:found|acceptable|implemented)',
  // how sites word a 404 and a 403
  '(?:page|file) not found',
  // "error 404 page": a site's page, not TWS's 404
  'page',
  'access denied',
  'method not allowed',
  'request time-?out',
  'request entity too large',
  'payload too large',
  'too many requests',
  'conflict',
  'gone',
  'length required',
  'unsupported media type',
  'unprocessable',
  'proxy error',
  'forbidden',
  'unauthorized',
  'unauthorised',
  'time-?out',
].map(anyCase);
/** Any of `HTTP_REASONS` after a 4xx or 5xx code. */
const HTTP_REASON_AFTER = `(?<=\\b[45]\\d\\d)[\\s:\\-–(]*(?:${HTTP_REASONS.join('|')}|\\{)`;
/** HTTP reason phrases after a number: "504 Gateway Timeout" is never an IBKR code. */
const NOT_HTTP =
  '(?![\\s:\\-–]*(?:Gateway|Bad (?:Gateway|Request)|Service Unavailable|Internal|Not Found|Time-?out|Forbidden|Unauthori[sz]ed|HTTP|OK\\b))' +
  `(?!${HTTP_REASON_AFTER})`;
const REQ = '-?\\d{1,10}';
/** Port numbers of TWS and IB Gateway (live/paper), as they appear in a connect call. */
export const IBKR_PORTS: ReadonlySet<number> = new Set([7496, 7497, 4001, 4002]);
/** The same as a regex alternation. */
export const IBKR_PORT = `(?:${[...IBKR_PORTS].join('|')})`;
/**
 * Linux's socket error numbers that are also TWS codes (104 ECONNRESET, 110 ETIMEDOUT, 111
 * ECONNREFUSED, 113 EHOSTUNREACH, 101 ENETUNREACH) with the operating system's text after them:
 * "error 104 Connection reset by peer" is the socket's error, not a filled order.
 */
const ERRNO_TEXT_AFTER = `(?<=\\b(?:101|104|110|111|113))[\\s:\\-–(]*(?:${[
  'connection reset',
  'connection timed out',
  'connection refused',
  'no route to host',
  'network is unreachable',
  'connecting to',
]
  .map(anyCase)
  .join('|')})`;
const NOT_ERRNO = `(?!${ERRNO_TEXT_AFTER})`;

/** A case-insensitive spelling of a word without the `i` flag (the combined regex has none). */
function anyCase(word: string): string {
  return word.replace(/[a-z]/gi, (ch) => `[${ch.toUpperCase()}${ch.toLowerCase()}]`);
}

/** The word "error" in any case. */
const ERROR_WORD = anyCase('error');
/** Between two codes of a list: ", ", " and ", ", or ", "/". */
const LIST_SEP = '(?:,? (?:and|or|&) |, | ?/ ?)';
/** What after a number makes it a price, a thousands group or a percentage ("504.5", "1,100", "100%"). */
const NOT_NUMBER_TAIL = '(?!\\.\\d|,\\d{3}| ?%)';
/** Nouns after "N error" that make N a count or a site's page ("500 error messages", "404 error page"). */
const COUNTED_NOUNS = ['messages', 'codes', 'logs?', 'lines', 'entries', 'events', 'pages?', 'rates?', 'counts?', 'reports'].map(anyCase).join('|');

/** The fields a testbed's copy may print between the request id and the code (`Time: 20240501 10:00:00,`). */
const TESTBED_FIELDS = '(?: [A-Za-z]+: ?[^,\\n]{0,40},?){0,3}';

export const CODE_SHAPES: CodeShape[] = [
  // ib_insync / ib_async: "Error 326, reqId -1: Unable to connect …", "Warning 2104, reqId -1: …"
  { name: 'ib_insync', source: `\\b(?:Error|Warning) ${CODE}, reqId ${REQ}(:[ \\t]*|)`, strength: 'self', message: 'after' },
  // ib_insync RequestError / ib_async: "API error: 200: …", "[reqId 5] API error: 200: …"
  // Self-evident after `RequestError: ` or ib_async's `[reqId 5] `: REST clients of any service
  // print "API error: 401: Bad credentials", so elsewhere an HTTP status's number is read by the
  // API the text is about, as in prose (no Client Portal tool prints this shape for its statuses).
  {
    name: 'api-error',
    source: `(?:\\[reqId ${REQ}\\] )?\\bAPI error: ${CODE}${NOT_HTTP}(:[ \\t]*)`,
    strength: 'context',
    message: 'after',
    selfAfter: `(?:RequestError: |\\[reqId ${REQ}\\] )API error: `,
    httpStatus: true,
  },
  // official ibapi (Python): "ERROR -1 504 Not connected"; 10.33+ puts an epoch-millisecond time
  // before the code. Also after the logging prefix "ERROR:ibapi.wrapper:". Self-evident with the
  // request id -1 (TWS's notices, the client's own errors), the time or ibapi's logger name: a log
  // format with the process id prints "ERROR 4711 201 rows failed to import".
  {
    name: 'ibapi',
    source: `\\bERROR ${REQ} (?:\\d{10,13} )?${CODE}\\b(?! ?[-/:.]\\d)${NOT_HTTP}([ \\t]+|)`,
    strength: 'context',
    message: 'after',
    selfAfter: `(?:\\bERROR -1 (?:\\d{10,13} )?|\\bibapi\\.wrapper[: ][^\\n]{0,12}ERROR ${REQ} (?:\\d{10,13} )?|\\bERROR ${REQ} \\d{10,13} )`,
  },
  // ibapi logAnswer: "ANSWER error {'reqId': 22, 'errorCode': 162, 'errorString': '…'}"
  { name: 'ibapi-answer', source: `\\bANSWER error \\{'reqId': ${REQ}, 'errorCode': ${CODE}(, 'errorString': ['"]|)`, strength: 'self', message: 'after' },
  // Java / C# / C++ / Python testbeds: "Error. Id: -1, Code: 504, Msg: Not connected",
  // "Error. Id: 22 Code: 162 Msg: …", optionally with more fields between; wrappers' copies of
  // them: "Error. id: -1, Code: 2104, Msg: …", "Error - ReqId: 1, Code: 200, Message: …".
  {
    name: 'testbed',
    source: `\\bError(?:\\.| -)? (?:[Rr]eq)?[Ii]d: ?${REQ},?${TESTBED_FIELDS} Code: ?${CODE}\\b${NOT_HTTP}(,? (?:Msg|Message): ?|)`,
    strength: 'context',
    message: 'after',
    // `Error.` or a request id: REST clients print "Error - Id: 5, Code: 404, Message: …" too.
    selfAfter: `\\bError(?:\\. (?:[Rr]eq)?[Ii]d|(?:\\.| -)? [Rr]eq[Ii]d): ?${REQ},?${TESTBED_FIELDS} Code: ?`,
  },
  // C# IBSampleApp: "Error. Request: 5, Code: 200 - No security definition …"
  { name: 'csharp-sample', source: `\\bError\\. Request: ${REQ}, Code: ${CODE}\\b${NOT_HTTP}( - |)`, strength: 'self', message: 'after' },
  // Java EWrapperMsgGenerator and IBC / IB Gateway logs: "-1 | 2103 | Market data farm …"
  { name: 'pipe', source: `\\| ${CODE} \\|( )(?=[A-Za-z])`, strength: 'message', message: 'after', lead: /(?:^|[\s:(\[])(-?\d{1,10}) $/ },
  // protocol-level log: "Error code=1100;Error msg=Connectivity …"; without its message field,
  // "Error code=401" is any program's (the prose shape's)
  { name: 'wire', source: `\\bError code=${CODE}(;Error msg=)`, strength: 'self', message: 'after' },
  // backtrader's store notification "<error id=-1, errorCode=2104, errorMsg=…>"
  { name: 'backtrader', source: `\\berror id=${REQ}, errorCode=${CODE}\\b${NOT_HTTP}(, errorMsg=|)`, strength: 'self', message: 'after' },
  // backtrader "errorCode=502, errorMsg=…"; ib_insync reprs "TradeLogEntry(…, errorCode=321)", the
  // one place it is self-evident: Java's toString prints "ApiException(errorCode=401, errorMsg=…)"
  // and addresses carry "?errorCode=321".
  {
    name: 'errorCode=',
    source: `\\berrorCode=${CODE}\\b${NOT_HTTP}(, errorMsg=|)`,
    strength: 'context',
    message: 'after',
    selfAfter: `\\bTradeLogEntry\\([^\\n]{0,200}errorCode=`,
  },
  // Nautilus Trader: "Couldn't connect to TWS. … (code: 502, req_id=-1)"
  { name: 'nautilus', source: `\\(code: ${CODE}, req_id=${REQ}\\)()`, strength: 'self', message: 'before' },
  // QuantConnect LEAN: "HandleError(): RequestId: -1 ErrorCode: 1100 - Connectivity …"; older
  // "HandleError(): Order: 67 ErrorCode: 162 - …" and "Brokerage.OnMessage(): Warning - Code: 162 - …".
  // Self-evident after LEAN's method or request id; any software logs "ErrorCode: 1100 - disk full".
  {
    name: 'lean',
    source: `\\b(?:ErrorCode:|Warning - Code:) ${CODE}${NOT_HTTP}( - )`,
    strength: 'context',
    message: 'after',
    selfAfter: `(?:HandleError\\(\\): [^\\n]{0,40}|RequestId: ${REQ} |OnMessage\\(\\): )(?:ErrorCode:|Warning - Code:) `,
  },
  // rust-ibapi: "error_code: 2107, error_message: HMDS data farm …"
  // Self-evident after its request id: services log "error_code: 502, error_message: upstream timeout".
  {
    name: 'rust-ibapi',
    source: `\\berror_code: ${CODE}(, error_message: ?)`,
    strength: 'context',
    message: 'after',
    selfAfter: `\\brequest_id: ${REQ}, error_code: `,
  },
  // stoqey/ib: "Duplicate ticker id (Error #322)", after an official message (a short one too);
  // sites and games print "Something went wrong (Error #404)"
  { name: 'stoqey', source: `\\(Error #${CODE}\\)()`, strength: 'context', message: 'before' },
  // scmhub/ibapi JSON: {"reqID":-1,"errCode":503,"errString":"…"}
  { name: 'json-reqid', source: `"reqID": ?${REQ}, ?"errCode": ?${CODE}(, ?"errString": ?"|)`, strength: 'self', message: 'after' },
  { name: 'json', source: `"errCode": ?${CODE}\\b${NOT_HTTP}(, ?"errString": ?"|)`, strength: 'message', message: 'after' },
  // ezibpy: "[ERROR] ezibpy: [#2107] HMDS data farm connection is inactive …"; qtpylib:
  // "[WARNING] qtpylib.blotter: [IB #321] …". After the logger's name, IBKR context is enough;
  // elsewhere its message must follow, as changelogs cite issues the same way ("Fixed reconnect
  // bug [#321]"). Never a Markdown link or link reference ("[#131](…)", "[the issue][#131]",
  // "[#131]: …").
  {
    name: 'ezibpy',
    source: `(?<!\\])\\[(?:IB )?#${CODE}\\](?![(:])( |)`,
    strength: 'slot',
    message: 'after',
    loggerBefore: /\b(?:ezibpy|qtpylib[\w.]{0,30}): $/,
  },
  // Prose and loose logs: "Error 326", "error code 504", "Error: 321", "errorCode: 321",
  // "error_code=321", "'errorCode': 162": never an HTTP status ("HTTP Error 502: …", "http error
  // 504 from /iserver/accounts"), never a price ("Error 504.5") or a percentage ("this error 100%
  // of the time"), never the process id of a Spring Boot log line ("ERROR 2104 --- [main] …"),
  // never redis-py's refusal ("Error 111 connecting to localhost:6379. Connection refused.": the
  // operating system's error number) unless it names a socket-API port, never a socket error
  // number with the system's text ("error 104 Connection reset by peer"), never VBA's run-time
  // error ("Run-time error '429': ActiveX component can't create object", as the TWS Excel and
  // ActiveX samples meet it).
  {
    name: 'prose',
    source:
      `(?<!${anyCase('http')}[ -]|${anyCase('run')}-?${anyCase('time')} )\\b(?:${anyCase('error')}(?:[ _]?${anyCase('code')})?|errCode)['"]?(?: ?[:=#] ?| )['"]?(\\d{3,5})\\b` +
      `(?!\\.\\d|,\\d{3}| ?%| --- \\[| connecting to [^\\s:]{1,253}:(?!${IBKR_PORT}\\.)\\d{1,5}\\.)${NOT_HTTP}${NOT_ERRNO}()`,
    strength: 'context',
    message: 'after',
    httpStatus: true,
  },
  // Codes listed after a plural: "Errors 2104 and 2106 are harmless", "error codes 2104, 2106 and
  // 2158". Each code is its own mention, the marker on the code alone; a list has two codes at
  // least (`scanCodeShapes` finds the codes after the first). Anchored on the word "error" as the
  // prose shape is: a shape that starts with a digit slows the combined scan.
  {
    name: 'prose-list',
    source: `${ERROR_WORD}(?<=\\b${ERROR_WORD})(?:s| ${anyCase('code')}s) (\\d{3,5})\\b(?=${LIST_SEP}\\d{3,5}\\b)${NOT_NUMBER_TAIL}${NOT_HTTP}${NOT_ERRNO}()`,
    strength: 'context',
    message: 'after',
    httpStatus: true,
    span: 'code',
  },
  // The code before the word: "the 2105 error", "2106 error message", "this 1101 error code"; the
  // match starts at the word, the code is looked for behind it. Never after a dot, sign, currency
  // or "HTTP" ("3.10 error", "#1100 error", "$500 error", "HTTP 502 error"), never a count ("100
  // errors", "500 error messages"), never a site's page ("404 error page"), never an exception's
  // print ("args 123 Error: Boom"), never a bare code before its message that starts with the
  // word ("-1 321 Error validating request…", "145 Error in validating entry fields").
  {
    name: 'prose-code-first',
    source: `${ERROR_WORD}(?<=\\b(\\d{3,5}) ${ERROR_WORD})(?<![.,:;/\\-#$€£+]\\d{3,5} ${ERROR_WORD}|${anyCase('http')}[ -]\\d{3,5} ${ERROR_WORD})(?:[ _]${anyCase('code')}|[ _]${anyCase('message')}|(?!:))(?![\\w-]| (?:${COUNTED_NOUNS})\\b| (?:in|[a-z]+ing)\\b)()`,
    strength: 'context',
    message: 'after',
    httpStatus: true,
    span: 'from-code',
  },
  // A notice named in prose: "warning 2104", "Warning code: 2106" (a notice's code only).
  {
    name: 'prose-warning',
    source: `\\b${anyCase('warning')}(?:[ _]?${anyCase('code')})?(?: ?[:#] ?| )(\\d{3,5})\\b${NOT_NUMBER_TAIL}()`,
    strength: 'context',
    message: 'after',
    notice: true,
  },
  // Notices listed after the plural: "warnings 2104/2106", "Warnings 2104, 2106 and 2158" (each
  // code a notice's, the marker on the code alone; a list has two codes at least, as after "errors").
  {
    name: 'prose-warning-list',
    source: `\\b${anyCase('warning')}(?:s| ${anyCase('code')}s) (\\d{3,5})\\b(?=${LIST_SEP}\\d{3,5}\\b)${NOT_NUMBER_TAIL}()`,
    strength: 'context',
    message: 'after',
    notice: true,
    span: 'code',
  },
];

/**
 * Shapes recognised only right before a message the stem scan found (`leadBefore`), each ending
 * where the message starts. Bare numbers are everywhere: scanning every text for them would slow
 * the combined scan of every page (docs/matching.md), while looking back from a message found
 * costs next to nothing.
 */
export const MESSAGE_LEADS: CodeShape[] = [
  // MATLAB (IB4m), R (IBrokers) and other wrappers print the bare fields: "-1 502 Couldn't
  // connect to TWS. …", "12 103 Duplicate order id", "TWS Message: 2 -1 2104 Market data farm …".
  { name: 'bare', source: `(?<![\\w.,:;/\\-])(?:TWS Message: \\d{1,3} )?${REQ} (\\d{3,5})( )`, strength: 'own-message', message: 'after' },
  // A code alone before its message: LEAN's "354 - Requested market data is not subscribed.",
  // a Go wrapper's "10274 The 'PostToATS' order attribute …", pysystemtrade's "Reqid 5: 110 The price …".
  { name: 'code-message', source: `(?<![\\w.,:;/\\-])(\\d{3,5})( - | )`, strength: 'own-message', message: 'after' },
  // A code and its message in quotes: `Warning 2104: "Market data farm connection is OK:usfarm"`.
  { name: 'warning', source: `\\b[Ww]arning (\\d{3,5})(:? ?["“']?|:? - )`, strength: 'context', message: 'after' },
  // rust-ibapi's notice: `Notice { code: 2104, message: "Market data farm connection is OK:usfarm" }`
  { name: 'rust-notice', source: `\\bNotice \\{ ?code: ${CODE}(, message: ")`, strength: 'self', message: 'after' },
  // atreyu-backtrader-api: "Calling error(-1, 2104, 'Market data farm connection is OK:hfarm')"
  { name: 'atreyu', source: `\\bCalling error\\(${REQ}, ${CODE}(, ['"])`, strength: 'self', message: 'after' },
  // The ibapi answer's dict printed by a wrapper: "{'reqId': 16780436, 'errorCode': 321, 'errorString': \"…\"}"
  // (a lead, not a code shape: a shape that may start with a quote slows the combined scan).
  { name: 'ibapi-dict', source: `'reqId': ${REQ}, 'errorCode': ${CODE}(, 'errorString': ['"])`, strength: 'self', message: 'after' },
  // rust-ibapi's error: `Message(200, "No security definition has been found for the request")`
  { name: 'rust-message', source: `\\bMessage\\(${CODE}(, ")`, strength: 'self', message: 'after' },
  // swigibpy's exception: "TWSError: 162: 'Historical Market Data Service error message:…'"
  { name: 'swigibpy', source: `\\bTWSError: (\\d{3,5})(: ['"]?)`, strength: 'self', message: 'after' },
  // IBC and IB Gateway's event report: "EventReport - [IB API] 2103: Market data farm connection is broken:usfarm"
  { name: 'ibc-event', source: `\\[IB API\\] (\\d{3,5})(: )`, strength: 'self', message: 'after' },
  // vn.py's IB gateway log: "信息通知，代码：2108，内容: Market data farm connection is inactive …"
  // ("notice, code: …, text: …"; vnpy/vnpy#3084).
  { name: 'vnpy', source: `代码[：:] ?(\\d{3,5})(，内容[：:] ?)`, strength: 'self', message: 'after' },
];

/** One regex over all leads, ending where the message starts. */
const LEADS = new RegExp(`(?:${MESSAGE_LEADS.map((s) => `(?:${s.source})`).join('|')})$`);
/** How far before a message a lead may start (the ibapi dict's fields take 55 characters). */
export const LEAD_WINDOW = 64;
/** Characters of a lead's separator (` `, `:`, `,`, `-`, `"`, `'`, `“`, the full-width `：`). */
const LEAD_SEPARATOR = new Set([32, 58, 44, 45, 34, 39, 0x201c, 0xff1a]);

/** Whether a lead may end at `at`: one to three separator characters after a digit, `message: "`, `'errorString': "` or vn.py's `内容: `. */
function leadPossible(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= at - 3 && i >= 0 && LEAD_SEPARATOR.has(text.charCodeAt(i))) i--;
  if (i === at - 1) return false;
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || c === 0x5bb9 || text.startsWith('message: "', at - 10) || text.startsWith("'errorString': ", at - 16);
}

/**
 * The lead shape that ends right at `messageAt`, if any: tells `found` of it as `scanCodeShapes`
 * does of a code shape.
 */
export function leadBefore(text: string, messageAt: number, found: CodeFound): void {
  const from = Math.max(0, messageAt - LEAD_WINDOW);
  // Most messages have nothing of the kind before them: the characters before tell.
  if (!leadPossible(text, messageAt)) return;
  const m = LEADS.exec(text.slice(from, messageAt));
  if (m === null) return;
  let i = 0;
  while (m[2 * i + 1] === undefined) i++;
  const sep = m[2 * i + 2] ?? '';
  found(from + m.index, messageAt - sep.length, messageAt, Number(m[2 * i + 1]), MESSAGE_LEADS[i]);
}

/** A shape with `selfAfter`, its self-evident form, and the test of the text before a code. */
interface SelfForm {
  base: CodeShape;
  form: CodeShape;
  before: RegExp;
}

/**
 * The self-evident form of each shape with `selfAfter`: its source with that text required right
 * before the code (a lookbehind: the regexes copied from `SELF_EVIDENT`'s source find it), and
 * what the text before a code is tested with after a match (`selfEvidentForm`, `SELF_EVIDENT`'s own
 * scan, which leaves the lookbehind out).
 */
const SELF_FORMS = new Map<CodeShape, SelfForm>(
  CODE_SHAPES.filter((s) => s.selfAfter !== undefined).map((s) => {
    const source = s.source.replace(CODE, () => `(?<=${s.selfAfter})${CODE}`);
    // An IBKR client's own line: its code is the socket API's, never an HTTP status.
    return [s, { base: s, form: { ...s, source, strength: 'self', selfAfter: undefined, httpStatus: undefined }, before: new RegExp(`(?<=${s.selfAfter})`, 'y') }];
  }),
);
/**
 * Whether the text before the code that ends at `codeEnd` is what `before` (a sticky lookbehind)
 * looks for: tried at the code's start alone, reading back only as far as the lead goes.
 */
function showsBefore(before: RegExp, text: string, codeEnd: number): boolean {
  let at = codeEnd;
  while (at > 0 && text.charCodeAt(at - 1) >= 48 && text.charCodeAt(at - 1) <= 57) at--;
  if (text[at - 1] === '-') at--;
  before.lastIndex = at;
  return before.test(text);
}

/**
 * `warning N` and the notices listed after `warnings` are scanned by a regex of their own and
 * merged in (`scanCodeShapes`): in the combined regex, beside the pipe shape, `warning N` took away
 * V8's skipping to the places where a shape may start (docs/performance.md, "The matcher"). The
 * shapes from it on are scanned apart: they lose a tie to every shape before them, as they would
 * in one regex.
 */
const APART = CODE_SHAPES.findIndex((s) => s.name === 'prose-warning');
const TOGETHER_SHAPES = CODE_SHAPES.slice(0, APART);
const APART_SHAPES = CODE_SHAPES.slice(APART);
const combinedSource = (shapes: readonly CodeShape[], source = (s: CodeShape) => s.source) => shapes.map((s) => `(?:${source(s)})`).join('|');

/**
 * What must not follow a code (an HTTP reason phrase after a 4xx or 5xx, the system's text after a
 * socket error number) is left out of the regexes the shapes are scanned with: those lookaheads
 * were most of the combined regex's source, which V8 compiles on a page's first scan
 * (docs/performance.md, "The matcher").
 */
const AFTER_CODE: readonly { lookahead: string; refusing: RegExp }[] = [
  { lookahead: `(?!${HTTP_REASON_AFTER})`, refusing: new RegExp(HTTP_REASON_AFTER, 'y') },
  { lookahead: NOT_ERRNO, refusing: new RegExp(ERRNO_TEXT_AFTER, 'y') },
];
const withoutAfterCode = (s: CodeShape) => AFTER_CODE.reduce((source, { lookahead }) => source.split(lookahead).join(''), s.source);

/** The index in `shapes` of the shape a match of their combined regex is of. */
function shapeIndex(m: RegExpExecArray): number {
  let i = 0;
  while (m[2 * i + 1] === undefined) i++;
  return i;
}

/**
 * One regex over some shapes (group 2i+1 is shape i's code, 2i+2 its separator), run without the
 * `AFTER_CODE` lookaheads: a match they would refuse is tried again with the whole regex at its
 * place (compiled only then). So what it finds is what the whole regex finds.
 */
class ShapeRegex {
  readonly wholeSource: string;
  private readonly scan: RegExp;
  private readonly sticky: RegExp;
  private whole: RegExp | undefined = undefined;
  /** Per shape, the texts after its code that its lookaheads refuse. */
  private readonly refusing: readonly (readonly RegExp[])[];
  /** Per shape, what the text before its code must show (a self form's `selfAfter`), checked after a match too. */
  private readonly before: readonly (RegExp | undefined)[];

  /** `selfForms[i]`: shape i is the self form of a shape with `selfAfter`, scanned without its lookbehind. */
  constructor(readonly shapes: readonly CodeShape[], selfForms: readonly (SelfForm | undefined)[] = []) {
    this.wholeSource = combinedSource(shapes);
    this.scan = new RegExp(combinedSource(shapes, (s) => withoutAfterCode(selfForms[shapes.indexOf(s)]?.base ?? s)), 'g');
    this.sticky = new RegExp(this.scan.source, 'y');
    this.refusing = shapes.map((s) => AFTER_CODE.filter((a) => s.source.includes(a.lookahead)).map((a) => a.refusing));
    this.before = shapes.map((_, i) => selfForms[i]?.before);
  }

  /** The first match from `from` on. */
  next(text: string, from: number): RegExpExecArray | null {
    const scan = this.scan;
    scan.lastIndex = from;
    for (let m = scan.exec(text); m !== null; m = scan.exec(text)) {
      if (!this.refused(text, m)) return m;
      const whole = this.wholeAt(text, m.index);
      if (whole !== null) return whole;
      scan.lastIndex = m.index + 1;
    }
    return null;
  }

  /** The match that starts at `at`, or null. */
  matchAt(text: string, at: number): RegExpExecArray | null {
    this.sticky.lastIndex = at;
    const m = this.sticky.exec(text);
    return m !== null && this.refused(text, m) ? this.wholeAt(text, at) : m;
  }

  /** Whether the lookaheads of the match's shape refuse what follows its code. */
  private refused(text: string, m: RegExpExecArray): boolean {
    const i = shapeIndex(m);
    const refusing = this.refusing[i];
    const before = this.before[i];
    if (refusing.length === 0 && before === undefined) return false;
    const codeEnd = m.index + m[0].length - (m[2 * i + 2] ?? '').length;
    if (before !== undefined && !showsBefore(before, text, codeEnd)) return true;
    for (const re of refusing) {
      re.lastIndex = codeEnd;
      if (re.test(text)) return true;
    }
    return false;
  }

  private wholeAt(text: string, at: number): RegExpExecArray | null {
    this.whole ??= new RegExp(this.wholeSource, 'y');
    this.whole.lastIndex = at;
    return this.whole.exec(text);
  }
}

const TOGETHER = new ShapeRegex(TOGETHER_SHAPES);
const APART_SCAN = new ShapeRegex(APART_SHAPES);

/**
 * A regex of some shapes' whole source (as copies made from its source are: lib/context-signs.ts)
 * whose `exec`, and so `test`, runs their `ShapeRegex`: it finds the same, and V8 compiles far
 * less for it the first time.
 */
class CheckedShapeRegex extends RegExp {
  private readonly checked: ShapeRegex;

  /** Each a shape, or the self form of a shape with `selfAfter`. */
  constructor(shapes: readonly (CodeShape | SelfForm)[]) {
    const checked = new ShapeRegex(
      shapes.map((s) => ('form' in s ? s.form : s)),
      shapes.map((s) => ('form' in s ? s : undefined)),
    );
    super(checked.wholeSource);
    this.checked = checked;
  }

  override exec(text: string): RegExpExecArray | null {
    return this.checked.next(text, 0);
  }
}

/**
 * The shape a code found by `scanCodeShapes` counts as: the self-evident form of a shape with
 * `selfAfter` where the text before the code (`codeEnd`) shows it, else the shape itself.
 */
export function selfEvidentForm(shape: CodeShape, text: string, codeEnd: number): CodeShape {
  if (shape.selfAfter === undefined) return shape;
  const self = SELF_FORMS.get(shape)!;
  return showsBefore(self.before, text, codeEnd) ? self.form : shape;
}

/** The self-evident shapes alone: a sign of IBKR context whatever the code (`IBKR_CONTEXT_SIGNS` in lib/matcher.ts). */
export const SELF_EVIDENT: RegExp = new CheckedShapeRegex(CODE_SHAPES.filter((s) => s.strength === 'self' || s.selfAfter !== undefined).map((s) => SELF_FORMS.get(s) ?? s));

/** The next code of a list after a plural ("…, 2106 and 2158"), tried right where the last one ended. */
const LIST_NEXT = new RegExp(`${LIST_SEP}(\\d{3,5})\\b${NOT_NUMBER_TAIL}${NOT_HTTP}${NOT_ERRNO}`, 'y');

/** How far around a code `codeShapeAt` looks for a shape that holds it (a list's plural, the word after). */
const AROUND = 100;

/** The code shape that `scanCodeShapes` finds starting at `at`, or null. */
export function codeShapeAt(text: string, at: number): CodeShape | null {
  const m = TOGETHER.matchAt(text, at);
  if (m !== null) {
    const shape = TOGETHER_SHAPES[shapeIndex(m)];
    if (shape.span === undefined) return shape;
  } else {
    const apart = APART_SCAN.matchAt(text, at);
    if (apart !== null) return APART_SHAPES[shapeIndex(apart)];
  }
  // A code of a list, or before the word "error", starts inside its match: look around it on its line.
  const from = Math.max(text.lastIndexOf('\n', at - 1) + 1, at - AROUND);
  const nl = text.indexOf('\n', at);
  let shape: CodeShape | null = null;
  scanCodeShapes(text.slice(from, Math.min(nl < 0 ? text.length : nl, at + AROUND)), (start, _end, _messageAt, _code, found) => {
    if (shape === null && start === at - from) shape = found;
  });
  return shape;
}

/**
 * Told of a code-shape occurrence: `start`..`end` is the code part (the separator before the
 * message is not included), the message starts at `messageAt`.
 */
export type CodeFound = (start: number, end: number, messageAt: number, code: number, shape: CodeShape) => void;

/**
 * Every code-shape occurrence in `text`, in order, as one regex over all shapes would find them:
 * the combined scan and the scan apart are merged (the earlier match first, the combined one on a
 * tie), and a scan whose next match starts inside what was just told of goes on after it. A
 * callback, not a list of hit objects: pages and logs hold thousands of them, and the matcher
 * keeps only what it needs.
 */
export function scanCodeShapes(text: string, found: CodeFound): void {
  let m = TOGETHER.next(text, 0);
  let apart = APART_SCAN.next(text, 0);
  while (m !== null || apart !== null) {
    const next = apart === null || (m !== null && m.index <= apart.index) ? tell(text, m!, TOGETHER_SHAPES, found) : tell(text, apart, APART_SHAPES, found);
    if (m !== null && m.index < next) m = TOGETHER.next(text, next);
    if (apart !== null && apart.index < next) apart = APART_SCAN.next(text, next);
  }
}

/** Tells `found` of the code (or the codes of a list) of a match of `shapes`' combined regex; returns where the scan goes on. */
function tell(text: string, m: RegExpExecArray, shapes: readonly CodeShape[], found: CodeFound): number {
  const i = shapeIndex(m);
  const shape = shapes[i];
  const code = m[2 * i + 1];
  const sep = m[2 * i + 2] ?? '';
  const matchEnd = m.index + m[0].length;
  let start = m.index;
  if (shape.lead) {
    const before = text.slice(Math.max(0, start - 12), start);
    const lead = shape.lead.exec(before);
    if (lead) start -= lead[1].length + 1;
  }
  let end = matchEnd - sep.length;
  if (shape.span === 'from-code') start -= code.length + 1;
  else if (shape.span === 'code') {
    start = end - code.length;
    found(start, end, matchEnd, Number(code), shape);
    return listAfter(text, end, shape, found);
  }
  // A code in quotes ("errorCode='10147'"): the closing quote goes with it.
  const quote = text[end - code.length - 1];
  if (sep === '' && (quote === "'" || quote === '"') && text[end] === quote) end++;
  found(start, end, matchEnd, Number(code), shape);
  return matchEnd;
}

/** The codes of a list after its first (ending at `at`), each told of as its own; returns where the list ends. */
function listAfter(text: string, at: number, shape: CodeShape, found: CodeFound): number {
  LIST_NEXT.lastIndex = at;
  let m: RegExpExecArray | null;
  while ((m = LIST_NEXT.exec(text)) !== null) {
    const end = m.index + m[0].length;
    found(end - m[1].length, end, end, Number(m[1]), shape);
    at = end;
  }
  return at;
}
