/**
 * Permissions that are real, in Firefox ESR: each built-in group and each added site shows whether
 * Firefox grants it and offers "Allow"; what is asked for is what gets stored; a permission goes
 * back when storing fails and when its site goes, but not while a listed site relies on it.
 * Firefox's prompt is answered by the pref extensions.webextOptionalPermissionPrompts = false (a
 * request from a click is granted at once); without a click Firefox refuses to ask at all.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { expect, markerIds, test } from './fixtures';
import { FIREFOX_EXTENSION_DIR, type Firefox } from './harness';

const JUPYTER_PATH = '/lab/tree/bot.ipynb';

/** The options page, drawn. */
async function openOptions(firefox: Firefox): Promise<Page> {
  const options = await firefox.openExtensionPage('options.html');
  await options.waitForSelector('input[data-group="localhost"]');
  return options;
}

/** Types `site` into the add-site field and presses the button (a real click: a user gesture). */
async function addSite(options: Page, site: string): Promise<void> {
  await options.$eval('#site', (el) => ((el as HTMLInputElement).value = ''));
  await options.type('#site', site);
  await options.click('#add-site button[type=submit]');
}

/** The text of the first element matching `selector`, or null while there is none. */
const text = (page: Page, selector: string) => page.evaluate((sel) => document.querySelector(sel)?.textContent ?? null, selector);
const siteMessage = (options: Page) => text(options, '#site-message');
const siteAccess = (options: Page, pattern: string) => text(options, `#custom-sites li[data-site="${pattern}"] .access`);
const groupAccess = (options: Page, id: string) => text(options, `li[data-group-row="${id}"] .access`);
const storedSites = (options: Page) =>
  options.evaluate(async () => {
    const api = (globalThis as unknown as { browser: { storage: { sync: { get(k: string): Promise<Record<string, { customSites?: string[] } | undefined>> } } } }).browser;
    return (await api.storage.sync.get('settings')).settings?.customSites ?? null;
  });
const registeredScripts = (options: Page) =>
  options.evaluate(async () => {
    const api = (globalThis as unknown as { browser: { scripting: { getRegisteredContentScripts(): Promise<{ matches?: string[] }[]> } } }).browser;
    // A site has two scripts (its content script and the markers' style sheet): each pattern once.
    return [...new Set((await api.scripting.getRegisteredContentScripts()).flatMap((s) => s.matches ?? []))];
  });
const example = (origins: string[]) => origins.filter((o) => /example[.-]/.test(o));

/**
 * Waits until the options page has had time to load the public suffix list by itself: its chunk,
 * imported from the page, resolves only after the page's own import of it has, when the page asked
 * first (the same module). Firefox lists no resource timing for moz-extension:// files, so the
 * chunk's name comes from the build. If the page never asked, this loads the module but not the
 * page's check: a wildcard then waits for the page's own import, and Firefox refuses to ask.
 */
async function publicSuffixLoaded(firefox: Firefox, options: Page): Promise<void> {
  const chunk = readdirSync(join(FIREFOX_EXTENSION_DIR, 'chunks')).find((f) => /^public-suffix-[\w-]+\.js$/.test(f));
  expect(chunk, 'the public suffix chunk of the Firefox build').toBeDefined();
  await options.evaluate((url) => import(url).then(() => undefined), `${firefox.origin}/chunks/${chunk}`);
}

/** Puts `site` in the field without focusing it, then clicks Add (a user gesture on the button, not the field). */
async function clickAddUnfocused(options: Page, site: string): Promise<void> {
  await options.$eval('#site', (el, value) => ((el as HTMLInputElement).value = value), site);
  await options.click('#add-site button[type=submit]');
}

test.describe('Firefox ESR: permissions', () => {
  test.beforeEach(async ({ firefox }) => {
    await firefox.setPref('extensions.webextOptionalPermissionPrompts', false);
  });
  test.afterEach(async ({ firefox }) => {
    await firefox.setPref('extensions.webextOptionalPermissionPrompts', true);
  });

  test('built-in sites the user withheld show as not allowed, not as on; Allow asks Firefox and the page is marked', async ({ firefox }) => {
    await firefox.setGrantByDefault(false);
    const options = await openOptions(firefox);
    await expect.poll(() => options.$$eval('#groups .access[data-access="missing"]', (els) => els.length)).toBe(6);
    expect(await groupAccess(options, 'localhost')).toBe('Not allowed by the browser: errors are not marked there.');
    // The switch keeps the user's setting; the line under it says why nothing is marked.
    expect(await options.$eval('input[data-group="localhost"]', (el) => (el as HTMLInputElement).checked)).toBe(true);
    expect(await firefox.grantedOrigins()).toEqual([]);

    await options.click('li[data-group-row="localhost"] button');
    // The message is the page's last word on a click: the lists show what the browser grants by then.
    await expect.poll(() => siteMessage(options)).toBe('The browser now allows localhost (Jupyter, local notebooks, the Client Portal Gateway).');
    expect(await groupAccess(options, 'localhost')).toBe('Allowed by the browser.');
    expect((await firefox.grantedOrigins()).sort()).toEqual(['http://127.0.0.1/*', 'http://localhost/*', 'https://127.0.0.1/*', 'https://localhost/*']);
    // Only that group was asked for; the others still say so.
    expect(await groupAccess(options, 'github')).toBe('Not allowed by the browser: errors are not marked there.');
    // Real: the content script now runs on the local notebook and marks its errors.
    const page = await firefox.openFixture('jupyter-lab.html', JUPYTER_PATH);
    await expect.poll(() => markerIds(page, '#classic-cell'), { message: 'markers once localhost is allowed' }).toEqual(['ibkr-2104', 'ibkr-504']);
  });

  test('a site taken back in about:addons shows as not allowed at once; its script goes; Allow brings both back', async ({ firefox }) => {
    const options = await openOptions(firefox);
    await addSite(options, 'hub.example.org');
    await expect.poll(() => siteMessage(options)).toBe('Added https://hub.example.org/*. Errors are marked there from the next page load.');
    expect(await siteAccess(options, 'https://hub.example.org/*')).toBe('Allowed.');
    expect(await registeredScripts(options)).toEqual(['https://hub.example.org/*']);

    await firefox.revokeOrigins(['https://hub.example.org/*']);
    await expect.poll(() => siteAccess(options, 'https://hub.example.org/*')).toBe('Not allowed in this browser: errors are not marked there.');
    await expect.poll(() => registeredScripts(options), { message: 'the background unregisters the script' }).toEqual([]);
    expect(await storedSites(options)).toEqual(['https://hub.example.org/*']);

    await options.click('#custom-sites li[data-site="https://hub.example.org/*"] button');
    // Firefox's permission event can redraw the row before the script is registered: the message comes after both.
    await expect.poll(() => siteMessage(options)).toBe('The browser now allows https://hub.example.org/*. Errors are marked there from the next page load.');
    expect(await siteAccess(options, 'https://hub.example.org/*')).toBe('Allowed.');
    expect(await registeredScripts(options)).toEqual(['https://hub.example.org/*']);
  });

  test('a site synced from another computer needs Allow here, and only then gets its script', async ({ firefox }) => {
    const options = await openOptions(firefox);
    await options.evaluate(async () => {
      const api = (globalThis as unknown as { browser: { storage: { sync: { set(v: object): Promise<void> } } } }).browser;
      await api.storage.sync.set({ settings: { customSites: ['https://wiki.example.com/*'] } });
    });
    await expect.poll(() => siteAccess(options, 'https://wiki.example.com/*')).toBe('Not allowed in this browser: errors are not marked there.');
    expect(await registeredScripts(options)).toEqual([]);
    await options.click('#custom-sites li[data-site="https://wiki.example.com/*"] button');
    await expect.poll(() => siteMessage(options)).toBe('The browser now allows https://wiki.example.com/*. Errors are marked there from the next page load.');
    expect(await siteAccess(options, 'https://wiki.example.com/*')).toBe('Allowed.');
    expect(example(await firefox.grantedOrigins())).toEqual(['https://wiki.example.com/*']);
    expect(await registeredScripts(options)).toEqual(['https://wiki.example.com/*']);
  });

  test('only what will be stored is asked for: refused inputs leave Firefox’s permissions as they were', async ({ firefox }) => {
    const options = await openOptions(firefox);
    for (const [input, message] of [
      ['my_host.local', '“my_host.local” is not a valid host name: letters, digits and hyphens between dots, with a “*.” prefix as the only wildcard.'],
      ['https://example.com./*', '“example.com.” is not a valid host name: letters, digits and hyphens between dots, with a “*.” prefix as the only wildcard.'],
      ['*.co.uk', '“*.co.uk” would cover every site under co.uk, a public suffix whose sites belong to different owners. Name one site, such as example.co.uk.'],
      ['*.github.io', '“*.github.io” would cover every site under github.io, a public suffix whose sites belong to different owners. Name one site, such as example.github.io.'],
    ]) {
      await addSite(options, input);
      await expect.poll(() => siteMessage(options), { message: `the message for ${input}` }).toBe(message);
    }
    expect(example(await firefox.grantedOrigins())).toEqual([]);
    expect(await storedSites(options)).toBeNull();
  });

  test('a wildcard sent while the site field never had the focus is asked for inside the click and added; *.co.uk is refused plainly', async ({ firefox }) => {
    const options = await openOptions(firefox);
    await publicSuffixLoaded(firefox, options);
    await clickAddUnfocused(options, '*.example-broker-tools.net');
    await expect.poll(() => siteMessage(options)).toBe('Added https://*.example-broker-tools.net/*. Errors are marked there from the next page load.');
    expect(await options.evaluate(() => document.activeElement?.id)).not.toBe('site');
    expect(await storedSites(options)).toEqual(['https://*.example-broker-tools.net/*']);
    expect(await siteAccess(options, 'https://*.example-broker-tools.net/*')).toBe('Allowed.');
    expect(example(await firefox.grantedOrigins())).toEqual(['https://*.example-broker-tools.net/*']);
    expect(await registeredScripts(options)).toEqual(['https://*.example-broker-tools.net/*']);

    await clickAddUnfocused(options, '*.co.uk');
    await expect
      .poll(() => siteMessage(options))
      .toBe('“*.co.uk” would cover every site under co.uk, a public suffix whose sites belong to different owners. Name one site, such as example.co.uk.');
    expect(example(await firefox.grantedOrigins())).toEqual(['https://*.example-broker-tools.net/*']);
    expect(await storedSites(options)).toEqual(['https://*.example-broker-tools.net/*']);
  });

  test('removing *.example.net leaves a.example.net allowed while it is listed; each permission goes with its site', async ({ firefox }) => {
    const options = await openOptions(firefox);
    await addSite(options, '*.example.net');
    await expect.poll(() => siteMessage(options)).toBe('Added https://*.example.net/*. Errors are marked there from the next page load.');
    await expect.poll(() => siteAccess(options, 'https://*.example.net/*')).toBe('Allowed.');
    await addSite(options, 'a.example.net');
    await expect
      .poll(() => siteMessage(options))
      .toBe('Added https://a.example.net/*. Errors are marked there from the next page load. https://*.example.net/*, already listed, covers it too.');
    // Firefox records the narrower site on its own even while the broader one covers it.
    expect(await siteAccess(options, 'https://a.example.net/*')).toBe('Allowed.');
    expect(example(await firefox.grantedOrigins()).sort()).toEqual(['https://*.example.net/*', 'https://a.example.net/*']);

    await options.click('#custom-sites li[data-site="https://*.example.net/*"] button[aria-label^="Remove"]');
    await expect.poll(() => siteMessage(options)).toBe('Removed https://*.example.net/*; its permission was given back.');
    expect(await storedSites(options)).toEqual(['https://a.example.net/*']);
    expect(await siteAccess(options, 'https://a.example.net/*')).toBe('Allowed.');
    expect(example(await firefox.grantedOrigins())).toEqual(['https://a.example.net/*']);
    expect(await registeredScripts(options)).toEqual(['https://a.example.net/*']);

    await options.click('#custom-sites li[data-site="https://a.example.net/*"] button[aria-label^="Remove"]');
    await expect.poll(() => siteMessage(options)).toBe('Removed https://a.example.net/*; its permission was given back.');
    expect(example(await firefox.grantedOrigins())).toEqual([]);
    expect(await registeredScripts(options)).toEqual([]);
    expect(await text(options, '#custom-sites')).toBe('No other sites yet.');
  });

  test('a listed site with no grant of its own keeps the broader permission it relies on until it goes too', async ({ firefox }) => {
    // As after an older version, or a grant made in about:addons: only the broader pattern is held.
    await firefox.grantOrigins(['https://*.example.net/*']);
    const options = await openOptions(firefox);
    await options.evaluate(async () => {
      const api = (globalThis as unknown as { browser: { storage: { sync: { set(v: object): Promise<void> } } } }).browser;
      await api.storage.sync.set({ settings: { customSites: ['https://*.example.net/*', 'https://a.example.net/*'] } });
    });
    await expect.poll(() => siteAccess(options, 'https://a.example.net/*')).toBe('Allowed (through the permission for https://*.example.net/*).');
    await options.click('#custom-sites li[data-site="https://*.example.net/*"] button[aria-label^="Remove"]');
    await expect
      .poll(() => siteMessage(options))
      .toBe(
        'Removed https://*.example.net/*. The browser keeps its permission while https://a.example.net/*, which it covers, is listed (it is given back with the last of them).',
      );
    expect(await siteAccess(options, 'https://a.example.net/*')).toBe('Allowed (through the permission for https://*.example.net/*).');
    expect(example(await firefox.grantedOrigins())).toEqual(['https://*.example.net/*']);
    await options.click('#custom-sites li[data-site="https://a.example.net/*"] button[aria-label^="Remove"]');
    await expect.poll(() => siteMessage(options)).toBe('Removed https://a.example.net/*. The permission it relied on (https://*.example.net/*) was given back too.');
    expect(example(await firefox.grantedOrigins())).toEqual([]);
  });

  test('when storing fails the permission is given back, and the page says why in plain words', async ({ firefox }) => {
    const options = await openOptions(firefox);
    // Fill storage.sync to just under its 100 KB so that the settings no longer fit.
    await options.evaluate(async () => {
      const api = (globalThis as unknown as { browser: { storage: { sync: { set(v: object): Promise<void> } } } }).browser;
      for (let i = 0; i < 12; i++) await api.storage.sync.set({ [`filler${i}`]: 'x'.repeat(8_000) });
      await api.storage.sync.set({ filler12: 'x'.repeat(6_180) });
    });
    await addSite(options, 'wiki.example.com');
    await expect
      .poll(() => siteMessage(options))
      .toBe(
        'Not added: The settings are too large to sync: the browser keeps at most 8 KB of them. Remove a site you no longer need. The permission for https://wiki.example.com/* was given back.',
      );
    expect(example(await firefox.grantedOrigins())).toEqual([]);
    expect(await storedSites(options)).toBeNull();
  });

  test('permissions held for sites in no list are shown with Give back', async ({ firefox }) => {
    await firefox.grantOrigins(['https://stray.example.org/*']);
    const options = await openOptions(firefox);
    await expect.poll(() => options.$$eval('#unlisted-list li', (els) => els.map((e) => e.getAttribute('data-unlisted')))).toEqual(['https://stray.example.org/*']);
    await options.click('#unlisted-list button');
    await expect.poll(() => siteMessage(options)).toBe('Gave back the permission for https://stray.example.org/*.');
    expect(example(await firefox.grantedOrigins())).toEqual([]);
    expect(await options.$eval('#unlisted', (el) => (el as HTMLElement).hidden)).toBe(true);
  });
});
