/**
 * Validation of the knowledge files against the schema (knowledge/schema.ts holds the types),
 * written with valibot. Build time only: the loader, the Vite plugin, tests and scripts import it;
 * the extension never does (its bundle carries no validator).
 *
 * Every problem names the file and the field, e.g.
 *   knowledge/entries/ibkr-326.yaml: field "causes[1]" must be a non-empty string (got number)
 * one line per problem in the file, unknown fields first (a misspelt field also shows up as a
 * missing one), so that an editor can fix a broken entry in one go.
 */
import * as v from 'valibot';
import {
  CATEGORIES,
  CONTEXT_KINDS,
  KnowledgeError,
  SEVERITIES,
  type Category,
  type ContextPattern,
  type Example,
  type KnowledgeBase,
  type KnowledgeEntry,
  type Notices,
} from './schema';

const SLUG = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const TAG = /^[A-Z][A-Za-z0-9]*$/;

/** How a value that does not fit is named in a message. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty string' : 'a string';
  return typeof value;
}

type Issue = v.BaseIssue<unknown>;
const got = (issue: Issue) => describe(issue.input);

const isMapping = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A mapping with these fields and no others; fields not wrapped in v.optional must be there. */
function mapping<const Entries extends v.ObjectEntries>(entries: Entries) {
  const known = Object.keys(entries).join(', ');
  return v.pipe(
    // A YAML list is an object too; valibot's object schemas would take it.
    v.custom<Record<string, unknown>>(isMapping, (issue) => `must be a mapping (got ${got(issue)})`),
    v.strictObject(entries, (issue) => (issue.expected === 'never' ? `is not a known field (expected one of: ${known})` : 'is missing')),
  );
}

/** A non-empty string. Prose has its whitespace folded (YAML line breaks); patterns are kept as written. */
function text({ raw = false } = {}) {
  const message = (issue: Issue) => `must be a non-empty string (got ${got(issue)})`;
  return v.pipe(
    v.string(message),
    v.check((s) => s.trim() !== '', message),
    v.transform((s) => (raw ? s.trim() : s.replace(/\s+/g, ' ').trim())),
  );
}

/** A list of `item`s; `what` names the items in the message for something else. */
function list<Item extends v.GenericSchema>(item: Item, what = '') {
  return v.array(item, (issue) => `must be a list${what} (got ${got(issue)})`);
}

/** A list of non-empty strings. */
const strings = (options?: { raw?: boolean }) => list(text(options), ' of strings');

function oneOf<const Options extends readonly string[]>(options: Options) {
  return v.picklist(options, (issue) => {
    const value = typeof issue.input === 'string' ? `"${issue.input}"` : got(issue);
    return `must be one of: ${options.join(', ')} (got ${value})`;
  });
}

/** A JavaScript regular expression that compiles and does not match the empty string. */
function checkRegex(source: string, caseSensitive: boolean): string | null {
  try {
    new RegExp(source, caseSensitive ? 'g' : 'gi');
  } catch (err) {
    return `is not a valid regular expression: ${(err as Error).message}`;
  }
  return new RegExp(source, caseSensitive ? '' : 'i').test('') ? 'must not match the empty string' : null;
}

/** A variant's pattern: a regular expression, tried case-insensitively. */
const variantPattern = v.pipe(
  text({ raw: true }),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? checkRegex(dataset.value, false) : null;
    if (problem) addIssue({ message: problem });
  }),
);

const contextualPattern = v.pipe(
  v.union(
    [
      text({ raw: true }),
      mapping({
        pattern: text({ raw: true }),
        caseSensitive: v.optional(v.boolean((issue) => `must be true or false (got ${got(issue)})`)),
      }),
    ],
    // For a value that is neither; a string or mapping with a problem inside reports that problem (see problems()).
    (issue) => `must be a non-empty string or a mapping with "pattern" (got ${got(issue)})`,
  ),
  v.transform((item): ContextPattern => (typeof item === 'string' ? { source: item, caseSensitive: false } : { source: item.pattern, caseSensitive: item.caseSensitive === true })),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? checkRegex(dataset.value.source, dataset.value.caseSensitive) : null;
    if (problem) addIssue({ message: problem });
  }),
);

const variant = mapping({
  id: v.pipe(
    text(),
    v.check(
      (id) => SLUG.test(id),
      (issue) => `must be a lowercase slug like "pacing" (got "${issue.input}")`,
    ),
  ),
  label: text(),
  pattern: variantPattern,
  cause: text(),
  fix: text(),
});

const example = v.union(
  [
    v.pipe(
      text({ raw: true }),
      v.transform((t): Example => ({ text: t, variant: null })),
    ),
    v.pipe(
      mapping({ text: text({ raw: true }), variant: v.optional(text()) }),
      v.transform((e): Example => ({ text: e.text, variant: e.variant ?? null })),
    ),
  ],
  (issue) => `must be a non-empty string or a mapping with "text" (got ${got(issue)})`,
);

/** The code as written: a whole number (an IBKR code) or a name such as `ConnectionRefusedError`. */
const code = v.union(
  [
    v.pipe(
      v.number(),
      v.check(
        (n) => Number.isInteger(n) && n !== 0 && n >= -1,
        (issue) => `must be a positive whole number, -1, or a string (got ${issue.input})`,
      ),
    ),
    v.pipe(
      text(),
      v.check(
        (s) => !/^\d+$/.test(s),
        (issue) => `must be written as a number, not the string "${issue.input}"`,
      ),
    ),
  ],
  (issue) => `must be a whole number or a non-empty string (got ${got(issue)})`,
);

/** Related terms: ports and codes may be written as YAML numbers. */
const related = list(v.union([v.pipe(v.number(), v.transform(String)), text()], (issue) => `must be a non-empty string (got ${got(issue)})`), ' of strings');

const entryFields = mapping({
  id: v.pipe(
    text(),
    v.check(
      (id) => SLUG.test(id) || id === 'ibkr--1',
      (issue) => `must be a lowercase slug like "connection-refused" (got "${issue.input}")`,
    ),
  ),
  category: oneOf(Object.keys(CATEGORIES) as Category[]),
  tag: v.optional(
    v.pipe(
      text(),
      v.check(
        (tag) => TAG.test(tag),
        (issue) => `must be a CamelCase word like "APIRuntime" (got "${issue.input}")`,
      ),
    ),
  ),
  severity: oneOf(SEVERITIES),
  side: v.optional(oneOf(['server', 'client'])),
  code,
  title: text(),
  summary: text(),
  symptoms: v.optional(strings(), []),
  causes: v.optional(strings(), []),
  checks: v.optional(strings(), []),
  resolution: v.optional(strings(), []),
  related: v.optional(related, []),
  match: mapping({
    messages: v.optional(strings({ raw: true }), []),
    contextual: v.optional(list(contextualPattern), []),
    context: v.optional(oneOf(CONTEXT_KINDS), 'ibkr'),
  }),
  variants: v.optional(list(variant), []),
  examples: v.pipe(
    list(example),
    v.minLength(1, 'must not be empty'),
  ),
  not_examples: v.optional(strings({ raw: true }), []),
});

type EntryFields = v.InferOutput<typeof entryFields>;

/** Rules between fields: the id follows the code; something to match; variant ids and names. */
const entrySchema = v.pipe(
  entryFields,
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const { id, code: written, match, variants, examples } = dataset.value;
    if (typeof written === 'number') {
      // -1 (C# FAIL_GENERIC) is the one negative code; its id is "ibkr--1", by the same rule.
      const expected = `ibkr-${written}`;
      if (id !== expected) addIssue({ message: `must be "${expected}" for IBKR error code ${written} (got "${id}")`, path: [pathItem('id', id)] });
    } else {
      if (id.startsWith('ibkr-')) addIssue({ message: `"ibkr-" ids are reserved for numbered IBKR codes (got "${id}")`, path: [pathItem('id', id)] });
      if (match.messages.length === 0 && match.contextual.length === 0) {
        addIssue({ message: 'needs at least one of "messages" or "contextual" when "code" is not a number', path: [pathItem('match', match)] });
      }
    }
    const seen = new Set<string>();
    variants.forEach((variant, i) => {
      if (seen.has(variant.id)) addIssue({ message: `"${variant.id}" is used twice`, path: [pathItem('variants', variants), pathItem(i, variant), pathItem('id', variant.id)] });
      seen.add(variant.id);
    });
    examples.forEach((example, i) => {
      if (example.variant !== null && !seen.has(example.variant)) {
        addIssue({
          message: `names no variant of this entry (got "${example.variant}")`,
          path: [pathItem('examples', examples), pathItem(i, example), pathItem('variant', example.variant)],
        });
      }
    });
  }),
  v.transform(toEntry),
) satisfies v.GenericSchema<unknown, KnowledgeEntry>;

function toEntry(fields: EntryFields): KnowledgeEntry {
  const numericCode = typeof fields.code === 'number' ? fields.code : null;
  return {
    id: fields.id,
    category: fields.category,
    tag: fields.tag ?? null,
    severity: fields.severity,
    side: fields.side ?? null,
    code: String(fields.code),
    numericCode,
    title: fields.title,
    summary: fields.summary,
    symptoms: fields.symptoms,
    causes: fields.causes,
    checks: fields.checks,
    resolution: fields.resolution,
    related: fields.related,
    match: fields.match,
    variants: fields.variants,
    examples: fields.examples,
    notExamples: fields.not_examples,
  };
}

const noticesSchema = mapping({
  boundary: mapping({ title: text(), text: text() }),
  trademark: text(),
}) satisfies v.GenericSchema<unknown, Notices>;

/** A path step for issues added by cross-field rules (valibot's own issues carry theirs). */
function pathItem(key: string | number, value: unknown): v.IssuePathItem {
  return typeof key === 'number'
    ? { type: 'array', origin: 'value', input: [], key, value }
    : { type: 'object', origin: 'value', input: {}, key, value };
}

/** `causes[1]`, `match.contextual[0].pattern`; null for the file as a whole. */
function fieldOf(path: readonly v.IssuePathItem[]): string | null {
  if (path.length === 0) return null;
  return path.map((item, i) => (typeof item.key === 'number' ? `[${item.key}]` : `${i === 0 ? '' : '.'}${String(item.key)}`)).join('');
}

interface Problem {
  field: string | null;
  problem: string;
}

/**
 * The problems worth showing, unknown fields first. A union (string or mapping, number or string)
 * that fits no option reports what was wrong inside the option the value was meant for (issues
 * with a path, or a failed check), else its own message.
 */
function problems(issues: readonly Issue[]): Problem[] {
  const found = issues.flatMap((issue) => {
    const inner = (issue.type === 'union' ? (issue.issues ?? []) : []).filter((i) => i.path?.length || i.kind === 'validation');
    const shown = inner.length === 0 ? [issue] : inner;
    return shown.map((i) => ({
      unknown: i.expected === 'never',
      field: fieldOf([...(shown === inner ? (issue.path ?? []) : []), ...(i.path ?? [])]),
      problem: i.message,
    }));
  });
  const seen = new Set<string>();
  return [...found.filter((p) => p.unknown), ...found.filter((p) => !p.unknown)]
    .filter(({ field, problem }) => !seen.has(`${field}: ${problem}`) && seen.add(`${field}: ${problem}`))
    .map(({ field, problem }) => ({ field, problem }));
}

function parse<Output>(schema: v.GenericSchema<unknown, Output>, raw: unknown, file: string): Output {
  const result = v.safeParse(schema, raw);
  if (result.success) return result.output;
  const [first, ...more] = problems(result.issues);
  throw new KnowledgeError(file, first.field, first.problem, more);
}

/** Validates one parsed entry file; `file` is the path used in error messages. */
export function validateEntry(raw: unknown, file: string): KnowledgeEntry {
  return parse(entrySchema, raw, file);
}

export function validateNotices(raw: unknown, file: string): Notices {
  return parse(noticesSchema, raw, file);
}

/** Checks rules that span entries: unique ids, unique numeric codes, id matching file name. */
export function validateKnowledgeBase(files: { file: string; entry: KnowledgeEntry }[], notices: Notices): KnowledgeBase {
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
