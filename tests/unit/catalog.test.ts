/**
 * The full catalog: every code of the reference TSV, and of our supplement of codes met at
 * runtime (knowledge/runtime-codes.tsv), has an entry that carries its texts verbatim and agrees
 * with its side and severity, and no entry is left as a placeholder.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import knowledge from '../../knowledge';
import { readMetCodes } from '../../knowledge/met-codes';
import { qualityProblems } from '../../knowledge/quality';
import {
  COPY_TSV,
  SHARED_TSV,
  hasText,
  readReference,
  readRuntimeCodes,
  referenceByCode,
  referencePath,
  severityOf,
} from '../../knowledge/reference';

const official = readReference(referencePath());
const runtime = readRuntimeCodes();
const officialByCode = referenceByCode(official);
const byCode = referenceByCode([...official, ...runtime]);
const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
const idOf = (code: number) => `ibkr-${code}`;

describe('the reference catalog', () => {
  it.runIf(existsSync(SHARED_TSV))('keeps its committed copy identical to the shared TSV', () => {
    expect(readFileSync(COPY_TSV, 'utf8')).toBe(readFileSync(SHARED_TSV, 'utf8'));
  });

  it('reads every code of the TSV (470 codes)', () => {
    expect(officialByCode.size).toBeGreaterThanOrEqual(470);
  });
});

describe('the runtime supplement (knowledge/runtime-codes.tsv)', () => {
  it('adds only codes the official table lacks, or gives no text for', () => {
    const clashing = runtime.filter((r) => (officialByCode.get(r.code) ?? []).some(hasText)).map((r) => r.code);
    expect(clashing).toEqual([]);
  });

  it('says for every row where it was seen, with a public link', () => {
    const unsourced = runtime.filter((r) => !/https:\/\/\S+/.test(r.source)).map((r) => r.code);
    expect(unsourced).toEqual([]);
  });

  it('shows each runtime text in an example of its entry (the examples test resolves them)', () => {
    const missing = runtime
      .filter((r) => {
        const stem = r.message.split('%s')[0].slice(0, 40);
        return !byId.get(idOf(r.code))?.examples.some((x) => x.text.includes(stem));
      })
      .map((r) => r.code);
    expect(missing).toEqual([]);
  });

  it('files 10349, the order-preset TIF notice, as a warning that is not a rejection', () => {
    const row = runtime.find((r) => r.code === 10349)!;
    expect(row.message).toBe('Order TIF was set to DAY based on order preset.');
    expect(row.source).toMatch(/ib_async\/issues\/191/);
    const entry = byId.get('ibkr-10349')!;
    expect(entry.severity).toBe('warning');
    expect(entry.summary).toMatch(/^Not a rejection/);
  });

  it('gives 10091 its runtime text, which the official table leaves out', () => {
    expect(official.filter((r) => r.code === 10091).some(hasText)).toBe(false);
    expect(byId.get('ibkr-10091')!.match.messages).toEqual([
      "Part of requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details.",
    ]);
  });
});

describe('every code has an entry', () => {
  it('has an entry ibkr-<code> for each code of the TSV and of the supplement', () => {
    const missing = [...byCode.keys()].filter((code) => !byId.has(idOf(code)));
    expect(missing, `codes without an entry: ${missing.join(', ')}`).toEqual([]);
  });

  it('carries every official message of a code verbatim in match.messages', () => {
    const missing: string[] = [];
    for (const [code, list] of byCode) {
      const entry = byId.get(idOf(code));
      if (!entry) continue;
      for (const row of list) {
        if (hasText(row) && !entry.match.messages.includes(row.message)) missing.push(`${entry.id}: "${row.message}"`);
      }
    }
    expect(missing, missing.join('\n')).toEqual([]);
  });

  it('agrees with the TSV on side and severity', () => {
    const wrong: string[] = [];
    for (const [code, list] of byCode) {
      const entry = byId.get(idOf(code));
      if (!entry) continue;
      const severity = severityOf(code, list);
      if (entry.severity !== severity) wrong.push(`${entry.id}: severity ${entry.severity}, TSV says ${severity}`);
      if (entry.side !== list[0].side) wrong.push(`${entry.id}: side ${entry.side}, TSV says ${list[0].side}`);
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('has no numbered entry for a code that neither the TSV nor the supplement knows', () => {
    const unknown = knowledge.entries.filter((e) => e.numericCode !== null && !byCode.has(e.numericCode)).map((e) => e.id);
    expect(unknown).toEqual([]);
  });
});

describe('editorial quality', () => {
  it('has no placeholder text and no summary used twice', () => {
    const problems = qualityProblems(knowledge.entries, new Set(readMetCodes().map((m) => m.entry)));
    expect(problems, `${problems.length} problems, first: ${problems.slice(0, 20).join('\n')}`).toEqual([]);
  });

  it('qualityProblems rejects placeholder text and duplicated summaries', () => {
    const base = byId.get('ibkr-326')!;
    const problems = qualityProblems([
      { ...base, id: 'a', title: 'TODO title' },
      { ...base, id: 'b' },
    ]);
    expect(problems).toContain('a: title is placeholder text: "TODO title"');
    expect(problems).toContain("b: summary is the same as a's");
  });

  it('qualityProblems asks entries met in public threads to be full', () => {
    const bare = { ...byId.get('ibkr-326')!, id: 'ibkr-999', numericCode: 999, causes: [], summary: 'A different summary so that only the fullness is at stake.' };
    expect(qualityProblems([bare])).toEqual([]);
    expect(qualityProblems([bare], new Set(['ibkr-999']))).toEqual(['ibkr-999: met in public threads (knowledge/met-codes.tsv), it needs "causes"']);
  });
});
