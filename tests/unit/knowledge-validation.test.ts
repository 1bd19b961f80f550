import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { loadKnowledge } from '../../knowledge/load';
import { KnowledgeError } from '../../knowledge/schema';
import { validateEntry } from '../../knowledge/validate';

const ROOT = new URL('../..', import.meta.url).pathname;
const BROKEN = join(ROOT, 'tests/fixtures/knowledge-broken');
const GOOD_ENTRY = parse(readFileSync(join(ROOT, 'knowledge/entries/ibkr-326.yaml'), 'utf8')) as Record<string, unknown>;

/** The message thrown by validating `entry` as `file`, or "" when it is valid. */
function problem(entry: unknown, file = 'knowledge/entries/ibkr-326.yaml'): string {
  try {
    validateEntry(entry, file);
    return '';
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeError);
    return (err as Error).message;
  }
}

const without = (field: string) => Object.fromEntries(Object.entries(GOOD_ENTRY).filter(([k]) => k !== field));
const withField = (field: string, value: unknown) => ({ ...GOOD_ENTRY, [field]: value });

describe('knowledge loader', () => {
  it('loads the shipped knowledge base', () => {
    const kb = loadKnowledge(join(ROOT, 'knowledge'), ROOT);
    expect(kb.entries.length).toBeGreaterThanOrEqual(471);
  });

  it('names the file and the field of the broken fixture', () => {
    expect(() => loadKnowledge(BROKEN, ROOT)).toThrow(
      'tests/fixtures/knowledge-broken/entries/ibkr-326.yaml: field "checks" must be a list of strings (got a string)',
    );
  });

  it('names the file of an entry that is not valid YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ibkr-kb-'));
    try {
      cpSync(BROKEN, dir, { recursive: true });
      writeFileSync(join(dir, 'entries/ibkr-326.yaml'), 'id: ibkr-326\ntitle: [unclosed\n');
      expect(() => loadKnowledge(dir, dir)).toThrow(/^entries\/ibkr-326\.yaml: is not valid YAML/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects two files with the same code, naming the second', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ibkr-kb-'));
    try {
      cpSync(join(ROOT, 'knowledge'), dir, { recursive: true });
      const copy = { ...GOOD_ENTRY, id: 'ibkr-326' };
      writeFileSync(join(dir, 'entries/ibkr-326.yml'), stringify(copy));
      expect(() => loadKnowledge(dir, dir)).toThrow(/entries\/ibkr-326\.yml: field "id" "ibkr-326" is already used by entries\/ibkr-326\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('entry schema', () => {
  it('accepts the shipped entry', () => {
    expect(problem(GOOD_ENTRY)).toBe('');
  });

  it.each([
    ['a missing field', without('summary'), 'field "summary" is missing'],
    ['no examples', withField('examples', []), 'field "examples" must not be empty'],
    ['a bad severity', withField('severity', 'high'), 'field "severity" must be one of: error, warning, info, system (got "high")'],
    ['an unknown category', withField('category', 'runtime'), 'field "category" must be one of: connectivity,'],
    ['a variant without a fix', withField('variants', [{ id: 'x', label: 'X', pattern: 'x', cause: 'c' }]), 'field "variants[0].fix" is missing'],
    ['two variants with one id', withField('variants', [{ id: 'x', label: 'X', pattern: 'x', cause: 'c', fix: 'f' }, { id: 'x', label: 'Y', pattern: 'y', cause: 'c', fix: 'f' }]), 'field "variants[1].id" "x" is used twice'],
    ['an example that is a number', withField('examples', ['Error 326, reqId 1: x', 42]), 'field "examples[1]" must be a non-empty string or a mapping with "text" (got number)'],
    ['a contextual pattern without its pattern', withField('match', { contextual: [{ caseSensitive: true }] }), 'field "match.contextual[0].pattern" is missing'],
    ['an example naming no variant', withField('examples', [{ text: 'Error 326, reqId 1: x', variant: 'nope' }]), 'field "examples[0].variant" names no variant of this entry (got "nope")'],
    ['a number inside a list', withField('causes', ['ok', 42]), 'field "causes[1]" must be a non-empty string (got number)'],
    ['an empty title', withField('title', '  '), 'field "title" must be a non-empty string (got an empty string)'],
    ['an unknown field', withField('severity_level', 'high'), 'field "severity_level" is not a known field'],
    ['an id that does not follow the code', withField('id', 'client-id'), 'field "id" must be "ibkr-326" for IBKR error code 326'],
    ['an id that is not a slug', withField('id', 'Ibkr 326'), 'field "id" must be a lowercase slug'],
    ['a code written as a string of digits', withField('code', '326'), 'field "code" must be written as a number'],
    ['a negative code other than -1', withField('code', -2), 'field "code" must be a positive whole number, -1, or a string'],
    ['a lowercase tag', withField('tag', 'runtime'), 'field "tag" must be a CamelCase word'],
    ['a bad regular expression', withField('match', { contextual: ['(unclosed'] }), 'field "match.contextual[0]" is not a valid regular expression'],
    ['a pattern matching nothing in particular', withField('match', { contextual: ['x*'] }), 'field "match.contextual[0]" must not match the empty string'],
    ['a non-boolean caseSensitive', withField('match', { contextual: [{ pattern: 'x', caseSensitive: 'yes' }] }), 'field "match.contextual[0].caseSensitive" must be true or false'],
    ['an unknown match key', withField('match', { regex: ['x'] }), 'field "match.regex" is not a known field'],
    ['an unknown context kind', withField('match', { messages: ['x y'], context: 'web' }), 'field "match.context" must be one of: ibkr, cpapi (got "web")'],
    ['a list instead of a mapping', ['id', 'ibkr-326'], 'must be a mapping (got a list)'],
  ])('rejects %s', (_name, entry, message) => {
    const got = problem(entry);
    expect(got.startsWith('knowledge/entries/ibkr-326.yaml: ')).toBe(true);
    expect(got).toContain(message);
  });

  it('names every problem of a file, a misspelt field first', () => {
    const { summary, ...rest } = GOOD_ENTRY;
    expect(problem({ ...rest, summery: summary, causes: ['ok', 42] }, 'x.yaml').split('\n')).toEqual([
      expect.stringMatching(/^x\.yaml: field "summery" is not a known field \(expected one of: id, category, .*, not_examples\)$/),
      'x.yaml: field "summary" is missing',
      'x.yaml: field "causes[1]" must be a non-empty string (got number)',
    ]);
  });

  it('rejects a slug entry with nothing to match', () => {
    const entry = { ...GOOD_ENTRY, id: 'socket-error', code: 'SocketError', match: {} };
    expect(problem(entry, 'x.yaml')).toBe(
      'x.yaml: field "match" needs at least one of "messages" or "contextual" when "code" is not a number',
    );
  });

  it('reads the context a Client Portal entry needs, ibkr when absent', () => {
    expect(validateEntry(GOOD_ENTRY, 'x.yaml').match.context).toBe('ibkr');
    const cp = { ...GOOD_ENTRY, id: 'cpapi-x', code: 'x', match: { context: 'cpapi', contextual: ['no bridge'] } };
    expect(validateEntry(cp, 'x.yaml').match.context).toBe('cpapi');
  });

  it('folds YAML line breaks in prose but keeps patterns as written', () => {
    const entry = validateEntry(
      { ...GOOD_ENTRY, summary: 'one\n  two', match: { contextual: ['a  b\\s'] } },
      'x.yaml',
    );
    expect(entry.summary).toBe('one two');
    expect(entry.match.contextual[0].source).toBe('a  b\\s');
  });
});

describe('the build', () => {
  it('fails on the broken fixture, naming the file and the field', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ibkr-out-'));
    try {
      const run = promisify(execFile)(join(ROOT, 'node_modules/.bin/wxt'), ['build'], {
        cwd: ROOT,
        env: { ...process.env, IBKR_KNOWLEDGE_DIR: BROKEN, IBKR_OUT_DIR: out, NO_COLOR: '1' },
      });
      const err = await run.then(
        () => null,
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(err, 'wxt build succeeded on a broken knowledge base').not.toBeNull();
      expect(err!.code).not.toBe(0);
      expect(err!.stdout + err!.stderr).toContain(
        'tests/fixtures/knowledge-broken/entries/ibkr-326.yaml: field "checks" must be a list of strings',
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
