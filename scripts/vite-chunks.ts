import type { Plugin } from 'vite';

/** One shared chunk of the extension pages: `chunks/<name>-<hash>.js` holds the modules `test` picks. */
interface ChunkGroup {
  name: string;
  test: RegExp;
}

const lib = (...names: string[]) => new RegExp(`[\\\\/]lib[\\\\/](${names.join('|')})\\.ts$`);

/**
 * The shared chunks of the extension pages (popup, options, analyzer), named by what they hold.
 * Left to itself the bundler names a shared chunk after one module in it, whatever else it holds
 * (the whole knowledge base under the name of a 300-line module). Order matters: a group takes
 * the modules it picks and the ones they import that no earlier group took, so the small leaves
 * come first and the knowledge base, which only the popup and the analyzer import, comes last and
 * takes nothing else. docs/architecture.md lists the chunks and which page loads which.
 */
export const PAGE_CHUNKS: ChunkGroup[] = [
  // Vite's modulepreload polyfill and WXT's page plugins (none registered): every page's first import.
  { name: 'wxt-page-runtime', test: /vite[\\/]modulepreload-polyfill|^\0virtual:wxt-(html-)?plugins/ },
  { name: 'webextension-polyfill', test: /[\\/]node_modules[\\/](@wxt-dev[\\/])?webextension-polyfill[\\/]/ },
  { name: 'render', test: /[\\/]knowledge[\\/]schema\.ts$|[\\/]assets[\\/]entry\.css$|[\\/]lib[\\/](render|vnode|bidi|dom)\.ts$/ },
  // The public suffix list (tldts) behind the check of a site the user adds.
  { name: 'public-suffix', test: /[\\/]node_modules[\\/]tldts(-core)?[\\/]|[\\/]lib[\\/]public-suffix\.ts$/ },
  { name: 'wxt-storage', test: /[\\/]node_modules[\\/](@wxt-dev[\\/](storage|browser)|superlock)[\\/]|[\\/]wxt[\\/]dist[\\/]utils[\\/]storage\.mjs$/ },
  { name: 'messaging', test: /[\\/]node_modules[\\/](@webext-core[\\/]messaging|@aklinker1[\\/]zero-serialize-error)[\\/]|[\\/]lib[\\/]messages\.ts$/ },
  {
    name: 'settings',
    test: /[\\/]node_modules[\\/]@webext-core[\\/]match-patterns[\\/]|[\\/]lib[\\/](settings|settings-store|site-check|site-patterns|site-access|custom-sites|sites[\\/][a-z-]+)\.ts$/,
  },
  { name: 'analyzer', test: lib('analyze') },
  { name: 'entry-actions', test: /[\\/]assets[\\/]entry-actions\.css$|[\\/]lib[\\/](markdown|tws-codes-page)\.ts$/ },
  { name: 'matcher', test: lib('matcher', 'code-shapes', 'message-stems', 'mention-extent') },
  { name: 'knowledge', test: /^\0virtual:ibkr-knowledge$|[\\/]knowledge[\\/]index\.ts$/ },
];

/**
 * Names the extension pages' shared chunks (PAGE_CHUNKS). Only the pages' build splits code: the
 * content script and the background are built one file each (IIFE), where groups do not apply.
 */
export function namedPageChunks(): Plugin {
  return {
    name: 'ibkr:named-page-chunks',
    config(config) {
      if (config.build?.lib) return undefined;
      return { build: { rolldownOptions: { output: { codeSplitting: { groups: PAGE_CHUNKS } } } } };
    },
  };
}
