/**
 * Markers on pages that never stop changing (docs/page-integrity.md, "The marker's box"): a page
 * that rewrites its DOM in every frame's own callbacks still gets its markers placed, and a log
 * that appends lines in the tasks between frames is never laid out by our script (its markers
 * are placed after a frame with no page change after its layout).
 */
import type { SoakWindow } from '../../scripts/perf/soak-page';
import { layoutsInExtensionCalls, TRACE_CATEGORIES } from '../../scripts/perf/trace';
import { startClockWithError } from '../busy-page';
import { expect, expectAtMention, openFixture, openSoakPage, scanSettled, test, tracePage } from './fixtures';

test('a page that rewrites a clock in every frame (requestAnimationFrame) gets its markers placed at their mentions', async ({ context }) => {
  const page = await openFixture(context, 'githubMarkers');
  await scanSettled(page);
  await page.evaluate(startClockWithError, 'ticker-error');
  const marker = page.locator('#ticker-error [data-ibkr-error="ibkr-326"]');
  await expect(marker).toBeAttached();
  await expect(() => expectAtMention(marker)).toPass({ timeout: 5_000 });
  await page.close();
});

test('a log page appending hundreds of lines a second is never laid out by our script, and every error line is marked once it pauses', async ({ context }) => {
  // The soak page of bench:pages (scripts/perf/soak-page.ts): three panes of 2,000 lines, lines
  // appended every 4 ms, each pane scrolled to its end every frame; a frame of it lays out 6,000
  // lines, so the page's timers run between each frame and the task after it.
  const page = await openSoakPage(context);
  await page.locator('[data-ibkr-error]').first().waitFor({ state: 'attached' });
  await scanSettled(page);
  const { events, pid } = await tracePage(context, page, TRACE_CATEGORIES, async () => {
    await page.evaluate(() => (window as unknown as SoakWindow).__soak.start(1_000));
    await page.waitForTimeout(3_000);
    await page.evaluate(() => (window as unknown as SoakWindow).__soak.stop());
  });
  expect(pid).toBeGreaterThan(0);
  expect(layoutsInExtensionCalls(events, pid), 'layouts our script forced while the page streamed').toEqual({ count: 0, ms: 0 });
  await scanSettled(page);
  const { panes } = await page.evaluate(() => (window as unknown as SoakWindow).__soak.counts());
  for (const p of panes) expect(p.markers, p.name).toBe(p.errors);
  await page.close();
});
