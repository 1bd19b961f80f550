/**
 * The extension disabled while a page is open: the orphaned content script notices, stops, and
 * gives the page its own text back (no marker left behind). Enabled again afterwards.
 */
import { expect, openFixture, scanSettled, test } from './fixtures';

declare const chrome: { management: { setEnabled(id: string, enabled: boolean): Promise<void> } };

test('disabling the extension removes every marker and restores the page text', async ({ context, extensionId }) => {
  const page = await openFixture(context, 'githubHighlighted');
  await expect(page.locator('body[data-late-highlighted="yes"]')).toBeAttached({ timeout: 5000 });
  await scanSettled(page);
  const marked = await page.locator('main').evaluate((m) => ({ text: m.textContent, markers: m.querySelectorAll('[data-ibkr-error]').length }));
  expect(marked.markers).toBeGreaterThan(3);

  const settings = await context.newPage();
  await settings.goto('chrome://extensions/');
  await settings.evaluate((id) => chrome.management.setEnabled(id, false), extensionId);
  try {
    // The orphaned script looks every 5 s.
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0, { timeout: 12_000 });
    expect(await page.locator('main').evaluate((m) => m.textContent)).toBe(marked.text);
    await expect(page.locator('#ibkr-error-lookup-markers')).toHaveCount(0);
    // Text nodes are whole again: no empty or split pieces left in the page's elements.
    const pieces = await page.locator('#github-pl pre').evaluate((pre) => [...pre.childNodes].filter((n) => n.nodeType === 3 && !n.nodeValue).length);
    expect(pieces).toBe(0);
  } finally {
    await settings.evaluate((id) => chrome.management.setEnabled(id, true), extensionId);
    await settings.close();
  }
  await page.close();
});
