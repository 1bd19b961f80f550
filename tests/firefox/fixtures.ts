/**
 * Playwright fixtures for the Firefox run: one Firefox ESR with the add-on for all tests (see
 * harness.ts for its API), and per test a check that the extension logged no console error.
 */
import { test as base, expect } from '@playwright/test';
import type { Page } from 'puppeteer-core';
import { findMentionRect } from '../mention-rect';
import { launchFirefox, type Firefox } from './harness';

export const test = base.extend<{ firefox: Firefox }, { firefoxForWorker: Firefox }>({
  firefoxForWorker: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const firefox = await launchFirefox();
      try {
        await use(firefox);
      } finally {
        await firefox.close();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  /** The suite's Firefox; each test starts with the add-on as installed, default settings, no errors. */
  firefox: async ({ firefoxForWorker: firefox }, use) => {
    firefox.resetErrors();
    await use(firefox);
    await firefox.closeTabs();
    await firefox.restoreInstall();
    await firefox.resetStorage();
    expect(firefox.extensionErrors(), 'console errors of the extension during the test').toEqual([]);
  },
});

export { expect };

/** The entry ids of the page's markers, in document order. */
export const markerIds = (page: Page, scope = 'body') =>
  page.$$eval(`${scope} [data-ibkr-error]`, (els) => els.map((e) => e.getAttribute('data-ibkr-error') ?? ''));

/** The extension's card (in the open shadow root of its UI host): visible or not, and its text. */
export const cardState = (page: Page) =>
  page.evaluate(() => {
    const card = document.querySelector('[data-ibkr-error-lookup-ui]')?.shadowRoot?.querySelector('.card');
    if (!(card instanceof HTMLElement)) return { visible: false, text: '' };
    const box = card.getBoundingClientRect();
    return { visible: !card.hidden && box.width > 0 && box.height > 0 && getComputedStyle(card).visibility !== 'hidden', text: card.textContent ?? '' };
  });

/**
 * Moves the pointer onto a marker's mention, its painted text (a marker holds no text and takes no
 * room: see tests/mention-rect.ts).
 */
export async function hoverMention(page: Page, marker: string): Promise<void> {
  const r = await page.$eval(marker, findMentionRect);
  await page.mouse.move(r.left + Math.min((r.right - r.left) / 2, 20), (r.top + r.bottom) / 2);
}
