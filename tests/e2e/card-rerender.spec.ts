/**
 * A pinned card while the page re-renders what it explains: JupyterLab replaces a streaming
 * output's node, a React page renders a comment again. The user pinned the card to read it: it
 * stays open, on the new mark when the same mention comes back in the same place, else on its own
 * until the user closes it, pointing at no marker that is gone.
 */
import type { Page } from '@playwright/test';
import { card, clickMention, expect, openFixture, scanSettled, test } from './fixtures';

const OUTPUT = '#classic-cell .output_subarea';
const MARKER = `${OUTPUT} [data-ibkr-error="ibkr-504"]`;

async function pin504(page: Page): Promise<void> {
  await page.setViewportSize({ width: 1200, height: 700 });
  await scanSettled(page);
  await clickMention(page, page.locator(MARKER));
  await expect(card(page)).toHaveAttribute('role', 'dialog');
  await expect(card(page)).toBeVisible();
  await expect(page.locator(MARKER)).toHaveAttribute('aria-expanded', 'true');
}

/** Replaces the output's <pre> with a new node holding `text` (what a notebook's stream does). */
const replaceOutput = (page: Page, text: string) =>
  page.evaluate(
    ([sel, t]) => {
      const pre = document.createElement('pre');
      pre.textContent = t;
      document.querySelector(sel)!.replaceChildren(pre);
    },
    [OUTPUT, text] as const,
  );

const SAME = 'ERROR -1 2104 Market data farm connection is OK:usfarm\nERROR -1 504 Not connected';

test.describe('a pinned card and a page that renders its mention again', () => {
  test('the same mention in a new node: the card stays open on the new mark', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await pin504(page);
    const before = await card(page).boundingBox();
    const oldMarker = await page.locator(MARKER).elementHandle();
    await replaceOutput(page, SAME);
    await scanSettled(page);
    expect(await oldMarker!.evaluate((m) => m.isConnected), 'the old marker is gone').toBe(false);
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    // Re-anchored: the new marker is the open one, and the card says nothing of a lost mark.
    await expect(page.locator(MARKER)).toHaveAttribute('aria-expanded', 'true');
    await expect(page.locator(MARKER)).toHaveAttribute('data-ibkr-active', '');
    await expect(card(page).locator('.detached')).toHaveCount(0);
    expect(await card(page).boundingBox()).toEqual(before);
    // Escape closes it and gives focus to the new marker.
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    await expect(page.locator(MARKER)).toBeFocused();
    await page.close();
  });

  test('the mention goes and comes back a moment later (a React re-render): re-anchored', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await pin504(page);
    await replaceOutput(page, '');
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await replaceOutput(page, SAME);
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await expect(page.locator(MARKER)).toHaveAttribute('aria-expanded', 'true');
    await expect(card(page).locator('.detached')).toHaveCount(0);
    await page.close();
  });

  test('the mention is gone for good: the card stays, detached, until Escape', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await pin504(page);
    await replaceOutput(page, 'ERROR -1 2104 Market data farm connection is OK:usfarm\nall done');
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    // It says the page's text is gone, and no marker on the page claims the card.
    await expect(card(page).locator('.detached')).toHaveText(/no longer shows/);
    await expect(page.locator('[aria-expanded="true"], [data-ibkr-active]')).toHaveCount(0);
    // A 504 elsewhere on the page later is not this mention: the card stays detached.
    await page.evaluate(() => {
      const pre = document.createElement('pre');
      pre.textContent = 'ERROR -1 504 Not connected';
      document.querySelector('#cell-redis')!.append(pre);
    });
    await scanSettled(page);
    await expect(card(page).locator('.detached')).toHaveCount(1);
    await expect(page.locator('[aria-expanded="true"], [data-ibkr-active]')).toHaveCount(0);
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    await page.close();
  });

  test('a detached card closes with its close button', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await pin504(page);
    await replaceOutput(page, 'nothing here');
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await card(page).locator('.close').click();
    await expect(card(page)).toBeHidden();
    await page.close();
  });
});
