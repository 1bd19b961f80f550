import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { onTwsCodesPage } from '../../lib/tws-codes-page';

const entry = (id: string) => knowledge.entries.find((e) => e.id === id)!;

describe('onTwsCodesPage', () => {
  it('is true for numbered socket-API codes only', () => {
    for (const id of ['ibkr-326', 'ibkr-502', 'ibkr-1100', 'ibkr-2104', 'ibkr-10091']) expect(onTwsCodesPage(entry(id)), id).toBe(true);
    expect(onTwsCodesPage(entry('ibkr--1'))).toBe(false);
    const notOnIt = knowledge.entries.filter((e) => e.category === 'cpapi' || e.numericCode === null);
    expect(notOnIt.map((e) => e.id)).toEqual(expect.arrayContaining(['cpapi-no-bridge', 'connection-refused', 'api-connection-failed']));
    for (const e of notOnIt) expect(onTwsCodesPage(e), e.id).toBe(false);
  });
});
