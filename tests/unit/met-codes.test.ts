/**
 * The codes people meet (knowledge/met-codes.tsv, measured in public threads as knowledge/README.md
 * describes): the counts hold together, every row names a real entry, and at least 98% of the
 * counted mentions land on a full entry.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import knowledge from '../../knowledge';
import { fullEntryShare, isFullEntry, readMetCodes } from '../../knowledge/met-codes';

const met = readMetCodes();
const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
const mentions = met.reduce((n, m) => n + m.threads, 0);

describe('knowledge/met-codes.tsv', () => {
  it('counts each thread once per entry, with its public address', () => {
    const wrong = met.filter((m) => m.urls.length !== m.threads || new Set(m.urls).size !== m.urls.length || !m.urls.every((u) => /^https:\/\/\S+$/.test(u)));
    expect(wrong.map((m) => m.entry)).toEqual([]);
  });

  it('names entries that exist, under their own code', () => {
    const wrong = met.filter((m) => {
      const e = byId.get(m.entry);
      return !e || (e.numericCode !== null && String(e.numericCode) !== m.code);
    });
    expect(wrong.map((m) => m.entry)).toEqual([]);
  });

  it('adds up to the mentions the recorded queries found', () => {
    const [, ...rows] = readFileSync(new URL('../../knowledge/met-codes-queries.tsv', import.meta.url), 'utf8').trim().split('\n');
    const found = rows.map((r) => r.split('\t')).reduce((n, cols) => n + Number(cols[3]), 0);
    expect(rows.length).toBeGreaterThanOrEqual(50);
    expect(found).toBe(mentions);
  });
});

describe('the long tail lands on full entries', () => {
  it('has at least 98% of the counted mentions on a full entry', () => {
    const notFull = met.filter((m) => !isFullEntry(byId.get(m.entry)!)).map((m) => `${m.entry} (${m.threads})`);
    expect(fullEntryShare(met, knowledge.entries), `not full: ${notFull.join(', ')}`).toBeGreaterThanOrEqual(0.98);
  });

  it('fullEntryShare counts mentions, not codes', () => {
    const full = byId.get('ibkr-326')!;
    const bare = { ...full, id: 'ibkr-999', causes: [] };
    const rows = [
      { entry: 'ibkr-326', code: '326', threads: 3, urls: [] },
      { entry: 'ibkr-999', code: '999', threads: 1, urls: [] },
    ];
    expect(fullEntryShare(rows, [full, bare])).toBe(0.75);
  });
});
