import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import knowledge from '../../knowledge';

// The original knowledge base, kept in the repository so the check runs on any clone.
const SEED = new URL('../fixtures/seed.txt', import.meta.url);
// Where the team's shared seed lives beside the repository, when it does.
const SHARED_SEED = new URL('../../../shared/seeds/000_5a0b9455919dcd54.txt', import.meta.url);

describe('bundled knowledge base', () => {
  it('keeps the four seed entries under their stable ids', () => {
    const ids = knowledge.entries.map((e) => e.id);
    for (const id of ['connection-refused', 'ibkr-321', 'ibkr-326', 'ibkr-504']) expect(ids).toContain(id);
  });

  it('carries every line of the seed', () => {
    // Every line of the seed must reach users.
    const seed = readFileSync(SEED, 'utf8');
    const all = JSON.stringify(knowledge);
    const kbText = [
      ...knowledge.entries.flatMap((e) => [
        `${e.tag}${e.numericCode ?? e.code}`,
        e.title,
        ...e.symptoms,
        ...e.causes,
        ...e.checks,
        ...e.resolution,
        `Related terms: ${e.related.join(', ')}`,
      ]),
      knowledge.notices.boundary.title,
      knowledge.notices.boundary.text,
      knowledge.notices.trademark,
    ];
    const headings = new Set(['Typical symptoms', 'Likely causes', 'Checks', 'Resolution path']);
    for (const raw of seed.split('\n')) {
      const line = raw.replace(/^- /, '').trim();
      if (line === '' || headings.has(line)) continue;
      expect(kbText, `seed line missing: ${line}`).toContain(line);
    }
    expect(all).toContain('Educational boundary');
  });

  it.runIf(existsSync(SHARED_SEED))('keeps its copy of the seed identical to the shared one', () => {
    expect(readFileSync(SEED, 'utf8')).toBe(readFileSync(SHARED_SEED, 'utf8'));
  });

  it('has numbered entries for 326, 504 and 321 and a slug for the socket error', () => {
    const byId = Object.fromEntries(knowledge.entries.map((e) => [e.id, e]));
    expect(byId['ibkr-326'].numericCode).toBe(326);
    expect(byId['ibkr-504'].numericCode).toBe(504);
    expect(byId['ibkr-321'].numericCode).toBe(321);
    expect(byId['connection-refused'].numericCode).toBeNull();
    expect(byId['connection-refused'].code).toBe('ConnectionRefusedError / WinError 10061');
    expect(byId['ibkr-326'].title).toBe('Client ID is already in use');
    expect(byId['ibkr-326'].related).toEqual(['clientId', 'duplicate client', 'ib_insync', 'notebook', 'session']);
  });
});
