import type { Page, Worker } from '@playwright/test';
import { card, expect, openFixture, test } from './fixtures';

/** The few extension APIs these tests call inside the service worker. */
declare const chrome: {
  tabs: { query(q: { active: boolean; lastFocusedWindow: boolean }): Promise<{ id?: number }[]> };
  contextMenus: { update(id: string, props: { title: string }): Promise<void> };
};

/** Selects the text of `selector` in the page and returns it. */
async function select(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const sel = getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    return sel.toString();
  });
}

/** Does what a click on the "Explain selection" menu item does, for the active tab. */
async function explainFromMenu(sw: Worker, page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await sw.evaluate(async (selectionText) => {
    const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
    const run = (globalThis as unknown as { explainSelectionInTab: (id: number, t: string) => Promise<void> }).explainSelectionInTab;
    await run(tab.id!, selectionText);
  }, text);
}

test.describe('"Explain selection" context menu', () => {
  test('the menu item exists for selections', async ({ serviceWorker }) => {
    // update() rejects for an unknown id, so this proves the item was created. It is created on
    // install (runtime.onInstalled), which a test started with a fresh browser may come before.
    const exists = () =>
      serviceWorker.evaluate(() =>
        chrome.contextMenus.update('ibkr-explain-selection', { title: 'Explain selection' }).then(
          () => true,
          () => false,
        ),
      );
    await expect.poll(exists, { timeout: 5_000 }).toBe(true);
  });

  test('explains a selected log line in an in-page panel', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'stackOverflowIbkr');
    const text = await select(page, 'pre:first-of-type');
    await explainFromMenu(serviceWorker, page, text);
    const panel = card(page);
    await expect(panel).toBeVisible();
    await expect(panel).toHaveAttribute('role', 'dialog');
    await expect(panel).toContainText('Explain selection');
    await expect(panel).toContainText('Server validation error on an API request');
    await expect(panel).toContainText('Reduce to the smallest reproducible request, then add fields back one at a time');
    await expect(panel).toContainText('Educational boundary');
    // Keyboard: the close button has focus; Escape closes.
    await page.keyboard.press('Escape');
    await expect(panel).toBeHidden();
    await page.close();
  });

  test('says so when the selection holds no known error', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    const text = await select(page, '#comment-1 p:last-of-type');
    expect(text).toContain('$504.00');
    await explainFromMenu(serviceWorker, page, text);
    await expect(card(page)).toContainText('No known IBKR API error found in the selection');
    await page.close();
  });

  test('a selected code alone is looked up', async ({ context, serviceWorker }) => {
    const page = await openFixture(context, 'githubIssue');
    await explainFromMenu(serviceWorker, page, 'WinError 10061');
    await expect(card(page)).toContainText('Nothing accepted the TCP connection on the host and port the API client dialled');
    await page.close();
  });
});
