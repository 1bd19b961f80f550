/**
 * The knowledge base schema and its validation. Pure: no file system, no browser.
 *
 * Every error names the file and the field, e.g.
 *   knowledge/entries/ibkr-326.yaml: field "causes[1]" must be a non-empty string (got number)
 * so that a malformed entry fails the build with a message an editor can act on.
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
  match: { contextual: ContextPattern[]; context?: ContextKind };
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

export class KnowledgeError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | null,
    problem: string,
  ) {
    super(field === null ? `${file}: ${problem}` : `${file}: field "${field}" ${problem}`);
    this.name = 'KnowledgeError';
  }
}

const REQUIRED_KEYS = ['id', 'category', 'severity', 'code', 'title', 'summary', 'match', 'examples'] as const;
const OPTIONAL_KEYS = ['tag', 'side', 'symptoms', 'causes', 'checks', 'resolution', 'related', 'variants', 'not_examples'] as const;
const ENTRY_KEYS = [...REQUIRED_KEYS, ...OPTIONAL_KEYS] as const;
const LIST_FIELDS = ['symptoms', 'causes', 'checks', 'resolution', 'related'] as const;
const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const TAG = /^[A-Z][A-Za-z0-9]*$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return typeof value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Checker {
  constructor(readonly file: string) {}

  fail(field: string | null, problem: string): never {
    throw new KnowledgeError(this.file, field, problem);
  }

  record(value: unknown, field: string | null): Record<string, unknown> {
    if (!isRecord(value)) this.fail(field, `must be a mapping (got ${describe(value)})`);
    return value;
  }

  noUnknownKeys(obj: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.fail(prefix + key, `is not a known field (expected one of: ${allowed.join(', ')})`);
      }
    }
  }

  /** A non-empty string; prose has its whitespace folded (YAML line breaks), patterns are kept as written. */
  text(value: unknown, field: string, { raw = false } = {}): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(field, `must be a non-empty string (got ${describe(value)})`);
    }
    return raw ? value.trim() : value.replace(/\s+/g, ' ').trim();
  }

  list(value: unknown, field: string, { optional = false, raw = false } = {}): string[] {
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) this.fail(field, `must be a list of strings (got ${describe(value)})`);
    if (value.length === 0 && !optional) this.fail(field, 'must not be empty');
    // YAML turns `- 7497` into a number; related terms like ports are fine as numbers.
    return value.map((item, i) =>
      typeof item === 'number' && field === 'related' ? String(item) : this.text(item, `${field}[${i}]`, { raw }),
    );
  }

  /** A list of anything (checked item by item by the caller); missing is empty. */
  optionalList(value: unknown, field: string): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) this.fail(field, `must be a list (got ${describe(value)})`);
    return value;
  }

  oneOf(value: unknown, field: string, allowed: readonly string[]): string {
    if (typeof value !== 'string' || !allowed.includes(value)) {
      const got = typeof value === 'string' ? `"${value}"` : describe(value);
      this.fail(field, `must be one of: ${allowed.join(', ')} (got ${got})`);
    }
    return value;
  }

  regex(source: string, caseSensitive: boolean, field: string): void {
    try {
      new RegExp(source, caseSensitive ? 'g' : 'gi');
    } catch (err) {
      this.fail(field, `is not a valid regular expression: ${(err as Error).message}`);
    }
    if (new RegExp(source, caseSensitive ? '' : 'i').test('')) {
      this.fail(field, 'must not match the empty string');
    }
  }
}

/** Validates one parsed entry file; `file` is the path used in error messages. */
export function validateEntry(raw: unknown, file: string): KnowledgeEntry {
  const c = new Checker(file);
  const obj = c.record(raw, null);
  c.noUnknownKeys(obj, ENTRY_KEYS, '');
  for (const key of REQUIRED_KEYS) {
    if (!(key in obj)) c.fail(key, 'is missing');
  }

  const id = c.text(obj.id, 'id');
  if (!SLUG.test(id) && id !== 'ibkr--1') c.fail('id', `must be a lowercase slug like "connection-refused" (got "${id}")`);
  const category = c.oneOf(obj.category, 'category', Object.keys(CATEGORIES)) as Category;
  const severity = c.oneOf(obj.severity, 'severity', SEVERITIES) as Severity;
  const side = obj.side === undefined ? null : (c.oneOf(obj.side, 'side', ['server', 'client']) as Side);
  let tag: string | null = null;
  if (obj.tag !== undefined) {
    tag = c.text(obj.tag, 'tag');
    if (!TAG.test(tag)) c.fail('tag', `must be a CamelCase word like "APIRuntime" (got "${tag}")`);
  }

  let code: string;
  let numericCode: number | null = null;
  if (typeof obj.code === 'number') {
    if (!Number.isInteger(obj.code) || obj.code === 0 || obj.code < -1) {
      c.fail('code', `must be a positive whole number, -1, or a string (got ${obj.code})`);
    }
    numericCode = obj.code;
    code = String(obj.code);
    // -1 (C# FAIL_GENERIC) is the one negative code; its id is "ibkr--1", by the same rule.
    const expected = `ibkr-${code}`;
    if (id !== expected) c.fail('id', `must be "${expected}" for IBKR error code ${code} (got "${id}")`);
  } else {
    code = c.text(obj.code, 'code');
    if (/^\d+$/.test(code)) c.fail('code', `must be written as a number, not the string "${code}"`);
    if (id.startsWith('ibkr-')) c.fail('id', `"ibkr-" ids are reserved for numbered IBKR codes (got "${id}")`);
  }

  const match = c.record(obj.match, 'match');
  c.noUnknownKeys(match, ['messages', 'contextual', 'context'], 'match.');
  const context = match.context === undefined ? 'ibkr' : (c.oneOf(match.context, 'match.context', CONTEXT_KINDS) as ContextKind);
  const messages = c.list(match.messages, 'match.messages', { optional: true, raw: true });
  if (!Array.isArray(match.contextual) && match.contextual !== undefined) {
    c.fail('match.contextual', `must be a list (got ${describe(match.contextual)})`);
  }
  const contextual = ((match.contextual as unknown[] | undefined) ?? []).map((item, i): ContextPattern => {
    const field = `match.contextual[${i}]`;
    let source: string;
    let caseSensitive = false;
    if (typeof item === 'string') {
      source = c.text(item, field, { raw: true });
    } else {
      const p = c.record(item, field);
      c.noUnknownKeys(p, ['pattern', 'caseSensitive'], `${field}.`);
      source = c.text(p.pattern, `${field}.pattern`, { raw: true });
      if (p.caseSensitive !== undefined && typeof p.caseSensitive !== 'boolean') {
        c.fail(`${field}.caseSensitive`, `must be true or false (got ${describe(p.caseSensitive)})`);
      }
      caseSensitive = p.caseSensitive === true;
    }
    c.regex(source, caseSensitive, field);
    return { source, caseSensitive };
  });
  if (numericCode === null && messages.length === 0 && contextual.length === 0) {
    c.fail('match', 'needs at least one of "messages" or "contextual" when "code" is not a number');
  }

  const lists = Object.fromEntries(LIST_FIELDS.map((key) => [key, c.list(obj[key], key, { optional: true })])) as Record<
    (typeof LIST_FIELDS)[number],
    string[]
  >;

  const variants = c.optionalList(obj.variants, 'variants').map((item, i): Variant => {
    const field = `variants[${i}]`;
    const v = c.record(item, field);
    c.noUnknownKeys(v, ['id', 'label', 'pattern', 'cause', 'fix'], `${field}.`);
    const variantId = c.text(v.id, `${field}.id`);
    if (!SLUG.test(variantId)) c.fail(`${field}.id`, `must be a lowercase slug like "pacing" (got "${variantId}")`);
    const pattern = c.text(v.pattern, `${field}.pattern`, { raw: true });
    c.regex(pattern, false, `${field}.pattern`);
    return {
      id: variantId,
      label: c.text(v.label, `${field}.label`),
      pattern,
      cause: c.text(v.cause, `${field}.cause`),
      fix: c.text(v.fix, `${field}.fix`),
    };
  });
  const variantIds = new Set<string>();
  variants.forEach((v, i) => {
    if (variantIds.has(v.id)) c.fail(`variants[${i}].id`, `"${v.id}" is used twice`);
    variantIds.add(v.id);
  });

  const examplesRaw = c.optionalList(obj.examples, 'examples');
  if (examplesRaw.length === 0) c.fail('examples', 'must not be empty');
  const examples = examplesRaw.map((item, i): Example => {
    const field = `examples[${i}]`;
    if (typeof item === 'string') return { text: c.text(item, field, { raw: true }), variant: null };
    const ex = c.record(item, field);
    c.noUnknownKeys(ex, ['text', 'variant'], `${field}.`);
    const variant = ex.variant === undefined ? null : c.text(ex.variant, `${field}.variant`);
    if (variant !== null && !variantIds.has(variant)) {
      c.fail(`${field}.variant`, `names no variant of this entry (got "${variant}")`);
    }
    return { text: c.text(ex.text, `${field}.text`, { raw: true }), variant };
  });
  const notExamples = c.list(obj.not_examples, 'not_examples', { optional: true, raw: true });

  return {
    id,
    category,
    tag,
    severity,
    side,
    code,
    numericCode,
    title: c.text(obj.title, 'title'),
    summary: c.text(obj.summary, 'summary'),
    ...lists,
    match: { messages, contextual, context },
    variants,
    examples,
    notExamples,
  };
}

export function validateNotices(raw: unknown, file: string): Notices {
  const c = new Checker(file);
  const obj = c.record(raw, null);
  c.noUnknownKeys(obj, ['boundary', 'trademark'], '');
  const boundary = c.record(obj.boundary, 'boundary');
  c.noUnknownKeys(boundary, ['title', 'text'], 'boundary.');
  return {
    boundary: { title: c.text(boundary.title, 'boundary.title'), text: c.text(boundary.text, 'boundary.text') },
    trademark: c.text(obj.trademark, 'trademark'),
  };
}

/** Checks rules that span entries: unique ids, unique numeric codes, id matching file name. */
export function validateKnowledgeBase(
  files: { file: string; entry: KnowledgeEntry }[],
  notices: Notices,
): KnowledgeBase {
  if (files.length === 0) throw new KnowledgeError('knowledge/entries', null, 'contains no entries');
  const ids = new Map<string, string>();
  const codes = new Map<number, string>();
  for (const { file, entry } of files) {
    const base = file.split(/[\\/]/).pop()!.replace(/\.ya?ml$/, '');
    if (base !== entry.id) {
      throw new KnowledgeError(file, 'id', `must match the file name "${base}" (got "${entry.id}")`);
    }
    const clash = ids.get(entry.id);
    if (clash) throw new KnowledgeError(file, 'id', `"${entry.id}" is already used by ${clash}`);
    ids.set(entry.id, file);
    if (entry.numericCode !== null) {
      const other = codes.get(entry.numericCode);
      if (other) throw new KnowledgeError(file, 'code', `${entry.numericCode} is already used by ${other}`);
      codes.set(entry.numericCode, file);
    }
  }
  return { entries: files.map((f) => f.entry), notices };
}
