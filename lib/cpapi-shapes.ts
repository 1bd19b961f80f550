/**
 * What is special about the Client Portal Web API (the REST and websocket API of the Client Portal
 * Gateway on https://localhost:5000, IBKR's OAuth Web API on api.ibkr.com, and the tools on top:
 * IBeam, ibind …) for recognition. Pure: no DOM, no browser.
 *
 * Most of its recognition is entry data (`match.messages`, `match.contextual` with
 * `context: cpapi`, knowledge/README.md "Client Portal entries"); two things are not:
 * - Client Portal context: the signs in a text that make a generic message ("Access Denied",
 *   "not authenticated", a bare 401) a Client Portal error;
 * - wrappers: a line such as ibind's `IbkrClient: response error Result(...) :: 400 :: Bad Request
 *   :: {"error": "..."}` or IBeam's `Error displayed by the login webpage: …` carries the real
 *   error inside; the wrapper is marked only when nothing it carries is recognised.
 */
import { showsAny } from './shows-any';

/**
 * Signs of the Client Portal Web API (the list in the shared reference README, narrowed where a
 * word is common elsewhere: `conf.yaml` is Datadog's too, `/sso/` any single sign-on, plain
 * `localhost:5000` Flask's default, "client portal" many vendors' customer sites).
 */
const CPAPI_WORDS = new RegExp(
  [
    // Endpoints and paths of the gateway and the Web API.
    String.raw`/iserver/`,
    String.raw`/tickle\b`,
    String.raw`/portal/sso/`,
    String.raw`/sso/(?:Login|Dispatcher|validate)\b`,
    String.raw`\bssodh/init\b`,
    String.raw`/oauth/live_session_token\b`,
    String.raw`\blive[ _]session[ _]token\b`,
    String.raw`/v1/(?:api|portal)/(?:iserver|portfolio|portal|tickle|sso|ws|oauth|trsrv|hmds|md|pa|fyi|logout|one|gw|acesws)\b`,
    String.raw`\bportal\.proxy/`,
    // The local gateway over https, its start-up files, IBKR's Web API host.
    String.raw`\bhttps://(?:localhost|127\.0\.0\.1):5000\b`,
    String.raw`\b(?:localhost|127\.0\.0\.1):5000/(?:v1|sso)\b`,
    String.raw`\bapi\.ibkr\.com\b`,
    String.raw`\bclientportal\.gw\b`,
    String.raw`\broot/conf\.yaml\b`,
    // Names: the API, IBKR's own wording, the tools built on it.
    String.raw`\b(?:ibkr|ib|interactive ?brokers)(?:'s)? client ?portal\b`,
    String.raw`\bclient ?portal (?:web ?)?(?:api|gateway|gw)\b`,
    String.raw`\bcp ?(?:web ?)?api\b`,
    String.raw`\bibkr (?:web|rest) ?api\b`,
    String.raw`\binteractive ?brokers api portal\b`,
    String.raw`\bibeam\b`,
    String.raw`\bibind\b`,
    String.raw`\beasyib\b`,
    // JSON fields only the Web API sends together: order questions, the session status.
    String.raw`["']messageIds["']\s*:`,
    String.raw`["']authStatus["']\s*:`,
    String.raw`\bauthenticated["']?\s*[:=]\s*(?:true|false)\s*,\s*["']?competing\b`,
    String.raw`\bcompeting["']?\s*[:=]\s*(?:true|false)\s*,\s*["']?(?:connected|collision)\b`,
    String.raw`["']topic["']\s*:\s*["'](?:sts|sor|spl|smd\+\d|ssd|sbd)\b`,
    // The gateway's whole no-bridge body, the reference's official text: no other product sends
    // it (a bare {"error":"no bridge"} may be any bridge's, and stays generic).
    String.raw`["']error["']\s*:\s*["']Bad Request: no bridge["']\s*,\s*["']statusCode["']\s*:\s*400\b`,
  ].join('|'),
  'i',
);

/**
 * The same, written with their case: identifiers of IBeam and ibind, and IBeam's log line
 * (`2024-01-02 10:00:00,123|E| …`, its default format, the level as one letter).
 */
const CPAPI_WORDS_EXACT =
  /\bIBEAM_[A-Z]|\bIbkr(?:Ws)?Client\b|\bExternalBrokerError\b|\bStatus\(running=(?:True|False), session=|\d\d:\d\d:\d\d,\d{3}\|[DIWEC]\| /;

/**
 * The signs of Client Portal context, one test each: `hasCpapiContext` is whether any is in a
 * text, and lib/context-signs.ts finds where the last one starts.
 */
export const CPAPI_CONTEXT_SIGNS: readonly RegExp[] = [CPAPI_WORDS, CPAPI_WORDS_EXACT];

/**
 * A piece that every sign holds, whatever its case, one short test each: a text that holds none
 * shows no sign, and the signs' own alternation, which reads a text much slower than
 * these together (docs/performance.md), runs only on a text that holds one. A sign added above
 * needs its piece here (tests/unit/cpapi.test.ts checks an example of each sign).
 */
export const CPAPI_SIGN_PIECES: readonly RegExp[] = [
  /portal/i, // client portal, clientportal.gw, portal.proxy/, /portal/sso/
  /iserver/i,
  /tickle/i,
  /ssodh|\/sso\//i,
  /session/i, // live session token, /oauth/live_session_token
  /\/v1\//i,
  /:5000/,
  /ibkr/i, // api.ibkr.com, IBKR Web API, IbkrClient
  /cp ?(?:web ?)?api/i,
  /conf\.yaml/i,
  /ib(?:eam|ind)/i, // IBeam, IBEAM_…, ibind
  /easyib/i,
  /messageids/i,
  /authstatus/i,
  /compet/i, // the session status's "competing"
  /topic["']/i,
  /bridge/i,
  /brokererror/i, // ExternalBrokerError
  /running=/i, // Status(running=…
  /,\d{3}\|/, // IBeam's log line
];

/** True when the text itself shows it is about the Client Portal Web API. */
export function hasCpapiContext(text: string): boolean {
  return showsAny(CPAPI_SIGN_PIECES, text) && showsAny(CPAPI_CONTEXT_SIGNS, text);
}

/**
 * Entries whose text frames another error: ibind's wrapper and IBeam's login-page line quote it,
 * an HTTP status line or an order question object stands beside its body. When the framed error
 * is recognised on the same line, it is the one marked (its entry is the specific one).
 */
export const WRAPPER_ENTRY_IDS: ReadonlySet<string> = new Set([
  'cpapi-ibind-response-error',
  'cpapi-ibeam-login-page-error',
  'cpapi-order-reply',
  'cpapi-http-401',
  'cpapi-http-429',
  'cpapi-http-500',
  'cpapi-http-503',
  'cpapi-oauth-410',
  'cpapi-411-empty-post',
]);

interface Span {
  start: number;
  end: number;
  entryId: string;
}

/**
 * Drops a wrapper's span when a span of another entry starts after it on the same line: the
 * error it carries is marked instead. `spans` are in text order and do not overlap; kept in place
 * when nothing is dropped (the usual case: no wrapper at all).
 */
export function dropCoveredWrappers<T extends Span>(spans: T[], text: string): T[] {
  let out: T[] | null = null;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i];
    if (WRAPPER_ENTRY_IDS.has(s.entryId) && carriesAnother(spans, i, text)) {
      out ??= spans.slice(0, i);
      continue;
    }
    out?.push(s);
  }
  return out ?? spans;
}

function carriesAnother(spans: readonly Span[], i: number, text: string): boolean {
  const next = spans[i + 1];
  if (next === undefined || next.entryId === spans[i].entryId) return false;
  const lineBreak = text.indexOf('\n', spans[i].end);
  return lineBreak === -1 || next.start < lineBreak;
}

/**
 * The 4xx and 5xx statuses a REST API such as the Client Portal Web API answers. In a text about
 * that API, a prose code with one of these numbers ("error 401 on /iserver/accounts") is the HTTP
 * status, not the socket API's code of the same number.
 */
const HTTP_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404, 405, 406, 408, 409, 410, 411, 413, 415, 422, 429, 500, 501, 502, 503, 504]);

/**
 * The entry that explains each status as the Client Portal's answer. The others have none: a 404
 * is a wrong path, Access Denied or the first history call, a 400 any of a dozen bodies; their
 * number alone says too little to pick one, so it is not marked.
 */
const HTTP_STATUS_ENTRIES: ReadonlyMap<number, string> = new Map([
  [401, 'cpapi-http-401'],
  [410, 'cpapi-oauth-410'],
  [411, 'cpapi-411-empty-post'],
  [429, 'cpapi-http-429'],
  [500, 'cpapi-http-500'],
  [503, 'cpapi-http-503'],
]);

/**
 * Statuses whose meaning the endpoint gives, where the reference names one answer for it: the
 * first `/hmds/history` call answers 404 while the historical service starts, a 400 from
 * `/iserver/reply/{replyId}` is a reply to a question that is gone, a 401 from
 * `/oauth/live_session_token` a refused OAuth session, a 403 from `gstat/bulletins` the login
 * page reached through a blocked address. Elsewhere a 404, 400 or 403 has several meanings and no
 * entry.
 */
const ENDPOINT_STATUS_ENTRIES: readonly { status: number; path: RegExp; entryId: string }[] = [
  { status: 404, path: /\/hmds\/history\b/, entryId: 'cpapi-hmds-first-404' },
  { status: 400, path: /\/iserver\/reply\//, entryId: 'cpapi-reply-id-not-found' },
  { status: 401, path: /\/oauth\/live_session_token\b/, entryId: 'cpapi-oauth-lst-401' },
  { status: 403, path: /\/gstat\/bulletins\b/, entryId: 'cpapi-gstat-403' },
];

/** The endpoints of `ENDPOINT_STATUS_ENTRIES`, found anywhere in a text (global: callers set `lastIndex`). */
export const ENDPOINT_PATHS = new RegExp(ENDPOINT_STATUS_ENTRIES.map((e) => e.path.source).join('|'), 'g');
/**
 * How far after an endpoint a status may be that reads it (cpapi-hmds-first-404's pattern looks
 * back 300 characters from `404` for `/hmds/history`; a unit test checks the catalog's look-behinds).
 */
export const ENDPOINT_REACH = 320;

/** Whether a number is one of `HTTP_STATUSES`. */
export function isHttpStatus(code: number): boolean {
  return HTTP_STATUSES.has(code);
}

/**
 * The entry that explains an HTTP status as the Client Portal's answer, or undefined: the
 * endpoint's own where `line` (the status's line) names one of `ENDPOINT_STATUS_ENTRIES`.
 */
export function httpStatusEntry(code: number, line = ''): string | undefined {
  for (const e of ENDPOINT_STATUS_ENTRIES) if (e.status === code && e.path.test(line)) return e.entryId;
  return HTTP_STATUS_ENTRIES.get(code);
}

const HTTP_STATUS_ENTRY_IDS: ReadonlySet<string> = new Set([...HTTP_STATUS_ENTRIES.values(), ...ENDPOINT_STATUS_ENTRIES.map((e) => e.entryId)]);

/** Whether an entry is one of those of `httpStatusEntry`. */
export function isHttpStatusEntry(entryId: string): boolean {
  return HTTP_STATUS_ENTRY_IDS.has(entryId);
}

/** Whether an entry is one of the Client Portal Web API's (category cpapi: ids `cpapi-…`). */
export function isCpapiEntryId(entryId: string): boolean {
  return entryId.startsWith('cpapi-');
}

/** The entry of a connection the Client Portal Gateway did not accept. */
export const GATEWAY_UNREACHABLE_ID = 'cpapi-gateway-unreachable';
/** The socket API's entry of a refused connection (TWS or IB Gateway not listening). */
export const SOCKET_REFUSAL_ID = 'connection-refused';
/** The gateway's default port (`listenPort` in root/conf.yaml). */
export const GATEWAY_PORT = 5000;

/** Whether an entry is one of the two that explain a refused connection. */
export function isRefusalEntry(entryId: string): boolean {
  return entryId === GATEWAY_UNREACHABLE_ID || entryId === SOCKET_REFUSAL_ID;
}

/**
 * Ports of well-known services that are neither API of IBKR: Redis, PostgreSQL, MySQL and MariaDB,
 * SQL Server, Oracle, MongoDB, RabbitMQ (AMQP and its management page), the Docker daemon,
 * Memcached, Elasticsearch, Kafka, ZooKeeper, MQTT. The gateway's `listenPort` and the socket
 * API's port may be set to anything, so an unknown port proves nothing; these name another service.
 */
const OTHER_SERVICE_PORTS: ReadonlySet<number> = new Set([6379, 5432, 3306, 1433, 1521, 27017, 5672, 15672, 2375, 2376, 11211, 9200, 9092, 2181, 1883, 8883]);

/**
 * Names of those services and of their clients as their errors and tracebacks print them
 * (`redis.exceptions.ConnectionError`, `psycopg2.OperationalError`, `pymongo.errors`,
 * `docker.errors.DockerException`, `amqp://…`). Docker alone is not one: IBeam runs in Docker. One
 * alternation between two `\b`s, which reads a text faster than three (docs/performance.md).
 */
const OTHER_SERVICE_NAMES =
  /\b(?:redis|postgres(?:ql)?|psycopg2?|psql|asyncpg|sqlalchemy|mysql|mariadb|pymysql|mssql|mongo(?:db)?|pymongo|rabbitmq|amqps?|pika|kombu|memcached?|elasticsearch|kafka|zookeeper|mqtt|paho|docker(?:\.errors|\.sock| daemon|exception))\b/i;

/** Whether a refused connection's port is one of another well-known service (`OTHER_SERVICE_PORTS`). */
export function isOtherServicePort(port: number): boolean {
  return OTHER_SERVICE_PORTS.has(port);
}

/** Whether a text names another well-known service or its client (`OTHER_SERVICE_NAMES`). */
export function namesOtherService(text: string): boolean {
  return OTHER_SERVICE_NAMES.test(text);
}

/**
 * A port as a refused connection names it: urllib3's `port=5000`, curl's `port 5000`, asyncio's
 * `('127.0.0.1', 5000)`, Node's `ECONNREFUSED ::1:5000`, aiohttp's `host localhost:5000 ssl:`, an
 * address on the machine itself (`https://localhost:5000/…`).
 */
const PORT_NAMED = /\bport[= ](\d{1,5})\b|', (\d{1,5})(?:, \d+, \d+)?\)|\bECONNREFUSED \S*:(\d{1,5})\b|\bhost \S*?:(\d{1,5}) ssl:|\b(?:localhost|127\.0\.0\.1|0\.0\.0\.0|::1\]?):(\d{1,5})\b/gi;
/**
 * The port a refused connection (`text` from `start` to `end`) is about: the first its own text
 * names, else the last named between `lineStart` and it (`HTTPConnectionPool(host='localhost',
 * port=5000): … [Errno 111] Connection refused`); null for none.
 */
export function refusedPort(text: string, lineStart: number, start: number, end: number): number | null {
  // Read in the line's piece alone: a search of the whole text for a port that is not there would
  // run on to its end, once per refusal.
  const piece = text.slice(lineStart, end);
  const at = start - lineStart;
  let before: number | null = null;
  PORT_NAMED.lastIndex = 0;
  for (let m = PORT_NAMED.exec(piece); m !== null; m = PORT_NAMED.exec(piece)) {
    const port = Number(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
    if (m.index >= at) return port;
    before = port;
  }
  return before;
}
