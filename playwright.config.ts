import { defineConfig } from '@playwright/test';

// End-to-end tests load the test build of the extension (npm run build:test: .output/chrome-mv3-test)
// into Debian's Chromium.
// Playwright never downloads a browser here: tests/e2e/fixtures.ts launches /usr/bin/chromium.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure' },
});
