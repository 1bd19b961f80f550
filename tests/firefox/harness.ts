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
 *   firefox.server.serve(path, body, { keepable?, contentType? })
 *                                        serves HTML (or { file } from tests/e2e/pages) at
 *                                        http://127.0.0.1:<port><path> and returns that URL; the
 *                                        content script runs there (localhost site group). Served
 *                                        `Cache-Control: no-store`, so Firefox never keeps the page
 *                                        in its back/forward cache; `keepable: true` leaves that out;
 *                                        `contentType` replaces text/html (a JSON answer)
 *   await firefox.openFixture(file, path?)   new tab on a served fixture page (default /pages/<file>)
 *   await firefox.openExtensionPage(path)    new tab on moz-extension://<uuid>/<path>
 *   await firefox.gotoExtensionPage(page, path)  the same in a tab that is open already
 *   await firefox.traverseHistory(page, delta)   Back (-1) or Forward (1) in a tab, as the toolbar
 *                                        does; returns once the traversal is under way (a page shown
 *                                        again from the back/forward cache fires no load event)
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
 *   await firefox.closeTabs()            closes every tab but Firefox's first one
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
  serve(path: string, body: string | { file: string }, options?: { keepable?: boolean; contentType?: string }): string;
  close(): Promise<void>;
}

async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, { body: () => Buffer | string; keepable: boolean; contentType: string }>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const fixed = routes.get(path);
    const file = path.startsWith('/pages/') ? join(PAGES_DIR, path.slice('/pages/'.length)) : null;
    const body = fixed ? fixed.body() : file && !file.includes('..') && existsSync(file) ? readFileSync(file) : null;
    if (body === null) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not a fixture');
      return;
    }
    const headers = { 'content-type': fixed?.contentType ?? 'text/html; charset=utf-8', ...(fixed?.keepable ? {} : { 'cache-control': 'no-store' }) };
    response.writeHead(200, headers).end(body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    serve(path, body, { keepable = false, contentType = 'text/html; charset=utf-8' } = {}) {
      routes.set(path, { body: typeof body === 'string' ? () => body : () => readFileSync(join(PAGES_DIR, body.file)), keepable, contentType });
      return origin + path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Which lines of Firefox's output are the extension's errors. A page's console.error is printed
 * as `console.error: ` and its arguments as source (`"text"`, `({...})`, `42`); Firefox's own
 * consoles print there too, named: `console.error: RSLoader: ` (Remote Settings, offline). An
 * uncaught error in an extension script is `JavaScript error: moz-extension://...` on stderr.
 */
export function isExtensionError(stream: 'stdout' | 'stderr', line: string): boolean {
  if (stream === 'stderr') return line.startsWith('JavaScript error: moz-extension://');
  return line.startsWith('console.error: ') && !/^console\.error: [A-Za-z][\w.-]*: /.test(line);
}

/** Copies Firefox's output to the log, line by line, and hands each line to `onLine`. */
function watchOutput(stream: 'stdout' | 'stderr', from: Readable | null | undefined, log: WriteStream, onLine: (line: string) => void): void {
  let partial = '';
  from?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      log.write(`${stream}| ${line}\n`);
      onLine(line);
    }
  });
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

/** What launchFirefox found out before the browser started. */
interface Setup {
  addonId: string;
  extensionDir: string;
  /** The extensions.webextensions.uuids pref that gives the add-on its uuid. */
  uuidPref: string;
  grantByDefault: boolean;
}

async function startBrowser(setup: Setup, prefs: Record<string, PrefValue> = {}): Promise<Browser> {
  try {
    return await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX,
      headless: true,
      protocol: 'webDriverBiDi',
      timeout: 30_000,
      args: ['--remote-allow-system-access'],
      extraPrefsFirefox: {
        'extensions.webextensions.uuids': setup.uuidPref,
        'extensions.originControls.grantByDefault': setup.grantByDefault,
        // Console calls of pages and extensions on stdout; most of Firefox's own (chrome) ones not.
        'devtools.console.stdout.content': true,
        'devtools.console.stdout.chrome': false,
        ...prefs,
      },
    });
  } catch (error) {
    throw new Error(`Firefox ESR (${FIREFOX}) did not start: ${(error as Error).message}`);
  }
}

export async function launchFirefox(options: LaunchOptions = {}): Promise<Firefox> {
  const extensionDir = options.extensionDir ?? FIREFOX_EXTENSION_DIR;
  const manifestFile = join(extensionDir, 'manifest.json');
  if (!existsSync(manifestFile)) throw new Error(`No Firefox build at ${extensionDir}: run "npm run build:firefox" first.`);
  if (!existsSync(FIREFOX)) throw new Error(`No Firefox at ${FIREFOX}: apt-get install -y firefox-esr (or bash scripts/setup.sh)`);
  const addonId: string = JSON.parse(readFileSync(manifestFile, 'utf8')).browser_specific_settings.gecko.id;
  const setup: Setup = {
    addonId,
    extensionDir,
    uuidPref: JSON.stringify({ [addonId]: randomUUID() }),
    grantByDefault: options.grantByDefault ?? true,
  };
  const server = await startFixtureServer();
  let browser: Browser;
  try {
    browser = await startBrowser(setup, options.prefs);
  } catch (error) {
    await server.close();
    throw error;
  }
  const firefox = new Firefox(browser, server, setup);
  try {
    await firefox.install();
  } catch (error) {
    await firefox.close();
    throw error;
  }
  return firefox;
}

/** One Firefox with the add-on; see the file comment for the API. */
export class Firefox {
  readonly addonId: string;
  readonly origin: string;
  readonly #setup: Setup;
  readonly #errors: string[] = [];
  readonly #log: WriteStream;
  readonly #connection: BidiConnection;
  /** Whether the add-on's host permissions may differ from a fresh install with the launch options. */
  #permissionsChanged = false;

  constructor(
    readonly browser: Browser,
    readonly server: FixtureServer,
    setup: Setup,
  ) {
    this.#setup = setup;
    this.addonId = setup.addonId;
    this.origin = `moz-extension://${JSON.parse(setup.uuidPref)[setup.addonId]}`;
    this.#connection = (browser as unknown as { connection: BidiConnection }).connection;
    mkdirSync(LOG_DIR, { recursive: true });
    this.#log = createWriteStream(join(LOG_DIR, 'browser.log'));
    for (const stream of ['stdout', 'stderr'] as const) {
      watchOutput(stream, browser.process()?.[stream], this.#log, (line) => {
        if (isExtensionError(stream, line)) this.#errors.push(line);
      });
    }
  }

  install(): Promise<void> {
    return within(15_000, `installing ${this.#setup.extensionDir}`, this.browser.installExtension(this.#setup.extensionDir)).then(() => undefined);
  }

  async openFixture(file: string, path = `/pages/${file}`): Promise<Page> {
    const url = this.server.serve(path, { file });
    const page = await this.browser.newPage();
    await within(15_000, `loading ${url}`, page.goto(url));
    return page;
  }

  async openExtensionPage(path: string): Promise<Page> {
    const page = await this.browser.newPage();
    await this.gotoExtensionPage(page, path);
    return page;
  }

  async gotoExtensionPage(page: Page, path: string): Promise<void> {
    const url = `${this.origin}/${path}`;
    const context = (page.mainFrame() as unknown as { _id: string })._id;
    await within(15_000, `opening ${url}`, this.#connection.send('browsingContext.navigate', { context, url, wait: 'complete' }));
  }

  async traverseHistory(page: Page, delta: number): Promise<void> {
    const context = (page.mainFrame() as unknown as { _id: string })._id;
    await within(15_000, `history ${delta}`, this.#connection.send('browsingContext.traverseHistory', { context, delta }));
  }

  extensionErrors(): string[] {
    return [...this.#errors];
  }

  resetErrors(): void {
    this.#errors.splice(0);
  }

  async evaluateInChrome<T = unknown>(expression: string): Promise<T> {
    const tree = await this.#connection.send('browsingContext.getTree', { 'moz:scope': 'chrome', maxDepth: 0 });
    const [window] = tree.result.contexts as { context: string }[];
    const reply = await this.#connection.send('script.evaluate', {
      expression: `(async () => JSON.stringify(await (${expression})))()`,
      target: { context: window.context },
      awaitPromise: true,
    });
    const result = reply.result as { type: string; result?: { value?: string }; exceptionDetails?: { text: string } };
    if (result.type === 'exception') throw new Error(`Firefox chrome script failed: ${result.exceptionDetails?.text}\n${expression}`);
    const json = result.result?.value;
    return (json === undefined ? undefined : JSON.parse(json)) as T;
  }

  async setPref(name: string, value: PrefValue): Promise<void> {
    const kind = typeof value === 'boolean' ? 'Bool' : typeof value === 'number' ? 'Int' : 'String';
    await this.evaluateInChrome(`Services.prefs.set${kind}Pref(${JSON.stringify(name)}, ${JSON.stringify(value)})`);
  }

  async reinstall(): Promise<void> {
    await within(15_000, `uninstalling ${this.addonId}`, this.browser.uninstallExtension(this.addonId));
    // Uninstalling forgets the add-on's uuid; the pages' origin stays the same.
    await this.setPref('extensions.webextensions.uuids', this.#setup.uuidPref);
    await this.install();
  }

  async setGrantByDefault(on: boolean): Promise<void> {
    this.#permissionsChanged = true;
    await this.setPref('extensions.originControls.grantByDefault', on);
    await this.reinstall();
  }

  grantedOrigins(): Promise<string[]> {
    return this.evaluateInChrome<string[]>(`(async () => {
      const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
      return (await ExtensionPermissions.get(${JSON.stringify(this.addonId)})).origins;
    })()`);
  }

  grantOrigins(origins: string[]): Promise<void> {
    return this.#changePermissions('add', origins);
  }

  revokeOrigins(origins: string[]): Promise<void> {
    return this.#changePermissions('remove', origins);
  }

  /** What the Extensions panel does: changes the stored grants and tells the running add-on. */
  async #changePermissions(method: 'add' | 'remove', origins: string[]): Promise<void> {
    this.#permissionsChanged = true;
    const id = JSON.stringify(this.addonId);
    await this.evaluateInChrome(`(async () => {
      const { ExtensionPermissions } = ChromeUtils.importESModule('resource://gre/modules/ExtensionPermissions.sys.mjs');
      const extension = WebExtensionPolicy.getByID(${id}).extension;
      await ExtensionPermissions.${method}(${id}, { permissions: [], origins: ${JSON.stringify(origins)} }, extension);
    })()`);
  }

  async restoreInstall(): Promise<void> {
    if (!this.#permissionsChanged) return;
    await this.setGrantByDefault(this.#setup.grantByDefault);
    this.#permissionsChanged = false;
  }

  async resetStorage(): Promise<void> {
    const page = await this.openExtensionPage('options.html');
    try {
      await page.evaluate(async () => {
        const api = (globalThis as unknown as { browser: { storage: Record<'sync' | 'local', { clear(): Promise<void> }> } }).browser;
        await Promise.all([api.storage.sync.clear(), api.storage.local.clear()]);
      });
    } finally {
      await page.close();
    }
  }

  async closeTabs(): Promise<void> {
    // The first tab is Firefox's own start tab; closing the last tab would close the window.
    const [, ...opened] = await this.browser.pages();
    await Promise.all(opened.map((page) => page.close()));
  }

  async close(): Promise<void> {
    try {
      await within(15_000, 'closing', this.browser.close());
    } catch {
      this.browser.process()?.kill('SIGKILL');
    } finally {
      this.#log.end();
      await this.server.close();
    }
  }
}
