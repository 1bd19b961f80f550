/**
 * A Client Portal Gateway that cannot be reached: the refusal, in the words of each client
 * library, is `cpapi-gateway-unreachable` in a text about the Client Portal Web API, and stays
 * `connection-refused` in a text about the socket API (docs/matching.md, "Refusals and short
 * messages by API"). `Not connected`, the socket API's short message, is not marked in a text
 * about the Client Portal.
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createExplainer } from '../../lib/explain';
import { createMatcher, readsByApi, type MatchOptions } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const GATEWAY = 'cpapi-gateway-unreachable';

/** [marked text, entry id] of each match. */
const marks = (text: string, options: MatchOptions = {}) => matcher.find(text, options).map((m) => [text.slice(m.start, m.end), m.entryId]);
/** [marked text, entry id, variant] of each match. */
const cases = (text: string, options: MatchOptions = {}) =>
  matcher.find(text, options).map((m) => [text.slice(m.start, m.end), m.entryId, m.variant]);

// Real output of the clients with nothing listening on port 5000 (urllib3 2.7, curl 7.88, Node 20),
// and the forms older versions print (urllib3 1.x, curl before 7.82, aiohttp's ClientConnectorError).
const URLLIB3_2 =
  "HTTPSConnectionPool(host='localhost', port=5000): Max retries exceeded with url: /v1/api/iserver/auth/status (Caused by NewConnectionError(\"HTTPSConnection(host='localhost', port=5000): Failed to establish a new connection: [Errno 111] Connection refused\"))";
const URLLIB3_1 =
  "HTTPSConnectionPool(host='localhost', port=5000): Max retries exceeded with url: /v1/api/tickle (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f3a2c1d0e50>: Failed to establish a new connection: [Errno 111] Connection refused'))";
const URLLIB3_WINDOWS =
  "HTTPSConnectionPool(host='127.0.0.1', port=5000): Max retries exceeded with url: /v1/api/portfolio/accounts (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x000001E2C5B3A0D0>: Failed to establish a new connection: [WinError 10061] No connection could be made because the target machine actively refused it'))";
const CURL_NEW = 'Failed to connect to localhost port 5000 after 0 ms: Couldn\'t connect to server';
const CURL_OLD = 'Failed to connect to localhost port 5000: Connection refused';
const AIOHTTP = "Cannot connect to host localhost:5000 ssl:False [Connect call failed ('127.0.0.1', 5000)]";

describe('a refused connection in a Client Portal text', () => {
  it.each([
    [`requests.exceptions.ConnectionError: ${URLLIB3_2}`, URLLIB3_2],
    [`requests.exceptions.ConnectionError: ${URLLIB3_1}`, URLLIB3_1],
    [`requests.exceptions.ConnectionError: ${URLLIB3_WINDOWS}`, URLLIB3_WINDOWS],
    [`curl -k https://localhost:5000/v1/api/tickle\ncurl: (7) ${CURL_NEW}`, CURL_NEW],
    [`curl -k https://localhost:5000/v1/api/tickle\ncurl: (7) ${CURL_OLD}`, CURL_OLD],
    ['fetch("https://localhost:5000/v1/api/tickle")\nTypeError: fetch failed\n  [cause]: Error: connect ECONNREFUSED 127.0.0.1:5000', 'connect ECONNREFUSED 127.0.0.1:5000'],
    ['axios GET https://localhost:5000/v1/api/iserver/accounts: AxiosError: connect ECONNREFUSED ::1:5000', 'connect ECONNREFUSED ::1:5000'],
    [`GET https://localhost:5000/v1/api/tickle\naiohttp.client_exceptions.ClientConnectorError: ${AIOHTTP}`, AIOHTTP],
  ])('marks the error of each client, and nothing else: %s', (text, marked) => {
    expect(marks(text)).toEqual([[marked, GATEWAY]]);
  });

  it('marks a refusal that names the gateway port with the Client Portal context of the page or post', () => {
    for (const text of [`curl: (7) ${CURL_NEW}`, 'Error: connect ECONNREFUSED 127.0.0.1:5000', AIOHTTP, "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 5000)"]) {
      expect(marks(text, { cpapiContext: true }), text).toHaveLength(1);
      expect(marks(text, { cpapiContext: true })[0][1], text).toBe(GATEWAY);
    }
  });

  it("reads Python's bare socket error by the API the text is about", () => {
    expect(marks('IBeam: ConnectionRefusedError: [Errno 111] Connection refused')).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', GATEWAY]]);
    expect(marks('[WinError 10061] No connection could be made because the target machine actively refused it', { context: true, cpapiContext: true })).toEqual([
      ['[WinError 10061] No connection could be made because the target machine actively refused it', GATEWAY],
    ]);
    expect(marks('urllib.error.URLError: <urlopen error [Errno 111] Connection refused>', { cpapiContext: true })).toEqual([['[Errno 111] Connection refused', GATEWAY]]);
  });

  it('takes the port from the line: a refusal after the gateway address is the gateway, even with only IBKR context it is not TWS', () => {
    const line = "HTTPConnectionPool(host='localhost', port=5000): Max retries exceeded with url: /api/orders (Caused by ProtocolError: [Errno 111] Connection refused)";
    expect(marks(line, { cpapiContext: true })).toEqual([['[Errno 111] Connection refused', GATEWAY]]);
    expect(marks(line, { context: true })).toEqual([]);
  });

  it('shows the case by the port: the gateway port, or another one', () => {
    expect(cases(`requests.exceptions.ConnectionError: ${URLLIB3_2}`)[0][2]).toBe('gateway-port');
    expect(cases('IBeam behind docker: curl: (7) Failed to connect to localhost port 5001: Connection refused')).toEqual([
      ['Failed to connect to localhost port 5001: Connection refused', GATEWAY, 'other-port'],
    ]);
  });

  it("leaves IBeam's own line to its entry", () => {
    const line = '2024-01-02 08:00:05,000|E| Connection to Gateway refused. This could indicate IB Gateway is not running. Consider increasing IBEAM_GATEWAY_STARTUP wait buffer';
    expect(marks(line)).toEqual([['Connection to Gateway refused', 'cpapi-ibeam-cannot-communicate']]);
  });
});

describe('the same errors elsewhere', () => {
  it.each([
    [`requests.exceptions.ConnectionError: ${URLLIB3_2.replace('/v1/api/iserver/auth/status', '/api/orders')}`],
    [`curl: (7) ${CURL_NEW}`],
    ['Error: connect ECONNREFUSED 127.0.0.1:5000'],
    ["requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=6379): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d0e50>: Failed to establish a new connection: [Errno 111] Connection refused'))"],
    ['psql: error: connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused'],
    ['Error: connect ECONNREFUSED 127.0.0.1:6379'],
  ])('leaves a refusal without Client Portal context unmarked (a Flask app, Redis, Postgres): %s', (text) => {
    expect(marks(text)).toEqual([]);
  });

  it('keeps the socket API refusals of a socket-API text, whatever context the page gives', () => {
    const both: MatchOptions = { context: true, cpapiContext: true };
    expect(marks("ib.connect('127.0.0.1', 7497, clientId=1) -> ConnectionRefusedError: [Errno 111] Connection refused", both)).toEqual([
      ['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused'],
    ]);
    expect(marks("ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)", both)).toEqual([
      ["ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)", 'connection-refused'],
    ]);
    expect(marks('ib_async.client ERROR API connection failed: ConnectionRefusedError(22, \'The remote computer refused the network connection\', None, 1225, None)', both)).toEqual([
      ["API connection failed: ConnectionRefusedError(22, 'The remote computer refused the network connection', None, 1225, None)", 'connection-refused'],
    ]);
    expect(marks('connect ECONNREFUSED 127.0.0.1:4002 (Error #502)', both)).toEqual([['(Error #502)', 'ibkr-502']]);
    expect(marks('TWS is closed: ConnectionRefusedError: [Errno 111] Connection refused')).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused']]);
  });

  it("reads a bare refusal by its line: a line that shows the socket API keeps today's entry, a port 5000 is the gateway's", () => {
    const both = 'TWS runs fine, but the Client Portal Gateway gives ConnectionRefusedError: [Errno 111] Connection refused';
    expect(marks(both, { context: true })).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused']]);
    expect(marks(`TWS runs fine, but the Client Portal Gateway gives curl: (7) ${CURL_NEW}`)).toEqual([[CURL_NEW, GATEWAY]]);
    // The socket API on another line of a Client Portal text: the refusal's own line decides.
    const log = 'TWS and IB Gateway are closed today.\nIBeam: ConnectionRefusedError: [Errno 111] Connection refused';
    expect(marks(log)).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', GATEWAY]]);
  });

  it('reads a line longer than 600 characters as before', () => {
    const long = `IBeam: ${'x'.repeat(600)} ConnectionRefusedError: [Errno 111] Connection refused`;
    expect(marks(long, { context: true })).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused']]);
  });
});

// Real output of other services' clients with nothing listening (redis-py 5, psycopg2, Celery's
// kombu, Node's net, urllib3 to a Docker daemon's TCP port).
const REDIS_TRACEBACK = [
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3/site-packages/redis/connection.py", line 616, in _connect',
  '    sock.connect(socket_address)',
  'ConnectionRefusedError: [Errno 111] Connection refused',
  '',
  'During handling of the above exception, another exception occurred:',
  '',
  'redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.',
].join('\n');

describe("another service's refusal in an IBKR text", () => {
  const both: MatchOptions = { context: true, cpapiContext: true };

  it("is neither the gateway's nor TWS's: a well-known service's port (Redis, PostgreSQL, RabbitMQ, the Docker daemon)", () => {
    for (const text of [
      'Error: connect ECONNREFUSED 127.0.0.1:6379',
      "requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=5432): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d0e50>: Failed to establish a new connection: [Errno 111] Connection refused'))",
      "HTTPConnectionPool(host='localhost', port=2375): Max retries exceeded with url: /version (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f3a2c1d0e50>: Failed to establish a new connection: [Errno 111] Connection refused'))",
      'Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.',
      "ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 27017)",
    ]) {
      expect(marks(text, { cpapiContext: true }), text).toEqual([]);
      expect(marks(text, both), text).toEqual([]);
    }
  });

  it('is neither by a name on its line or, when it names no port, in its text: a Redis traceback in an IBeam or ib_insync thread', () => {
    expect(marks(`IBeam is up, but my cache is not:\n${REDIS_TRACEBACK}`)).toEqual([]);
    expect(marks(REDIS_TRACEBACK, both)).toEqual([]);
    expect(marks(REDIS_TRACEBACK, { context: true })).toEqual([]);
    expect(marks('psycopg2.OperationalError: [Errno 111] Connection refused', { cpapiContext: true })).toEqual([]);
  });

  it("keeps the gateway's and TWS's own refusals beside another service's name", () => {
    // Port first: the gateway's port or a socket-API port decides, whatever the text names.
    expect(marks(`${REDIS_TRACEBACK}\nError: connect ECONNREFUSED 127.0.0.1:5000`, both)).toEqual([['connect ECONNREFUSED 127.0.0.1:5000', GATEWAY]]);
    expect(marks(`${REDIS_TRACEBACK}\nib_insync: ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)`, both)).toEqual([
      ["ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)", 'connection-refused'],
    ]);
    // A line that shows an API reads as that API's, a name elsewhere notwithstanding.
    expect(marks('redis is fine.\nIBeam: ConnectionRefusedError: [Errno 111] Connection refused')).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', GATEWAY]]);
    expect(marks('redis is fine.\nTWS: ConnectionRefusedError: [Errno 111] Connection refused', { context: true })).toEqual([
      ['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused'],
    ]);
    // An unknown port is the gateway on another listenPort, as before.
    expect(marks('IBeam behind docker: curl: (7) Failed to connect to localhost port 5001: Connection refused')).toEqual([
      ['Failed to connect to localhost port 5001: Connection refused', GATEWAY],
    ]);
  });

  it("does not read redis-py's error number as an IBKR code, unless it names a socket-API port", () => {
    expect(marks('redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.', both)).toEqual([]);
    expect(marks('Error 10061 connecting to 127.0.0.1:6379. No connection could be made because the target machine actively refused it.', both)).toEqual([]);
    expect(marks('I get Error 502 connecting to 127.0.0.1:7497. What is wrong?', { context: true })).toEqual([['Error 502', 'ibkr-502']]);
  });

  it("has a batch's run with another service's name matched again alone", () => {
    const text = `ib_insync bot, cache first:\n${REDIS_TRACEBACK}`;
    const found = matcher.find(text, { context: true, cpapiContext: true, anyReading: true });
    expect(found.map((m) => [text.slice(m.start, m.end), m.entryId])).toEqual([['ConnectionRefusedError: [Errno 111] Connection refused', 'connection-refused']]);
    expect(found.map((m) => readsByApi(m, text, () => false))).toEqual([true]);
  });
});

describe('Not connected in a Client Portal text', () => {
  it("is not the socket API's 504 when the text is about the Client Portal, and is where it is about the socket API", () => {
    expect(marks('ibind keeps logging Not connected')).toEqual([]);
    expect(marks('IBeam: Not connected', { context: true })).toEqual([]);
    expect(marks('ib_insync says Not connected\nIBeam logs Not connected')).toEqual([['Not connected', 'ibkr-504']]);
    expect(marks('Not connected', { context: true, cpapiContext: true })).toEqual([]);
    expect(marks('ib_insync keeps logging Not connected')).toEqual([['Not connected', 'ibkr-504']]);
    expect(marks('Not connected', { context: true })).toEqual([['Not connected', 'ibkr-504']]);
    // A code shape names its entry in any text.
    expect(marks('IBeam log, then ERROR -1 504 Not connected')).toEqual([['ERROR -1 504 Not connected', 'ibkr-504']]);
  });
});

describe('a refusal or a short message in a text that shows the socket API on another line', () => {
  const GATEWAY_LINE = 'GET https://localhost:5000/v1/api/iserver/accounts works';
  const SOCKET_LINE = 'ib_insync connects to TWS on port 7497';
  const REFUSAL = 'ConnectionRefusedError: [Errno 111] Connection refused';

  it('leaves a bare refusal unmarked when the text itself shows both APIs: either card could be wrong', () => {
    expect(marks(`${GATEWAY_LINE}\n${SOCKET_LINE}\n${REFUSAL}`, { context: true })).toEqual([]);
    expect(marks(`${SOCKET_LINE}\n${REFUSAL}\n${GATEWAY_LINE}`, { context: true, cpapiContext: true })).toEqual([]);
  });

  it("reads it as the socket API's when the text shows only that API and Client Portal context comes from the page", () => {
    expect(marks(`${SOCKET_LINE}\n${REFUSAL}`, { context: true, cpapiContext: true })).toEqual([[REFUSAL, 'connection-refused']]);
    expect(marks('TWS is closed.\n[Errno 111] Connection refused', { context: true, cpapiContext: () => true })).toEqual([['[Errno 111] Connection refused', 'connection-refused']]);
  });

  it("reads Not connected as the socket API's 504 wherever the text shows the socket API: no Client Portal tool prints it", () => {
    expect(marks(`${GATEWAY_LINE}\n${SOCKET_LINE}\nNot connected`, { context: true })).toEqual([['Not connected', 'ibkr-504']]);
    expect(marks(`${SOCKET_LINE}\nNot connected`, { context: true, cpapiContext: true })).toEqual([['Not connected', 'ibkr-504']]);
  });

  it('keeps the port first, then the line', () => {
    const both = `${GATEWAY_LINE}\n${SOCKET_LINE}\n`;
    expect(marks(`${both}Error: connect ECONNREFUSED 127.0.0.1:5000`, { context: true })).toEqual([['connect ECONNREFUSED 127.0.0.1:5000', GATEWAY]]);
    expect(marks(`${both}ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)`, { context: true })).toEqual([
      ["ConnectionRefusedError: [Errno 111] Connect call failed ('127.0.0.1', 7497)", 'connection-refused'],
    ]);
    expect(marks(`${both}IBeam: ${REFUSAL}`, { context: true })).toEqual([[REFUSAL, GATEWAY]]);
    expect(marks(`${both}IBeam: Not connected`, { context: true })).toEqual([]);
    expect(marks(`${both}TWS: ${REFUSAL}`, { context: true })).toEqual([[REFUSAL, 'connection-refused']]);
    // Without a socket-API sign anywhere in the text, as before.
    expect(marks(`${GATEWAY_LINE}\n${REFUSAL}`, { context: true })).toEqual([[REFUSAL, GATEWAY]]);
    expect(marks(`${GATEWAY_LINE}\nNot connected`, { context: true })).toEqual([]);
  });

  it('counts the signs of the text a window continues as its own (a followed node)', () => {
    let asked = 0;
    const before = () => (asked++, true);
    expect(marks(REFUSAL, { context: true, cpapiContext: true, socketSignBefore: before, cpapiSignBefore: true })).toEqual([]);
    expect(marks(REFUSAL, { context: true, cpapiContext: true, socketSignBefore: before })).toEqual([[REFUSAL, 'connection-refused']]);
    expect(marks('Not connected', { context: true, cpapiContext: true, socketSignBefore: before, cpapiSignBefore: true })).toEqual([['Not connected', 'ibkr-504']]);
    expect(marks('error 401 on /v1/api/iserver/accounts', { context: true, socketSignBefore: before })).toEqual([]);
    expect(asked).toBe(4);
    // Asked only where the text's own signs do not settle it.
    expect(marks(`TWS: ${REFUSAL}`, { context: true, cpapiContext: true, socketSignBefore: before })).toEqual([[REFUSAL, 'connection-refused']]);
    expect(marks(`IBeam: ${REFUSAL}`, { context: true, socketSignBefore: before })).toEqual([[REFUSAL, GATEWAY]]);
    expect(asked).toBe(4);
  });
});

describe('Explain selection reads the API from the selection alone', () => {
  const explain = createExplainer(knowledge.entries);
  it('gives the socket entry to a bare refusal, the gateway to one that names it', () => {
    expect(explain('ConnectionRefusedError: [Errno 111] Connection refused')?.entryId).toBe('connection-refused');
    expect(explain('IBeam: ConnectionRefusedError: [Errno 111] Connection refused')?.entryId).toBe(GATEWAY);
    expect(explain('Error: connect ECONNREFUSED 127.0.0.1:5000')?.entryId).toBe(GATEWAY);
  });
});

describe('readsByApi: whether a batch must match a run again alone for its refusals and short messages', () => {
  const batch = { context: true, cpapiContext: true, anyReading: true } as const;
  const readsAgain = (text: string, cpapi: boolean) => {
    let asked = 0;
    const again = matcher.find(text, batch).map((m) => readsByApi(m, text, () => (asked++, cpapi)));
    return { again, asked };
  };

  it('asks the Client Portal context of a bare refusal or "Not connected" on a line without socket-API signs, and says so', () => {
    for (const text of ['ib_insync log:\nConnectionRefusedError: [Errno 111] Connection refused', 'ib_insync log:\nNot connected']) {
      expect(readsAgain(text, true)).toEqual({ again: [true], asked: 1 });
      expect(readsAgain(text, false)).toEqual({ again: [false], asked: 1 });
    }
  });

  it('asks nothing where the line shows the socket API, or the text shows Client Portal context', () => {
    expect(readsAgain('TWS: ConnectionRefusedError: [Errno 111] Connection refused', true)).toEqual({ again: [false], asked: 0 });
    expect(readsAgain('ib_insync log:\nNot connected\nGET /v1/api/iserver/accounts', false)).toEqual({ again: [true], asked: 0 });
  });

  it('reads every such match again when the caller gives no context', () => {
    const text = 'ib_insync log:\nConnectionRefusedError: [Errno 111] Connection refused';
    expect(matcher.find(text, batch).map((m) => readsByApi(m, text))).toEqual([true]);
  });
});
