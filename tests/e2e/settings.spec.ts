/**
 * Settings that survive and permissions that are real, in Chromium: what is stored (read back from
 * the service worker), what the controls show, and what the page says. The browser's permission
 * prompt cannot be answered in headless Chromium, so these tests check what is asked for (each
 * request is recorded on its way to the browser) and change what the browser grants the way a user
 * does, on chrome://extensions; tests/firefox/permissions.spec.ts answers the prompts.
 */
import type { BrowserContext, Page, Worker } from '@playwright/test';
import { rmSync } from 'node:fs';
import { expect, grantOnExtensionsPage, launchExtension, test } from './fixtures';

/** The few extension APIs these tests call inside the service worker. */
declare const chrome: {
  storage: {
    sync: { get(k: string | null): Promise<Record<string, unknown>>; set(v: object): Promise<void>; clear(): Promise<void> };
    local: { get(k: string | null): Promise<Record<string, unknown>>; set(v: object): Promise<void>; clear(): Promise<void> };
  };
  permissions: { getAll(): Promise<{ origins?: string[] }>; remove(p: { origins: string[] }): Promise<boolean> };
  scripting: { getRegisteredContentScripts(): Promise<{ id: string; matches?: string[] }[]> };
  developerPrivate: { updateExtensionConfiguration(c: { extensionId: string; hostAccess: string }): Promise<void> };
};

const GROUP_COUNT = 6;
const storedSettings = (sw: Worker) => sw.evaluate(async () => (await chrome.storage.sync.get('settings')).settings);
const storedEverything = (sw: Worker) => sw.evaluate(() => chrome.storage.sync.get(null));
const seed = (sw: Worker, value: object) => sw.evaluate((v) => chrome.storage.sync.set(v), value);

/** What the page logs (console.debug) each time it asks for a permission. */
const ASKED_NOTE = 'test: permissions.request';

/**
 * Opens options.html with every permissions.request call recorded (and passed on to the browser).
 * `setUp` runs on the page before it loads (a route, say).
 */
async function openOptions(context: BrowserContext, extensionId: string, setUp?: (page: Page) => Promise<unknown>): Promise<Page> {
  const page = await context.newPage();
  await setUp?.(page);
  await page.addInitScript((ASKED_NOTE) => {
    const asked: unknown[] = [];
    // The event being handled when each request was made ("none" after an await): Firefox asks
    // only from inside the input handler itself.
    const askedIn: string[] = [];
    Object.assign(window, { asked, askedIn });
    for (const api of [(globalThis as { chrome?: { permissions?: object } }).chrome, (globalThis as { browser?: { permissions?: object } }).browser]) {
      const permissions = api?.permissions as { request?: (p: unknown) => Promise<boolean> } | undefined;
      if (!permissions?.request || (permissions.request as { recorded?: boolean }).recorded) continue;
      const request = permissions.request.bind(permissions);
      const record = (p: unknown) => {
        asked.push(p);
        askedIn.push(window.event?.type ?? 'none');
        // Said on the console too: a test can wait for a request without touching the page (below).
        console.debug(ASKED_NOTE);
      };
      permissions.request = Object.assign((p: unknown) => (record(p), request(p)), { recorded: true });
    }
  }, ASKED_NOTE);
  await page.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(page.locator('input[data-group]')).toHaveCount(GROUP_COUNT);
  return page;
}
const askedFor = (page: Page) => page.evaluate(() => (window as unknown as { asked: unknown[] }).asked);
const askedIn = (page: Page) => page.evaluate(() => (window as unknown as { askedIn: string[] }).askedIn);

/**
 * Waits until the options page has the public suffix list (its chunk imported and run) while
 * nothing touches the page. `requested`: the context's requests (the fixture), where the page's own
 * request for the chunk shows. The chunk, imported again from the page, resolves only after the
 * page's import of it has (the same module; the page asked first).
 */
async function publicSuffixLoaded(page: Page, requested: string[]): Promise<void> {
  const chunk = () => requested.find((url) => url.startsWith(page.url().replace(/options\.html.*$/, '')) && /\/chunks\/public-suffix-[\w-]+\.js$/.test(url));
  await expect.poll(chunk, { message: 'the options page requests the public suffix list by itself' }).toBeDefined();
  await page.evaluate((url) => import(url).then(() => undefined), chunk()!);
}

/** Puts `site` in the field and submits the form from the page: the field never gets the focus. */
const submitUnfocused = (page: Page, site: string) =>
  page.evaluate((value) => {
    document.querySelector<HTMLInputElement>('#site')!.value = value;
    document.querySelector<HTMLFormElement>('#add-site')!.requestSubmit();
  }, site);


/** Changes the extension's site access as a user does on chrome://extensions ("On click" withholds every site). */
async function setSiteAccess(context: BrowserContext, extensionId: string, hostAccess: 'ON_CLICK' | 'ON_ALL_SITES'): Promise<void> {
  const page = await context.newPage();
  await page.goto('chrome://extensions');
  await page.evaluate(([id, access]) => chrome.developerPrivate.updateExtensionConfiguration({ extensionId: id, hostAccess: access }), [extensionId, hostAccess] as const);
  await page.close();
}

/** A browser of its own: the sync storage's write quota counts per browser, per minute. */
async function freshBrowser(): Promise<{ context: BrowserContext; sw: Worker; extensionId: string; close(): Promise<void> }> {
  const { context, profile } = await launchExtension();
  await context.route(/^https?:/, (route) => route.abort('blockedbyclient'));
  const sw = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  return {
    context,
    sw,
    extensionId: new URL(sw.url()).host,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Uses up the write quota of storage.sync (120 a minute); resolves with how many writes went through. */
const exhaustWriteQuota = (sw: Worker) =>
  sw.evaluate(async () => {
    for (let i = 0; i < 200; i++) {
      try {
        await chrome.storage.sync.set({ filler: i });
      } catch {
        return i;
      }
    }
    return -1;
  });

test.describe('settings that survive', () => {
  test('opening the options page (and the popup) 130 times in a minute writes nothing, and a change then saves', async () => {
    test.setTimeout(300_000);
    const browser = await freshBrowser();
    try {
      // Stored in another key order than the extension writes, as Chrome hands values back.
      const groups = { localhost: true, reddit: true, groupsio: true, ibkr: true, stackoverflow: true, github: false };
      const settings = { hoverDelayMs: 300, hideInfo: false, customSites: ['https://wiki.example.com/*'], groups };
      await seed(browser.sw, { settings, settings$: { v: 2 } });
      const before = JSON.stringify(await storedEverything(browser.sw));
      const page = await browser.context.newPage();
      const started = Date.now();
      for (let i = 0; i < 130; i++) {
        // Every tenth opening is the popup's (it reads the settings too).
        await page.goto(`chrome-extension://${browser.extensionId}/${i % 10 === 9 ? 'popup' : 'options'}.html`);
        if (i % 10 === 9) await expect(page.locator('#site-state')).not.toBeEmpty();
        else await expect(page.getByRole('switch', { name: 'GitHub' })).not.toBeChecked();
      }
      const openings = Date.now() - started;
      // Under a test machine's load the openings may take longer than the minute; the proof that
      // none of them wrote is the stored text itself (any write would have put its keys in order).
      test.info().annotations.push({ type: 'openings', description: `130 openings in ${openings} ms` });
      expect(JSON.stringify(await storedEverything(browser.sw))).toBe(before);
      await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
      await page.getByRole('switch', { name: /Hide informational notices/ }).check();
      await expect(page.locator('#saved')).toHaveText('Saved.');
      expect(await storedSettings(browser.sw)).toEqual({ ...settings, hideInfo: true, groups: { ...groups } });
      // A change that changes nothing (300.2 ms is stored as 300) writes nothing and says so.
      const saved = JSON.stringify(await storedEverything(browser.sw));
      await page.locator('#hover-delay').fill('300.2');
      await page.locator('#hover-delay').press('Tab');
      await expect(page.locator('#saved')).toHaveText('Already saved: nothing changed.');
      await expect(page.locator('#hover-delay')).toHaveValue('300');
      expect(JSON.stringify(await storedEverything(browser.sw))).toBe(saved);
    } finally {
      await browser.close();
    }
  });

  test('a write the browser refuses puts the control back and says why; the page never waits for a repair', async () => {
    test.setTimeout(90_000);
    const browser = await freshBrowser();
    try {
      await seed(browser.sw, { settings: { customSites: ['my_host.local'], hideInfo: true }, settings$: { v: 2 } });
      expect(await exhaustWriteQuota(browser.sw)).toBeGreaterThan(100);
      const page = await browser.context.newPage();
      await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
      // It renders at once from what is stored, bad value and all; the repair fails, and it says so.
      await expect(page.locator('input[data-group]')).toHaveCount(GROUP_COUNT);
      await expect(page.getByRole('switch', { name: /Hide informational notices/ })).toBeChecked();
      await expect(page.locator('#set-aside-status')).toHaveText(
        'The rest of your settings is in use, but the repair was not saved: The browser accepts at most 120 changes to synced settings a minute. Wait a minute, then try again.',
      );
      const github = page.getByRole('switch', { name: 'GitHub' });
      await github.uncheck();
      await expect(page.locator('#saved')).toHaveText('Not saved: The browser accepts at most 120 changes to synced settings a minute. Wait a minute, then try again.');
      await expect(github).toBeChecked();
      await page.locator('#hover-delay').fill('900');
      await page.locator('#hover-delay').press('Tab');
      await expect(page.locator('#hover-delay')).toHaveValue('150');
      await expect(page.locator('#saved')).toHaveClass(/error/);
      // Nothing stored was lost or changed.
      expect(await storedSettings(browser.sw)).toEqual({ customSites: ['my_host.local'], hideInfo: true });
    } finally {
      await browser.close();
    }
  });

  test('settings synced from a newer version are read without an error, left as they are, and the options page says so', async ({ context, extensionId, serviceWorker, consoleErrors }) => {
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
    const value = { groups: { github: false }, customSites: ['https://wiki.example.com/*'], hideInfo: true, hoverDelayMs: 400, theme: 'dark', sites: { v: 9 } };
    await seed(serviceWorker, { settings: value, settings$: { v: 9 } });
    const page = await openOptions(context, extensionId);
    await expect(page.getByRole('switch', { name: 'GitHub' })).not.toBeChecked();
    await expect(page.locator('#hover-delay')).toHaveValue('400');
    await expect(page.locator('#custom-sites li code')).toHaveText(['https://wiki.example.com/*']);
    await expect(page.getByRole('note').filter({ hasText: 'newer version' })).toHaveText(
      'These settings were saved by a newer version of this extension (on another computer, or before it was reinstalled). This version uses the settings it knows and keeps the others as they are, untouched. Update the extension to use them all.',
    );
    await expect(page.locator('#set-aside')).toBeHidden();
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(popup.locator('[data-entry-id]').first()).toBeVisible();
    // Both pages have read and defined the settings; nothing was logged, nothing written.
    await popup.waitForTimeout(300);
    expect(consoleErrors).toEqual([]);
    expect(await storedEverything(serviceWorker)).toEqual({ settings: value, settings$: { v: 9 } });
    // A change keeps the newer version's fields and its version.
    await page.getByRole('switch', { name: 'GitHub' }).click();
    await expect(page.locator('#saved')).toHaveText('Saved.');
    expect(await storedEverything(serviceWorker)).toEqual({ settings: { ...value, groups: { ...value.groups, github: true, stackoverflow: true, ibkr: true, groupsio: true, reddit: true, localhost: true } }, settings$: { v: 9 } });
    expect(consoleErrors).toEqual([]);
    await Promise.all([page.close(), popup.close()]);
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });

  test('a bad stored value gets a message and a repair, not a wipe; what could not be used is kept', async ({ context, extensionId, serviceWorker, consoleErrors }) => {
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
    await seed(serviceWorker, {
      settings: { groups: { github: false, nosuchgroup: true }, customSites: ['my_host.local', 'https://wiki.example.com/*'], hideInfo: 'yes', hoverDelayMs: 400, theme: 'dark' },
      settings$: { v: 2 },
    });
    const page = await openOptions(context, extensionId);
    await expect(page.getByRole('switch', { name: 'GitHub' })).not.toBeChecked();
    await expect(page.locator('#hover-delay')).toHaveValue('400');
    await expect(page.locator('#custom-sites li code')).toHaveText(['https://wiki.example.com/*']);
    await expect(page.locator('#set-aside-status')).toHaveText(
      'The rest of your settings is in use and was saved. These values were set aside (kept on this computer only):',
    );
    await expect(page.locator('#set-aside-list li')).toHaveText([
      'theme: "dark" not a setting of this version.',
      'groups.nosuchgroup: true not a built-in site of this version.',
      /^customSites\[0\]: "my_host\.local" “my_host\.local” is not a valid host name/,
      'hideInfo: "yes" not on or off: off is used.',
    ]);
    expect(await storedSettings(serviceWorker)).toEqual({
      groups: { github: false, stackoverflow: true, ibkr: true, groupsio: true, reddit: true, localhost: true },
      customSites: ['https://wiki.example.com/*'],
      hideInfo: false,
      hoverDelayMs: 400,
    });
    const aside = await serviceWorker.evaluate(async () => (await chrome.storage.local.get('settingsSetAside')).settingsSetAside as { value: string }[]);
    expect(aside.map((r) => r.value)).toEqual(['"dark"', 'true', '"my_host.local"', '"yes"']);
    // Shown again until cleared.
    await page.reload();
    await expect(page.locator('#set-aside-status')).toHaveText('Set aside earlier (kept on this computer only):');
    await page.getByRole('button', { name: 'Clear this list' }).click();
    await expect(page.locator('#set-aside')).toBeHidden();
    await page.reload();
    await expect(page.locator('input[data-group]')).toHaveCount(GROUP_COUNT);
    await expect(page.locator('#set-aside')).toBeHidden();
    expect(consoleErrors).toEqual([]);
    await page.close();
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
  });

  test('what a change made at the top of the page says is in view, not below the fold', async ({ context, extensionId, serviceWorker }) => {
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
    const page = await openOptions(context, extensionId);
    await page.setViewportSize({ width: 1100, height: 600 });
    await page.getByRole('switch', { name: 'GitHub' }).click();
    const saved = page.locator('#saved');
    await expect(saved).toHaveText('Saved.');
    await expect(saved).toBeInViewport();
    await page.getByRole('switch', { name: 'GitHub' }).click();
    await expect(saved).toBeInViewport();
    await page.close();
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
  });

  test('a hover delay out of range is saved as the nearest one allowed, and the page says so', async ({ context, extensionId, serviceWorker }) => {
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
    const page = await openOptions(context, extensionId);
    const delay = page.locator('#hover-delay');
    const saved = page.locator('#saved');
    for (const [typed, kept] of [['5000', 2000], ['-5', 0], ['1.5', 2]] as const) {
      await delay.fill(typed);
      await delay.press('Tab');
      await expect(saved).toHaveText(`Saved as ${kept} ms: the hover delay is a whole number of milliseconds from 0 to 2000.`);
      await expect(delay).toHaveValue(String(kept));
      expect(await storedSettings(serviceWorker)).toMatchObject({ hoverDelayMs: kept });
    }
    // Enter keeps the focus in the field: it shows what was stored all the same.
    await delay.fill('9999');
    await delay.press('Enter');
    await expect(saved).toHaveText('Saved as 2000 ms: the hover delay is a whole number of milliseconds from 0 to 2000.');
    await expect(delay).toBeFocused();
    await expect(delay).toHaveValue('2000');
    await delay.fill('300');
    await delay.press('Tab');
    await expect(saved).toHaveText('Saved.');
    await page.close();
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
  });

  test('a damaged list of set-aside values is shown as what was found, and settings still save', async ({ context, extensionId, serviceWorker, consoleErrors }) => {
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
    await serviceWorker.evaluate(() => chrome.storage.local.set({ settingsSetAside: { a: 1 } }));
    await seed(serviceWorker, { settings: { hideInfo: 'yes' }, settings$: { v: 2 } });
    const page = await openOptions(context, extensionId);
    await expect(page.locator('#set-aside-status')).toHaveText(
      'The rest of your settings is in use and was saved. These values were set aside (kept on this computer only):',
    );
    await expect(page.locator('#set-aside-list li')).toHaveText([
      'settingsSetAside: {"a":1} not readable as a set-aside value: kept as it was found.',
      'hideInfo: "yes" not on or off: off is used.',
    ]);
    await page.getByRole('switch', { name: /Hide informational notices/ }).click();
    await expect(page.locator('#saved')).toHaveText('Saved.');
    expect(await storedSettings(serviceWorker)).toMatchObject({ hideInfo: true });
    // Cleared from the keyboard: the box goes, and the focus goes on to the first switch, not to the page's start.
    await page.getByRole('button', { name: 'Clear this list' }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#set-aside')).toBeHidden();
    await expect(page.getByRole('switch', { name: 'GitHub' })).toBeFocused();
    expect(consoleErrors).toEqual([]);
    await page.close();
    await serviceWorker.evaluate(() => Promise.all([chrome.storage.sync.clear(), chrome.storage.local.clear()]));
  });
});

test.describe('permissions that are real', () => {
  test.beforeEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });
  test.afterEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });

  test('what will not be stored is refused before the browser is asked, in plain words', async ({ context, extensionId, serviceWorker }) => {
    const page = await openOptions(context, extensionId);
    const refused: [string, string | RegExp][] = [
      ['my_host.local', '“my_host.local” is not a valid host name: letters, digits and hyphens between dots, with a “*.” prefix as the only wildcard.'],
      ['https://example.com./*', /^“example\.com\.” is not a valid host name/],
      ['*.co.uk', '“*.co.uk” would cover every site under co.uk, a public suffix whose sites belong to different owners. Name one site, such as example.co.uk.'],
      ['https://*.github.io/*', /^“\*\.github\.io” would cover every site under github\.io/],
      ['https://github.com/erdewit/*', '“https://github.com/erdewit/*” is part of a built-in site (GitHub): switch that on under “Where errors are marked”.'],
      [`https://${'a'.repeat(40)}.${'b'.repeat(40)}.${'c'.repeat(40)}.${'d'.repeat(40)}.${'e'.repeat(40)}.${'f'.repeat(40)}.example.com/`, 'A site can be at most 255 characters long (this one has 266).'],
    ];
    for (const [input, message] of refused) {
      await page.locator('#site').fill(input);
      await page.getByRole('button', { name: 'Add site' }).click();
      await expect(page.locator('#site-message')).toHaveText(message);
      await expect(page.locator('#site-message')).toHaveClass(/error/);
    }
    expect(await askedFor(page)).toEqual([]);
    expect(await storedSettings(serviceWorker)).toBeUndefined();
    await page.close();
  });

  test('a full list is refused before the browser is asked, never with the browser’s quota text', async ({ context, extensionId, serviceWorker }) => {
    const sites = Array.from({ length: 52 }, (_, i) => `https://site-${i}.${'x'.repeat(60)}.${'y'.repeat(60)}.example.com/*`);
    await seed(serviceWorker, { settings: { customSites: sites }, settings$: { v: 2 } });
    const page = await openOptions(context, extensionId);
    await expect(page.locator('#custom-sites li')).toHaveCount(52);
    await page.locator('#site').fill('wiki.example.org');
    await page.keyboard.press('Enter');
    await expect(page.locator('#site-message')).toHaveText('The list of other sites is full: the browser syncs at most 8 KB of settings. Remove a site you no longer need first.');
    expect(await askedFor(page)).toEqual([]);
    await page.close();
  });

  test('a site synced from another computer without a permission here shows as needing Allow, not as active', async ({ context, extensionId, serviceWorker }) => {
    await seed(serviceWorker, { settings: { customSites: ['https://hub.example.org/*'] }, settings$: { v: 2 } });
    const page = await openOptions(context, extensionId);
    const row = page.locator('#custom-sites li[data-site="https://hub.example.org/*"]');
    await expect(row.locator('.access')).toHaveText('Not allowed in this browser: errors are not marked there.');
    await expect(row.locator('.access')).toHaveAttribute('data-access', 'missing');
    expect(await serviceWorker.evaluate(() => chrome.scripting.getRegisteredContentScripts())).toEqual([]);
    await row.getByRole('button', { name: 'Allow https://hub.example.org/*' }).click();
    await expect.poll(() => askedFor(page)).toEqual([{ origins: ['https://hub.example.org/*'] }]);
    // Removing it needs no permission and stores the shorter list.
    const other = await openOptions(context, extensionId);
    await other.getByRole('button', { name: 'Remove https://hub.example.org/*' }).click();
    await expect(other.locator('#site-message')).toHaveText('Removed https://hub.example.org/*.');
    await expect(other.locator('#custom-sites li')).toHaveText(['No other sites yet.']);
    expect(await storedSettings(serviceWorker)).toMatchObject({ customSites: [] });
    await other.close();
    await page.close();
  });

  test('each built-in group says whether Chrome allows it and offers Allow; a grant in chrome://extensions shows at once', async ({ context, extensionId, serviceWorker }) => {
    const page = await openOptions(context, extensionId);
    const github = page.locator('li[data-group-row="github"] .access');
    await expect(page.locator('#groups .access[data-access="granted"]')).toHaveCount(GROUP_COUNT);
    await expect(github).toHaveText('Allowed by the browser.');
    try {
      await setSiteAccess(context, extensionId, 'ON_CLICK');
      await expect(page.locator('#groups .access[data-access="missing"]')).toHaveCount(GROUP_COUNT);
      await expect(github).toHaveText('Not allowed by the browser: errors are not marked there.');
      // The switch keeps the user's setting; the Allow button asks for the group's patterns only.
      await expect(page.getByRole('switch', { name: 'GitHub' })).toBeChecked();
      await page.getByRole('button', { name: 'Allow GitHub' }).click();
      await expect.poll(() => askedFor(page)).toEqual([{ origins: ['https://github.com/*', 'https://gist.github.com/*'] }]);
      expect(await serviceWorker.evaluate(async () => (await chrome.permissions.getAll()).origins)).toEqual([]);
    } finally {
      await setSiteAccess(context, extensionId, 'ON_ALL_SITES');
    }
    await expect(github).toHaveText('Allowed by the browser.');
    await expect(page.getByRole('button', { name: 'Allow GitHub' })).toHaveCount(0);
    await page.close();
  });
});

test.describe('hosts written another way in a match pattern', () => {
  const SITES = ['http://[::1]/*', 'https://xn--mnchen-3ya.de/*'];
  test.afterEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate((sites) => Promise.all([chrome.storage.sync.clear(), chrome.permissions.remove({ origins: sites })]), SITES);
  });

  test('an IPv6 address and a Unicode host are added as the browser matches them, and the page says so', async ({ context, extensionId, serviceWorker, consoleErrors }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
    for (const site of SITES) await grantOnExtensionsPage(context, extensionId, site, true);
    const page = await openOptions(context, extensionId);
    await page.locator('#site').fill('http://[::1]:8888');
    await page.getByRole('button', { name: 'Add site' }).click();
    await expect(page.locator('#site-message')).toHaveText('Added http://[::1]/*. Errors are marked there from the next page load.');
    await page.locator('#site').fill('münchen.de');
    await page.getByRole('button', { name: 'Add site' }).click();
    await expect(page.locator('#site-message')).toHaveText(
      'Added https://xn--mnchen-3ya.de/*. Errors are marked there from the next page load. münchen.de is written xn--mnchen-3ya.de in a site pattern: that is the form the browser matches, so it is stored that way.',
    );
    expect(await askedFor(page)).toEqual(SITES.map((site) => ({ origins: [site] })));
    expect(await storedSettings(serviceWorker)).toMatchObject({ customSites: SITES });
    await expect(page.locator('#custom-sites li code')).toHaveText(SITES);
    for (const site of SITES) await expect(page.locator(`#custom-sites li[data-site="${site}"] .access`)).toHaveText('Allowed.');
    // The browser took both patterns for the sites' scripts (each site has a script and a style).
    await expect
      .poll(() => serviceWorker.evaluate(() => chrome.scripting.getRegisteredContentScripts().then((all) => [...new Set(all.flatMap((s) => s.matches ?? []))].sort())))
      .toEqual([...SITES].sort());
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

test.describe('the public suffix list is there before Add is pressed', () => {
  const SITE = 'https://*.example-broker-tools.net/*';
  test.beforeEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate(() => chrome.storage.sync.clear());
  });
  test.afterEach(async ({ serviceWorker }) => {
    await serviceWorker.evaluate((site) => Promise.all([chrome.storage.sync.clear(), chrome.permissions.remove({ origins: [site] })]), SITE);
  });

  test('a wildcard sent without the field ever having the focus is asked for inside the submit, and added', async ({ context, extensionId, serviceWorker, consoleErrors, requested }) => {
    await grantOnExtensionsPage(context, extensionId, SITE, true);
    const page = await openOptions(context, extensionId);
    await publicSuffixLoaded(page, requested);
    await submitUnfocused(page, '*.example-broker-tools.net');
    await expect(page.locator('#site-message')).toHaveText('Added https://*.example-broker-tools.net/*. Errors are marked there from the next page load.');
    // Asked once, from the submit handler itself (what Firefox requires), not after waiting for the list.
    expect(await askedFor(page)).toEqual([{ origins: [SITE] }]);
    expect(await askedIn(page)).toEqual(['submit']);
    expect(await storedSettings(serviceWorker)).toMatchObject({ customSites: [SITE] });
    await expect(page.locator('#custom-sites li code')).toHaveText([SITE]);
    await expect(page.locator('#custom-sites li[data-site="https://*.example-broker-tools.net/*"] .access')).toHaveText('Allowed.');
    await expect(page.locator('#site')).toHaveValue('');
    expect(await page.evaluate(() => document.activeElement?.id)).not.toBe('site');
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  test('a wildcard sent before the list arrived waits for it; when the browser then will not ask, the page says so plainly and Add asks again', async () => {
    test.slow();
    // A browser of its own: one that loaded the list before takes it from its memory cache, past the route that holds it.
    const browser = await freshBrowser();
    try {
      await grantOnExtensionsPage(browser.context, browser.extensionId, SITE, true);
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const page = await openOptions(browser.context, browser.extensionId, (p) =>
        p.route(/\/chunks\/public-suffix-[\w-]+\.js$/, (route) => held.then(() => route.continue())),
      );
      await submitUnfocused(page, '*.example-broker-tools.net');
      // Chrome lets a page ask for a permission up to 5 s after the user's action (Firefox only
      // inside the handler): the list arrives after that. Nothing touches the page until it has
      // asked (Playwright's calls on a page count as user actions in Chromium); the console says when.
      await new Promise((resolve) => setTimeout(resolve, 5_500));
      const asked = page.waitForEvent('console', (m) => m.text() === ASKED_NOTE);
      release();
      await asked;
      await expect(page.locator('#site-message')).toHaveText(
        'Not added yet: the browser asks for a site’s permission only at the moment Add is pressed, and the check for public suffixes was still loading then. Press Add again.',
      );
      await expect(page.locator('#site-message')).toHaveClass(/error/);
      expect(await askedIn(page)).toEqual(['none']);
      expect(await storedSettings(browser.sw)).toBeUndefined();
      // The site is still in the field and the list is here now: Add asks inside the click.
      await expect(page.locator('#site')).toHaveValue('*.example-broker-tools.net');
      await page.getByRole('button', { name: 'Add site' }).click();
      await expect(page.locator('#site-message')).toHaveText('Added https://*.example-broker-tools.net/*. Errors are marked there from the next page load.');
      expect(await askedIn(page)).toEqual(['none', 'submit']);
      expect(await storedSettings(browser.sw)).toMatchObject({ customSites: [SITE] });
    } finally {
      await browser.close();
    }
  });

  test('a whole public suffix sent the same way is refused in plain words, and nothing is asked', async ({ context, extensionId, serviceWorker, requested }) => {
    const page = await openOptions(context, extensionId);
    await publicSuffixLoaded(page, requested);
    await submitUnfocused(page, '*.co.uk');
    await expect(page.locator('#site-message')).toHaveText(
      '“*.co.uk” would cover every site under co.uk, a public suffix whose sites belong to different owners. Name one site, such as example.co.uk.',
    );
    await expect(page.locator('#site-message')).toHaveClass(/error/);
    expect(await askedFor(page)).toEqual([]);
    expect(await storedSettings(serviceWorker)).toBeUndefined();
    await page.close();
  });
});
