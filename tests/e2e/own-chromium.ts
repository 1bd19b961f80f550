/**
 * Debian's Chromium with the test build, started by hand for the specs that need a browser no
 * DevTools session touched from the start: Playwright opens one on every page, and that turns
 * prerendering off (prerender.spec.ts) and keeps every page visible, a background tab too (it
 * emulates a focused page: background-tab.spec.ts). A spec attaches once the moment it tests is
 * over, and serves its pages from a real server on 127.0.0.1 (one of the built-in sites).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, extensionArgs } from '../../scripts/chromium';
import { EXTENSION_DIR } from './fixtures';

export interface OwnChromium {
  /** The browser's CDP endpoint, once it listens. */
  endpoint: Promise<string>;
  /** Ends the browser, its helper processes and its profile. */
  stop(): Promise<void>;
}

/** Starts Chromium on `url` (headless Chromium opens one page only) with a profile of its own. */
export function startChromium(url: string): OwnChromium {
  const profile = mkdtempSync(join(tmpdir(), 'ibkr-e2e-own-'));
  const browser: ChildProcess = spawn(CHROMIUM, [...extensionArgs(EXTENSION_DIR), `--user-data-dir=${profile}`, '--remote-debugging-port=0', '--window-size=1100,760', url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // A process group of its own: its helper processes end with it.
    detached: true,
  });
  const endpoint = new Promise<string>((resolve, reject) => {
    let said = '';
    browser.stderr!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const found = /DevTools listening on (ws:\S+)/.exec(said);
      if (found) resolve(found[1]);
    });
    browser.on('exit', (code) => reject(new Error(`Chromium exited (${code}) before it listened: ${said.slice(-500)}`)));
  });
  return {
    endpoint,
    async stop() {
      // Gone, helpers and all, before its profile is removed (they write there until they exit).
      const exited = new Promise((done) => (browser.exitCode !== null ? done(null) : browser.once('exit', done)));
      try {
        process.kill(-browser.pid!, 'SIGTERM');
      } catch {
        // Already gone.
      }
      await exited;
      rmSync(profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 250 });
    },
  };
}
