/**
 * A log page that streams all day (the soak page of bench:pages, scripts/perf/soak-page.ts): one
 * pane appends to a single text node and cuts its start, one appends highlighted lines to a huge
 * `<code>` and removes its oldest. Error lines get their markers while the page streams, not only
 * once it pauses (lib/annotate/text-streams.ts, block-streams.ts).
 */
import type { PaneCounts, SoakCounts, SoakWindow } from '../../scripts/perf/soak-page';
import { distanceToMention, expect, expectAtMention, openSoakPage, scanSettled, test } from './fixtures';

test.describe('a log page streaming lines', () => {
  test.describe.configure({ timeout: 120_000 });

  test('the text-node pane and the huge highlighted block get their error lines marked while the page streams', async ({ context }) => {
    const page = await openSoakPage(context);
    await scanSettled(page, 60_000);
    // Every error line gone at once: from here, any marker is on a line appended while streaming.
    await page.evaluate(() => (window as unknown as SoakWindow).__soak.quiet());
    await scanSettled(page, 60_000);
    await page.evaluate(() => (window as unknown as SoakWindow).__soak.start(300));
    const pane = (c: SoakCounts, name: string) => c.panes.find((p) => p.name === name)!;
    /** Error lines present and marked in the two streaming panes, as read while the page streams. */
    const streaming = async () => {
      const c = await page.evaluate(() => (window as unknown as SoakWindow).__soak.counts());
      const stream: PaneCounts = pane(c, 'stream');
      const spans: PaneCounts = pane(c, 'spans');
      return { stream: { marked: stream.markers, errors: stream.errors }, spans: { marked: spans.markedErrorLines ?? 0, errors: spans.errors }, quietMarked: spans.markedQuietLines };
    };
    // Markers lag the page by the time a batch takes (about a second): with 30 error lines or more
    // in a pane, most of them are marked.
    await expect
      .poll(
        async () => {
          const s = await streaming();
          const mostMarked = ({ marked, errors }: { marked: number; errors: number }) => errors >= 30 && marked >= 0.6 * errors;
          return mostMarked(s.stream) && mostMarked(s.spans) && s.quietMarked === 0;
        },
        { timeout: 60_000, intervals: [500] },
      )
      .toBe(true);
    await page.evaluate(() => (window as unknown as SoakWindow).__soak.stop());
    // Stopped: every error line present is marked, and no quiet line.
    await scanSettled(page, 60_000);
    const after = await page.evaluate(() => (window as unknown as SoakWindow).__soak.counts());
    for (const p of after.panes) {
      expect(p.markers).toBe(p.errors);
      if (p.markedQuietLines !== null) expect(p.markedQuietLines).toBe(0);
    }
    // The huge block's markers stand at its <pre>'s end, after the <code> the page appends to:
    // lines appended move their own place, and they are measured again, at their mentions.
    const last = page.locator('#spans-code ~ [data-ibkr-error]').last();
    await expectAtMention(last, 'the last marker of the huge block, placed');
    await page.evaluate(() => {
      for (let i = 0; i < 5; i++) (window as unknown as SoakWindow).__soak.append(`heartbeat ${i} ok`);
    });
    await scanSettled(page, 60_000);
    await expect.poll(() => distanceToMention(last).then((d) => d.x < 1 && d.y < 3), { message: 'the same marker after 5 lines appended' }).toBe(true);
    await page.close();
  });
});
