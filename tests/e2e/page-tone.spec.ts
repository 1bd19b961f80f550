/**
 * The highlights' tints and the card's palette follow the page as it is drawn, not the OS: a dark
 * page in a light OS gets the dark tints, a white page in a dark OS the light ones, a page that
 * follows the OS (`color-scheme: light dark`) follows it, and a page that switches its theme takes
 * the tints along.
 */
import type { Page } from '@playwright/test';
import { TONE_READS_ATTR } from '../../lib/test-hooks';
import { card, clickMention, expect, PAGES, scanSettled, test } from './fixtures';

const DARK_BODY = 'body { background: #0d1117 !important; color: #e6edf3 !important; } pre { background: #161b22 !important; }';

/** Opens groups.io's topic (no theme of its own) in an OS scheme, with `css` in the page from its start. */
async function openTopic(context: import('@playwright/test').BrowserContext, scheme: 'light' | 'dark', css: string): Promise<Page> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  await page.addInitScript((text) => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = text;
      document.head.append(style);
    });
  }, css);
  await page.goto(PAGES.groupsioTopic.url);
  await page.locator('[data-ibkr-error]').first().waitFor({ state: 'attached' });
  await scanSettled(page);
  return page;
}

/**
 * Opens the topic as a single-page app's shell: <main> put in a `div#app` before the script starts,
 * `css` in the page; <body> and <html> paint nothing, so the tone is the ground under the marks.
 */
async function openAppShell(context: import('@playwright/test').BrowserContext, css: string, appAttributes: Record<string, string> = {}): Promise<Page> {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: 'light' });
  await page.addInitScript(([text, attributes]) => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.textContent = text;
      document.head.append(style);
      const app = document.createElement('div');
      app.id = 'app';
      for (const [name, value] of Object.entries(attributes)) app.setAttribute(name, value);
      const main = document.querySelector('main')!;
      main.before(app);
      app.append(main);
    });
  }, [css, appAttributes] as const);
  await page.goto(PAGES.groupsioTopic.url);
  await page.locator('[data-ibkr-error]').first().waitFor({ state: 'attached' });
  await scanSettled(page);
  return page;
}

/** The names of the highlights that paint something now (the registry is shared by every world). */
const paintedNames = (page: Page) => page.evaluate(() => [...CSS.highlights].filter(([, h]) => h.size > 0).map(([name]) => name).sort());

/** How the connectivity notices' highlight is drawn on the first marker's block, under the name it is painted in. */
const drawn = (page: Page, name: string) =>
  page
    .locator('[data-ibkr-error="ibkr-1100"]')
    .evaluate((m, n) => {
      const s = getComputedStyle(m.parentElement!, `::highlight(${n})`);
      return { background: s.backgroundColor, underline: s.textDecorationColor };
    }, name);

/** The pinned card's background, summed over its channels (dark < 200 < light). */
async function cardBrightness(page: Page): Promise<number> {
  await clickMention(page, page.locator('[data-ibkr-error="ibkr-1100"]'));
  await expect(card(page)).toBeVisible();
  const bg = await card(page).evaluate((el) => getComputedStyle(el).backgroundColor);
  return bg.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
}

test('a dark page in a light OS: the dark tints, and a dark card', async ({ context }) => {
  const page = await openTopic(context, 'light', DARK_BODY);
  const names = await paintedNames(page);
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => n.startsWith('ibkr-error-lookup-dark-')), names.join()).toBe(true);
  expect(await drawn(page, 'ibkr-error-lookup-dark-system')).toEqual({ background: 'rgba(167, 139, 250, 0.16)', underline: 'rgba(196, 181, 253, 0.9)' });
  expect(await cardBrightness(page)).toBeLessThan(200);
  await page.close();
});

test('a white page in a dark OS: the light tints, and a light card', async ({ context }) => {
  const page = await openTopic(context, 'dark', 'body { background: #fff; }');
  const names = await paintedNames(page);
  expect(names.length).toBeGreaterThan(0);
  expect(names.some((n) => n.includes('-dark-')), names.join()).toBe(false);
  expect(await drawn(page, 'ibkr-error-lookup-system')).toEqual({ background: 'rgba(124, 58, 237, 0.1)', underline: 'rgba(91, 33, 182, 0.9)' });
  expect(await cardBrightness(page)).toBeGreaterThan(600);
  await page.close();
});

test('a page with no background of its own is white in a dark OS: light tints', async ({ context }) => {
  const page = await openTopic(context, 'dark', '');
  expect((await paintedNames(page)).some((n) => n.includes('-dark-'))).toBe(false);
  expect(await cardBrightness(page)).toBeGreaterThan(600);
  await page.close();
});

test('a page that follows the OS (color-scheme: light dark) in a dark OS: dark tints', async ({ context }) => {
  const page = await openTopic(context, 'dark', ':root { color-scheme: light dark; }');
  const names = await paintedNames(page);
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => n.startsWith('ibkr-error-lookup-dark-')), names.join()).toBe(true);
  expect(await cardBrightness(page)).toBeLessThan(200);
  await page.close();
});

test('a page that switches to its dark theme takes the tints along, and back', async ({ context }) => {
  const page = await openTopic(context, 'light', `body.night { background: #0d1117; color: #e6edf3; }`);
  expect((await paintedNames(page)).some((n) => n.includes('-dark-'))).toBe(false);
  await page.evaluate(() => document.body.classList.add('night'));
  await expect.poll(() => paintedNames(page)).toEqual(expect.arrayContaining(['ibkr-error-lookup-dark-system']));
  expect((await paintedNames(page)).every((n) => n.includes('-dark-'))).toBe(true);
  await page.evaluate(() => document.body.classList.remove('night'));
  await expect.poll(async () => (await paintedNames(page)).some((n) => n.includes('-dark-'))).toBe(false);
  await page.close();
});

// A wrapper below <body> that switches the app's theme: the highlights and an open card follow.
test('a theme class on a wrapper below <body> (Tailwind’s `dark`): the tints and the open card follow, and back', async ({ context }) => {
  const page = await openAppShell(context, 'main { background: #fafafa; color: #111; } #app.dark main { background: #0d1117; color: #e6edf3; }');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
  expect((await paintedNames(page)).some((n) => n.includes('-dark-'))).toBe(false);
  expect(await cardBrightness(page)).toBeGreaterThan(600);
  const theme = () => card(page).getAttribute('data-theme');
  expect(await theme()).toBe('light');
  await page.evaluate(() => document.querySelector('#app')!.classList.add('dark'));
  await expect.poll(() => paintedNames(page)).toEqual(expect.arrayContaining(['ibkr-error-lookup-dark-system']));
  expect((await paintedNames(page)).every((n) => n.includes('-dark-'))).toBe(true);
  expect(await drawn(page, 'ibkr-error-lookup-dark-system')).toEqual({ background: 'rgba(167, 139, 250, 0.16)', underline: 'rgba(196, 181, 253, 0.9)' });
  // The pinned card stayed open through the switch and took the dark palette.
  await expect(card(page)).toBeVisible();
  await expect.poll(theme).toBe('dark');
  const bg = await card(page).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg.match(/\d+/g)!.slice(0, 3).map(Number).reduce((a, b) => a + b, 0)).toBeLessThan(200);
  await page.evaluate(() => document.querySelector('#app')!.classList.remove('dark'));
  await expect.poll(async () => (await paintedNames(page)).some((n) => n.includes('-dark-'))).toBe(false);
  await expect.poll(theme).toBe('light');
  await page.close();
});

test('a JupyterLab-like theme attribute on the wrapper that paints the page: the tints follow', async ({ context }) => {
  const page = await openAppShell(
    context,
    '#app[data-jp-theme-light="true"] { background: #fff; } #app[data-jp-theme-light="false"] { background: #111; color: #ddd; }',
    { 'data-jp-theme-light': 'true' },
  );
  expect((await paintedNames(page)).some((n) => n.includes('-dark-'))).toBe(false);
  await page.evaluate(() => document.querySelector('#app')!.setAttribute('data-jp-theme-light', 'false'));
  await expect.poll(() => paintedNames(page)).toEqual(expect.arrayContaining(['ibkr-error-lookup-dark-system']));
  await page.close();
});

test('a wrapper’s other attributes, flipped 1,000 times: no tone read', async ({ context }) => {
  const page = await openAppShell(context, '#app.dark { background: #0d1117; }');
  const reads = () => page.evaluate((attr) => Number(document.documentElement.getAttribute(attr)), TONE_READS_ATTR);
  const before = await reads();
  expect(before).toBeGreaterThan(0);
  await page.evaluate(async () => {
    const app = document.querySelector('#app')!;
    for (let i = 0; i < 1000; i++) {
      app.toggleAttribute('aria-busy');
      app.setAttribute('data-scroll-y', String(i));
      if (i % 50 === 0) await new Promise((r) => requestAnimationFrame(r));
    }
    await new Promise((r) => setTimeout(r, 200));
  });
  expect(await reads()).toBe(before);
  await page.evaluate(() => document.querySelector('#app')!.classList.add('dark'));
  await expect.poll(reads).toBe(before + 1);
  await page.close();
});

// A single-page app's shell: <body> and <html> paint nothing, a wrapper (here <main>) paints the page.
test('a dark wrapper under a transparent body: the dark tints, and a dark card', async ({ context }) => {
  const page = await openTopic(context, 'light', 'main { background: #0d1117; color: #e6edf3; }');
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgba(0, 0, 0, 0)');
  const names = await paintedNames(page);
  expect(names.length).toBeGreaterThan(0);
  expect(names.every((n) => n.startsWith('ibkr-error-lookup-dark-')), names.join()).toBe(true);
  expect(await cardBrightness(page)).toBeLessThan(200);
  await page.close();
});

test('a light wrapper on a page that follows a dark OS: the light tints, and a light card', async ({ context }) => {
  const page = await openTopic(context, 'dark', ':root { color-scheme: light dark; } main { background: #fafafa; color: #111; }');
  const names = await paintedNames(page);
  expect(names.length).toBeGreaterThan(0);
  expect(names.some((n) => n.includes('-dark-')), names.join()).toBe(false);
  expect(await cardBrightness(page)).toBeGreaterThan(600);
  await page.close();
});

test('a page toggling an attribute that changes no tone 1,000 times: no tone read', async ({ context }) => {
  const page = await openTopic(context, 'light', '');
  const reads = () => page.evaluate((attr) => Number(document.documentElement.getAttribute(attr)), TONE_READS_ATTR);
  const before = await reads();
  expect(before).toBeGreaterThan(0);
  await page.evaluate(async () => {
    for (let i = 0; i < 1000; i++) {
      document.body.toggleAttribute('aria-busy');
      document.documentElement.setAttribute('data-scroll-y', String(i));
      // Spread over frames and tasks, as a page at work does.
      if (i % 50 === 0) await new Promise((r) => requestAnimationFrame(r));
    }
    await new Promise((r) => setTimeout(r, 200));
  });
  expect(await reads()).toBe(before);
  // A theme switch is still read, once.
  await page.evaluate(() => document.body.classList.add('night'));
  await expect.poll(reads).toBe(before + 1);
  await page.close();
});
