import { defineConfig } from 'wxt';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Browser } from 'wxt/browser';
import { CONTENT_SCRIPT_FILE } from './lib/custom-sites';
import { MARKER_CSS_FILE } from './lib/marker-style';
import { testHooksIn } from './lib/test-hooks';
import { knowledgePlugin } from './knowledge/vite-plugin';
import { polyfillWithoutCopy } from './scripts/vite-polyfill';
import { namedPageChunks } from './scripts/vite-chunks';

/**
 * The sources package for addons.mozilla.org holds exactly the files git tracks (no build output,
 * no local notes, no node_modules). Outside a git checkout WXT's default exclusions apply.
 */
function gitTrackedFiles(): string[] | null {
  try {
    return execFileSync('git', ['ls-files', '-z'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .split('\0')
      .filter(Boolean);
  } catch {
    return null;
  }
}
const trackedSources = gitTrackedFiles();

/** The built scripts and pages under `dir`, with their text. */
function bundleFiles(dir: string): { name: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(js|html)$/.test(name))
    .map((name) => ({ name: relative(dir, join(dir, name)), text: readFileSync(join(dir, name), 'utf8') }));
}

/**
 * The browser adds the markers' style sheet wherever the content script is declared, before the
 * page's DOM exists: added later to a built page, its `::highlight()` rules (which any element
 * could carry) make the browser restyle every element, a second or more on a big page
 * (docs/performance.md). An entry of its own, so that Firefox, which adds an entry's CSS at the
 * entry's `run_at`, adds it at document_start too; it copies the content script's own entry, so
 * the two cannot cover different pages.
 */
function addMarkerStyleSheet(manifest: Browser.runtime.Manifest): void {
  const scripts = manifest.content_scripts ?? [];
  const content = scripts.find((s) => s.js?.includes(CONTENT_SCRIPT_FILE));
  if (!content) throw new Error(`manifest: no content_scripts entry for ${CONTENT_SCRIPT_FILE} to add the markers' style sheet to`);
  const { js: _js, css: _css, run_at: _runAt, ...where } = content;
  manifest.content_scripts = [...scripts, { ...where, css: [MARKER_CSS_FILE], run_at: 'document_start' }];
}

// See https://wxt.dev/api/config.html
export default defineConfig({
  // `browser.*` is webextension-polyfill in every entrypoint (wxt/browser re-exports it).
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports only: entrypoints stay readable and the pure modules stay framework-free.
  imports: false,
  // IBKR_OUT_DIR lets the test that builds a broken knowledge base leave the real build alone.
  outDir: process.env.IBKR_OUT_DIR || '.output',
  // Manifest V3 for every browser (WXT would pick MV2 for Firefox by default).
  manifestVersion: 3,
  vite: () => ({
    plugins: [knowledgePlugin(), polyfillWithoutCopy(), namedPageChunks()],
    // IBKR_NO_MINIFY=1: readable function names in profiles (`npm run bench:pages -- --profile`).
    ...(process.env.IBKR_NO_MINIFY ? { build: { minify: false } } : {}),
  }),
  manifest: ({ browser }) => ({
    name: 'InQuantWeTrust Error Lookup for IBKR API',
    short_name: 'IBKR Error Lookup',
    description:
      'Explains Interactive Brokers API errors (TWS, IB Gateway, ib_insync, ibapi) where you meet them. Offline knowledge base; sends nothing anywhere.',
    // The fewest permissions the features need (the README's permission table says the same):
    // - contextMenus: the "Explain selection" item;
    // - activeTab + scripting: show the explanation on a page the content script does not run on,
    //   only after the user picked the menu item or the shortcut there (no broad host permission);
    //   scripting also registers the content script for sites the user adds;
    // - storage: the settings (site switches, added sites, hidden notices, hover delay).
    // The content script's own match patterns cover the sites of lib/sites/ (one module each). A site
    // the user adds is asked for at that moment (optional host permission) and given back on removal.
    permissions: ['contextMenus', 'activeTab', 'scripting', 'storage'],
    optional_host_permissions: ['https://*/*', 'http://*/*'],
    action: { default_title: 'Look up an IBKR API error' },
    commands: {
      _execute_action: {
        suggested_key: { default: 'Alt+Shift+E' },
        description: 'Open the IBKR error lookup popup',
      },
      'explain-selection': {
        suggested_key: { default: 'Alt+Shift+K' },
        description: 'Explain the selected text as an IBKR API error',
      },
    },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'ibkr-error-lookup@inquantwetrust',
              // 140: the first desktop release that reads data_collection_permissions.
              strict_min_version: '140.0',
              data_collection_permissions: { required: ['none'] },
            },
            // Firefox for Android reads data_collection_permissions from 142 on.
            gecko_android: { strict_min_version: '142.0' },
          },
        }
      : {}),
  }),
  webExt: { disabled: true },
  hooks: {
    // `imports: false` still leaves WXT's auto-import plugin on with its presets (WXT 0.20.27): it
    // added `import { storage } from 'wxt/utils/storage'` to lib/settings-store.ts, whose functions
    // take a parameter named `storage`, and so WXT's storage module (10 KB) to every page's content
    // script. With no presets it adds nothing.
    'config:resolved': (wxt) => {
      wxt.config.imports.presets = [];
      wxt.config.imports.imports = [];
    },
    'build:manifestGenerated': (_wxt, manifest) => addMarkerStyleSheet(manifest),
    // Test hooks (lib/test-hooks.ts) exist in the test build only (`npm run build:test`, mode
    // "test"). A production build that still holds one fails here, before anything is zipped.
    'build:done': (wxt) => {
      if (wxt.config.mode !== 'production') return;
      const found = testHooksIn(bundleFiles(wxt.config.outDir));
      if (found.length > 0) throw new Error(`Test hooks in the production build (${wxt.config.outDir}):\n${found.join('\n')}`);
    },
    'zip:start': (wxt) => {
      if (wxt.config.mode === 'test') throw new Error('The test build has test hooks: zip a production build (npm run zip).');
    },
  },
  zip: {
    artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip',
    sourcesTemplate: '{{name}}-{{version}}-sources.zip',
    ...(trackedSources ? { includeSources: trackedSources, excludeSources: ['**/*', '.*/**', '.*'] } : {}),
  },
});
