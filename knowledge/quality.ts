/**
 * Editorial checks over the knowledge base, beyond the schema: no placeholder text, no summary
 * used twice, full entries for the codes people meet most and for every entry met in public
 * threads (knowledge/met-codes.tsv, read by the caller). Pure; used by the unit tests and by
 * `npm run lint:knowledge` (which prints every problem at once, for authors).
 */
import type { KnowledgeEntry } from './schema';

/** The codes met most in public threads: these get full entries (symptoms to related terms). */
export const TOP_CODES = [
  162, 321, 2104, 200, 502, 504, 326, 10197, 1100, 1101, 1102, 103, 2106, 2103, 2105, 2107, 2108, 2119, 2157, 2158,
  10167, 10168, 10089, 10090, 10182, 354, 322, 300, 110, 201, 202, 399, 434, 165, 366, 420, 1300, 10147, 10148, 501,
] as const;

/**
 * The Client Portal Web API entries met most (the reference list's most-seen messages, and the
 * order questions and errors its README and issue 13 name): these are full entries too.
 */
export const TOP_CPAPI_ENTRIES: readonly string[] = [
  'cpapi-access-denied',
  'cpapi-ibind-response-error',
  'cpapi-not-authenticated',
  'cpapi-ibeam-not-authenticated',
  'cpapi-ibeam-session-found',
  'cpapi-no-bridge',
  'cpapi-http-401',
  'cpapi-http-500',
  'cpapi-client-login-succeeds',
  'cpapi-login-invalid-credentials',
  'cpapi-gateway-illegal-reflective-access',
  'cpapi-competing-session',
  'cpapi-snapshot-preflight',
  'cpapi-gateway-open-login',
  'cpapi-init-session-first',
  'cpapi-reply-id-not-found',
  'cpapi-http-503',
  'cpapi-http-429',
  'cpapi-connected-false',
  'cpapi-session-timeout',
  'cpapi-oauth-invalid-consumer',
  'cpapi-oauth-lst-401',
  'cpapi-order-reply',
  'cpapi-o163',
  'cpapi-o354',
  'cpapi-o10153',
  'cpapi-query-accounts-first',
  'cpapi-ws-sts-unauthenticated',
];

const PLACEHOLDER = /\b(?:TODO|TBD|FIXME|XXX|lorem ipsum|placeholder)\b|\?\?\?/i;
const PROSE_FIELDS = ['title', 'summary', 'symptoms', 'causes', 'checks', 'resolution'] as const;

/** The fields a full entry fills (the summary is required of every entry anyway). */
const FULL_FIELDS = ['symptoms', 'causes', 'checks', 'resolution', 'related'] as const;

/**
 * `metEntryIds`: the entries mentions in public threads land on (knowledge/met-codes.tsv); like
 * the TOP_CODES they must be full entries.
 */
export function qualityProblems(entries: readonly KnowledgeEntry[], metEntryIds: ReadonlySet<string> = new Set()): string[] {
  const problems: string[] = [];
  const summaries = new Map<string, string>();
  const top = new Set<number>(TOP_CODES);
  const topCpapi = new Set(TOP_CPAPI_ENTRIES);
  for (const e of entries) {
    for (const field of PROSE_FIELDS) {
      const values = ([] as string[]).concat(e[field]);
      values.forEach((v, i) => {
        if (PLACEHOLDER.test(v)) problems.push(`${e.id}: ${field}${Array.isArray(e[field]) ? `[${i}]` : ''} is placeholder text: "${v}"`);
      });
    }
    for (const v of e.variants) {
      if (PLACEHOLDER.test(`${v.label} ${v.cause} ${v.fix}`)) problems.push(`${e.id}: variant "${v.id}" has placeholder text`);
    }
    const key = e.summary.toLowerCase().replace(/\W+/g, ' ').trim();
    const twin = summaries.get(key);
    if (twin) problems.push(`${e.id}: summary is the same as ${twin}'s`);
    else summaries.set(key, e.id);
    if (e.summary.split(/\s+/).length < 8) problems.push(`${e.id}: summary is too short to say what it means and what to do`);
    const reason =
      e.numericCode !== null && top.has(e.numericCode)
        ? 'one of the most-met codes'
        : topCpapi.has(e.id)
          ? 'one of the most-met Client Portal entries, it'
          : metEntryIds.has(e.id)
            ? 'met in public threads (knowledge/met-codes.tsv), it'
            : null;
    if (reason) {
      for (const field of FULL_FIELDS) {
        if (e[field].length === 0) problems.push(`${e.id}: ${reason} needs "${field}"`);
      }
    }
  }
  return problems;
}
