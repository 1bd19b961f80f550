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

  /** Pins the 504's card with the keyboard alone: Tab to its marker, Enter. */
  async function pin504ByKeyboard(page: Page): Promise<void> {
    await page.setViewportSize({ width: 1200, height: 400 });
    await scanSettled(page);
    // Room to scroll, so that a focus move that scrolls shows.
    await page.evaluate(() => document.body.append(Object.assign(document.createElement('div'), { style: 'height: 3000px' })));
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      if (await page.locator(MARKER).evaluate((m) => m === document.activeElement)) break;
    }
    await expect(page.locator(MARKER)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    await expect(card(page).locator('.close')).toBeFocused();
  }

  /** Escape on the detached card: it closes, the page does not scroll, and focus is on `where`. */
  async function escapeTo(page: Page, where: string): Promise<void> {
    await expect(card(page).locator('.detached')).toHaveCount(1);
    const scrolled = await page.evaluate(() => scrollY);
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    await expect(page.locator(where)).toBeFocused();
    expect(await page.evaluate(() => scrollY)).toBe(scrolled);
    await scanSettled(page);
    // Focus there opens no card.
    await expect(card(page)).toBeHidden();
  }

  test('Escape on a detached card: focus goes to the same mention made again in its place, a line lower', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await pin504ByKeyboard(page);
    // The same output, rendered again with a line more above the 504: too far to take the card back.
    await replaceOutput(page, `[12:00:01] reconnecting\n${SAME}`);
    await scanSettled(page);
    await escapeTo(page, MARKER);
    await page.close();
  });

  test('Escape on a detached card whose mention is gone: focus goes to the focusable cell it was in', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    // Notebook cells take focus (the classic notebook gives them a tabindex).
    await page.locator('#classic-cell').evaluate((cell) => cell.setAttribute('tabindex', '2'));
    await pin504ByKeyboard(page);
    await replaceOutput(page, 'all done');
    await scanSettled(page);
    await escapeTo(page, '#classic-cell');
    await page.close();
  });

  test('Escape on a detached card with nothing focusable around: focus goes to the Tab stop before, and Tab goes on after the mention', async ({ context }) => {
    const page = await openFixture(context, 'jupyterLab');
    await page.evaluate(() => {
      const link = (id: string) => Object.assign(document.createElement('a'), { id, href: `#${id}`, textContent: id });
      document.querySelector('#classic-cell .input')!.append(link('run-cell'));
      document.querySelector('#notebook-container')!.after(link('next-notebook'));
    });
    await pin504ByKeyboard(page);
    await replaceOutput(page, 'all done');
    await scanSettled(page);
    await escapeTo(page, '#run-cell');
    await page.keyboard.press('Tab');
    await expect(page.locator('#next-notebook')).toBeFocused();
    await page.close();
  });
});
