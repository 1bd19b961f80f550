/**
 * The extension disabled while a page is open: the orphaned content script notices, stops, takes
 * its markers and paint away (the page's text was never changed), leaves no timer behind and logs
 * no error. Enabled again afterwards.
 */
import { expect, openFixture, scanSettled, test } from './fixtures';

declare const chrome: { management: { setEnabled(id: string, enabled: boolean): Promise<void> } };

test('disabling the extension removes every marker and its paint, the page text as it was, with no error', async ({ context, extensionId, consoleErrors }) => {
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
    expect(await page.evaluate(() => [...CSS.highlights.keys()])).toEqual([]);
    // No empty or split text node anywhere in the page's elements.
    const pieces = await page.locator('#github-pl pre').evaluate((pre) => [...pre.childNodes].filter((n) => n.nodeType === 3 && !n.nodeValue).length);
    expect(pieces).toBe(0);
    // Its teardown done (no timer of its own left: a badge report after the extension is gone used
    // to throw "Cannot read properties of undefined (reading 'sendMessage')"), nothing was logged.
    await scanSettled(page);
    expect(consoleErrors).toEqual([]);
  } finally {
    await settings.evaluate((id) => chrome.management.setEnabled(id, true), extensionId);
    await settings.close();
  }
  await page.close();
});
