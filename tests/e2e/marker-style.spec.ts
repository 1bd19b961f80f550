/**
 * The markers' style sheet is the browser's to add (lib/marker-style.ts): the page's DOM holds no
 * style of ours, and the marks are painted all the same, on a built-in site, on a site the user
 * added (a style script registered beside its content script) and in a frame where "Explain
 * selection" injected the script (the background inserts the sheet once that copy marks something).
 */
import type { BrowserContext, Frame, Page, Worker } from '@playwright/test';
import { SCAN_STATE_ATTR } from '../../lib/test-hooks';
import { card, expect, grantOnExtensionsPage, hoverMention, mentionRect, openFixture, PAGES, scanSettled, test } from './fixtures';

/** The few extension APIs these tests call inside the service worker. */
declare const chrome: {
  tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
  storage: { sync: { clear(): Promise<void> } };
  permissions: { getAll(): Promise<{ origins?: string[] }> };
  scripting: {
    getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]>;
    executeScript(i: { target: { tabId: number; allFrames: boolean }; func: () => string }): Promise<{ frameId: number; result: string }[]>;
  };
};

const TRANSPARENT = 'rgba(0, 0, 0, 0)';

/** Every style the page's own world can see: style and link elements, adopted sheets, rules that name us. */
const pageStyles = (frame: Frame) =>
  frame.evaluate(() => ({
    elements: [...document.querySelectorAll('style, link[rel~="stylesheet"]')].map((el) => el.outerHTML.slice(0, 80)),
    adopted: document.adoptedStyleSheets.length,
    ourRules: [...document.styleSheets].flatMap((sheet) => [...sheet.cssRules].map((r) => r.cssText)).filter((text) => text.includes('ibkr')),
  }));

/** Asserts that the frame's own world sees no style of ours: only the fixture's own. */
async function expectNoStyleOfOurs(frame: Frame): Promise<void> {
  const styles = await pageStyles(frame);
  expect(styles.elements.every((html) => !html.includes('ibkr'))).toBe(true);
  expect(styles.adopted).toBe(0);
  expect(styles.ourRules).toEqual([]);
}

/** The background of an error's highlight on the marker's block: transparent without our sheet. */
const errorTint = (frame: Frame, marker: string) =>
  frame.locator(marker).first().evaluate((m) => getComputedStyle(m.parentElement!, '::highlight(ibkr-error-lookup-error)').backgroundColor);

/** Where a frame's viewport is in its page's (the fixture frames have no border). */
async function frameOrigin(frame: Frame): Promise<{ x: number; y: number }> {
  if (!frame.parentFrame()) return { x: 0, y: 0 };
  const box = await (await frame.frameElement()).boundingBox();
  return { x: box!.x, y: box!.y };
}

/** The page as drawn around a marker's mention (in a frame: where the frame shows it). */
async function shotOfMention(frame: Frame, marker: string): Promise<Buffer> {
  const r = await mentionRect(frame.locator(marker).first());
  const at = await frameOrigin(frame);
  const clip = { x: at.x + r.left - 2, y: at.y + r.top - 2, width: r.right - r.left + 4, height: r.bottom - r.top + 4 };
  return frame.page().screenshot({ clip, animations: 'disabled' });
}

/** Runs `during` with the extension's highlights out of the frame's registry (it is shared by every world), then puts them back. */
async function withoutOurHighlights<T>(frame: Frame, during: () => Promise<T>): Promise<T> {
  await frame.evaluate(() => {
    const kept = [...CSS.highlights].filter(([name]) => name.startsWith('ibkr-error-lookup-'));
    for (const [name] of kept) CSS.highlights.delete(name);
    (window as unknown as { kept: typeof kept }).kept = kept;
  });
  try {
    return await during();
  } finally {
    await frame.evaluate(() => {
      for (const [name, h] of (window as unknown as { kept: [string, Highlight][] }).kept) CSS.highlights.set(name, h);
    });
  }
}

/**
 * Asserts that a marker's mention is drawn by our sheet: its highlight has a background, taking the
 * extension's highlights away changes its pixels, and putting them back draws the same pixels again.
 */
async function expectPainted(frame: Frame, marker: string): Promise<void> {
  expect(await errorTint(frame, marker)).not.toBe(TRANSPARENT);
  const painted = await shotOfMention(frame, marker);
  const bare = await withoutOurHighlights(frame, () => shotOfMention(frame, marker));
  expect(bare.equals(painted)).toBe(false);
  expect((await shotOfMention(frame, marker)).equals(painted)).toBe(true);
}

// ------------------------------------------------------------------------------ a site the user adds

const SITE = 'https://wiki.example.com/*';

/** Adds or removes the site on the options page, as a user does, and waits for the page's last word on it. */
async function changeSiteOnOptions(context: BrowserContext, extensionId: string, change: 'Add' | 'Remove'): Promise<void> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  if (change === 'Add') {
    await page.locator('#site').fill('wiki.example.com');
    await page.getByRole('button', { name: 'Add site' }).click();
    await expect(page.locator('#site-message')).toHaveText(`Added ${SITE}. Errors are marked there from the next page load.`);
  } else {
    await page.getByRole('button', { name: `Remove ${SITE}` }).click();
    await expect(page.locator('#site-message')).toHaveText(`Removed ${SITE}; its permission was given back.`);
  }
  await page.close();
}

/** The registered scripts of the site and whether the browser grants it, as the service worker sees them. */
const siteState = (sw: Worker) =>
  sw.evaluate(async (site) => {
    const scripts = await chrome.scripting.getRegisteredContentScripts();
    return {
      scripts: scripts.filter((s) => s.matches?.includes(site)).map((s) => s.id),
      granted: ((await chrome.permissions.getAll()).origins ?? []).includes(site),
    };
  }, SITE);

/** The id of `page`'s tab, found by its address (the extension may read it: it has the site). */
async function tabIdOf(sw: Worker, page: Page): Promise<number> {
  const ids = (await sw.evaluate(() => chrome.tabs.query({}))).filter((t) => t.url === page.url()).map((t) => t.id!);
  if (ids.length !== 1) throw new Error(`${ids.length} tabs at ${page.url()}`);
  return ids[0];
}

/** The extension's frame id of the frame at `url` in the tab (the menu item's click hands the background the same). */
async function frameIdOf(sw: Worker, tabId: number, url: string): Promise<number> {
  const frames = await sw.evaluate((id) => chrome.scripting.executeScript({ target: { tabId: id, allFrames: true }, func: () => location.href }), tabId);
  const frame = frames.find((f) => f.result === url);
  if (!frame) throw new Error(`no frame at ${url} in tab ${tabId}: ${frames.map((f) => f.result).join(', ')}`);
  return frame.frameId;
}

/** Selects the text of `selector` in the frame. */
const select = (frame: Frame, selector: string) =>
  frame.locator(selector).evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    getSelection()!.removeAllRanges();
    getSelection()!.addRange(range);
  });

/**
 * What the "Explain selection" menu item does for the text selected in `frame`: the background
 * sends it to that frame's script, injecting one first where none runs.
 */
async function explainInFrame(sw: Worker, frame: Frame, selector: string): Promise<void> {
  await select(frame, selector);
  const tabId = await tabIdOf(sw, frame.page());
  const frameId = await frameIdOf(sw, tabId, frame.url());
  await sw.evaluate(
    ([tab, id]) => (globalThis as unknown as { explainSelectionInTab: (t: number, s: string, f: number) => Promise<void> }).explainSelectionInTab(tab, '', id),
    [tabId, frameId] as const,
  );
}

/** Asserts that a loaded frame has neither the content script (the test build's scan state) nor the sheet. */
async function expectNoScriptOrSheet(frame: Frame, block: string): Promise<void> {
  await frame.waitForLoadState('load');
  expect(await frame.locator('html').getAttribute(SCAN_STATE_ATTR)).toBeNull();
  expect(await errorTint(frame, block)).toBe(TRANSPARENT);
}

const MARKER = '#log [data-ibkr-error="ibkr-326"]';

test.describe("the markers' style sheet", () => {
  test('the page holds no style of ours, and its marks are painted by the sheet the browser added', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    await scanSettled(page);
    const marker = '#comment-1 [data-ibkr-error="ibkr-326"]';
    // The fixture's own styles only.
    await expectNoStyleOfOurs(page.mainFrame());
    // The browser's sheet is there, and the mention is drawn with it.
    await expectPainted(page.mainFrame(), marker);
    await page.close();
  });

  test('on paper the page is as its owner wrote it: no tint, no underline, no open card', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    const marker = page.locator('#comment-1 [data-ibkr-error="ibkr-326"]');
    await hoverMention(page, marker);
    await expect(card(page)).toBeVisible();
    // The highlight's computed style on the element holding the mention's text.
    const paint = () =>
      marker.evaluate((m) => {
        const style = getComputedStyle(m.parentElement!, '::highlight(ibkr-error-lookup-error)');
        return `${style.backgroundColor} ${style.textDecorationLine}`;
      });
    expect(await paint()).toBe('rgba(245, 158, 11, 0.16) underline');
    await page.emulateMedia({ media: 'print' });
    expect(await paint()).toBe('rgba(0, 0, 0, 0) none');
    await expect(card(page)).toBeHidden();
    await page.emulateMedia({ media: 'screen' });
    await expect(card(page)).toBeVisible();
    await page.close();
  });
});

/**
 * Every test here starts and ends with no site added: clearing the settings unregisters the site's
 * scripts and gives its permission back (the background follows the stored change), also when a
 * test stopped before it removed the site; the grant on chrome://extensions goes too.
 */
function startWithNoSiteAdded(): void {
  test.beforeEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });
  test.afterEach(async ({ context, extensionId, serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
    await grantOnExtensionsPage(context, extensionId, SITE, false);
  });
}

/** Adds the site as a user does: granted on chrome://extensions, then added on the options page. */
async function addSite(context: BrowserContext, extensionId: string): Promise<void> {
  await grantOnExtensionsPage(context, extensionId, SITE, true);
  await changeSiteOnOptions(context, extensionId, 'Add');
}

test.describe("the markers' style sheet on a site the user added", () => {
  startWithNoSiteAdded();

  test('its pages get marks painted by the style script registered beside the content script; removed, the next load has none', async ({
    context,
    extensionId,
    serviceWorker,
    consoleErrors,
  }) => {
    await addSite(context, extensionId);
    const id = 'ibkr-site-https_3a_2f_2fwiki.example.com_2f_2a';
    expect(await siteState(serviceWorker)).toEqual({ scripts: [id, `${id}-style`], granted: true });

    const page = await openFixture(context, 'teamWiki');
    await scanSettled(page);
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(1);
    await expect(page.locator(MARKER)).toHaveAttribute('aria-label', /Unable to connect as the client id is already in use/);
    await expectNoStyleOfOurs(page.mainFrame());
    await expectPainted(page.mainFrame(), MARKER);

    await changeSiteOnOptions(context, extensionId, 'Remove');
    expect(await siteState(serviceWorker)).toEqual({ scripts: [], granted: false });
    // The open page stops being marked at once.
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    // Neither script is registered and the browser no longer lets the extension into the page: the
    // sheet (document_start) is gone when the page has loaded, and no script is left to mark.
    await page.reload({ waitUntil: 'load' });
    expect(await errorTint(page.mainFrame(), '#log')).toBe(TRANSPARENT);
    await expect(page.locator('[data-ibkr-error]')).toHaveCount(0);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

test.describe('"Explain selection" in a frame the content script did not run in', () => {
  startWithNoSiteAdded();

  test('on a site the user added, the injected copy explains the selection; once it marks something, its frame gets the sheet', async ({
    context,
    extensionId,
    serviceWorker,
    consoleErrors,
  }) => {
    await addSite(context, extensionId);
    const page = await openFixture(context, 'teamWikiFrames', false);
    // The top frame's script runs (it marks nothing there); registered scripts skip frames.
    await scanSettled(page);
    const checklist = page.frame({ url: PAGES.teamWikiChecklist.url })!;
    const runbook = page.frame({ url: PAGES.teamWiki.url })!;
    await expectNoScriptOrSheet(checklist, '#steps');
    await expectNoScriptOrSheet(runbook, '#log');

    // A frame with no error: the copy explains, marks nothing, and so asks for no sheet (added
    // to a page already built, it would restyle every element).
    await explainInFrame(serviceWorker, checklist, '#steps');
    await expect(card(checklist)).toContainText('No known IBKR API error found in the selection');
    await page.keyboard.press('Escape');
    await expect(card(checklist)).toBeHidden();
    await scanSettled(checklist);
    await expect(checklist.locator('[data-ibkr-error]')).toHaveCount(0);
    expect(await errorTint(checklist, '#steps')).toBe(TRANSPARENT);

    // A frame with an error: the copy explains it, marks it, and the background adds the sheet.
    await explainInFrame(serviceWorker, runbook, '#log');
    await expect(card(runbook)).toContainText('Client ID is already in use');
    await page.keyboard.press('Escape');
    await expect(card(runbook)).toBeHidden();
    await runbook.locator(MARKER).waitFor({ state: 'attached' });
    await scanSettled(runbook);
    await expect(runbook.locator('[data-ibkr-error]')).toHaveCount(1);
    // The sheet comes from the background (scripting.insertCSS) a moment after the first mark.
    await expect.poll(() => errorTint(runbook, MARKER)).not.toBe(TRANSPARENT);
    await expectNoStyleOfOurs(runbook);
    await expectPainted(runbook, MARKER);
    // Into that frame only.
    expect(await errorTint(checklist, '#steps')).toBe(TRANSPARENT);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
