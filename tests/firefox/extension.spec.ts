/**
 * The extension in Firefox ESR: markers and the card on a localhost page, popup search, the options
 * page and the analyzer, with the extension's console errors counted after every test (fixtures.ts).
 */
import type { Page } from 'puppeteer-core';
import { findMentionRect } from '../mention-rect';
import { pageLayout, showMarkers } from '../marker-layout';
import { cardState, expect, hoverMention, markerIds, test } from './fixtures';
import { isExtensionError } from './harness';

const JUPYTER_PATH = '/lab/tree/bot.ipynb';
const CLASSIC_OUTPUT = 'ERROR -1 2104 Market data farm connection is OK:usfarm\nERROR -1 504 Not connected';

/** Sets a text field's value as typing would (one input event) without typing it key by key. */
async function fillField(page: Page, selector: string, value: string): Promise<void> {
  await page.$eval(
    selector,
    (el, text) => {
      (el as HTMLInputElement).value = text;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    },
    value,
  );
}

const firstResult = (popup: Page) => popup.$eval('#results', (r) => r.querySelector('[data-entry-id]')?.getAttribute('data-entry-id') ?? null);

test.describe('Firefox ESR', () => {
  test('marks the IBKR errors of a Jupyter page on localhost, and only those', async ({ firefox }) => {
    const page = await firefox.openFixture('jupyter-lab.html', JUPYTER_PATH);
    await expect.poll(() => markerIds(page, '#classic-cell'), { message: 'markers in the classic notebook output' }).toEqual(['ibkr-2104', 'ibkr-504']);
    expect(new Set(await markerIds(page, '#cell-ib'))).toEqual(new Set(['connection-refused']));
    // The same refused connection in a redis notebook is not an IBKR error; inputs are never marked.
    expect(await markerIds(page, '#cell-redis')).toEqual([]);
    expect(await markerIds(page, '.cm-editor')).toEqual([]);
    // The page's text is its own, in its own node: the errors are painted where they are.
    expect(await page.$eval('#classic-cell .output_subarea pre', (el) => el.textContent)).toBe(CLASSIC_OUTPUT);
    expect(await page.$eval('#classic-cell .output_subarea pre', (el) => [...el.childNodes].map((n) => n.nodeName))).toEqual(['#text', 'IBKR-ERROR-MARK', 'IBKR-ERROR-MARK']);
    expect(await page.evaluate(() => [...CSS.highlights.keys()].sort())).toEqual(['ibkr-error-lookup-error', 'ibkr-error-lookup-info']);
  });

  test('the highlights take the dark tints when the page turns dark (its theme or its background), and back', async ({ firefox }) => {
    const page = await firefox.openFixture('jupyter-lab.html', JUPYTER_PATH);
    await expect.poll(() => markerIds(page, '#classic-cell')).toEqual(['ibkr-2104', 'ibkr-504']);
    const names = () => page.evaluate(() => [...CSS.highlights.keys()].sort());
    expect(await names()).toEqual(['ibkr-error-lookup-error', 'ibkr-error-lookup-info']);
    // JupyterLab's dark theme.
    await page.evaluate(() => document.body.setAttribute('data-jp-theme-light', 'false'));
    await expect.poll(names).toEqual(['ibkr-error-lookup-dark-error', 'ibkr-error-lookup-dark-info']);
    await page.evaluate(() => document.body.removeAttribute('data-jp-theme-light'));
    await expect.poll(names).toEqual(['ibkr-error-lookup-error', 'ibkr-error-lookup-info']);
    // A dark background of its own, no theme declared.
    await page.evaluate(() => (document.body.style.background = '#1e1e1e'));
    await expect.poll(names).toEqual(['ibkr-error-lookup-dark-error', 'ibkr-error-lookup-dark-info']);
  });

  test('the page holds no style of ours; its marks are painted by the sheet Firefox added', async ({ firefox }) => {
    const page = await firefox.openFixture('jupyter-lab.html', JUPYTER_PATH);
    const marker = '#classic-cell [data-ibkr-error="ibkr-504"]';
    await page.waitForSelector(marker);
    expect(
      await page.evaluate(() => ({
        elements: [...document.querySelectorAll('style, link[rel~="stylesheet"]')].filter((el) => el.outerHTML.includes('ibkr')).length,
        adopted: document.adoptedStyleSheets.length,
      })),
    ).toEqual({ elements: 0, adopted: 0 });
    // Taking the extension's highlights out of the page's registry (shared by every world) changes
    // the mention's pixels; putting them back draws the same pixels again.
    const shot = async () => {
      const r = await page.$eval(marker, findMentionRect);
      return Buffer.from(await page.screenshot({ clip: { x: r.left - 2, y: r.top - 2, width: r.right - r.left + 4, height: r.bottom - r.top + 4 } }));
    };
    const painted = await shot();
    const kept = 'window.__keptHighlights';
    await page.evaluate(`${kept} = [...CSS.highlights].filter(([name]) => name.startsWith('ibkr-error-lookup-')); for (const [name] of ${kept}) CSS.highlights.delete(name);`);
    const bare = await shot();
    await page.evaluate(`for (const [name, h] of ${kept}) CSS.highlights.set(name, h);`);
    expect(bare.equals(painted)).toBe(false);
    expect((await shot()).equals(painted)).toBe(true);
  });

  test('hovering a marker shows the entry in an open shadow root; moving away hides it', async ({ firefox }) => {
    const page = await firefox.openFixture('jupyter-lab.html', JUPYTER_PATH);
    const marker = '#classic-cell [data-ibkr-error="ibkr-504"]';
    await page.waitForSelector(marker);
    await hoverMention(page, marker);
    await expect.poll(async () => (await cardState(page)).visible, { message: 'the card after hovering Error 504' }).toBe(true);
    const { text } = await cardState(page);
    for (const part of ['Request sent while the IBKR client is not connected', 'Likely causes', 'Check isConnected before sending requests', 'Resolution path']) {
      expect(text).toContain(part);
    }
    expect(await page.$eval('[data-ibkr-error-lookup-ui]', (host) => host.shadowRoot?.mode)).toBe('open');
    expect(await page.$eval(marker, (m) => m.getAttribute('aria-expanded'))).toBe('true');
    await page.mouse.move(5, 5);
    await expect.poll(async () => (await cardState(page)).visible, { message: 'the card after the pointer left' }).toBe(false);
  });

  test('a marker is a box at its mention: hover() and click() on it, a scrolled <pre>, layout unchanged', async ({ firefox }) => {
    const page = await firefox.openFixture('github-markers.html');
    await page.waitForSelector('#log [data-ibkr-error="ibkr-10197"]');
    /** How far a marker's box is from its mention's first character. */
    const offset = async (marker: string) => {
      const r = await page.$eval(marker, findMentionRect);
      const box = await page.$eval(marker, (m) => m.getBoundingClientRect().toJSON() as DOMRect);
      return { x: Math.abs(box.left - r.left), y: Math.abs(box.top + box.height / 2 - (r.top + r.bottom) / 2), width: box.width };
    };
    await page.$eval('#wide', (pre) => (pre.scrollLeft = pre.scrollWidth));
    for (const [marker, code] of [
      ['#para [data-ibkr-error="ibkr-326"]', ' 326'],
      ['#wide [data-ibkr-error="ibkr-504"]', ' 504'],
      ['#linked [data-ibkr-error="ibkr-502"]', ' 502'],
      ['#flex [data-ibkr-error="ibkr-1100"]', ' 1100'],
    ]) {
      await expect.poll(() => offset(marker), { message: `${marker} over its mention` }).toEqual({ x: expect.any(Number), y: expect.any(Number), width: 2 });
      const { x, y } = await offset(marker);
      expect(x, marker).toBeLessThan(1);
      expect(y, marker).toBeLessThan(3);
      // Puppeteer's hover: to the middle of the element's box.
      await page.hover(marker);
      await expect.poll(async () => (await cardState(page)).text.slice(0, 40), { message: `the card after hovering ${marker}` }).toContain(code);
      await page.mouse.move(5, 5);
      await expect.poll(async () => (await cardState(page)).visible, { message: 'the card after the pointer left' }).toBe(false);
    }
    await page.click('#para [data-ibkr-error="ibkr-326"]');
    await expect.poll(() => page.evaluate(() => document.querySelector('[data-ibkr-error-lookup-ui]')?.shadowRoot?.querySelector('.card')?.getAttribute('role'))).toBe('dialog');
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await cardState(page)).visible).toBe(false);
    // Every box and line of the page is where it is with the markers hidden.
    const withMarkers = await page.evaluate(pageLayout);
    await page.evaluate(showMarkers, false);
    expect(withMarkers).toEqual(await page.evaluate(pageLayout));
  });

  test('a pinned card is in the Tab order right after its marker: Tab goes through it and on to the next error', async ({ firefox }) => {
    const page = await firefox.openFixture('github-traceback.html');
    const marker = '#log [data-ibkr-error="ibkr-162"]';
    await page.waitForSelector(marker);
    /** What has focus: a card control, or a marker by entry id and place among the page's markers. */
    const focused = () =>
      page.evaluate(() => {
        const inCard = document.querySelector('[data-ibkr-error-lookup-ui]')?.shadowRoot?.activeElement;
        if (inCard) return `card ${inCard.className || inCard.tagName.toLowerCase()}`;
        const el = document.activeElement;
        const id = el?.getAttribute('data-ibkr-error');
        return id ? `${id} #${[...document.querySelectorAll('[data-ibkr-error]')].indexOf(el!)}` : (el?.tagName.toLowerCase() ?? 'none');
      });
    await page.$eval(marker, (m) => (m as HTMLElement).focus());
    const at = await focused();
    expect(at).toMatch(/^ibkr-162 #\d+$/);
    await page.keyboard.press('Enter');
    await expect.poll(focused).toBe('card close close-corner');
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await focused()).toBe(at);
    const seen: string[] = [];
    for (let i = 0; i < 10 && !seen.at(-1)?.startsWith('ibkr-'); i++) {
      await page.keyboard.press('Tab');
      seen.push(await focused());
    }
    // Into the card (close first), through its stops, then the log's next error, whose card shows.
    expect(seen[0]).toBe('card close close-corner');
    expect(seen.at(-1)).toBe(`ibkr-2104 #${Number(at.split('#')[1]) + 1}`);
    await expect.poll(async () => (await cardState(page)).text).toContain('Market data farm connected');
  });

  test('popup search puts the right entry first and opens it with Enter', async ({ firefox }) => {
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.waitForSelector('input[type=search]');
    for (const [query, id] of [
      ['10061', 'connection-refused'],
      ['326', 'ibkr-326'],
      ['clientId', 'ibkr-326'],
      ['conection refused', 'connection-refused'],
      ['pacing violation', 'ibkr-162'],
    ]) {
      await fillField(popup, 'input[type=search]', query);
      await expect.poll(() => firstResult(popup), { message: `first result for "${query}"` }).toBe(id);
    }
    await popup.focus('input[type=search]');
    await popup.keyboard.press('Enter');
    await expect
      .poll(() => popup.$eval('#detail', (d) => (d as HTMLElement).hidden || d.querySelector('article')?.getAttribute('data-entry-id')), {
        message: 'the entry view after Enter',
      })
      .toBe('ibkr-162');
    expect(await popup.$eval('#detail', (d) => d.textContent)).toContain('Resolution path');
  });

  test('options page: the localhost group switched off leaves the open page as it was; on again, its markers return', async ({ firefox }) => {
    const page = await firefox.openFixture('jupyter-lab.html', JUPYTER_PATH);
    await expect.poll(() => markerIds(page, '#classic-cell')).toEqual(['ibkr-2104', 'ibkr-504']);
    const options = await firefox.openExtensionPage('options.html');
    await options.waitForSelector('input[data-group="localhost"]');
    expect(await options.$$eval('input[data-group]', (els) => els.length)).toBe(6);
    expect(await options.$eval('input[data-group="localhost"]', (el) => (el as HTMLInputElement).checked)).toBe(true);

    await options.click('input[data-group="localhost"]');
    await expect.poll(() => options.$eval('#saved', (el) => el.textContent)).toBe('Saved.');
    await expect.poll(() => markerIds(page), { message: 'markers on the page after its group was switched off' }).toEqual([]);
    expect(await page.$eval('#classic-cell .output_subarea pre', (el) => [el.textContent, el.childNodes.length])).toEqual([CLASSIC_OUTPUT, 1]);
    // The setting is stored: a reloaded options page shows it.
    await firefox.gotoExtensionPage(options, 'options.html');
    await options.waitForSelector('input[data-group="localhost"]');
    expect(await options.$eval('input[data-group="localhost"]', (el) => (el as HTMLInputElement).checked)).toBe(false);

    await options.click('input[data-group="localhost"]');
    await expect.poll(() => markerIds(page, '#classic-cell'), { message: 'markers after the group was switched on again' }).toEqual(['ibkr-2104', 'ibkr-504']);
  });

  test('options page: a site group\'s patterns break between patterns, never inside one (Firefox breaks after "https://")', async ({ firefox }) => {
    const options = await firefox.openExtensionPage('options.html');
    await options.setViewport({ width: 1366, height: 650 });
    await options.waitForSelector('li[data-group-row="ibkr"] .patterns .pattern');
    const split = await options.$eval('li[data-group-row="ibkr"] .patterns', (el) => {
      const range = document.createRange();
      return [...el.querySelectorAll('.pattern')].filter((node) => {
        range.selectNodeContents(node);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1;
      }).map((node) => node.textContent);
    });
    expect(split).toEqual([]);
  });

  test('analyzer: a pasted log gives one row per entry with exact counts', async ({ firefox }) => {
    const analyzer = await firefox.openExtensionPage('analyze.html');
    await analyzer.waitForSelector('textarea#log');
    const log = [
      '2024-05-01 09:30:00 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm',
      '2024-05-01 09:30:01 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
      'nginx: 504 Gateway Timeout while reading response header from upstream',
      'ERROR -1 504 Not connected',
      '2024-05-01 09:30:03 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
    ].join('\n');
    await fillField(analyzer, 'textarea#log', log);
    await analyzer.click('#analyze');
    await expect.poll(() => analyzer.$eval('#status', (el) => el.textContent), { message: 'the analyzer status' }).toContain('5 lines read');
    const rows = await analyzer.$$eval('tr[data-entry-id]', (els) => els.map((e) => [e.getAttribute('data-entry-id'), e.getAttribute('data-count')]));
    expect(rows).toEqual([
      ['ibkr-326', '2'],
      ['ibkr-504', '1'],
      ['ibkr-2104', '1'],
    ]);
  });

  test("the error count tells the extension's errors from Firefox's own lines", () => {
    expect(isExtensionError('stdout', 'console.error: "probe: logged"')).toBe(true);
    expect(isExtensionError('stdout', 'console.error: ({message:"x"}) 42 ')).toBe(true);
    expect(isExtensionError('stdout', 'console.error: RSLoader: ')).toBe(false);
    expect(isExtensionError('stdout', 'console.warn: "only a warning"')).toBe(false);
    expect(isExtensionError('stderr', 'JavaScript error: moz-extension://0c1d/content-scripts/content.js, line 1: TypeError: x is null')).toBe(true);
    expect(isExtensionError('stderr', 'JavaScript error: resource://gre/modules/PrivateBrowsingUtils.sys.mjs, line 50: TypeError')).toBe(false);
  });

  test('the error count sees console errors and uncaught errors of extension pages', async ({ firefox }) => {
    // Proves the per-test check can fail: an extension page that logs and throws is counted.
    const popup = await firefox.openExtensionPage('popup.html');
    await popup.evaluate(() => {
      console.error('probe: logged');
      setTimeout(() => {
        throw new Error('probe: thrown');
      });
    });
    await expect
      .poll(() => firefox.extensionErrors(), { message: 'errors Firefox reported for the probe' })
      .toEqual(['console.error: "probe: logged"', expect.stringMatching(/^JavaScript error: moz-extension:\/\/.*Error: probe: thrown$/)]);
    firefox.resetErrors();
  });
});
