/**
 * The sites of lib/sites/ that no other spec opens: IBKR's own sites, whose pages are IBKR context
 * as a whole, and the TWS API group on groups.io. (GitHub, Stack Overflow, Reddit and localhost
 * pages are opened by content, card, live-pages and cpapi specs.)
 */
import type { Page } from '@playwright/test';
import { expect, openFixture, scanSettled, test } from './fixtures';

/** Each marker's entry id and marked text (its accessible name), in page order. */
async function marked(page: Page): Promise<string[][]> {
  await scanSettled(page);
  return page.locator('[data-ibkr-error]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-ibkr-error')!, e.getAttribute('aria-label')!]));
}

test.describe('site modules', () => {
  test('on an IBKR site, prose codes and short messages count without any other context', async ({ context }) => {
    const page = await openFixture(context, 'ibkrCampusLesson');
    expect(await marked(page)).toEqual([
      ['ibkr-1100', 'error 1100'],
      ['ibkr-1102', 'error 1102'],
      ['ibkr-1101', 'error 1101'],
      ['ibkr-504', 'Not connected'],
    ]);
    await page.close();
  });

  test('the same lesson on a site that is not IBKR context marks nothing', async ({ context }) => {
    const page = await openFixture(context, 'ibkrLessonElsewhere', false);
    expect(await marked(page)).toEqual([]);
    await page.close();
  });

  test('marks the errors of a topic in the TWS API group on groups.io', async ({ context }) => {
    const page = await openFixture(context, 'groupsioTopic');
    expect(await marked(page)).toEqual([
      ['ibkr-1100', 'ERROR -1 1100 Connectivity between IB and Trader Workstation has been lost'],
      ['ibkr-1102', 'ERROR -1 1102 Connectivity between IB and Trader Workstation has been restored - data maintained'],
      ['ibkr-504', 'Not connected'],
      ['ibkr-1102', 'error 1102'],
      ['ibkr-1101', 'error 1101'],
    ]);
    await page.close();
  });
});
