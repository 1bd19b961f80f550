import { defineConfig } from '@playwright/test';
import chromium from './playwright.config';

// End-to-end tests in Debian's Firefox ESR with the built Firefox extension (.output/firefox-mv3)
// as a temporary add-on. Playwright is only the test runner here: tests/firefox/harness.ts drives
// /usr/bin/firefox-esr with puppeteer-core over WebDriver BiDi (Playwright cannot drive a stock
// Firefox). The same runner settings as the Chromium run: one worker, so one Firefox for the run.
export default defineConfig({
  ...chromium,
  testDir: 'tests/firefox',
  outputDir: 'test-results/firefox-e2e',
});
