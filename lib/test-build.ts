/**
 * Whether this bundle is the test build (`npm run build:test`, WXT's `--mode test`, which the
 * end-to-end tests load; vitest runs in mode "test" too). Replaced by a constant at build time, so
 * in `npm run build` and the store zips every `if (TEST_BUILD)` branch is left out of the bundle,
 * and the build fails if a test hook is found there anyway (wxt.config.ts, lib/test-hooks.ts).
 */
export const TEST_BUILD: boolean = import.meta.env.MODE === 'test';
