/**
 * Closed shadow roots (docs/page-integrity.md, "Closed shadow roots"): the content scripts' world
 * reaches them (`chrome.dom.openOrClosedShadowRoot`) and the page cannot tell; the cases of
 * tests/e2e/shadow-edits.spec.ts with the components' roots closed: each marked, its marker in
 * the closed root (never among the host's children), every text node, innerText, box and
 * slotchange as on the page with no extension, after each in-place edit too; hover, focus, Enter
 * and Tab reach the markers there.
 */
import type { ElementHandle, Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLOSED_ROOT_PAGE, probeClosedRoot } from '../closed-root-probe';
import { layoutDifferences, pageLayout } from '../marker-layout';
import { editShadowCase, readShadowCase, SHADOW_CASES, SHADOW_EDITS, type ShadowCaseText } from '../shadow-marker-cases';
import { card, expect, openFixture, PAGES, scanSettled, test } from './fixtures';

const PAGES_DIR = new URL('./pages', import.meta.url).pathname;
/** The fixture with its roots closed, set as content (no content script: about:blank). */
const CLOSED_HTML = readFileSync(join(PAGES_DIR, PAGES.githubShadowClosedText.file), 'utf8').replace('<html lang="en">', '<html lang="en" data-closed>');

const readAll = (page: Page) => page.evaluate(`[${SHADOW_CASES.map((id) => JSON.stringify(id)).join(',')}].map(${readShadowCase.toString()})`) as Promise<ShadowCaseText[]>;
const unmarked = (read: ShadowCaseText[]) => read.map((r) => ({ ...r, markers: 0 }));
const slotchanges = (p: Page) => p.evaluate(() => (window as unknown as { slotchanges: number }).slotchanges);

async function plainPage(page: Page): Promise<void> {
  await page.setContent(CLOSED_HTML);
  expect(await page.evaluate(() => document.getElementById('slotted')!.shadowRoot)).toBeNull();
}

/** Where a case's marker stands: in the host's closed root, among the host's children, elsewhere. */
const markerPlaces = (page: Page) =>
  page.evaluate((ids) => {
    const rootOf = (window as unknown as { rootOf(host: Element): ShadowRoot }).rootOf;
    return ids.map((id) => {
      const host = document.getElementById(id)!;
      return { id, inRoot: rootOf(host).querySelectorAll('ibkr-error-mark').length, amongChildren: host.querySelectorAll('ibkr-error-mark').length };
    });
  }, [...SHADOW_CASES]);

/** A case's marker, in its host's closed root (the page's own reference to it). */
const markerOf = (page: Page, id: string) =>
  page.evaluateHandle((caseId) => (window as unknown as { rootOf(host: Element): ShadowRoot }).rootOf(document.getElementById(caseId)!).querySelector('[data-ibkr-error]')!, id) as Promise<ElementHandle<HTMLElement>>;

/** The focused element's entry, inside closed roots too (through the page's references). */
const focusedId = (page: Page) =>
  page.evaluate(() => {
    const rootOf = (window as unknown as { rootOf(host: Element): ShadowRoot | null }).rootOf;
    let el = document.activeElement;
    for (let root = el && rootOf(el); root?.activeElement; root = rootOf(el!)) el = root.activeElement;
    return el?.getAttribute('data-ibkr-error') ?? el?.localName ?? null;
  });

const PROBE_URL = 'https://github.com/erdewit/ib_insync/issues/4960';

/** Evaluates `expression` in the content script's world of `page` (its isolated world, over CDP). */
async function inContentWorld(page: Page, expression: string): Promise<unknown> {
  const cdp = await page.context().newCDPSession(page);
  const worlds: { id: number; origin: string; auxData?: { type?: string } }[] = [];
  cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
  await cdp.send('Runtime.enable');
  await expect.poll(() => worlds.some((w) => w.auxData?.type === 'isolated' && w.origin.startsWith('chrome-extension://'))).toBe(true);
  const world = worlds.find((w) => w.auxData?.type === 'isolated' && w.origin.startsWith('chrome-extension://'))!;
  const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, returnByValue: true });
  await cdp.detach();
  if (exceptionDetails) throw new Error(JSON.stringify(exceptionDetails));
  return result.value;
}

test('the content scripts\' world reaches a closed shadow root; the page reads its host as before and hears nothing', async ({ context }) => {
  const page = await context.newPage();
  await page.route(PROBE_URL, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: CLOSED_ROOT_PAGE }));
  await page.goto(PROBE_URL);
  const before = await page.evaluate(() => (window as unknown as { readHost(): unknown }).readHost());
  const probe = await inContentWorld(page, `(${probeClosedRoot.toString()})()`);
  console.log('closed-root probe', JSON.stringify(probe));
  expect(probe).toMatchObject({ chromeDom: true, shadowRoot: null, mode: 'closed', text: 'shadow text', plain: null });
  expect(await page.evaluate(() => (window as unknown as { readHost(): unknown }).readHost())).toEqual(before);
  expect(before).toEqual({ attributes: ['id'], innerText: 'light child', textContent: 'light child', shadowRoot: null, heard: ['slotchange'] });
  // (the page's own slotting of its child, at its start)
  await page.close();
});

test('closed roots: every case marked, its marker in the closed root, and its text nodes, innerText, every box and slotchange events as on the page with no extension', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowClosedText', false);
  await scanSettled(page);
  expect((await readAll(page)).map((r) => r.markers)).toEqual(SHADOW_CASES.map(() => 1));
  expect(await markerPlaces(page)).toEqual(SHADOW_CASES.map((id) => ({ id, inRoot: 1, amongChildren: 0 })));
  const plain = await context.newPage();
  await plainPage(plain);
  expect(unmarked(await readAll(page))).toEqual(await readAll(plain));
  expect(await page.evaluate(pageLayout)).toEqual(await plain.evaluate(pageLayout));
  expect(await slotchanges(page)).toBe(await slotchanges(plain));
  await page.close();
  await plain.close();
});

test('closed roots: the page edits a mention\'s text node in place (every edit of issue 14, each case): text nodes, innerText and boxes as the page wrote them', async ({ context }) => {
  test.setTimeout(120_000);
  for (const { name, edit, marked } of SHADOW_EDITS) {
    const page = await openFixture(context, 'githubShadowClosedText', false);
    await scanSettled(page);
    const plain = await context.newPage();
    await plainPage(plain);
    for (const id of SHADOW_CASES) {
      const inTask = (await page.evaluate(editShadowCase(id, edit))) as ShadowCaseText;
      const wrote = (await plain.evaluate(editShadowCase(id, edit))) as ShadowCaseText;
      expect({ ...inTask, markers: 0 }, `${name}, ${id}, in the page's task`).toEqual({ ...wrote, markers: 0 });
    }
    await scanSettled(page);
    expect((await readAll(page)).map((r) => r.markers), name).toEqual(SHADOW_CASES.map(() => (marked ? 1 : 0)));
    expect(unmarked(await readAll(page)), name).toEqual(await readAll(plain));
    expect(layoutDifferences(await page.evaluate(pageLayout), await plain.evaluate(pageLayout)), name).toEqual([]);
    expect(await slotchanges(page), name).toBe(await slotchanges(plain));
    await page.close();
    await plain.close();
  }
});

test('closed roots: each marker is hoverable (its card opens), focusable, and Enter pins its card', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowClosedText', false);
  await scanSettled(page);
  for (const id of SHADOW_CASES) {
    const marker = await markerOf(page, id);
    await expect.poll(() => marker.evaluate((m) => m.getBoundingClientRect().width), { message: `${id}: the marker's box` }).toBe(2);
    const box = (await marker.boundingBox())!;
    // The pointer over the mention's first character, where the marker's bar stands.
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect(card(page), `${id}: hovered`).toBeVisible();
    await expect(card(page).locator('.entry-code .code')).toContainText('326');
    await page.mouse.move(1, 1);
    await expect(card(page)).toBeHidden();
    await marker.focus();
    expect(await focusedId(page), `${id}: focused`).toBe('ibkr-326');
    await page.keyboard.press('Enter');
    await expect(card(page), `${id}: Enter`).toBeVisible();
    await expect(card(page).locator('.entry-code .code')).toContainText('326');
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
  }
  await page.close();
});

test('closed roots: a focused marker\'s mention is painted as focused, and no more once the focus leaves; its focus tooltip goes with it', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowClosedText', false);
  await scanSettled(page);
  const focusPaint = () => page.evaluate(() => CSS.highlights.get('ibkr-error-lookup-focus')?.size ?? 0);
  for (const id of SHADOW_CASES) {
    const marker = await markerOf(page, id);
    await marker.focus();
    await expect.poll(focusPaint, { message: `${id}: focused` }).toBe(1);
    await expect(card(page), `${id}: the focus tooltip`).toBeVisible();
    await page.locator('h1').click();
    await expect.poll(focusPaint, { message: `${id}: the focus left` }).toBe(0);
    await expect(card(page), `${id}: the focus tooltip after the focus left`).toBeHidden();
  }
  await page.close();
});

test('closed roots: Tab goes through the markers in the text\'s order, in and out of the closed roots; the paragraphs\' innerText as written', async ({ context }) => {
  const page = await openFixture(context, 'githubShadowClosedText', false);
  await scanSettled(page);
  /** The focused marker as its case and entry, found through the page's references to its closed roots. */
  const focused = () =>
    page.evaluate(() => {
      const rootOf = (window as unknown as { rootOf(host: Element): ShadowRoot | null }).rootOf;
      let el = document.activeElement;
      for (let root = el && rootOf(el); root?.activeElement; root = rootOf(el!)) el = root.activeElement;
      let inPage: Element | null = el;
      while (inPage && inPage.getRootNode() !== document) inPage = (inPage.getRootNode() as ShadowRoot).host;
      return `${inPage?.closest('.case')?.id ?? '?'} ${el?.getAttribute('data-ibkr-error') ?? el?.localName}`;
    });
  await (await markerOf(page, 'slotted')).focus();
  const order = [await focused()];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  expect(order).toEqual([
    'slotted-case ibkr-326',
    'framed-case ibkr-326',
    'under-root-case ibkr-326',
    'under-root-block-case ibkr-326',
    'order-case ibkr-200',
    'order-case ibkr-326',
    'order-case ibkr-321',
  ]);
  const plain = await context.newPage();
  await plainPage(plain);
  const read = (p: Page) => p.evaluate(() => [...document.querySelectorAll('.case')].map((el) => (el as HTMLElement).innerText).concat(document.body.innerText));
  expect(await read(page)).toEqual(await read(plain));
  expect(await slotchanges(page)).toBe(await slotchanges(plain));
  await page.close();
  await plain.close();
});
