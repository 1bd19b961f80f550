/**
 * Renders assets/icon.svg to public/icon/{16,32,48,128}.png (WXT adds them to the manifest).
 * Run after changing the SVG: `npm run icons`. Uses Debian's Chromium, like the e2e tests.
 */
import { chromium } from '@playwright/test';
import { CHROMIUM } from './chromium';
import { mkdirSync, readFileSync } from 'node:fs';

const svg = readFileSync(new URL('../assets/icon.svg', import.meta.url), 'utf8');
const out = new URL('../public/icon/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu'],
});
const page = await browser.newPage();
for (const size of [16, 32, 48, 128]) {
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
  );
  await page.screenshot({ path: `${out}${size}.png`, omitBackground: true });
  console.log(`public/icon/${size}.png`);
}
await browser.close();
