/**
 * A page cannot switch the content script off or steer what it counts; the toolbar badge follows
 * the markers through in-page navigation; "Explain selection" looks at a bounded part of a huge
 * selection and says so (docs/page-integrity.md).
 */
import type { Page } from '@playwright/test';
import { badgeOf, card, expect, openFixture, scanSettled, tabIdOf, test } from './fixtures';

const markerIds = (page: Page) => page.locator('[data-ibkr-error]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ibkr-error')));

test.describe('the toolbar badge', () => {
  test('follows the markers through a hash change and an in-app pushState navigation', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    const badge = await badgeOf(serviceWorker, page);
    // 326, api-connection-failed, connection-refused, 504, 321.
    await expect.poll(badge).toBe('5');
    await page.evaluate(() => (location.hash = '#issuecomment-2'));
    await scanSettled(page);
    expect(await markerIds(page)).toHaveLength(6);
    await expect.poll(badge).toBe('5');
    // An in-app link to another view of the same issue: the markers stay, so does the count.
    await page.evaluate(() => history.pushState({}, '', '/erdewit/ib_insync/issues/4242?tab=timeline'));
    await scanSettled(page);
    expect(await markerIds(page)).toHaveLength(6);
    await expect.poll(badge).toBe('5');
    await page.close();
  });

  test("counts what the annotator marked, not what a marker's data-ibkr-error says", async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    const badge = await badgeOf(serviceWorker, page);
    await expect.poll(badge).toBe('5');
    await page.evaluate(() => document.querySelectorAll('[data-ibkr-error]').forEach((m) => m.setAttribute('data-ibkr-error', 'ibkr-504')));
    // A recount (the address changed in place) counts the annotator's own record.
    await page.evaluate(() => (location.hash = '#recount'));
    await scanSettled(page);
    await expect.poll(badge).toBe('5');
    await page.close();
  });
});

test.describe('a page cannot switch the content script off', () => {
  test('a page that sends WXT\'s id-named "a newer copy started" event keeps its markers', async ({ context, extensionId }) => {
    const page = await openFixture(context, 'githubIssue');
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    await scanSettled(page);
    const before = await markerIds(page);
    // Everything WXT's listener checks: the event's name (from the public extension id) and its detail.
    await page.evaluate((id) => {
      const name = `${id}:content:wxt:content-script-started`;
      for (const target of [document, document.documentElement]) {
        target.dispatchEvent(new CustomEvent(name, { bubbles: true, detail: { contentScriptName: 'content', messageId: 'not-yours' } }));
      }
    }, extensionId);
    await scanSettled(page);
    expect(await markerIds(page)).toEqual(before);
    // And the content script is still at work: a new comment is marked.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.id = 'late';
      p.textContent = 'Later: Error 321, reqId 5: Error validating request.';
      document.querySelector('main')!.append(p);
    });
    await expect(page.locator('#late [data-ibkr-error]')).toHaveAttribute('data-ibkr-error', 'ibkr-321');
    await page.close();
  });
});

test.describe('"Explain selection" on a huge selection', () => {
  test('looks at its first 10,000 characters and says how much was left out', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    const tabId = await tabIdOf(serviceWorker, page);
    const head = 'Error 326, reqId -1: Unable to connect as the client id is already in use.\n';
    const text = head + 'x'.repeat(5_000_000);
    await serviceWorker.evaluate(
      ([id, t]) =>
        (globalThis as unknown as { explainSelectionInTab: (id: number, t: string) => Promise<void> }).explainSelectionInTab(id as number, t as string),
      [tabId, text] as const,
    );
    const c = card(page);
    await expect(c).toBeVisible();
    await expect(c.locator('article')).toHaveAttribute('data-entry-id', 'ibkr-326');
    await expect(c.locator('.selection-note')).toHaveText(
      `Only the first 10,000 characters of the selection were looked at; the other ${(text.length - 10_000).toLocaleString('en-US')} were left out.`,
    );
    await page.close();
  });
});
