import type { Plugin } from 'vite';

/**
 * `wxt/browser` re-exports webextension-polyfill by a default import of a CommonJS module, and the
 * bundler's interop for that copies every own property of the module's export onto a new object.
 * Where the browser has a native `browser` namespace (Firefox, recent Chromium) the polyfill
 * exports that very namespace, and copying it reads each API's descriptor, which makes the
 * browser set up API bindings (`chrome.app` and the rest): 2 to 30 ms of the content script's
 * first task on every page (CPU profile, Chromium 156). A `require` hands the export over as it is.
 */
export function polyfillWithoutCopy(): Plugin {
  return {
    name: 'ibkr:polyfill-without-copy',
    enforce: 'pre',
    transform(_code, id) {
      if (!/@wxt-dev[\\/]webextension-polyfill[\\/]dist[\\/]browser\.mjs$/.test(id)) return null;
      return { code: "export const browser = require('webextension-polyfill');\n", map: null };
    },
  };
}
