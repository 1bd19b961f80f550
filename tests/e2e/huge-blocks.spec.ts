/**
 * A huge highlighted log (one <code> of 12,000 lines, about 108,000 elements) is read as a huge
 * block (lib/annotate/huge-blocks.ts): only the lines with a candidate are walked. It must mark
 * exactly what a walk would, leave the page's text as written, and follow the page's edits.
 */
import type { Page } from '@playwright/test';
import { card, expect, openFixture, scanSettled, test } from './fixtures';

/** The marked mentions in the log: [entry id, marked text], in document order. */
const marked = (page: Page) =>
  page.locator('#log [data-ibkr-error]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-ibkr-error'), e.getAttribute('aria-label')]));

test.describe('a huge highlighted log', () => {
  // A page of 108,000 elements: one of these tests took 24 s of the default 30 at load 10.
  test.describe.configure({ timeout: 90_000 });

  test('every error in it is marked once, wherever it is, the nginx 504 is not, and its text is what the page wrote', async ({ context }) => {
    const page = await openFixture(context, 'githubHugeLog');
    await scanSettled(page, 30_000);
    const marks = await marked(page);
    expect(marks.map(([id]) => id)).toEqual(['ibkr-326', 'ibkr-200', 'ibkr-1100', 'ibkr-502', 'ibkr-354']);
    // The mention split into a span per character is one marker over all of it.
    expect(marks[3][1]).toContain("Error 502, reqId -1: Couldn't connect to TWS");
    expect(await page.locator('#log').evaluate((pre) => pre.textContent === (window as unknown as { __written: string }).__written)).toBe(true);
    // The last error, thousands of lines down: hover() scrolls to it and shows its card.
    await page.locator('#log [data-ibkr-error="ibkr-354"]').hover();
    await expect(card(page).locator('.entry-code .code')).toContainText('354');
    await page.close();
  });

  test('lines the page appends are marked, and a marked line the page breaks loses its marker', async ({ context }) => {
    const page = await openFixture(context, 'githubHugeLog');
    await scanSettled(page, 30_000);
    await page.evaluate(() => {
      const code = document.querySelector('#log code')!;
      code.append('\n');
      const level = document.createElement('span');
      level.className = 'hljs-level';
      level.textContent = 'ERROR';
      code.append(level, ' Error 326, reqId -1: Unable to connect as the client id is already in use.');
    });
    await scanSettled(page, 30_000);
    expect((await marked(page)).map(([id]) => id)).toEqual(['ibkr-326', 'ibkr-200', 'ibkr-1100', 'ibkr-502', 'ibkr-354', 'ibkr-326']);
    // The page rewrites the 1100 line's code and message: no IBKR error is left there.
    await page.evaluate(() => {
      const number = [...document.querySelectorAll('#log .hljs-keyword + .hljs-number')].find((n) => n.textContent === '1100')!;
      number.textContent = 'eleven hundred';
      (number.nextSibling!.nextSibling as Element).textContent = 'reqId -1: heartbeat late';
    });
    await scanSettled(page, 30_000);
    expect((await marked(page)).map(([id]) => id)).toEqual(['ibkr-326', 'ibkr-200', 'ibkr-502', 'ibkr-354', 'ibkr-326']);
    await page.close();
  });
});
