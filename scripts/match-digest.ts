/**
 * Every match of a large varied corpus, as one digest: run it before and after a change to the
 * matcher that must not change a single match, and compare (`npx tsx scripts/match-digest.ts`;
 * `--dump file` writes every match, one line each, to diff when the digests differ).
 *
 * The corpus: every message of the reference tables (alone and in the usual log shapes, with and
 * without context, and all in one text), the thread corpus and the e2e pages as text, the bench's
 * lines, and the matcher calls the annotator makes on the 4.7 MB thread of `bench:pages -- --cost`
 * (batches through matchTogether, the rest with the context they were given).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge } from '../knowledge/load';
import { matchTogether } from '../lib/annotate/batch';
import { createMatcher, type Match, type MatchOptions } from '../lib/matcher';
import { BENCH_LINES } from './bench-text';
import { recordCalls } from './perf/matcher-calls';
import { threadPage } from './perf/pages';

const root = new URL('..', import.meta.url).pathname;
const matcher = createMatcher(loadKnowledge().entries);
const lines: string[] = [];
const sections = new Map<string, ReturnType<typeof createHash>>();

function add(section: string, label: string, matches: Match[]): void {
  const line = `${section}\t${label}\t${JSON.stringify(matches.map((m) => [m.start, m.end, m.entryId, m.rule, m.variant, m.reason]))}`;
  lines.push(line);
  let hash = sections.get(section);
  if (!hash) sections.set(section, (hash = createHash('sha256')));
  hash.update(line + '\n');
}

const MODES: [string, MatchOptions][] = [
  ['plain', {}],
  ['context', { context: true, cpapiContext: true }],
];
function matchAll(section: string, label: string, text: string): void {
  for (const [mode, options] of MODES) add(section, `${label} ${mode}`, matcher.find(text, options));
}

/** The message column of a TSV table, with the code column when there is one. */
function tsvRows(path: string, message: string, code?: string): { code: string; message: string }[] {
  const [head, ...rows] = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const cols = head.split('\t');
  return rows.map((r) => {
    const cells = r.split('\t');
    return { code: code ? cells[cols.indexOf(code)] : '', message: cells[cols.indexOf(message)] ?? '' };
  });
}

const reference = [
  ...tsvRows(join(root, 'tests/fixtures/reference/ibkr-codes.tsv'), 'message', 'code'),
  ...tsvRows(join(root, 'knowledge/runtime-codes.tsv'), 'message', 'code'),
  ...tsvRows(join(root, 'tests/fixtures/reference/cpapi-messages.tsv'), 'message_text'),
];
const shaped = reference.flatMap(({ code, message }, i) => {
  const shapes = [message, `I keep getting ${message} when I connect`];
  if (code) {
    shapes.push(
      `Error ${code}, reqId -1: ${message}`,
      `2024-05-01 09:29:01 ERROR -1 ${code} ${message}`,
      `Error. Id: 7, Code: ${code}, Msg: ${message}`,
      `${code} - ${message}`,
      `-1 ${code} ${message}`,
      `I get error ${code} every morning: "${message}"`,
    );
  }
  return shapes.map((text, k) => ({ label: `${i}.${k}`, text }));
});
for (const { label, text } of shaped) matchAll('reference', label, text);
matchAll('reference-joined', 'all', shaped.map((s) => s.text).join('\n'));

/** A page's text, roughly as a block's runs read: tags dropped, entities decoded. */
function pageText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(?:p|div|li|h\d|pre|tr|blockquote)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
for (const dir of ['tests/fixtures/threads', 'tests/e2e/pages']) {
  for (const file of readdirSync(join(root, dir)).filter((f) => f.endsWith('.html')).sort()) {
    const text = pageText(readFileSync(join(root, dir, file), 'utf8'));
    matchAll('pages', file, text);
    text.split('\n').forEach((line, k) => line.trim() && add('page-lines', `${file}:${k}`, matcher.find(line)));
  }
}

matchAll('bench', 'lines', Array.from({ length: 2_000 }, (_, i) => BENCH_LINES[i % BENCH_LINES.length]).join('\n'));

const calls = await recordCalls(threadPage(), matcher);
calls.forEach((call, k) => {
  if ('batch' in call) {
    const { byText, spanning } = matchTogether(matcher, call.batch);
    for (const [i, matches] of byText) add('thread', `${k}.${i}${spanning.has(i) ? ' spanning' : ''}`, matches);
  } else {
    const { text, context, cpapiContext, edges } = call;
    add('thread', `${k}`, matcher.find(text, { context: () => context, cpapiContext: () => cpapiContext, edges: edges && (() => edges) }));
  }
});

const all = createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
const matches = lines.reduce((n, l) => n + (JSON.parse(l.split('\t')[2]) as unknown[]).length, 0);
console.log(`match digest ${all}: ${lines.length} texts, ${matches} matches`);
for (const [section, hash] of sections) console.log(`  ${section.padEnd(18)} ${hash.digest('hex').slice(0, 16)}`);
const dump = process.argv.indexOf('--dump');
if (dump > 0) writeFileSync(process.argv[dump + 1], lines.join('\n') + '\n');
