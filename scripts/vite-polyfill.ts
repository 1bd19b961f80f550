import type { Plugin } from 'vite';

/**
 * `wxt/browser` re-exports webextension-polyfill by a default import of a CommonJS module, and the
 * bundler's interop for that copies every own property of the module's export onto a new object
 * (so does @webext-core/messaging's own default import of it).
 * Where the browser has a native `browser` namespace (Firefox, recent Chromium) the polyfill
 * exports that very namespace, and copying it reads each API's descriptor, which makes the
 * browser set up API bindings (`chrome.app` and the rest): 2 to 30 ms of the content script's
 * first task on every page (CPU profile, Chromium 156). A `require` hands the export over as it is.
 */
export function polyfillWithoutCopy(): Plugin {
  return {
    name: 'ibkr:polyfill-without-copy',
    enforce: 'pre',
    transform(code, id) {
      if (/@wxt-dev[\\/]webextension-polyfill[\\/]dist[\\/]browser\.mjs$/.test(id)) {
        return { code: "export const browser = require('webextension-polyfill');\n", map: null };
      }
      if (/@webext-core[\\/]messaging[\\/]lib[\\/]index\.mjs$/.test(id)) {
        const taken = code.replace(/^import (\w+) from "webextension-polyfill";$/m, "const $1 = require('webextension-polyfill');");
        if (taken === code) throw new Error('ibkr:polyfill-without-copy: @webext-core/messaging no longer imports webextension-polyfill as expected');
        return { code: taken, map: null };
      }
      return null;
    },
  };
}
