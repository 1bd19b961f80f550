import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

async function openPopup(context: import('@playwright/test').BrowserContext, extensionId: string): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 420, height: 600 });
  await page.goto(`chrome-extension://${extensionId}/popup.html`);
  return page;
}

const resultIds = (page: Page) =>
  page.locator('[data-entry-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-entry-id') ?? ''));

test.describe('toolbar popup', () => {
  test('search puts the right entry first', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    await expect(input).toBeFocused();
    for (const [query, id] of [
      ['10061', 'connection-refused'],
      ['clientId', 'ibkr-326'],
      ['326', 'ibkr-326'],
      ['7497', 'connection-refused'],
      ['isConnected', 'ibkr-504'],
      ['conection refused', 'connection-refused'],
      ['Error validating request', 'ibkr-321'],
    ]) {
      await input.fill(query);
      await expect(page.locator('#results [data-entry-id]').first(), `first result for "${query}"`).toHaveAttribute('data-entry-id', id);
    }
    await input.fill('326');
    expect(await resultIds(page)).toEqual(['ibkr-326']);
    await page.close();
  });

  test('arrow keys and Enter open a full entry; Escape goes back', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const input = page.locator('input[type=search]');
    await input.fill('connect');
    const ids = await resultIds(page);
    expect(ids.length).toBeGreaterThan(1);
    await page.keyboard.press('ArrowDown');
    await expect(page.locator(`#results [data-entry-id="${ids[1]}"]`)).toHaveAttribute('aria-selected', 'true');
    await expect(input).toHaveAttribute('aria-activedescendant', `result-${ids[1]}`);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    const detail = page.locator('#detail');
    await expect(detail).toBeVisible();
    await expect(detail.locator('article')).toHaveAttribute('data-entry-id', ids[0]);
    for (const heading of ['Typical symptoms', 'Likely causes', 'Checks', 'Resolution path', 'Related terms:']) {
      await expect(detail).toContainText(heading);
    }
    await page.keyboard.press('Escape');
    await expect(detail).toBeHidden();
    await expect(input).toBeFocused();
    await expect(input).toHaveValue('connect');
    // A related term in the entry view is a search of its own.
    await input.fill('10061');
    await page.keyboard.press('Enter');
    await detail.locator('button.term', { hasText: 'connectAsync' }).click();
    await expect(detail).toBeHidden();
    await expect(input).toHaveValue('connectAsync');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'connection-refused');
    await page.close();
  });

  test('shows the full entry for ConnectionRefusedError', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    await page.locator('input[type=search]').fill('10061');
    await page.keyboard.press('Enter');
    const detail = page.locator('#detail');
    for (const text of [
      'ConnectionRefusedError / WinError 10061',
      'Python cannot open a socket to TWS or IB Gateway',
      'Nothing accepted the TCP connection on the host and port the API client dialled',
      'TWS or IB Gateway is closed',
      'Verify the API socket port in the desktop settings',
      'Paper defaults are commonly 7497 for TWS and 4002 for Gateway, but local settings are authoritative',
      'connectAsync',
    ]) {
      await expect(detail).toContainText(text);
    }
    await page.close();
  });

  test('empty query lists everything; no match shows an empty state with examples', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    expect((await resultIds(page)).sort()).toEqual(['connection-refused', 'ibkr-321', 'ibkr-326', 'ibkr-504']);
    await page.locator('input[type=search]').fill('qwertyzzz');
    await expect(page.locator('[data-entry-id]')).toHaveCount(0);
    await expect(page.locator('#status')).toContainText('No entry matches “qwertyzzz”');
    await page.locator('#status button.example', { hasText: 'clientId' }).click();
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-326');
    await page.close();
  });

  test('shows the educational boundary and the trademark notice', async ({ context, extensionId, consoleErrors }) => {
    const page = await openPopup(context, extensionId);
    const footer = page.locator('#notices');
    await expect(footer).toContainText('Educational boundary');
    await expect(footer).toContainText('This lookup is for technical troubleshooting and reproducibility.');
    await expect(footer).toContainText('Interactive Brokers, IBKR, Trader Workstation, and IB Gateway are trademarks');
    await page.locator('input[type=search]').fill('client id');
    await expect(page.locator('#results [data-entry-id]').first()).toHaveAttribute('data-entry-id', 'ibkr-326');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/popup.png` });
    await page.keyboard.press('Enter');
    await page.screenshot({ path: `${SHOTS}/popup-entry.png` });
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test('follows the dark colour scheme', async ({ context, extensionId }) => {
    const page = await openPopup(context, extensionId);
    const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await bg();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await bg();
    expect(dark).not.toBe(light);
    const [r, g, b] = dark.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(200);
    await page.close();
  });
});
