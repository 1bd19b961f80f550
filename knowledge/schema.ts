/**
 * The knowledge base schema: the types of an entry and of the notices, and their fixed value
 * lists. Pure, and shared by the extension and the build. The files are checked against it by
 * knowledge/validate.ts, at build time only.
 */

/** A regular expression for a generic message that counts only with IBKR context. */
export interface ContextPattern {
  /** JavaScript regular expression source. */
  source: string;
  /** Matched case-insensitively unless this is true. */
  caseSensitive: boolean;
}

/** The groups of the catalog, shown as filters and labels. */
export const CATEGORIES = {
  connectivity: 'Connectivity',
  'market-data': 'Market data',
  'historical-data': 'Historical data',
  orders: 'Orders',
  contracts: 'Contracts',
  'account-fa': 'Account and FA',
  'client-library': 'Client library',
  configuration: 'Configuration',
  cpapi: 'Client Portal Web API',
} as const;
export type Category = keyof typeof CATEGORIES;

/**
 * `system`: the connectivity notices 1100/1101/1102/1300; `info`: notifications that are not
 * errors at all (2104, 2106, 2158 ...): nothing to fix.
 */
export const SEVERITIES = ['error', 'warning', 'info', 'system'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * The kind of context a generic message needs before it counts: `ibkr` (TWS API words such as
 * TWS, IB Gateway, ib_insync, reqId, port 7497) or `cpapi` (Client Portal Web API signs such as
 * `/iserver/`, `/tickle`, `localhost:5000`). Distinctive official messages need none.
 */
export const CONTEXT_KINDS = ['ibkr', 'cpapi'] as const;
export type ContextKind = (typeof CONTEXT_KINDS)[number];

/** Who raises the code: TWS / IB Gateway (`server`) or the API client library (`client`). */
export type Side = 'server' | 'client';

/**
 * A reason carried inside a message ("Historical data request pacing violation" after 162's text),
 * with its own cause and fix. `pattern` is a case-insensitive regular expression tried on the
 * matched message text.
 */
export interface Variant {
  id: string;
  label: string;
  pattern: string;
  cause: string;
  fix: string;
}

/** A log line that must resolve to exactly this entry (and, when given, this variant). */
export interface Example {
  text: string;
  variant: string | null;
}

export interface KnowledgeEntry {
  /** Stable public id: `ibkr-<code>` for numbered IBKR codes, a slug otherwise. */
  id: string;
  /** The catalog group. */
  category: Category;
  /** The seed's own label (`APIRuntime`, `APISetup`), kept for the seed entries; null elsewhere. */
  tag: string | null;
  severity: Severity;
  side: Side | null;
  /** The code as shown to users: `326`, `ConnectionRefusedError / WinError 10061`. */
  code: string;
  /** The IBKR numeric error code, or null when the entry is not a numbered IBKR error. */
  numericCode: number | null;
  title: string;
  /** What it means and what to do first, in a sentence or two. */
  summary: string;
  /** Lists are empty for short entries; the most-met codes have all of them. */
  symptoms: string[];
  causes: string[];
  checks: string[];
  resolution: string[];
  related: string[];
  match: {
    /** Exact official messages: recognised anywhere, case-insensitively. */
    messages: string[];
    /** Generic messages: recognised only where IBKR context is present. */
    contextual: ContextPattern[];
    /**
     * Which context the entry's short messages and contextual patterns need; `ibkr` when absent.
     * Client Portal entries say `cpapi`: "no bridge" counts only near `/iserver/` or `localhost:5000`.
     */
    context?: ContextKind;
  };
  variants: Variant[];
  examples: Example[];
  /** Lines that must not resolve to this entry. */
  notExamples: string[];
}

export interface Notices {
  boundary: { title: string; text: string };
  trademark: string;
}

/**
 * An entry as the content script carries it (knowledge/vite-plugin.ts): what the matcher reads,
 * and the severity that styles a marker and decides the badge. The rest of an entry comes from
 * the background when a card first needs it.
 */
export interface MatchDataEntry {
  id: string;
  numericCode: number | null;
  severity: Severity;
  variants: Pick<Variant, 'id' | 'pattern'>[];
  /** Each contextual pattern with its `wordAnchor`, worked out at build time rather than on every page. */
  match: { contextual: (ContextPattern & { anchor: import('../lib/message-stems').WordAnchor | null })[]; context?: ContextKind };
}

/** The content script's knowledge: each entry's match data, and the stem index. */
export interface MatchData {
  entries: MatchDataEntry[];
  stemIndex: import('../lib/message-stems').StemIndexData;
}

export interface KnowledgeBase {
  entries: KnowledgeEntry[];
  notices: Notices;
}

/** A problem in a knowledge file, naming the file and the field; `more` are further problems in the same file. */
export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    problem: string,
    readonly more: readonly { field: string | null; problem: string }[] = [],
  ) {
    const line = (f: string | null, p: string) => (f === null ? `${file}: ${p}` : `${file}: field "${f}" ${p}`);
    super([line(field, problem), ...more.map((m) => line(m.field, m.problem))].join('\n'));
    this.name = 'KnowledgeError';
  }
}
