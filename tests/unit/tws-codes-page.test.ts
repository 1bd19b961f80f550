import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { readReference, readRuntimeCodes } from '../../knowledge/reference';
import { onTwsCodesPage, RUNTIME_ONLY_CODES } from '../../lib/tws-codes-page';

const entry = (id: string) => knowledge.entries.find((e) => e.id === id)!;

describe('onTwsCodesPage', () => {
  it('is true for numbered socket-API codes only', () => {
    for (const id of ['ibkr-326', 'ibkr-502', 'ibkr-1100', 'ibkr-2104', 'ibkr-10091']) expect(onTwsCodesPage(entry(id)), id).toBe(true);
    expect(onTwsCodesPage(entry('ibkr--1'))).toBe(false);
    const notOnIt = knowledge.entries.filter((e) => e.category === 'cpapi' || e.numericCode === null);
    expect(notOnIt.map((e) => e.id)).toEqual(expect.arrayContaining(['cpapi-no-bridge', 'connection-refused', 'api-connection-failed']));
    for (const e of notOnIt) expect(onTwsCodesPage(e), e.id).toBe(false);
  });

  it('is false for the codes met only at runtime, which the official table lacks', () => {
    const official = new Set(readReference().map((r) => r.code));
    const runtimeOnly = readRuntimeCodes().map((r) => r.code).filter((code) => !official.has(code));
    // A new row in knowledge/runtime-codes.tsv for a code the table lacks goes into RUNTIME_ONLY_CODES too.
    expect([...RUNTIME_ONLY_CODES].sort((a, b) => a - b)).toEqual([...new Set(runtimeOnly)].sort((a, b) => a - b));
    for (const code of runtimeOnly) {
      const e = knowledge.entries.find((x) => x.numericCode === code);
      if (e) expect(onTwsCodesPage(e), e.id).toBe(false);
    }
  });
});
