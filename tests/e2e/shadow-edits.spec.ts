/**
 * Mentions in reach of a shadow boundary (slotted into a web component's shadow tree; in a shadow
 * root's text with only inline elements up to it): where an empty block-level box adds no line
 * break (proven on plain pages), and the marker standing there: every text node, every innerText
 * and every box as on the page with no extension, before and after the page edits the mention's
 * text node in place, and the marker hoverable and focusable (docs/page-integrity.md, "Where the
 * marker goes").
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { layoutDifferences, pageLayout } from '../marker-layout';
import { APPEND_PAST_FRAMED_MARKER, editShadowCase, readShadowCase, SHADOW_CASES, SHADOW_EDITS } from '../shadow-marker-cases';
import { probeShadowPlaces, SHADOW_PLACE_CASES, SHADOW_PLACES_PROVEN } from '../shadow-places';
import { card, expect, openFixture, PAGES, scanSettled, test } from './fixtures';

const PAGES_DIR = new URL('./pages', import.meta.url).pathname;
const HTML = readFileSync(join(PAGES_DIR, PAGES.githubShadowMarkerText.file), 'utf8');

const readAll = (page: Page) => page.evaluate((ids) => ids.map((id) => (window as unknown as { readShadowCase(id: string): unknown }).readShadowCase(id)), [...SHADOW_CASES]);

/** The fixture with no content script (about:blank), with the read function the specs use. */
async function plainPage(page: Page): Promise<void> {
  await page.setContent(HTML);
  expect(await page.locator('ibkr-error-mark').count()).toBe(0);
}

async function withReader(page: Page): Promise<void> {
  await page.evaluate(`window.readShadowCase = ${readShadowCase.toString()}`);
}

test('a block-level empty box in reach of a shadow boundary: where it adds no line break to innerText, moves no box, is rendered and slots nothing', async ({ context }) => {
  const page = await context.newPage();
  await page.setContent('<!doctype html><html><body><p>start</p></body></html>');
  const read = await page.evaluate(probeShadowPlaces, SHADOW_PLACE_CASES);
  expect(read.map((r) => [r.id, r.sameText, r.sameBoxes, r.rendered, r.slotchanges])).toEqual(SHADOW_PLACES_PROVEN);
  // The place before the flat-tree rule: among the host's children, where innerText reads a break.
  expect(read.find((r) => r.id === 'slot-end:light-after-run')!.innerText).toContain('in use.\n tail');
  expect(read.find((r) => r.id === 'under-root-block:after-run')!.shadowTexts).toContain('Error 326, reqId -1: Unable to connect as the client id is already in use\n. tail');
  await page.close();
});

test('every case marked, and its text nodes, innerText, every box and slotchange events as on the page with no extension', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowMarkerText');
  await scanSettled(page);
  await withReader(page);
  const marked = (await readAll(page)) as { markers: number }[];
  expect(marked.map((r) => r.markers)).toEqual(SHADOW_CASES.map(() => 1));
  const plain = await context.newPage();
  await plainPage(plain);
  await withReader(plain);
  const without = (await readAll(plain)) as { markers: number }[];
  expect(marked.map((r) => ({ ...r, markers: 0 }))).toEqual(without);
  expect(await page.evaluate(pageLayout)).toEqual(await plain.evaluate(pageLayout));
  // No node slotted that was not: the page's slots fired what they fire with no extension.
  const slotchanges = (p: Page) => p.evaluate(() => (window as unknown as { slotchanges: number }).slotchanges);
  expect(await slotchanges(page)).toBe(await slotchanges(plain));
  await page.close();
  await plain.close();
});

test.describe('the page edits a mention\'s text node in place, in reach of a shadow boundary', () => {
  for (const { name, edit, marked } of SHADOW_EDITS) {
    test(`${name}: every text node, innerText and box as the page wrote them, in the same task and once marked again`, async ({ context }) => {
      const page = await openFixture(context, 'githubShadowMarkerText');
      await scanSettled(page);
      const plain = await context.newPage();
      await plainPage(plain);
      for (const id of SHADOW_CASES) {
        const inTask = await page.evaluate(editShadowCase(id, edit));
        const wrote = await plain.evaluate(editShadowCase(id, edit));
        expect({ ...(inTask as object), markers: 0 }, `${id}, in the page's task`).toEqual({ ...(wrote as object), markers: 0 });
      }
      await scanSettled(page);
      await withReader(page);
      await withReader(plain);
      const after = (await readAll(page)) as { markers: number }[];
      // Marked again where an error remains.
      expect(after.map((r) => r.markers)).toEqual(SHADOW_CASES.map(() => (marked ? 1 : 0)));
      expect(after.map((r) => ({ ...r, markers: 0 }))).toEqual(await readAll(plain));
      // No box moved: the same layout, but for the fraction of a pixel an edited text's shaping may differ by (layoutDifferences).
      expect(layoutDifferences(await page.evaluate(pageLayout), await plain.evaluate(pageLayout))).toEqual([]);
      await page.close();
      await plain.close();
    });
  }
});

test.describe('a marker in reach of a shadow boundary is hoverable and focusable', () => {
  for (const id of SHADOW_CASES) {
    test(`${id}: hover() shows its card; focus and Enter pin it`, async ({ context }) => {
      const page = await openFixture(context, 'githubShadowMarkerText');
      await scanSettled(page);
      // Playwright's CSS locators pierce open shadow roots.
      const marker = page.locator(`#${id}-case [data-ibkr-error="ibkr-326"]`);
      await marker.hover();
      await expect(card(page)).toBeVisible();
      await expect(card(page).locator('.entry-code .code')).toContainText('326');
      await page.mouse.move(1, 1);
      await expect(card(page)).toBeHidden();
      await marker.focus();
      await expect(marker).toBeFocused();
      await page.keyboard.press('Enter');
      await expect(card(page)).toBeVisible();
      await expect(card(page).locator('.entry-code .code')).toContainText('326');
      await page.close();
    });
  }
});

test('mentions before, in and after a slotted quote: their markers in the text\'s order (the Tab order), the paragraph\'s innerText as written', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowMarkerText');
  await scanSettled(page);
  const markers = page.locator('#order-case [data-ibkr-error]');
  expect(await markers.evaluateAll((els) => els.map((e) => e.getAttribute('data-ibkr-error')))).toEqual(['ibkr-200', 'ibkr-326', 'ibkr-321']);
  /** The focused element, inside open shadow roots too. */
  const focused = () =>
    page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('data-ibkr-error') ?? el?.localName ?? null;
    });
  await markers.first().focus();
  const order = [await focused()];
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  expect(order).toEqual(['ibkr-200', 'ibkr-326', 'ibkr-321']);
  const plain = await context.newPage();
  await plainPage(plain);
  const read = (p: Page) => p.locator('#order').evaluate((el) => [(el as HTMLElement).innerText, document.body.innerText]);
  expect(await read(page)).toEqual(await read(plain));
  await page.close();
  await plain.close();
});

test('the page writes past a marker in a shadow tree (its block appended to, in the same task): the marker moved on, innerText as written', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowMarkerText');
  await scanSettled(page);
  const append = APPEND_PAST_FRAMED_MARKER;
  const plain = await context.newPage();
  await plainPage(plain);
  const [wrote] = (await plain.evaluate(append)) as [string, string];
  expect(wrote).toBe('Log:  (x-log) (more)');
  // The framed log's marker stood at the end of the component's <p>: it is there again.
  expect(await page.evaluate(append)).toEqual([wrote, 'IBKR-ERROR-MARK']);
  await scanSettled(page);
  await withReader(page);
  await withReader(plain);
  expect(((await readAll(page)) as { markers: number }[]).map((r) => ({ ...r, markers: 0 }))).toEqual(await readAll(plain));
  await page.close();
  await plain.close();
});
