/**
 * Mentions in reach of a shadow boundary in Firefox ESR (slotted into a web component's shadow
 * tree; in a shadow root's text with only inline elements up to it): where an empty block-level
 * box adds no line break (proven on plain pages), and the marker standing there: every text node,
 * every innerText and every box as on the page with no extension, before and after the page edits
 * the mention's text node in place, and the marker hoverable and focusable
 * (docs/page-integrity.md, "Where the marker goes").
 */
import type { ElementHandle, Page } from 'puppeteer-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageLayout } from '../marker-layout';
import { CLOSED_ROOT_PAGE, probeClosedRoot } from '../closed-root-probe';
import { APPEND_PAST_FRAMED_MARKER, editShadowCase, readShadowCase, SHADOW_CASES, SHADOW_EDITS, type ShadowCaseText } from '../shadow-marker-cases';
import { probeShadowPlaces, SHADOW_PLACE_CASES, SHADOW_PLACES_PROVEN } from '../shadow-places';
import { cardState, expect, test } from './fixtures';
import type { Firefox } from './harness';

const PATH = '/erdewit/ib_insync/issues/4951';
const FILE = 'github-shadow-marker-text.html';
const HTML = readFileSync(join(new URL('../e2e/pages', import.meta.url).pathname, FILE), 'utf8');

/** The same components with closed shadow roots (the page keeps its own references, `rootOf`). */
const CLOSED_HTML = HTML.replace('<html lang="en">', '<html lang="en" data-closed>');

const readAll = (page: Page) =>
  page.evaluate(`[${SHADOW_CASES.map((id) => JSON.stringify(id)).join(',')}].map(${readShadowCase.toString()})`) as Promise<ShadowCaseText[]>;
const unmarked = (read: ShadowCaseText[]) => read.map((r) => ({ ...r, markers: 0 }));

/** The fixture where no content script runs (about:blank). */
async function plainPage(firefox: Firefox): Promise<Page> {
  const plain = await firefox.browser.newPage();
  await plain.setContent(HTML);
  expect(await plain.$$eval('ibkr-error-mark', (els) => els.length)).toBe(0);
  return plain;
}

async function openMarked(firefox: Firefox): Promise<Page> {
  const page = await firefox.openFixture(FILE, PATH);
  await expect.poll(() => readAll(page).then((r) => r.map((c) => c.markers)), { message: 'every case marked' }).toEqual(SHADOW_CASES.map(() => 1));
  return page;
}

test('a block-level empty box in reach of a shadow boundary: where it adds no line break to innerText, moves no box, is rendered and slots nothing', async ({ firefox }) => {
  const page = await firefox.browser.newPage();
  await page.setContent('<!doctype html><html><body><p>start</p></body></html>');
  const read = await page.evaluate(probeShadowPlaces, SHADOW_PLACE_CASES);
  expect(read.map((r) => [r.id, r.sameText, r.sameBoxes, r.rendered, r.slotchanges])).toEqual(SHADOW_PLACES_PROVEN);
  expect(read.find((r) => r.id === 'slot-end:light-after-run')!.innerText).toContain('in use.\n tail');
  expect(read.find((r) => r.id === 'under-root-block:after-run')!.shadowTexts).toContain('Error 326, reqId -1: Unable to connect as the client id is already in use\n. tail');
});

test('every case marked, and its text nodes, innerText, every box and slotchange events as on the page with no extension', async ({ firefox }) => {
  const page = await openMarked(firefox);
  const plain = await plainPage(firefox);
  expect(unmarked(await readAll(page))).toEqual(await readAll(plain));
  expect(await page.evaluate(pageLayout)).toEqual(await plain.evaluate(pageLayout));
  // No node slotted that was not: the page's slots fired what they fire with no extension.
  const slotchanges = (p: Page) => p.evaluate(() => (window as unknown as { slotchanges: number }).slotchanges);
  expect(await slotchanges(page)).toBe(await slotchanges(plain));
});

test('the page edits a mention\'s text node in place (every edit of issue 14, each case): text nodes, innerText and boxes as the page wrote them', async ({ firefox }) => {
  test.setTimeout(120_000);
  for (const { name, edit, marked } of SHADOW_EDITS) {
    const page = await openMarked(firefox);
    const plain = await plainPage(firefox);
    for (const id of SHADOW_CASES) {
      const inTask = (await page.evaluate(editShadowCase(id, edit))) as ShadowCaseText;
      const wrote = (await plain.evaluate(editShadowCase(id, edit))) as ShadowCaseText;
      expect({ ...inTask, markers: 0 }, `${name}, ${id}, in the page's task`).toEqual({ ...wrote, markers: 0 });
    }
    // Once marked again where an error remains.
    const want = SHADOW_CASES.map(() => (marked ? 1 : 0));
    await expect.poll(() => readAll(page).then((r) => r.map((c) => c.markers)), { message: `${name}: marked again` }).toEqual(want);
    expect(unmarked(await readAll(page)), name).toEqual(await readAll(plain));
    expect(await page.evaluate(pageLayout), name).toEqual(await plain.evaluate(pageLayout));
    await page.close();
    await plain.close();
  }
});

test('a marker in reach of a shadow boundary is hoverable and focusable: its card opens', async ({ firefox }) => {
  const page = await openMarked(firefox);
  for (const id of SHADOW_CASES) {
    const marker = (await page.evaluateHandle((caseId: string) => {
      const host = document.getElementById(caseId)!;
      return host.shadowRoot!.querySelector('[data-ibkr-error]') ?? host.querySelector('[data-ibkr-error]') ?? document.querySelector(`#${caseId}-case [data-ibkr-error]`);
    }, id)) as ElementHandle<Element>;
    // Puppeteer's hover: to the middle of the element's box (placed over its mention once measured).
    await expect.poll(() => marker.evaluate((m) => m.getBoundingClientRect().width), { message: `${id}: the marker's box` }).toBe(2);
    await marker.hover();
    await expect.poll(async () => (await cardState(page)).text.slice(0, 40), { message: `${id}: the card after hovering` }).toContain(' 326');
    await page.mouse.move(1, 1);
    await expect.poll(async () => (await cardState(page)).visible, { message: `${id}: the card after the pointer left` }).toBe(false);
    await marker.evaluate((m) => (m as HTMLElement).focus());
    expect(await marker.evaluate((m) => (m.getRootNode() as Document | ShadowRoot).activeElement === m), `${id}: focused`).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await cardState(page)).visible, { message: `${id}: the card after Enter` }).toBe(true);
    expect((await cardState(page)).text.slice(0, 40)).toContain(' 326');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await cardState(page)).visible, { message: `${id}: the card after Escape` }).toBe(false);
  }
});

test('mentions before, in and after a slotted quote: their markers in the text\'s order (the Tab order), the paragraph\'s innerText as written', async ({ firefox }) => {
  const page = await openMarked(firefox);
  const ids = () => page.$$eval('#order [data-ibkr-error]', (els) => els.map((e) => e.getAttribute('data-ibkr-error')));
  await expect.poll(ids, { message: 'the paragraph marked' }).toEqual(['ibkr-200', 'ibkr-326', 'ibkr-321']);
  /** The focused element, inside open shadow roots too. */
  const focused = () =>
    page.evaluate(() => {
      let el = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute('data-ibkr-error') ?? el?.localName ?? null;
    });
  await page.$eval('#order [data-ibkr-error="ibkr-200"]', (m) => (m as HTMLElement).focus());
  const order = [await focused()];
  for (let i = 0; i < 2; i++) {
    await page.keyboard.press('Tab');
    order.push(await focused());
  }
  expect(order).toEqual(['ibkr-200', 'ibkr-326', 'ibkr-321']);
  const plain = await plainPage(firefox);
  const read = (p: Page) => p.$eval('#order', (el) => [(el as HTMLElement).innerText, document.body.innerText]);
  expect(await read(page)).toEqual(await read(plain));
});

test('the page writes past a marker in a shadow tree (its block appended to, in the same task): the marker moved on, innerText as written', async ({ firefox }) => {
  const page = await openMarked(firefox);
  const append = APPEND_PAST_FRAMED_MARKER;
  const plain = await plainPage(firefox);
  const [wrote] = (await plain.evaluate(append)) as [string, string];
  expect(wrote).toBe('Log:  (x-log) (more)');
  // The framed log's marker stood at the end of the component's <p>: it is there again.
  expect(await page.evaluate(append)).toEqual([wrote, 'IBKR-ERROR-MARK']);
  expect(unmarked(await readAll(page))).toEqual(await readAll(plain));
});

test('closed roots: every case marked in its closed root (never among the host\'s children), its text, innerText, boxes and slotchange as with no extension; hover, focus and Enter reach the markers', async ({ firefox }) => {
  const page = await firefox.browser.newPage();
  await page.goto(firefox.server.serve('/erdewit/ib_insync/issues/4952', CLOSED_HTML));
  expect(await page.evaluate(() => document.getElementById('slotted')!.shadowRoot)).toBeNull();
  await expect.poll(() => readAll(page).then((r) => r.map((c) => c.markers)), { message: 'every case marked' }).toEqual(SHADOW_CASES.map(() => 1));
  const places = await page.evaluate((ids: string[]) => {
    const rootOf = (window as unknown as { rootOf(host: Element): ShadowRoot }).rootOf;
    return ids.map((id) => {
      const host = document.getElementById(id)!;
      return [rootOf(host).querySelectorAll('ibkr-error-mark').length, host.querySelectorAll('ibkr-error-mark').length];
    });
  }, [...SHADOW_CASES]);
  expect(places).toEqual(SHADOW_CASES.map(() => [1, 0]));
  const plain = await firefox.browser.newPage();
  await plain.setContent(CLOSED_HTML);
  expect(unmarked(await readAll(page))).toEqual(await readAll(plain));
  expect(await page.evaluate(pageLayout)).toEqual(await plain.evaluate(pageLayout));
  const slotchanges = (p: Page) => p.evaluate(() => (window as unknown as { slotchanges: number }).slotchanges);
  expect(await slotchanges(page)).toBe(await slotchanges(plain));
  await plain.close();
  // The page's tab in front again: focus events come to the tab that has the focus.
  await page.bringToFront();
  for (const id of ['slotted', 'under-root']) {
    const marker = (await page.evaluateHandle(
      (caseId: string) => (window as unknown as { rootOf(host: Element): ShadowRoot }).rootOf(document.getElementById(caseId)!).querySelector('[data-ibkr-error]'),
      id,
    )) as ElementHandle<Element>;
    await expect.poll(() => marker.evaluate((m) => m.getBoundingClientRect().width), { message: `${id}: the marker's box` }).toBe(2);
    const box = (await marker.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(async () => (await cardState(page)).text.slice(0, 40), { message: `${id}: the card after hovering` }).toContain(' 326');
    await page.mouse.move(1, 1);
    await expect.poll(async () => (await cardState(page)).visible, { message: `${id}: the card after the pointer left` }).toBe(false);
    await marker.evaluate((m) => (m as HTMLElement).focus());
    expect(await marker.evaluate((m) => (m.getRootNode() as ShadowRoot).activeElement === m), `${id}: focused`).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await cardState(page)).visible, { message: `${id}: the card after Enter` }).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await cardState(page)).visible, { message: `${id}: the card after Escape` }).toBe(false);
    // The focus leaving the closed root takes the mention's focus paint with it.
    const focusPaint = () => page.evaluate(() => CSS.highlights.get('ibkr-error-lookup-focus')?.size ?? 0);
    await marker.evaluate((m) => (m as HTMLElement).focus());
    await expect.poll(focusPaint, { message: `${id}: painted as focused` }).toBe(1);
    await page.$eval('h1', (h) => h.setAttribute('tabindex', '-1'));
    await page.$eval('h1', (h) => (h as HTMLElement).focus());
    await expect.poll(focusPaint, { message: `${id}: the focus left` }).toBe(0);
  }
});

test('the content scripts\' world reaches a closed shadow root; the page reads its host as before and hears nothing', async ({ firefox }) => {
  const url = firefox.server.serve('/closed-root-probe', CLOSED_ROOT_PAGE);
  const page = await firefox.browser.newPage();
  await page.goto(url);
  const readHost = () => page.evaluate(() => (window as unknown as { readHost(): unknown }).readHost());
  const before = await readHost();
  // Injected into the content scripts' world from an extension page (the add-on holds the fixture server's origin).
  const options = await firefox.openExtensionPage('options.html');
  const probe = await options.evaluate(`(async () => {
    const tab = (await browser.tabs.query({})).find((t) => t.url === ${JSON.stringify(url)});
    const [done] = await browser.scripting.executeScript({ target: { tabId: tab.id }, func: ${probeClosedRoot.toString()} });
    return done.result;
  })()`);
  await options.close();
  console.log('closed-root probe (Firefox)', JSON.stringify(probe));
  expect(probe).toMatchObject({ chromeDom: false, browserDom: false, elementProperty: true, shadowRoot: null, mode: 'closed', text: 'shadow text', plain: null });
  expect(await readHost()).toEqual(before);
  // (the page's own slotting of its child, at its start)
  expect(before).toEqual({ attributes: ['id'], innerText: 'light child', textContent: 'light child', shadowRoot: null, heard: ['slotchange'] });
});
