// @vitest-environment happy-dom
/**
 * Client Portal context on a page: from the page (the gateway's own address, an IBeam or ibind
 * thread), from the post a text is in, never from IBKR (TWS) context alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR } from '../../lib/annotate';
import { createMatcher, type MatchOptions } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const happyDOM = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;

function annotate(html: string) {
  document.body.innerHTML = html; // test fixture, our own markup
  const annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined });
  annotator.enqueue(document.body);
  annotator.flush();
  return annotator;
}

/** [marked text, entry id] of each marker (a marker holds no text: its accessible name is the marked text). */
const markers = () => [...document.querySelectorAll(`[${MARKER_ATTR}]`)].map((m) => [m.getAttribute('aria-label'), m.getAttribute(MARKER_ATTR)]);

beforeEach(() => {
  document.title = '';
  happyDOM.setURL('https://example.com/');
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('Client Portal context on a page', () => {
  it("explains the gateway's own JSON answers by their address alone", () => {
    happyDOM.setURL('https://localhost:5000/v1/api/iserver/accounts');
    annotate('<pre>{"error":"Bad Request: no bridge","statusCode":400}</pre>');
    expect(markers()).toEqual([['"error":"Bad Request: no bridge"', 'cpapi-no-bridge']]);
  });

  it('leaves a bare no-bridge body alone on another local server', () => {
    happyDOM.setURL('http://localhost:8080/api/accounts');
    annotate('<pre>{"error":"no bridge"}</pre><p>Access Denied</p>');
    expect(markers()).toEqual([]);
  });

  it("marks the gateway's whole no-bridge body in a socket-API log: that official text is Client Portal context itself", () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/1');
    annotate(
      '<div class="comment-body"><p>My ib_insync script logs this, then the REST call fails:</p>' +
        '<pre>Warning 2104, reqId -1: Market data farm connection is OK:usfarm\nGET accounts -> {"error":"Bad Request: no bridge","statusCode":400}</pre>' +
        '<p>and the page also says Access Denied</p></div>' +
        '<div class="comment-body"><p>Our nginx says Access Denied too.</p></div>',
    );
    expect(markers()).toEqual([
      ['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'ibkr-2104'],
      ['"error":"Bad Request: no bridge"', 'cpapi-no-bridge'],
      ['Access Denied', 'cpapi-access-denied'],
    ]);
  });

  it('leaves the same page alone with a bare no-bridge body (a bridge of another product)', () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/1');
    annotate('<pre>Warning 2104, reqId -1: Market data farm connection is OK:usfarm\nhue: {"error":"no bridge"}</pre>');
    expect(markers()).toEqual([['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'ibkr-2104']]);
  });

  it('takes Client Portal context from the post: an IBeam thread with a JSON body and Access Denied', () => {
    annotate(
      '<div class="comment-body"><p>Running IBeam in docker, the gateway answers:</p>' +
        "<pre><code>{'error': 'Init session first', 'statusCode': 400}</code></pre><p>and from the host: Access Denied</p></div>" +
        '<div class="comment-body"><p>Our nginx says Access Denied too.</p></div>',
    );
    expect(markers()).toEqual([
      ['Init session first', 'cpapi-init-session-first'],
      ['Access Denied', 'cpapi-access-denied'],
    ]);
  });

  it('does not take IBKR (TWS) context for Client Portal context', () => {
    annotate('<p>TWS says Access Denied</p><p>ib_insync: not authenticated</p>');
    expect(markers()).toEqual([]);
  });

  it('takes it from the page title of an ibind thread', () => {
    document.title = 'HTTP 400 - Bad Request: no bridge · Issue #44 · Voyz/ibind';
    annotate('<p>Every call answers 401 Unauthorized since this morning.</p>');
    expect(markers()).toEqual([['401 Unauthorized', 'cpapi-http-401']]);
  });
});

describe("a prose code with an HTTP status's number on a Client Portal page is that HTTP answer", () => {
  it('an IBeam issue: the comment names IBKR and an endpoint', () => {
    happyDOM.setURL('https://github.com/Voyz/ibeam/issues/123');
    document.title = 'Error 401 after authentication · Issue #123 · Voyz/ibeam';
    annotate(
      '<div class="comment-body"><p>After authentication I get error 401 when calling /v1/api/iserver/accounts with IBKR.</p></div>' +
        '<div class="comment-body"><p>Same here: error 401 since the update.</p></div>' +
        '<div class="comment-body"><p>Calling https://localhost:5000/v1/api/portfolio/accounts returns error 404, IBKR says nothing.</p></div>',
    );
    expect(markers()).toEqual([
      ['error 401', 'cpapi-http-401'],
      ['error 401', 'cpapi-http-401'],
    ]);
  });

  it('a Reddit post in r/interactivebrokers about the Client Portal API', () => {
    happyDOM.setURL('https://www.reddit.com/r/interactivebrokers/comments/1abcde/client_portal_api_503_every_morning/');
    document.title = 'Client Portal API 503 every morning : r/interactivebrokers';
    annotate('<div class="comment-body"><p>The Client Portal API gives error 503 every morning at the reset.</p></div>');
    expect(markers()).toEqual([['error 503', 'cpapi-http-503']]);
  });

  it('a socket-API page keeps the socket-API codes, next to a Client Portal post', () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/1');
    document.title = 'Connection fails · Issue #1 · erdewit/ib_insync';
    annotate(
      '<div class="comment-body"><p>ib_insync with TWS gives error 502 at connect.</p></div>' +
        '<div class="comment-body"><p>I get error 404 when I short.</p></div>' +
        '<div class="comment-body"><p>On the Client Portal API it is /v1/api/iserver/accounts that says error 401 instead.</p></div>',
    );
    expect(markers()).toEqual([
      ['error 502', 'ibkr-502'],
      ['error 404', 'ibkr-404'],
      ['error 401', 'cpapi-http-401'],
    ]);
  });

  it('a short paragraph is read by its own signs, not by those of the paragraphs matched with it', () => {
    happyDOM.setURL('https://example.com/forum/topic/1');
    annotate('<p>IBKR: GET /v1/api/iserver/accounts gives error 401 again.</p><p>TWS is fine.</p><p>IBKR Client Portal: error 404 on /v1/api/portfolio/accounts</p>');
    expect(markers()).toEqual([['error 401', 'cpapi-http-401']]);
  });
});

describe('a Client Portal Gateway that cannot be reached, on a page', () => {
  const traceback =
    'Traceback (most recent call last):\n  File "bot.py", line 12, in <module>\n    r = requests.get(f"{BASE}/iserver/auth/status", verify=False)\n' +
    "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='localhost', port=5000): Max retries exceeded with url: /v1/api/iserver/auth/status (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f3a2c1d0e50>: Failed to establish a new connection: [Errno 111] Connection refused'))";
  const urllib3Message = traceback.slice(traceback.indexOf('HTTPSConnectionPool'));
  /** As a page shows it: `<module>` and urllib3's `<…object at 0x…>` are text, escaped. */
  const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  it('an IBeam issue: each client\'s refusal is the gateway\'s, and "Not connected" is not TWS\'s 504', () => {
    happyDOM.setURL('https://github.com/Voyz/ibeam/issues/300');
    document.title = 'Connection refused after the container starts · Issue #300 · Voyz/ibeam';
    annotate(
      `<div class="comment-body"><pre><code>${escaped(traceback)}</code></pre>` +
        '<p>From Node: <code>Error: connect ECONNREFUSED 127.0.0.1:5000</code></p>' +
        '<pre>ConnectionRefusedError: [Errno 111] Connection refused</pre>' +
        '<p>The container log only says Not connected.</p><p>ibind says Not connected too.</p></div>',
    );
    expect(markers()).toEqual([
      [urllib3Message, 'cpapi-gateway-unreachable'],
      ['connect ECONNREFUSED 127.0.0.1:5000', 'cpapi-gateway-unreachable'],
      ['ConnectionRefusedError: [Errno 111] Connection refused', 'cpapi-gateway-unreachable'],
    ]);
  });

  it("an IBeam issue: another service's refusal beside the gateway's gets neither card", () => {
    happyDOM.setURL('https://github.com/Voyz/ibeam/issues/301');
    document.title = 'Bot cannot start · Issue #301 · Voyz/ibeam';
    annotate(
      '<div class="comment-body"><p>The gateway answers, but my bot dies at start:</p>' +
        '<pre>  File "/usr/lib/python3/site-packages/redis/connection.py", line 616, in _connect\n    sock.connect(socket_address)\n' +
        'ConnectionRefusedError: [Errno 111] Connection refused\n\nredis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.</pre>' +
        '<p>From the Node worker: <code>Error: connect ECONNREFUSED 127.0.0.1:5432</code></p>' +
        '<pre>ConnectionRefusedError: [Errno 111] Connection refused</pre></div>',
    );
    expect(markers()).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'cpapi-gateway-unreachable']]);
  });

  it('a page whose title says IBKR and IBeam: the refusal is no longer the socket API\'s', () => {
    happyDOM.setURL('https://www.reddit.com/r/interactivebrokers/comments/1abcdg/ibeam_refused/');
    document.title = 'IBKR: IBeam in Docker refuses every call : r/interactivebrokers';
    annotate('<div class="comment-body"><pre>urllib3.exceptions.NewConnectionError: Failed to establish a new connection: [Errno 111] Connection refused</pre></div>');
    expect(markers()).toEqual([['[Errno 111] Connection refused', 'cpapi-gateway-unreachable']]);
  });

  it('matches a refusal on a socket-API page once: without Client Portal context its batch read it as alone', () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/3');
    document.title = 'Cannot connect · Issue #3 · erdewit/ib_insync';
    const run = 'IBKR bot: connecting\nConnectionRefusedError: [Errno 111] Connection refused';
    const alone: string[] = [];
    const counting = { find: (text: string, options?: MatchOptions) => (options?.anyReading ? null : alone.push(text), matcher.find(text, options)) };
    document.body.innerHTML = `<div class="comment-body"><pre>${run}</pre></div>`; // test fixture, our own markup
    const annotator = createAnnotator({ doc: document, matcher: counting, schedule: () => undefined });
    annotator.enqueue(document.body);
    annotator.flush();
    expect(markers()).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused']]);
    expect(alone).toEqual([]);
    // With the page's Client Portal context it is matched again alone, and read as the gateway's.
    annotator.destroy();
    document.title = 'IBeam: Cannot connect · Issue #3';
    const second = annotate(`<div class="comment-body"><pre>${run}</pre></div>`);
    expect(markers()).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'cpapi-gateway-unreachable']]);
    // A socket-API sign on another line of the run, and Client Portal context from the page alone: the socket API's.
    second.destroy();
    annotate('<div class="comment-body"><pre>ib_insync.client: connecting\nConnectionRefusedError: [Errno 111] Connection refused</pre></div>');
    expect(markers()).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused']]);
  });

  it('a socket-API page keeps its refusals, and a page about something else marks none', () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/2');
    document.title = 'Cannot connect · Issue #2 · erdewit/ib_insync';
    annotate('<div class="comment-body"><pre>ConnectionRefusedError: [Errno 111] Connection refused</pre><p>It says Not connected.</p></div>');
    expect(markers()).toEqual([
      ['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused'],
      ['Not connected', 'ibkr-504'],
    ]);
    happyDOM.setURL('https://flask.palletsprojects.com/en/stable/quickstart/');
    document.title = 'Quickstart — Flask Documentation';
    annotate('<pre>curl: (7) Failed to connect to localhost port 5000 after 0 ms: Connection refused</pre><pre>Error: connect ECONNREFUSED 127.0.0.1:5000</pre>');
    expect(markers()).toEqual([]);
  });
});
