/**
 * The page cannot break, spoof or steal from the extension's UI, and the UI gives the page its
 * keys and links back; the card follows the site's declared theme; axe-core finds no violation
 * in an open tooltip.
 */
import AxeBuilder from '@axe-core/playwright';
import { card, clickMention, expect, hoverMention, mentionPoint, openFixture, scanSettled, test, UI_HOST } from './fixtures';

test.describe('a page that fights back', () => {
  test('a page-registered custom element under the old host name does not break tooltips', async ({ context }) => {
    const page = await openFixture(context, 'githubHardening');
    await hoverMention(page, page.locator('#log [data-ibkr-error="ibkr-326"]'));
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toContainText('Client ID is already in use');
    // The host is a plain element, so the page's definition never ran on it.
    expect(await page.evaluate((sel) => document.querySelector(sel)!.tagName, UI_HOST)).toBe('DIV');
    await page.close();
  });

  test('a page-made marker gets no tooltip', async ({ context }) => {
    const page = await openFixture(context, 'githubHardening');
    // Hovered: no card is even on its way (scanSettled waits for one that is).
    await page.locator('#forged').hover();
    await scanSettled(page);
    await expect(card(page)).toHaveCount(0);
    await page.locator('#forged').focus();
    await scanSettled(page);
    await expect(card(page)).toHaveCount(0);
    await page.locator('#forged').click();
    await scanSettled(page);
    await expect(card(page)).toHaveCount(0);
    await page.close();
  });

  test('Escape reaches the page when no card is pinned, and closes a pinned card without leaking', async ({ context }) => {
    const page = await openFixture(context, 'githubHardening');
    const marker = page.locator('#log [data-ibkr-error="ibkr-326"]');
    await hoverMention(page, marker);
    await expect(card(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    expect(await page.evaluate(() => (window as unknown as { escapes: number }).escapes)).toBe(1);
    // Pinned: the Escape is the dialog's.
    await clickMention(page, marker);
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    expect(await page.evaluate(() => (window as unknown as { escapes: number }).escapes)).toBe(1);
    await expect(marker).toBeFocused();
    await page.close();
  });

  test('a marker of a mention inside a link adds no tab stop and leaves Enter to the link', async ({ context }) => {
    const page = await openFixture(context, 'githubHardening');
    // Text follows the link in its paragraph: the marker stands at the paragraph's end.
    const inLink = page.locator('p:has(#link) > [data-ibkr-error]');
    await expect(inLink).toHaveAttribute('data-ibkr-error', 'ibkr-504');
    await expect(inLink).not.toHaveAttribute('tabindex');
    await page.locator('#before').focus();
    await page.keyboard.press('Tab');
    await expect(page.locator('#link')).toBeFocused();
    // The focused link is described to screen readers and shows the tooltip.
    await expect(page.locator('#link')).toHaveAttribute('aria-description', /Error 504: .+Press Enter/);
    await expect(card(page)).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.locator('#after')).toBeFocused();
    await page.locator('#link').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#followed');
    await page.close();
  });

  test('a focused marker is described to screen readers', async ({ context }) => {
    const page = await openFixture(context, 'githubHardening');
    const marker = page.locator('#log [data-ibkr-error="ibkr-326"]');
    await marker.focus();
    await expect(marker).toHaveAttribute('aria-description', /^Error 326: Client ID is already in use\. Press Enter/);
    await expect(marker).toHaveAttribute('aria-expanded', 'true');
    await page.close();
  });
});

test.describe('theme and accessibility of the card', () => {
  const background = async (page: import('@playwright/test').Page) => {
    const bg = await card(page).evaluate((el) => getComputedStyle(el).backgroundColor);
    return bg.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
  };

  test('the card follows the theme the site declares, over the OS setting', async ({ context }) => {
    const page = await openFixture(context, 'githubHardening');
    const marker = page.locator('#log [data-ibkr-error="ibkr-326"]');
    // Light OS, GitHub set to dark.
    await page.evaluate(() => document.documentElement.setAttribute('data-color-mode', 'dark'));
    await hoverMention(page, marker);
    await expect(card(page)).toBeVisible();
    expect(await background(page)).toBeLessThan(200);
    await page.mouse.move(0, 0);
    await expect(card(page)).toBeHidden();
    // Dark OS, GitHub set to light.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() => document.documentElement.setAttribute('data-color-mode', 'light'));
    await hoverMention(page, marker);
    await expect(card(page)).toBeVisible();
    expect(await background(page)).toBeGreaterThan(600);
    // "auto" follows the page, which GitHub draws dark in a dark OS.
    await page.mouse.move(0, 0);
    await expect(card(page)).toBeHidden();
    await page.addStyleTag({ content: '@media (prefers-color-scheme: dark) { html[data-color-mode="auto"] body { background: #0d1117; } }' });
    await page.evaluate(() => document.documentElement.setAttribute('data-color-mode', 'auto'));
    await hoverMention(page, marker);
    await expect(card(page)).toBeVisible();
    expect(await background(page)).toBeLessThan(200);
    await page.close();
  });

  for (const pinned of [false, true]) {
    test(`axe-core finds no violation in an open ${pinned ? 'pinned card' : 'tooltip'}`, async ({ context }) => {
      const page = await openFixture(context, 'githubHardening');
      const marker = page.locator('#log [data-ibkr-error="ibkr-326"]');
      if (pinned) await clickMention(page, marker);
      else await hoverMention(page, marker);
      await expect(card(page)).toBeVisible();
      const results = await new AxeBuilder({ page }).include(UI_HOST).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
      await page.close();
    });
  }
});

test.describe('what the card says about the mention on the page', () => {
  test('names the matched variant, quotes the page reason as text, and copies itself as Markdown', async ({ context, extensionId }) => {
    const page = await openFixture(context, 'githubHardening');
    const marker = page.locator('#hist [data-ibkr-error="ibkr-162"]');
    await expect(marker).toHaveAttribute('data-ibkr-variant', 'pacing');
    await clickMention(page, marker);
    const c = card(page);
    await expect(c).toHaveAttribute('role', 'dialog');
    await expect(c).toContainText('Pacing violation');
    await expect(c.locator('q').filter({ hasText: 'Historical data request pacing violation' })).toHaveCount(1);
    await expect(c.getByRole('link', { name: 'IBKR’s official message codes documentation' })).toHaveAttribute('target', '_blank');
    const copy = c.getByRole('button', { name: 'Copy as Markdown' });
    await copy.focus();
    await page.keyboard.press('Enter');
    await expect(c.locator('.copy-markdown')).toHaveText('Copied');
    // Nothing was added to the page itself for the copy.
    await expect(page.locator('body > textarea')).toHaveCount(0);
    // Read the clipboard back by pasting into an extension page.
    const reader = await context.newPage();
    await reader.goto(`chrome-extension://${extensionId}/analyze.html`);
    await reader.locator('textarea').focus();
    await reader.keyboard.press('Control+V');
    const md = await reader.locator('textarea').inputValue();
    expect(md.split('\n')[0]).toMatch(/^### Error 162: /);
    // This case first: right under the heading, before what 162 says in general.
    expect(md.split('\n')[2]).toBe('**This case: Pacing violation**');
    expect(md).toContain('- **The page says:** `Historical data request pacing violation`');
    expect(md.indexOf('- **Fix:**')).toBeLessThan(md.indexOf('**Likely causes**'));
    expect(md).toContain('_Educational boundary:');
    await reader.close();
    await page.close();
  });

  test('a mention split over highlighter spans is one marker: any part of its text opens its one card, painted whole', async ({ context }) => {
    const page = await openFixture(context, 'githubHighlighted');
    const marker = page.locator('#github-pl [data-ibkr-error="connection-refused"]');
    await expect(marker).toHaveCount(1);
    const text = await marker.getAttribute('aria-label');
    expect(text).toBe('ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it');
    // The end of the mention, in another span than its start.
    const start = await mentionPoint(marker);
    const end = await page.locator('#github-pl pre').evaluate((pre, label) => {
      const r = document.createRange();
      const walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
      let last: Text | null = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) if ((n as Text).data === 'refused') last = n as Text;
      r.setStart(last!, 3);
      r.setEnd(last!, 4);
      const b = r.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2, label };
    }, text);
    await page.mouse.move(end.x, end.y);
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toContainText('Python cannot open a socket to TWS or IB Gateway');
    await expect(marker).toHaveAttribute('data-ibkr-active', '');
    await expect(marker).toHaveAttribute('aria-expanded', 'true');
    // The whole mention is painted as the open one.
    expect(await page.evaluate(() => [...(CSS.highlights.get('ibkr-error-lookup-error-active') as unknown as Set<AbstractRange>)].length)).toBe(1);
    // Moving to its start, in another span, keeps the one card (no hide on its way: scanSettled
    // waits for one that is).
    await page.mouse.move(start.x, start.y);
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await expect(page.locator(UI_HOST)).toHaveCount(1);
    // Off the mention, it goes.
    await page.mouse.move(5, 5);
    await expect(card(page)).toBeHidden();
    await expect(marker).not.toHaveAttribute('data-ibkr-active');
    await page.close();
  });
});
