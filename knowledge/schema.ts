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

export interface KnowledgeEntry {
  /** Stable public id: `ibkr-<code>` for numbered IBKR codes, a slug otherwise. */
  id: string;
  /** Seed category, e.g. `APIRuntime`, `APISetup`. */
  category: string;
  /** The code as shown to users: `326`, `ConnectionRefusedError / WinError 10061`. */
  code: string;
  /** The IBKR numeric error code, or null when the entry is not a numbered IBKR error. */
  numericCode: number | null;
  title: string;
  /** One-line explanation of what the error means. */
  summary: string;
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
  };
}

export interface Notices {
  boundary: { title: string; text: string };
  trademark: string;
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

const ENTRY_KEYS = [
  'id',
  'category',
  'code',
  'title',
  'summary',
  'symptoms',
  'causes',
  'checks',
  'resolution',
  'related',
  'match',
] as const;
const LIST_FIELDS = ['symptoms', 'causes', 'checks', 'resolution', 'related'] as const;
const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const CATEGORY = /^[A-Z][A-Za-z0-9]*$/;

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

  list(value: unknown, field: string, { optional = false } = {}): string[] {
    if (value === undefined && optional) return [];
    if (!Array.isArray(value)) this.fail(field, `must be a list of strings (got ${describe(value)})`);
    if (value.length === 0 && !optional) this.fail(field, 'must not be empty');
    // YAML turns `- 7497` into a number; related terms like ports are fine as numbers.
    return value.map((item, i) =>
      typeof item === 'number' && field === 'related' ? String(item) : this.text(item, `${field}[${i}]`),
    );
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
  for (const key of ENTRY_KEYS) {
    if (!(key in obj)) c.fail(key, 'is missing');
  }

  const id = c.text(obj.id, 'id');
  if (!SLUG.test(id)) c.fail('id', `must be a lowercase slug like "connection-refused" (got "${id}")`);
  const category = c.text(obj.category, 'category');
  if (!CATEGORY.test(category)) {
    c.fail('category', `must be a CamelCase word like "APIRuntime" (got "${category}")`);
  }

  let code: string;
  let numericCode: number | null = null;
  if (typeof obj.code === 'number') {
    if (!Number.isInteger(obj.code) || obj.code <= 0) {
      c.fail('code', `must be a positive whole number or a string (got ${obj.code})`);
    }
    numericCode = obj.code;
    code = String(obj.code);
    if (id !== `ibkr-${code}`) c.fail('id', `must be "ibkr-${code}" for IBKR error code ${code} (got "${id}")`);
  } else {
    code = c.text(obj.code, 'code');
    if (/^\d+$/.test(code)) c.fail('code', `must be written as a number, not the string "${code}"`);
    if (id.startsWith('ibkr-')) c.fail('id', `"ibkr-" ids are reserved for numbered IBKR codes (got "${id}")`);
  }

  const match = c.record(obj.match, 'match');
  c.noUnknownKeys(match, ['messages', 'contextual'], 'match.');
  const messages = c.list(match.messages, 'match.messages', { optional: true });
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

  const lists = Object.fromEntries(LIST_FIELDS.map((key) => [key, c.list(obj[key], key)])) as Record<
    (typeof LIST_FIELDS)[number],
    string[]
  >;

  return {
    id,
    category,
    code,
    numericCode,
    title: c.text(obj.title, 'title'),
    summary: c.text(obj.summary, 'summary'),
    ...lists,
    match: { messages, contextual },
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
