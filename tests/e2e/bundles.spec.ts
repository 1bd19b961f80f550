import { expect, test } from './fixtures';

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
    // Nor the public suffix list, until the user sets about adding a site.
    expect(chunks).not.toContain('public-suffix');
  });

  test('the options page loads the public suffix list when the site field is used, and checks a wildcard with it', async ({ context, extensionId, requested }) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/options.html`);
    await expect(page.locator('#notices .boundary')).toBeVisible();
    expect(chunkNames(requested, extensionId)).not.toContain('public-suffix');
    // Sent at once, before the list can have arrived: the check waits for it rather than skip it.
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
