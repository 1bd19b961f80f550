/**
 * Debian's Chromium as every part of the project launches it (the end-to-end tests, bench:pages,
 * the icons): where it is, and the switches a headless run with one unpacked extension needs.
 */

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. Never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Switches for a headless Chromium with the unpacked extension in `extensionDir` loaded (null: no
 * extension at all). Launched with Playwright's `headless: false`: the real switch is
 * `--headless=new`, as the old headless mode cannot load extensions.
 */
export function extensionArgs(extensionDir: string | null): string[] {
  return [
    '--headless=new',
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : ['--disable-extensions']),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-features=DisableLoadExtensionCommandLineSwitch',
  ];
}
