/** Debian's Chromium for bench:pages: headless, a fresh profile, with one unpacked extension or none. */
import { chromium, type BrowserContext } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, extensionArgs } from '../chromium';

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Launches Chromium with the unpacked extension in `extensionDir` (null: no extension). */
export async function launch(extensionDir: string | null): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'ibkr-perf-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: extensionArgs(extensionDir),
  });
  if (extensionDir && context.serviceWorkers().length === 0) await context.waitForEvent('serviceworker');
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Serves `html` at `url` and refuses every other request (the pages need nothing else, and no network is used). */
export async function serve(context: BrowserContext, url: string, html: string): Promise<void> {
  await context.route('**/*', (route) =>
    route.request().url() === url ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort('blockedbyclient'),
  );
}
