/**
 * The markers' style sheet is the browser's to add (lib/marker-style.ts): the page's DOM holds no
 * style of ours, and the marks are painted all the same.
 */
import type { Page } from '@playwright/test';
import { expect, mentionRect, openFixture, scanSettled, test } from './fixtures';

const TRANSPARENT = 'rgba(0, 0, 0, 0)';

/** Every style the page's own world can see: style and link elements, adopted sheets, rules that name us. */
const pageStyles = (page: Page) =>
  page.evaluate(() => ({
    elements: [...document.querySelectorAll('style, link[rel~="stylesheet"]')].map((el) => el.outerHTML.slice(0, 80)),
    adopted: document.adoptedStyleSheets.length,
    ourRules: [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText)).filter((text) => text.includes('ibkr')),
  }));

/** The page as drawn around a marker's mention. */
async function shotOfMention(page: Page, marker: string): Promise<Buffer> {
  const r = await mentionRect(page.locator(marker).first());
  return page.screenshot({ clip: { x: r.left - 2, y: r.top - 2, width: r.right - r.left + 4, height: r.bottom - r.top + 4 }, animations: 'disabled' });
}

/** Runs `during` with the extension's highlights out of the page's registry (it is shared by every world), then puts them back. */
async function withoutOurHighlights<T>(page: Page, during: () => Promise<T>): Promise<T> {
  await page.evaluate(() => {
    const kept = [...CSS.highlights].filter(([name]) => name.startsWith('ibkr-error-lookup-'));
    for (const [name] of kept) CSS.highlights.delete(name);
    (window as unknown as { kept: typeof kept }).kept = kept;
  });
  try {
    return await during();
  } finally {
    await page.evaluate(() => {
      for (const [name, h] of (window as unknown as { kept: [string, Highlight][] }).kept) CSS.highlights.set(name, h);
    });
  }
}

test.describe("the markers' style sheet", () => {
  test('the page holds no style of ours, and its marks are painted by the sheet the browser added', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    await scanSettled(page);
    const marker = '#comment-1 [data-ibkr-error="ibkr-326"]';
    // The fixture's own styles only.
    const styles = await pageStyles(page);
    expect(styles.elements.every((html) => !html.includes('ibkr'))).toBe(true);
    expect(styles.adopted).toBe(0);
    expect(styles.ourRules).toEqual([]);
    // The browser's sheet is there: an error's highlight has its background.
    const tint = await page.locator(marker).evaluate((m) => getComputedStyle(m.parentElement!, '::highlight(ibkr-error-lookup-error)').backgroundColor);
    expect(tint).not.toBe(TRANSPARENT);
    // And the mention is drawn with it: taking the extension's highlights away changes its pixels,
    // putting them back draws the same pixels again.
    const painted = await shotOfMention(page, marker);
    const bare = await withoutOurHighlights(page, () => shotOfMention(page, marker));
    expect(bare.equals(painted)).toBe(false);
    expect((await shotOfMention(page, marker)).equals(painted)).toBe(true);
    await page.close();
  });
});
