import { defineConfig } from 'wxt';
import { knowledgePlugin } from './knowledge/vite-plugin';

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
    plugins: [knowledgePlugin()],
  }),
  manifest: ({ browser }) => ({
    name: 'InQuantWeTrust Error Lookup for IBKR API',
    short_name: 'IBKR Error Lookup',
    description:
      'Explains Interactive Brokers API errors (TWS, IB Gateway, ib_insync, ibapi) where you meet them. Offline knowledge base; sends nothing anywhere.',
    // The fewest permissions the features need:
    // - contextMenus: the "Explain selection" item;
    // - activeTab + scripting: show the explanation on a page the content script does not run on,
    //   only after the user picked the menu item there (no broad host permission).
    // The content script's own match patterns cover the sites listed in lib/sites.ts.
    permissions: ['contextMenus', 'activeTab', 'scripting'],
    action: { default_title: 'Look up an IBKR API error' },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'ibkr-error-lookup@inquantwetrust',
              strict_min_version: '128.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
  webExt: { disabled: true },
  zip: { artifactTemplate: '{{name}}-{{version}}-{{browser}}.zip', sourcesTemplate: '{{name}}-{{version}}-sources.zip' },
});
