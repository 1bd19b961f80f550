/**
 * Knowledge corrected after a check against IBKR's documentation and public threads (issue 12):
 * each corrected case resolves from a real log line to the entry and variant that now carries
 * the right cause and fix.
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const entry = (id: string): KnowledgeEntry => knowledge.entries.find((e) => e.id === id)!;
const variant = (id: string, variantId: string) => entry(id).variants.find((v) => v.id === variantId)!;
const prose = (e: KnowledgeEntry): string =>
  [e.title, e.summary, ...e.symptoms, ...e.causes, ...e.checks, ...e.resolution, ...e.variants.flatMap((v) => [v.label, v.cause, v.fix])].join('\n');

/** The one entry and variant the matcher gives a log line. */
function resolve(line: string): { entryId: string; variant: string | null } {
  const found = matcher.find(line);
  expect(found, line).toHaveLength(1);
  return { entryId: found[0].entryId, variant: found[0].variant };
}

describe('10311: blocked by the API precautions, not "routed directly"', () => {
  const line =
    'Error 10311, reqId 9: This order will be directly routed to ISLAND. Direct routed orders may result in higher trade fees. Restriction is specified in Precautionary Settings of Global Configuration/API.';

  it('resolves the runtime line to 10311', () => {
    expect(resolve(line).entryId).toBe('ibkr-10311');
  });

  it('says the order was not placed and gives both fixes', () => {
    const e = entry('ibkr-10311');
    expect(e.summary).toMatch(/not placed/);
    expect(e.summary).toMatch(/precaution/i);
    const fixes = e.resolution.join('\n');
    expect(fixes).toMatch(/SMART/);
    expect(fixes).toMatch(/primaryExchange/);
    expect(fixes).toMatch(/Global Configuration > API > Precautions/);
  });
});

describe('420: a competing session of the same username; no delayed-data advice', () => {
  it('resolves the different-IP reason to the different-ip variant, fixed by logging out or a second username', () => {
    expect(resolve('ERROR 3 420 Invalid Real-time Query:Trading TWS session is connected from a different IP address')).toEqual({
      entryId: 'ibkr-420',
      variant: 'different-ip',
    });
    const v = variant('ibkr-420', 'different-ip');
    expect(v.cause).toMatch(/same username/);
    expect(v.fix).toMatch(/Log out the other session/);
    expect(v.fix).toMatch(/second username/);
    expect(v.fix).not.toMatch(/same machine/);
  });

  it('resolves the permissions reason to no-permissions, which no longer suggests delayed data', () => {
    expect(
      resolve('Error 420, reqId 5: Invalid Real-time Query:No market data permissions for NYSE STK. Requested market data requires additional subscription for API.'),
    ).toEqual({ entryId: 'ibkr-420', variant: 'no-permissions' });
    const v = variant('ibkr-420', 'no-permissions');
    expect(v.fix).not.toMatch(/reqMarketDataType/);
    expect(v.fix).toMatch(/Delayed data does not help/);
  });
});

describe('10243: IBKR refuses fractional quantities over the API', () => {
  it('resolves and no longer calls 163 a client version to upgrade', () => {
    expect(resolve('Error 10243, reqId 1: Fractional-sized order cannot be placed via API. Please use desktop version to place this order.').entryId).toBe(
      'ibkr-10243',
    );
    const e = entry('ibkr-10243');
    expect(e.summary).not.toMatch(/client version/);
    expect(e.summary).toMatch(/does not take fractional-share orders/);
    expect(e.resolution.join('\n')).toMatch(/Round the quantity/);
  });
});

describe('201, 2107, 2108: checks on the account in use, not "on a paper account"', () => {
  it.each(['ibkr-201', 'ibkr-2107', 'ibkr-2108'])('%s has no paper-account check', (id) => {
    expect(prose(entry(id))).not.toMatch(/paper account/i);
  });

  it('201 previews the order with a what-if request on the same account', () => {
    expect(resolve('Error 201, reqId 61: Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION').entryId).toBe('ibkr-201');
    expect(entry('ibkr-201').checks.join('\n')).toMatch(/whatIf.*same account.*never reaches the market/);
  });
});

describe('162: its cases and the pacing limits', () => {
  it.each([
    ['Error 162, reqId 5: Historical Market Data Service error message:API scanner subscription cancelled: 5', 'scanner-cancelled'],
    ['Error 162, reqId 7: Historical Market Data Service error message:Trading TWS session is connected from a different IP address', 'different-ip'],
    ['ERROR 3 162 Historical Market Data Service error message:Time length exceed max.', 'time-length'],
    [
      "Error 162, reqId 4: Historical Market Data Service error message:No data of type EODChart is available for the exchange 'BEST' and the security type 'Option' and '1 y' and '1 day'",
      'eod-chart',
    ],
    ['Error 162, reqId 1: Historical Market Data Service error message:Historical data request pacing violation', 'pacing'],
  ])('%s -> %s', (line, expected) => {
    expect(resolve(line)).toEqual({ entryId: 'ibkr-162', variant: expected });
  });

  it('calls the scanner line a harmless receipt and the different-IP line a competing session', () => {
    expect(variant('ibkr-162', 'scanner-cancelled').cause).toMatch(/^Not a failure/);
    expect(variant('ibkr-162', 'different-ip').cause).toMatch(/same username/);
    expect(variant('ibkr-162', 'time-length').fix).toMatch(/larger unit/);
  });

  it('states the documented pacing limits', () => {
    const { cause } = variant('ibkr-162', 'pacing');
    expect(cause).toMatch(/identical request repeated within\s+15 seconds/);
    expect(cause).toMatch(/six or more requests for the same contract/);
    expect(cause).toMatch(/more than 60 requests in any ten-minute period/);
    expect(cause).toMatch(/BID_ASK request counts as two/);
  });
});

describe('10091: the runtime text replaces the placeholder', () => {
  it('resolves the runtime line without its code', () => {
    expect(
      resolve(
        "Part of requested market data requires additional subscription for API. See link in 'Market Data Connections' dialog for more details.Delayed market data is not available.SPY ARCA/TOP/ALL",
      ).entryId,
    ).toBe('ibkr-10091');
    expect(entry('ibkr-10091').match.messages.join('\n')).not.toMatch(/no message text/);
  });
});

describe('1100 and 1101', () => {
  it('1100 names a competing session as a cause', () => {
    expect(resolve('Error 1100, reqId -1: Connectivity between IBKR and Trader Workstation has been lost.').entryId).toBe('ibkr-1100');
    expect(entry('ibkr-1100').causes.join('\n')).toMatch(/competing session/i);
  });

  it('1101 says account updates must be requested again', () => {
    expect(resolve('ERROR -1 1101 Connectivity between IBKR and Trader Workstation has been restored - data lost.').entryId).toBe('ibkr-1101');
    const e = entry('ibkr-1101');
    expect(e.summary).toMatch(/account data/);
    expect(e.resolution.join('\n')).toMatch(/reqAccountUpdates/);
  });
});

describe('321 and 322 are sent by the server', () => {
  it.each(['ibkr-321', 'ibkr-322'])('%s is side server and not filed under client library', (id) => {
    expect(entry(id).side).toBe('server');
    expect(entry(id).category).not.toBe('client-library');
  });
});
