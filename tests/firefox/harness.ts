/**
 * Firefox ESR with the built Firefox extension, for end-to-end tests: Debian's /usr/bin/firefox-esr
 * driven by puppeteer-core over WebDriver BiDi (no browser download, no geckodriver), the add-on
 * installed from .output/firefox-mv3 as a temporary add-on, fixture pages from a local server.
 *
 * API (the Playwright fixtures in ./fixtures.ts launch one Firefox for the whole suite with it):
 *
 *   const firefox = await launchFirefox({ grantByDefault?, prefs?, extensionDir? });
 *   firefox.browser                      puppeteer Browser (WebDriver BiDi)
 *   firefox.addonId                      'ibkr-error-lookup@inquantwetrust' (the manifest's gecko id)
 *   firefox.origin                       'moz-extension://<uuid>', fixed before install by a pref
 *   firefox.server.serve(path, body)     serves HTML (or { file } from tests/e2e/pages) at
 *                                        http://127.0.0.1:<port><path> and returns that URL; the
 *                                        content script runs there (localhost site group)
 *   await firefox.openFixture(file, path?)   new tab on a served fixture page (default /pages/<file>)
 *   await firefox.openExtensionPage(path)    new tab on moz-extension://<uuid>/<path>
 *   await firefox.gotoExtensionPage(page, path)  the same in a tab that is open already
 *   firefox.extensionErrors()            console.error lines of pages, extension pages, content and
 *                                        background scripts (the fixture pages log nothing) and
 *                                        uncaught errors of moz-extension:// scripts, since launch or
 *                                        the last resetErrors(); Firefox's own noise is not counted
 *   firefox.resetErrors()
 *   await firefox.setPref(name, value)   sets a Firefox pref now (parent-process script)
 *   await firefox.evaluateInChrome(js)   runs a JS expression in the browser window's privileged
 *                                        scope and returns its JSON-serialisable result (awaited)
 *   await firefox.reinstall()            uninstalls and installs the add-on again (same uuid)
 *   await firefox.setGrantByDefault(on)  extensions.originControls.grantByDefault, then reinstall:
 *                                        Firefox reads it at install; false = a user who withheld the
 *                                        sites the content script matches
 *   await firefox.grantedOrigins()       the host permissions the add-on holds now
 *   await firefox.grantOrigins(origins) / revokeOrigins(origins)
 *                                        what the Extensions panel's per-site switch does
 *   await firefox.restoreInstall()       after setGrantByDefault / grant / revoke: the add-on
 *                                        installed again as at launch (the fixtures call it per test)
 *   await firefox.resetStorage()         clears the add-on's storage.sync and storage.local
 *   await firefox.close()                closes Firefox and the server (always call it: finally)
 *
 * Why the detours (see docs/testing.md): BiDi navigates to moz-extension:// pages only with
 * --remote-allow-system-access, and puppeteer's page.goto waits for events Firefox does not send
 * when a tab switches into the extension process, so extension pages are opened with a raw
 * browsingContext.navigate. puppeteer sees no console events of such a tab; Firefox's own
 * stdout/stderr (devtools.console.stdout.content) sees every console call of the extension.
 */
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

const ROOT = new URL('../..', import.meta.url).pathname;
export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = join(ROOT, '.output/firefox-mv3');
const PAGES_DIR = join(ROOT, 'tests/e2e/pages');
const LOG_DIR = join(ROOT, 'test-results/firefox');

type PrefValue = string | number | boolean;

export interface LaunchOptions {
  /** extensions.originControls.grantByDefault at install (Firefox's default: true). */
  grantByDefault?: boolean;
  /** More Firefox prefs for the profile. */
  prefs?: Record<string, PrefValue>;
  extensionDir?: string;
}

/** Serves fixture pages on 127.0.0.1 at an ephemeral port; nothing else answers. */
export interface FixtureServer {
  origin: string;
  serve(path: string, body: string | { file: string }): string;
  close(): Promise<void>;
}

async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, () => Buffer | string>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const fixed = routes.get(path);
    const file = path.startsWith('/pages/') ? join(PAGES_DIR, path.slice('/pages/'.length)) : null;
    const body = fixed ? fixed() : file && !file.includes('..') && existsSync(file) ? readFileSync(file) : null;
    if (body === null) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not a fixture');
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, body) {
      routes.set(path, typeof body === 'string' ? () => body : () => readFileSync(join(PAGES_DIR, body.file)));
      return origin + path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Which lines of Firefox's output are the extension's errors (see the file comment). */
export function isExtensionError(stream: 'stdout' | 'stderr', line: string): boolean {
  return stream === 'stdout' ? line.startsWith('console.error: ') : line.startsWith('JavaScript error: moz-extension://');
}

/** Rejects with `what` when `promise` takes longer than `ms`: a hang names the step that hung. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Firefox: ${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The BiDi connection under puppeteer's Browser (public in puppeteer's BiDi classes, untyped). */
interface BidiConnection {
  send(method: string, params: object): Promise<{ result: Record<string, unknown> }>;
}

export interface Firefox {
  browser: Browser;
  addonId: string;
  origin: string;
  server: FixtureServer;
  openFixture(file: string, path?: string): Promise<Page>;
  openExtensionPage(path: string): Promise<Page>;
  gotoExtensionPage(page: Page, path: string): Promise<void>;
  extensionErrors(): string[];
  resetErrors(): void;
  setPref(name: string, value: PrefValue): Promise<void>;
  evaluateInChrome<T = unknown>(expression: string): Promise<T>;
  reinstall(): Promise<void>;
  setGrantByDefault(on: boolean): Promise<void>;
  grantedOrigins(): Promise<string[]>;
  grantOrigins(origins: string[]): Promise<void>;
  revokeOrigins(origins: string[]): Promise<void>;
  restoreInstall(): Promise<void>;
  resetStorage(): Promise<void>;
  close(): Promise<void>;
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<Firefox> {
  const extensionDir = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  const manifestFile = join(extensionDir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`No Firefox build at ${extensionDir}: run "npm run build:firefox" first.`);
  if (!existsSync(FIREFOX)) throw new Error(`No Firefox at ${FIREFOX}: apt-get install -y firefox-esr (or bash scripts/setup.sh)`);
  const addonId: string = JSON.parse(readFileSync(manifestFile, 'utf8')).browser_specific_settings.gecko.id;
  const uuidPref = JSON.stringify({ [addonId]: randomUUID() });
  const origin = `moz-extension://${JSON.parse(uuidPref)[addonId]}`;

  const server = await startFixtureServer();
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      protocol: 'webDriverBiDi',
      timeout: 30_000,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': uuidPref,
        'extensions.originControls.grantByDefault': options.grantByDefault ?? true,
        // Console calls of pages and extensions on stdout; Firefox's own (chrome) ones not.
        'devtools.console.stdout.content': true,
        'devtools.console.stdout.chrome': false,
        ...options.prefs,
      },
    });
  } catch (error) {
    await server.close();
    throw new Error(`Firefox ESR (${FIREFOX}) did not start: ${(error as Error).message}`);
  }

  const errors: string[] = [];
  mkdirSync(LOG_DIR, { recursive: true });
  const log: WriteStream = createWriteStream(join(LOG_DIR, 'browser.log'));
  const watch = (stream: 'stdout' | 'stderr', from: Readable | null) => {
    let partial = '';
    from?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        log.write(`${stream}| ${line}\n`);
        if (isExtensionError(stream, line)) errors.push(line);
      }
    });
  };
  watch('stdout', browser.process()?.stdout ?? null);
  watch('stderr', browser.process()?.stderr ?? null);

  const connection = (browser as unknown as { connection: BidiConnection }).connection;
  const contextOf = (page: Page) => (page.mainFrame() as unknown as { _id: string })._id;

  async function evaluateInChrome<T>(expression: string): Promise<T> {
    const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
    const [window] = tree.result.contexts as { context: string }[];
    const reply = await connection.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context: window.context },
      awaitPromise: true,
    });
    const result = reply.result as { type: string; result?: { value?: string }; exceptionDetails?: { text: string } };
    if (result.type === 'exception') throw new Error(`Firefox chrome script failed: ${result.exceptionDetails?.text}\n${expression}`);
    const json = result.result?.value;
    return (json === undefined ? undefined : JSON.parse(json)) as T;
  }

  // Whether the add-on's host permissions may differ from a fresh install with the launch options.
  let permissionsChanged = false;
  const permissions = (method: 'add' | 'remove', origins: string[]) =>
    evaluateInChrome(`(async () => {
      const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
      const extension = WebExtensionPolicy.getByID(${JSON.stringify(addonId)}).extension;
      await ExtensionPermissions.${method}(${JSON.stringify(addonId)}, { permissions: [], origins: ${JSON.stringify(origins)} }, extension);
    })()`);

  const firefox: Firefox = {
    browser,
    addonId,
    origin,
    server,
    async openFixture(file, path = `/pages/${file}`) {
      const url = server.serve(path, { file });
      const page = await browser.newPage();
      await within(15_000, `loading ${url}`, page.goto(url));
      return page;
    },
    async openExtensionPage(path) {
      const page = await browser.newPage();
      await firefox.gotoExtensionPage(page, path);
      return page;
    },
    async gotoExtensionPage(page, path) {
      const url = `${origin}/${path}`;
      await within(15_000, `opening ${url}`, connection.send('browsingContext.navigate', { context: contextOf(page), url, wait: 'complete' }));
    },
    extensionErrors: () => [...errors],
    resetErrors: () => void errors.splice(0),
    setPref: (name, value) =>
      evaluateInChrome(
        `Services.prefs.set${typeof value === 'boolean' ? 'Bool' : typeof value === 'number' ? 'Int' : 'String'}Pref(${JSON.stringify(name)}, ${JSON.stringify(value)})`,
      ),
    evaluateInChrome,
    async reinstall() {
      await within(15_000, `uninstalling ${addonId}`, browser.uninstallExtension(addonId));
      // Uninstalling forgets the add-on's uuid; the pages' origin stays the same.
      await firefox.setPref('extensions.webextensions.uuids', uuidPref);
      await within(15_000, `installing ${extensionDir}`, browser.installExtension(extensionDir));
    },
    async setGrantByDefault(on) {
      permissionsChanged = true;
      await firefox.setPref('extensions.originControls.grantByDefault', on);
      await firefox.reinstall();
    },
    async grantedOrigins() {
      return evaluateInChrome<string[]>(`(async () => {
        const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
        return (await ExtensionPermissions.get(${JSON.stringify(addonId)})).origins;
      })()`);
    },
    async grantOrigins(origins) {
      permissionsChanged = true;
      await permissions('add', origins);
    },
    async revokeOrigins(origins) {
      permissionsChanged = true;
      await permissions('remove', origins);
    },
    async restoreInstall() {
      if (!permissionsChanged) return;
      await firefox.setGrantByDefault(options.grantByDefault ?? true);
      permissionsChanged = false;
    },
    async resetStorage() {
      const page = await firefox.openExtensionPage('options.html');
      try {
        await page.evaluate(async () => {
          const api = (globalThis as unknown as { browser: { storage: Record<'sync' | 'local', { clear(): Promise<void> }> } }).browser;
          await Promise.all([api.storage.sync.clear(), api.storage.local.clear()]);
        });
      } finally {
        await page.close();
      }
    },
    async close() {
      try {
        await within(15_000, 'closing', browser.close());
      } catch {
        browser.process()?.kill('SIGKILL');
      } finally {
        log.end();
        await server.close();
      }
    },
  };

  try {
    await within(15_000, `installing ${extensionDir}`, browser.installExtension(extensionDir));
  } catch (error) {
    await firefox.close();
    throw error;
  }
  return firefox;
}
