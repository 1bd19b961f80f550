/**
 * The full catalog: every code of the reference TSV has an entry that carries its official
 * texts verbatim and agrees with its side and severity, and no entry is left as a placeholder.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import knowledge from '../../knowledge';
import { qualityProblems, TOP_CODES } from '../../knowledge/quality';
import { COPY_TSV, SHARED_TSV, readReference, referenceByCode, referencePath, severityOf } from '../../knowledge/reference';

const rows = readReference(referencePath());
const byCode = referenceByCode(rows);
const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
const idOf = (code: number) => `ibkr-${code}`;

describe('the reference catalog', () => {
  it.runIf(existsSync(SHARED_TSV))('keeps its committed copy identical to the shared TSV', () => {
    expect(readFileSync(COPY_TSV, 'utf8')).toBe(readFileSync(SHARED_TSV, 'utf8'));
  });

  it('reads every code of the TSV (470 codes)', () => {
    expect(byCode.size).toBeGreaterThanOrEqual(470);
  });
});

describe('every code has an entry', () => {
  it('has an entry ibkr-<code> for each code of the TSV', () => {
    const missing = [...byCode.keys()].filter((code) => !byId.has(idOf(code)));
    expect(missing, `codes without an entry: ${missing.join(', ')}`).toEqual([]);
  });

  it('carries every official message of a code verbatim in match.messages', () => {
    const missing: string[] = [];
    for (const [code, list] of byCode) {
      const entry = byId.get(idOf(code));
      if (!entry) continue;
      for (const { message } of list) {
        if (message.trim() !== '' && !entry.match.messages.includes(message)) missing.push(`${entry.id}: "${message}"`);
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

  it('has no numbered entry for a code the TSV does not know, except most-met codes seen only at runtime', () => {
    // 10182 ("Failed to request live updates (disconnected).") is one of the most-met codes but
    // is in no official table: its entry carries the runtime text.
    const top = new Set<number>(TOP_CODES);
    const unknown = knowledge.entries
      .filter((e) => e.numericCode !== null && !byCode.has(e.numericCode) && !top.has(e.numericCode))
      .map((e) => e.id);
    expect(unknown).toEqual([]);
    expect(byCode.has(10182)).toBe(false);
  });
});

describe('editorial quality', () => {
  it('has no placeholder text and no summary used twice', () => {
    const problems = qualityProblems(knowledge.entries);
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
});
