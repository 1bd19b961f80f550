import { rmSync } from 'node:fs';
import { expect, launchExtension, test } from './fixtures';

/** The scripts an extension page loaded, as `chunks/<name>` without the hash, sorted. */
const chunkNames = (requested: string[], extensionId: string) =>
  [
    ...new Set(
      requested
        .filter((url) => url.startsWith(`chrome-extension://${extensionId}/chunks/`))
        .map((url) => new URL(url).pathname.replace(/^\/chunks\//, '').replace(/-[\w-]{8}\.js$/, '')),
    ),
  ].sort();

test.describe('extension pages load only what they show', () => {
  test('the options page shows both notices without loading the knowledge base', async ({ context, extensionId, requested }) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(page.locator('#notices .boundary')).toContainText('It is not financial, investment, trading, tax, or legal advice.');
    await expect(page.locator('#notices .trademark')).toContainText('InQuantWeTrust is independent');
    const chunks = chunkNames(requested, extensionId);
    expect(chunks).toEqual(expect.arrayContaining(['options', 'render', 'settings']));
    // It shows no entry: neither the knowledge base nor what reads or explains entries.
    for (const unneeded of ['knowledge', 'matcher', 'analyzer', 'entry-actions']) expect(chunks, unneeded).not.toContain(unneeded);
  });

  test('the options page loads the public suffix list by itself once it has rendered; the render never waits for it', async () => {
    // A browser of its own: one that loaded the list before takes it from its memory cache, past the route that holds it.
    const { context, profile } = await launchExtension();
    try {
      const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
      const page = await context.newPage();
      await page.addInitScript(() => {
        const focused: string[] = [];
        Object.assign(window, { focused });
        document.addEventListener('focusin', (e) => focused.push((e.target as Element).id || (e.target as Element).tagName), true);
      });
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const requested = new Promise<void>((resolve) =>
        void page.route(/\/chunks\/public-suffix-[\w-]+\.js$/, (route) => {
          resolve();
          return held.then(() => route.continue());
        }),
      );
      await page.goto(`chrome-extension://${new URL(worker.url()).host}/options.html`);
      // Asked for with nothing touched: no focus on the site field, no click, no key.
      await requested;
      expect(await page.evaluate(() => (window as unknown as { focused: string[] }).focused)).toEqual([]);
      // While the list is held back, the page is all there.
      await expect(page.locator('input[data-group]')).toHaveCount(6);
      await expect(page.locator('#notices .trademark')).toContainText('InQuantWeTrust is independent');
      await expect(page.locator('#custom-sites li')).toHaveText(['No other sites yet.']);
      release();
      // And then it is used: a whole public suffix is refused.
      await page.evaluate(() => {
        document.querySelector<HTMLInputElement>('#site')!.value = '*.github.io';
        document.querySelector<HTMLFormElement>('#add-site')!.requestSubmit();
      });
      await expect(page.locator('#site-message')).toHaveText(/^“\*\.github\.io” would cover every site under github\.io, a public suffix/);
      await page.close();
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });

  test('the options page checks a wildcard sent at once with the public suffix list, never without it', async ({ context, extensionId, requested }) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(page.locator('#notices .boundary')).toBeVisible();
    // Sent at once: if it beats the list, the check waits for the list rather than skip it.
    await page.locator('#site').fill('*.github.io');
    await page.locator('#site').press('Enter');
    await expect(page.locator('#site-message')).toHaveText(/^“\*\.github\.io” would cover every site under github\.io, a public suffix/);
    expect(chunkNames(requested, extensionId)).toContain('public-suffix');
  });

  test('the popup, which searches the whole base, loads the knowledge chunk and the matcher', async ({ context, extensionId, requested }) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/popup.html`);
    await expect(page.locator('[data-entry-id]').first()).toBeVisible();
    expect(chunkNames(requested, extensionId)).toEqual(expect.arrayContaining(['knowledge', 'matcher', 'popup']));
  });
});
