/**
 * `npm run bench:pages -- --scroll`: what scrolling the 4.7 MB thread costs the content script once
 * the page is marked: the page is scrolled down by 200 px a frame for 150 frames (30,000 px), and
 * the trace gives the extension script's CPU time over the scroll, its calls and the longest ones,
 * and how many markers have their box at the end.
 * `-- --churn clock|class|style`: the same trace while the page, unscrolled, with its 1,000 far
 * markers waiting, keeps changing for 5 s instead: a fixed clock whose text it rewrites every 50 ms,
 * a class it toggles on a spinner every frame, or a style it writes on a progress bar every frame
 * (each change may move far blocks: the worst cases of docs/performance.md, "Far blocks a page
 * change brings near").
 */
import { loadavg } from 'node:os';
import { launch, serve } from './browser';
import { markerClock, threadPage } from './pages';
import { extensionCost, TRACE_CATEGORIES, type TraceEvent } from './trace';

const THREAD_URL = 'https://github.com/perf/thread/issues/1';

/** What the page does while traced (a string: the bundler would wrap a named function in a helper the page does not have). */
const MOTIONS = {
  scroll: `new Promise((done) => {
    let frames = 0;
    requestAnimationFrame(function step() {
      scrollBy(0, 200);
      if (++frames < 150) requestAnimationFrame(step);
      else setTimeout(done, 1000);
    });
  })`,
  clock: `new Promise((done) => {
    const clock = document.body.appendChild(Object.assign(document.createElement('div'), { style: 'position: fixed; top: 0; right: 0' }));
    const timer = setInterval(() => (clock.textContent = new Date().toISOString()), 50);
    setTimeout(() => { clearInterval(timer); done(); }, 5000);
  })`,
  class: `new Promise((done) => {
    const spinner = document.body.appendChild(Object.assign(document.createElement('span'), { style: 'position: fixed; top: 0; right: 0' }));
    const end = performance.now() + 5000;
    requestAnimationFrame(function step(now) {
      spinner.classList.toggle('on');
      if (now < end) requestAnimationFrame(step);
      else done();
    });
  })`,
  style: `new Promise((done) => {
    const bar = document.body.appendChild(Object.assign(document.createElement('div'), { style: 'position: fixed; top: 0; left: 0; height: 3px; background: #0969da' }));
    const start = performance.now();
    requestAnimationFrame(function step(now) {
      bar.style.width = ((now - start) / 50) + '%';
      if (now < start + 5000) requestAnimationFrame(step);
      else done();
    });
  })`,
};

export type Motion = keyof typeof MOTIONS;

export const isMotion = (name: string | undefined): name is Motion => name !== undefined && name in MOTIONS;

export async function scrollReport(extensionDir: string, rounds = 1, motion: Motion = 'scroll'): Promise<void> {
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
      await tab.evaluate(MOTIONS[motion]);
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      // The page's renderer: the one whose main thread ran our script.
      const pids = [...new Set(events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => e.pid))];
      const costs = pids.map((p) => extensionCost(events, p)).sort((a, b) => b.cpuMs - a.cpuMs);
      const cost = costs[0];
      const after = await placed();
      console.log(
        `${motion}  load ${load.toFixed(2)}  script ${cost.cpuMs.toFixed(1)} ms in ${cost.calls} calls, longest ${cost.longestCallsMs.map((x) => x.toFixed(1)).join(' ')} ms  markers with a box ${before} before, ${after} after`,
      );
    } finally {
      await browser.close();
    }
  }
}
