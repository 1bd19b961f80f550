import { defineConfig } from '@playwright/test';

// End-to-end tests in Debian's Firefox ESR with the built Firefox extension (.output/firefox-mv3)
// as a temporary add-on. Playwright is only the test runner here: tests/firefox/harness.ts drives
// /usr/bin/firefox-esr with puppeteer-core over WebDriver BiDi (Playwright cannot drive a stock
// Firefox). One Firefox for the whole run (one worker).
export default defineConfig({
  testDir: 'tests/firefox',
  outputDir: 'test-results/firefox-e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
});
