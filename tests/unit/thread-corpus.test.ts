// @vitest-environment happy-dom
/**
 * The thread corpus (tests/fixtures/threads, docs/matching.md "The thread corpus"): real public
 * threads where users paste IBKR socket-API errors, and look-alike threads that must stay unmarked,
 * each marked by the real annotator as a page would be, and compared with what a careful engineer
 * expects (expectations.yaml): every expected mention found with its exact extent and entry, no
 * marker anywhere else. Reads marks through the annotator's public API only (its markers, matchOf,
 * groupOf), so it holds however the annotator paints them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';

const DIR = join(__dirname, '../fixtures/threads');
const matcher = createMatcher(knowledge.entries);

interface Expected {
  id: string;
  text: string;
  accept?: string[];
  reason?: string;
  variant?: string;
  optional?: boolean;
}

interface Marked {
  id: string;
  text: string;
  reason: string | null;
  variant: string | null;
}

const expectations = parse(readFileSync(join(DIR, 'expectations.yaml'), 'utf8')) as Record<string, Expected[]>;
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.html'))
  .map((f) => f.slice(0, -'.html'.length))
  .sort();

/** The page's address and title, from the fixture's opening comments. */
function header(html: string): { url: string; title: string } {
  const url = /<!-- source: (.*?) -->/.exec(html)?.[1] ?? '';
  const title = /<!-- title: (.*?) -->/.exec(html)?.[1] ?? '';
  return { url, title };
}

/** Loads a fixture as the page shown now and marks it as the content script would. */
function markFixture(name: string): Marked[] {
  const html = readFileSync(join(DIR, `${name}.html`), 'utf8');
  const { url, title } = header(html);
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(url);
  document.title = title;
  document.body.innerHTML = html; // test fixture: public thread text saved in this repository
  const annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined });
  annotator.enqueue(document.body);
  annotator.flush();
  const marks = marksOf(annotator);
  annotator.destroy();
  return marks;
}

/** Each mention once, in document order: its entry, the text it covers, its reason and variant. */
function marksOf(annotator: Annotator): Marked[] {
  const out: Marked[] = [];
  for (const el of document.querySelectorAll(`[${MARKER_ATTR}]`)) {
    if (!annotator.isOwnMarker(el)) continue;
    const group = annotator.groupOf(el);
    if (group[0] !== el) continue;
    const match = annotator.matchOf(el)!;
    const text = el.getAttribute('aria-label') ?? group.map((piece) => piece.textContent).join('');
    out.push({ id: match.entryId, text, reason: match.reason, variant: match.variant });
  }
  return out;
}

interface Outcome {
  /** Expected mentions found with their exact extent and entry. */
  exact: number;
  /** Expected mentions (not optional). */
  expected: number;
  /** Marks that are not optional mentions. */
  marked: number;
  problems: string[];
}

const show = (s: string) => JSON.stringify(s);

/** Whether two texts are about the same mention: one holds the other, or they share 12 characters. */
function overlaps(a: string, b: string): boolean {
  if (a.includes(b) || b.includes(a)) return true;
  for (let i = 0; i + 12 <= b.length; i += 4) if (a.includes(b.slice(i, i + 12))) return true;
  return false;
}

/** Compares the marks of a fixture with its expectations, in document order. */
function compare(expected: readonly Expected[], marked: readonly Marked[]): Outcome {
  const problems: string[] = [];
  const used = new Set<number>();
  const matchedTo = new Map<number, number>();
  const texts = (e: Expected) => [e.text, ...(e.accept ?? [])];
  // Exact extent and entry first, each mark to the first expected mention it fits.
  marked.forEach((m, mi) => {
    const ei = expected.findIndex((e, i) => !used.has(i) && e.id === m.id && texts(e).includes(m.text));
    if (ei < 0) return;
    used.add(ei);
    matchedTo.set(mi, ei);
    const e = expected[ei];
    if (e.reason !== undefined && m.reason !== e.reason) problems.push(`reason: ${show(m.text)} gives ${show(m.reason ?? 'null')}, expected ${show(e.reason)}`);
    if (e.variant !== undefined && m.variant !== e.variant) problems.push(`variant: ${show(m.text)} gives ${m.variant}, expected ${e.variant}`);
  });
  let exact = [...matchedTo.values()].filter((ei) => !expected[ei].optional).length;
  // Then the same mention with another extent or entry: a required mention of the same entry
  // first, an optional one last.
  const overlapping = (m: Marked, want: (e: Expected) => boolean) =>
    expected.findIndex((e, i) => !used.has(i) && want(e) && texts(e).some((t) => overlaps(t, m.text)));
  marked.forEach((m, mi) => {
    if (matchedTo.has(mi)) return;
    let ei = overlapping(m, (e) => !e.optional && e.id === m.id);
    if (ei < 0) ei = overlapping(m, (e) => !e.optional);
    if (ei < 0) ei = overlapping(m, () => true);
    if (ei < 0) {
      problems.push(`extra: ${show(m.text)} marked as ${m.id}`);
      return;
    }
    used.add(ei);
    matchedTo.set(mi, ei);
    const e = expected[ei];
    if (e.optional) return;
    if (e.id !== m.id) problems.push(`entry: ${show(m.text)} marked as ${m.id}, expected ${e.id}`);
    else problems.push(`extent: marked ${show(m.text)}, expected ${show(e.text)}`);
  });
  expected.forEach((e, i) => {
    if (!used.has(i) && !e.optional) problems.push(`missed: ${show(e.text)} (${e.id})`);
  });
  const optionalMarks = [...matchedTo.values()].filter((ei) => expected[ei].optional).length;
  return { exact, expected: expected.filter((e) => !e.optional).length, marked: marked.length - optionalMarks, problems };
}

const outcomes = new Map<string, Outcome>();

describe('the thread corpus', () => {
  it('has an expectation for every fixture and a fixture for every expectation', () => {
    expect(Object.keys(expectations).sort()).toEqual(fixtures);
  });

  it.each(fixtures)('%s', (name) => {
    const outcome = compare(expectations[name] ?? [], markFixture(name));
    outcomes.set(name, outcome);
    expect(outcome.problems).toEqual([]);
  });

  afterAll(() => {
    // The corpus figures (docs/matching.md): printed, not asserted; the per-fixture cases assert.
    let expectedAll = 0;
    let exactAll = 0;
    let markedAll = 0;
    let found = 0;
    let lookAlikeMarks = 0;
    const lines: string[] = [];
    for (const [name, o] of outcomes) {
      expectedAll += o.expected;
      exactAll += o.exact;
      markedAll += o.marked;
      const wrongExtent = o.problems.filter((p) => p.startsWith('extent:')).length;
      found += o.exact + wrongExtent;
      if (o.expected === 0) lookAlikeMarks += o.marked;
      for (const p of o.problems) lines.push(`  ${name}: ${p}`);
    }
    const pct = (a: number, b: number) => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
    const threads = [...outcomes.values()].filter((o) => o.expected > 0).length;
    console.log(
      [
        `thread corpus: ${outcomes.size} fixtures (${threads} with IBKR errors, ${outcomes.size - threads} look-alikes), ${expectedAll} expected mentions`,
        `  recall ${pct(found, expectedAll)} (found with the right entry), extent exact ${pct(exactAll, expectedAll)}, precision ${pct(found, markedAll)} (${markedAll} marks), marks on look-alikes ${lookAlikeMarks}`,
        ...lines,
      ].join('\n'),
    );
  });
});
