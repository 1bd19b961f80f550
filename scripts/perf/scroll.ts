/**
 * `npm run bench:pages -- --scroll`: what scrolling the 4.7 MB thread costs the content script once
 * the page is marked: the page is scrolled down by 200 px a frame for 150 frames (30,000 px), and
 * the trace gives the extension script's CPU time over the scroll, its calls and the longest ones,
 * and how many markers have their box at the end.
 */
import { loadavg } from 'node:os';
import { launch, serve } from './browser';
import { markerClock, threadPage } from './pages';
import { extensionCost, TRACE_CATEGORIES, type TraceEvent } from './trace';

const THREAD_URL = 'https://github.com/perf/thread/issues/1';

export async function scrollReport(extensionDir: string, rounds = 1): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    const browser = await launch(extensionDir);
    try {
      await serve(browser.context, THREAD_URL, threadPage(4.7e6, markerClock('[data-ibkr-error]')));
      const tab = await browser.context.newPage();
      await tab.goto(THREAD_URL, { timeout: 120_000 });
      await tab.waitForFunction(() => (window as unknown as { __setupDone?: boolean }).__setupDone === true, undefined, { timeout: 120_000 });
      await tab.waitForTimeout(6_000);
      const placed = () => tab.evaluate("[...document.querySelectorAll('[data-ibkr-error]')].filter((m) => m.getBoundingClientRect().height > 0).length");
      const before = await placed();
      const cdp = await browser.context.newCDPSession(tab);
      const events: TraceEvent[] = [];
      cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
      await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: 'ReportEvents' });
      const load = loadavg()[0];
      // A string: the bundler would wrap a named function in a helper the page does not have.
      await tab.evaluate(`new Promise((done) => {
        let frames = 0;
        requestAnimationFrame(function step() {
          scrollBy(0, 200);
          if (++frames < 150) requestAnimationFrame(step);
          else setTimeout(done, 1000);
        });
      })`);
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      // The page's renderer: the one whose main thread ran our script.
      const pids = [...new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => e.pid))];
      const costs = pids.map((p) => extensionCost(events, p)).sort((a, b) => b.cpuMs - a.cpuMs);
      const cost = costs[0];
      const after = await placed();
      console.log(
        `scroll  load ${load.toFixed(2)}  script ${cost.cpuMs.toFixed(1)} ms in ${cost.calls} calls, longest ${cost.longestCallsMs.map((x) => x.toFixed(1)).join(' ')} ms  markers with a box ${before} before, ${after} after`,
      );
    } finally {
      await browser.close();
    }
  }
}
