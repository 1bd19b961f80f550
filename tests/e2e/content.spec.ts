import { mkdirSync } from 'node:fs';
import { card, expect, hoverMention, mentionPoint, openFixture, PAGES, scanSettled, test, UI_HOST } from './fixtures';

const SHOTS = process.env.UPDATE_SCREENSHOTS ? 'docs/screenshots' : 'test-results/screenshots';

test.describe('in-page markers and tooltips', () => {
  test('marks the IBKR errors of a GitHub issue with their entry ids, and nothing else', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    const markers = page.locator('[data-ibkr-error]');
    // The comment added 400 ms after load is annotated too (MutationObserver).
    await expect(page.locator('#comment-3 [data-ibkr-error]')).toHaveCount(1);
    // A marker holds no text (the page's text is never split): its accessible name is the marked text.
    const found = await markers.evaluateAll((els) => els.map((e) => [e.getAttribute('data-ibkr-error'), e.getAttribute('aria-label')]));
    expect(found).toEqual([
      // The issue title: the page is an ib_insync issue, so "Error 326" there is the IBKR error.
      ['ibkr-326', 'Error 326'],
      // One marker per error: the code shape and the whole official message (and reason) on its line.
      ['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id'],
      ['api-connection-failed', 'API connection failed: TimeoutError()'],
      ['connection-refused', 'ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it'],
      ['ibkr-504', 'Error 504, reqId 9: Not connected'],
      ['ibkr-321', "Error 321, reqId 17: Error validating request.-'bN' : cause - The API interface is currently in Read-Only mode."],
    ]);
    // The comment box, prices and issue numbers are left alone.
    await expect(page.locator('textarea')).toHaveValue('Error 326, reqId -1: Unable to connect as the client id is already in use');
    await expect(page.locator('#comment-1 p').last()).toHaveText(/costs about \$504\.00/);
    await expect(page.locator('#comment-2 a')).toHaveText('#504');
    // The errors are painted where they are; the page's text nodes are whole (one in this log, with
    // its markers after it).
    expect(await page.evaluate(() => [...CSS.highlights.keys()].sort())).toEqual(['ibkr-error-lookup-error', 'ibkr-error-lookup-warning']);
    expect(await page.locator('#comment-1 pre code').first().evaluate((c) => [...c.childNodes].map((n) => n.nodeName))).toEqual([
      '#text',
      'IBKR-ERROR-MARK',
      'IBKR-ERROR-MARK',
    ]);
    // The page's text is unchanged by the markers.
    await expect(page.locator('#comment-1 pre').first()).toHaveText(
      'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.\nAPI connection failed: TimeoutError()',
    );
    await page.close();
  });

  test('hovering a marker shows the entry in an open shadow root', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    // Nothing is added to the page until it is needed.
    await expect(page.locator(UI_HOST)).toHaveCount(0);
    const marker = page.locator('#comment-1 [data-ibkr-error="ibkr-326"]');
    // Hovering the error's text (a marker is the mention's control, with no size of its own).
    await hoverMention(page, marker);
    const tooltip = card(page);
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toHaveAttribute('role', 'tooltip');
    await expect(marker).toHaveAttribute('aria-expanded', 'true');
    const mode = await page.evaluate(() => document.querySelector('[data-ibkr-error-lookup-ui]')!.shadowRoot?.mode);
    expect(mode).toBe('open');
    const text = (await tooltip.textContent()) ?? '';
    for (const part of [
      'Error 326',
      'Client ID is already in use',
      'another API client is already connected with the same client ID',
      'Likely causes',
      'A notebook cell was rerun while the old connection remained active',
      'Checks',
      'Confirm each workflow has a stable unique client ID',
      'Resolution path',
      'Assign a different client ID per process',
      'Related terms:',
      'Educational boundary',
      'It is not financial, investment, trading, tax, or legal advice.',
      'is not affiliated with, endorsed by, or sponsored by Interactive Brokers',
    ]) {
      expect(text).toContain(part);
    }
    // The card sits below the mention, inside the viewport.
    const m = await mentionPoint(marker);
    const c = (await tooltip.boundingBox())!;
    expect(c.y).toBeGreaterThan(m.y);
    expect(c.x + c.width).toBeLessThanOrEqual(1100);
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/tooltip.png`, clip: { x: 0, y: 0, width: 1100, height: 760 } });

    // Moving away hides it again.
    await page.mouse.move(5, 700);
    await expect(tooltip).toBeHidden();
    await expect(marker).toHaveAttribute('aria-expanded', 'false');
    await page.close();
  });

  test('keyboard: Tab focuses a marker and shows its tooltip, Enter pins it, Escape closes it', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    const marker = page.locator('[data-ibkr-error="connection-refused"]');
    await marker.focus();
    await expect(card(page)).toContainText('ConnectionRefusedError / WinError 10061');
    await expect(card(page)).toContainText('TWS or IB Gateway is closed');
    await page.keyboard.press('Enter');
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    await expect(marker).toBeFocused();
    await page.close();
  });

  test('host-page CSS does not reach the tooltip', async ({ context }) => {
    const page = await openFixture(context, 'stackOverflowIbkr');
    await page.addStyleTag({ content: '* { color: red !important; font-size: 40px !important; } .card, h2, p { display: none !important; }' });
    await hoverMention(page, page.locator('pre [data-ibkr-error="ibkr-321"]'));
    const title = card(page).locator('.entry-title');
    await expect(title).toBeVisible();
    const style = await title.evaluate((el) => getComputedStyle(el).fontSize);
    expect(parseFloat(style)).toBeLessThan(24);
    await page.close();
  });

  test('the card follows a page in dark mode and does not move the page', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    await page.emulateMedia({ colorScheme: 'dark' });
    // The page is drawn dark in a dark OS, as GitHub's "auto" is.
    await page.addStyleTag({ content: '@media (prefers-color-scheme: dark) { body { background: #0d1117 !important; color: #e6edf3 !important; } }' });
    // The fixture adds a comment 400 ms after load: measure once the page has settled.
    await page.locator('#comment-3 [data-ibkr-error]').waitFor({ state: 'attached' });
    const layout = () =>
      page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
        pre: JSON.stringify(document.querySelector('pre')!.getBoundingClientRect()),
      }));
    const before = await layout();
    await hoverMention(page, page.locator('#comment-2 [data-ibkr-error="ibkr-504"]'));
    await expect(card(page)).toBeVisible();
    expect(await layout()).toEqual(before);
    const bg = await card(page).evaluate((el) => getComputedStyle(el).backgroundColor);
    const [r, g, b] = bg.match(/\d+/g)!.map(Number);
    expect(r + g + b).toBeLessThan(200);
    await page.close();
  });

  test('marks Java and ibapi log lines on a Stack Overflow question', async ({ context }) => {
    const page = await openFixture(context, 'stackOverflowIbkr');
    const found = await page
      .locator('[data-ibkr-error]')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-ibkr-error'), e.getAttribute('aria-label')]));
    expect(found).toEqual([
      ['ibkr-321', 'Error validating request'], // the question's title quotes the official message
      ['ibkr-321', "Error. Id: 3, Code: 321, Msg: Error validating request.-'bN' : cause - Missing order exchange"],
      ['ibkr-504', 'ERROR -1 504 Not connected'],
    ]);
    await page.close();
  });

  test('leaves a page with only "504 Gateway Timeout" and other non-IBKR errors unmarked', async ({ context }) => {
    const page = await openFixture(context, 'stackOverflowNginx', false);
    // The content script has scanned the whole page and found nothing.
    await scanSettled(page);
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    await expect(page.locator(UI_HOST)).toHaveCount(0);
    // The same page once IBKR context appears: the content script is there and watching.
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.textContent = 'Unrelated, but my TWS client printed ERROR -1 504 Not connected';
      document.querySelector('main')!.appendChild(p);
    });
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(1);
    await expect(page.locator('[data-ibkr-error]')).toHaveAttribute('aria-label', 'ERROR -1 504 Not connected');
    await expect(page.locator('main p').last()).toHaveText('Unrelated, but my TWS client printed ERROR -1 504 Not connected');
    await page.close();
  });

  test('sends nothing anywhere and logs no errors', async ({ context, requested, consoleErrors }) => {
    const page = await openFixture(context, 'githubIssue');
    await hoverMention(page, page.locator('[data-ibkr-error="ibkr-504"]'));
    await expect(card(page)).toBeVisible();
    await scanSettled(page);
    const fixtureUrls = new Set<string>(Object.values(PAGES).map((p) => p.url));
    expect(requested.filter((u) => !fixtureUrls.has(u) && !u.startsWith('chrome-extension://'))).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
