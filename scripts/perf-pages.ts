/**
 * Cost of the content script in the real browser: prints numbers, asserts nothing.
 * `npm run bench:pages` (expects `npm run build` first). Two parts:
 *
 * 1. Issue 14's cost figures (scripts/perf/cost.ts): on a 4.7 MB GitHub-like thread, the content
 *    script's main-thread script time, longest task and heap against a minimal one-regex extension
 *    the script writes to a temporary folder (scripts/perf/minimal-extension.ts), in interleaved
 *    rounds (`--repeat N`, 3 by default); then a block of 200,000 inline spans with 200 errors.
 *    `--cost`: this part only; `--cost --spans-only --repeat N`: only the span block, N loads, each
 *    load's longest task of ours (wall and CPU) and when its last marker came.
 * 2. Hostile pages (`--pages`: this part only; a name part: those pages only). Each page is loaded twice, in Debian's Chromium with and without the built extension, and
 * watched for a few seconds. Reported per run:
 * - longest task: the longest main-thread task after the page's own set-up (PerformanceObserver
 *   "longtask", which sees tasks of 50 ms or more; "<50" means none);
 * - script: total script time of the renderer over the run (CDP Performance.getMetrics
 *   ScriptDuration: the page's scripts plus the content script's);
 * - markers: `[data-ibkr-error]` elements at the end, and when that count was first reached
 *   (sampled every 0.5 s);
 * - with `--trace`: the extension script's CPU time over the whole load (the figure to compare
 *   builds by, EXTENSION_DIR=… for another), its five longest calls in thread time, the style
 *   recalculations after set-up (whole-page restyles named), and what each task of 50 ms or more
 *   was made of.
 * 3. `--profile [thread|spans|thread-scroll]` (scripts/perf/profile.ts): a sampling CPU profile of one load of a
 *    cost page with the built extension, the extension's time by function (build with
 *    `IBKR_NO_MINIFY=1` for readable names); `thread-scroll`: the thread scrolled through after it
 *    loaded, as `--cost` scrolls it.
 * 4. `--scroll [--repeat N]` (scripts/perf/scroll.ts): the content script's CPU time while the
 *    marked thread is scrolled (markers are placed as they come near the viewport). `--churn
 *    clock|class|style`: the same while the page, unscrolled, rewrites a clock's text, toggles a
 *    class or writes a style, for 5 s.
 * 5. `--soak [minutes] [--rate lines/s] [--every s]` (scripts/perf/soak.ts): a log page that keeps
 *    appending and trimming lines for minutes (hours of lines), heap, markers and our CPU over time.
 */
import type { BrowserContext } from '@playwright/test';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_LINES } from './bench-text';
import { launch, serve } from './perf/browser';
import { costReport } from './perf/cost';
import { writeMinimalExtension } from './perf/minimal-extension';
import { extensionCost, summarizeRestyles, summarizeTrace, TRACE_CATEGORIES, type TraceEvent } from './perf/trace';

const ROOT = new URL('..', import.meta.url).pathname;
const EXTENSION_DIR = process.env.EXTENSION_DIR || join(ROOT, '.output/chrome-mv3');
const BASE = 'https://github.com/perf/';

// `npm run bench:pages [name part] [--cost [--spans-only] | --pages] [--repeat N] [--trace] [--with-only]`, or `-- --profile [thread|spans|thread-scroll]`, or `-- --scroll`, or `-- --churn clock|class|style`, or `-- --walk`, or `-- --soak [minutes]`

/** Collects long tasks from the moment the page's own set-up is done (window.__setupDone). */
const WATCH = `<script>
  window.__long = [];
  window.__setupAt = Infinity;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  window.__watch = () => { window.__setupAt = performance.now(); performance.mark('perf-setup-done'); };
</script>`;

interface Scenario {
  name: string;
  /** A control: the page itself makes the kind of change a marker is, run without the extension only. */
  control?: boolean;
  /** How long to watch after load, ms. */
  watch: number;
  html: () => string;
}

const ERROR_LINE = 'ERROR -1 504 Not connected';
const page = (title: string, body: string, script = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${WATCH}</head><body>${body}<script>${script}</script></body></html>`;

const SCENARIOS: Scenario[] = [
  {
    name: '200k text nodes',
    watch: 20_000,
    html: () =>
      page(
        'perf: 200k text nodes',
        '<main id="m"></main>',
        `const m = document.getElementById('m');
         for (let i = 0; i < 50000; i++) {
           const p = document.createElement('p');
           p.append('Line ' + i + ' of the log: ', Object.assign(document.createElement('span'), { textContent: i % 500 === 0 ? '${ERROR_LINE}' : 'heartbeat ok' }), ' (worker ', Object.assign(document.createElement('b'), { textContent: String(i % 7) }));
           m.appendChild(p);
         }
         setTimeout(() => { window.__watch(); window.__setupDone = true; }, 0);`,
      ),
  },
  {
    name: 'one 5 MB text node, 500 errors',
    watch: 12_000,
    html: () =>
      page(
        'perf: 5 MB text node',
        '<pre id="log"></pre>',
        `const lines = [];
         let size = 0;
         let errors = 0;
         for (let i = 0; size < 5e6; i++) {
           const line = i % 100 === 50 && errors++ < 500 ? 't=' + i + ' ${ERROR_LINE}' : 't=' + i + ' heartbeat ok, all quiet on this line, nothing to see here';
           lines.push(line);
           size += line.length + 1;
         }
         document.getElementById('log').textContent = lines.join('\\n');
         setTimeout(() => { window.__watch(); window.__setupDone = true; }, 0);`,
      ),
  },
  {
    name: '2,500-deep nesting',
    watch: 6_000,
    html: () =>
      page(
        'perf: deep nesting',
        '<div id="root"></div>',
        `let el = document.getElementById('root');
         for (let i = 0; i < 2500; i++) {
           el.appendChild(document.createTextNode(i % 100 === 0 ? ' level ' + i + ': ${ERROR_LINE} ' : ' level ' + i + ' '));
           el = el.appendChild(document.createElement('span'));
         }
         el.textContent = 'bottom: ${ERROR_LINE}';
         setTimeout(() => { window.__watch(); window.__setupDone = true; }, 0);`,
      ),
  },
  // The bench's long thread (scripts/bench.ts) in the real browser: its "script" figure is the
  // page-annotation cost to compare between builds (EXTENSION_DIR=… for another build).
  {
    name: 'long thread, 5,000 paragraphs',
    watch: 8_000,
    html: () =>
      page(
        'perf: long thread - ib_insync',
        '<main id="m"></main>',
        `const LINES = ${JSON.stringify(BENCH_LINES)};
         const m = document.getElementById('m');
         for (let i = 0; i < 5000; i++) {
           const p = document.createElement(i % 10 === 0 ? 'pre' : 'p');
           p.textContent = LINES[i % LINES.length];
           m.appendChild(p);
         }
         setTimeout(() => { window.__watch(); window.__setupDone = true; }, 0);`,
      ),
  },
  // Controls: what one small change costs the browser on the two big pages above, without us. The
  // page wraps two words of one line in a <b> once a second, as a marker does.
  {
    name: 'control: 200k nodes, page wraps a word / s',
    control: true,
    watch: 6_000,
    html: () =>
      page(
        'perf: 200k text nodes, page changes',
        '<main id="m"></main>',
        `const m = document.getElementById('m');
         for (let i = 0; i < 50000; i++) {
           const p = document.createElement('p');
           p.append('Line ' + i + ' of the log: ', Object.assign(document.createElement('span'), { textContent: 'heartbeat ok' }), ' (worker ', Object.assign(document.createElement('b'), { textContent: String(i % 7) }));
           m.appendChild(p);
         }
         let n = 0;
         setTimeout(() => { window.__watch(); window.__setupDone = true; setInterval(() => { const span = m.children[(n++ * 4999) % 50000].querySelector('span'); const t = span.firstChild; const rest = t.splitText(9); span.insertBefore(Object.assign(document.createElement('b'), { textContent: rest.data }), rest); rest.remove(); }, 1000); }, 0);`,
      ),
  },
  {
    name: 'control: 2,500-deep, page wraps a word / s',
    control: true,
    watch: 6_000,
    html: () =>
      page(
        'perf: deep nesting, page changes',
        '<div id="root"></div>',
        `let el = document.getElementById('root');
         const texts = [];
         for (let i = 0; i < 2500; i++) {
           texts.push(el.appendChild(document.createTextNode(' level ' + i + ' ')));
           el = el.appendChild(document.createElement('span'));
         }
         let n = 0;
         setTimeout(() => { window.__watch(); window.__setupDone = true; setInterval(() => { const t = texts[(n++ * 397) % 2500]; const rest = t.splitText(3); t.parentNode.insertBefore(Object.assign(document.createElement('b'), { textContent: rest.data }), rest); rest.remove(); }, 1000); }, 0);`,
      ),
  },
  {
    name: 'text node rewritten every 50 ms',
    watch: 6_000,
    html: () =>
      page(
        'perf: status line',
        '<p id="status"></p><main id="m"></main>',
        `const t = document.createTextNode('');
         document.getElementById('status').appendChild(t);
         let n = 0;
         setInterval(() => { t.nodeValue = 'Gateway: ${ERROR_LINE} · tick ' + (++n); }, 50);
         window.__watch(); window.__setupDone = true;`,
      ),
  },
  {
    name: '50 framework paragraphs / 200 ms',
    watch: 6_000,
    html: () =>
      page(
        'perf: framework paragraphs',
        '<div id="owned"></div>',
        `const nodes = [];
         for (let i = 0; i < 50; i++) {
           const p = document.createElement('p');
           const t = document.createTextNode('');
           p.appendChild(t);
           document.getElementById('owned').appendChild(p);
           nodes.push(t);
         }
         let a = 0;
         setInterval(() => { a++; nodes.forEach((t, i) => { t.nodeValue = 'worker ' + i + ': Error 326, reqId ' + i + ': Unable to connect as the client id is already in use (attempt ' + a + ')'; }); }, 200);
         window.__watch(); window.__setupDone = true;`,
      ),
  },
];

async function measure(context: BrowserContext, scenario: Scenario, trace = false) {
  const url = BASE + encodeURIComponent(scenario.name.replace(/\W+/g, '-'));
  const html = scenario.html();
  await serve(context, url, html);
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Performance.enable');
  const events: TraceEvent[] = [];
  if (trace) {
    cdp.on('Tracing.dataCollected', (d) => events.push(...(d.value as unknown as TraceEvent[])));
    await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: 'ReportEvents' });
  }
  await tab.goto(url, { timeout: 120_000 });
  await tab.waitForFunction(() => (window as unknown as { __setupDone?: boolean }).__setupDone === true, undefined, { timeout: 120_000 });
  const start = await cdp.send('Performance.getMetrics');
  // Marker count twice a second: when did it reach its final value?
  const counts: [number, number][] = [];
  for (let t = 0; t < scenario.watch; t += 500) {
    await tab.waitForTimeout(500);
    counts.push([t + 500, await tab.evaluate(() => document.querySelectorAll('[data-ibkr-error]').length)]);
  }
  const final = counts[counts.length - 1][1];
  const settledAt = counts.find(([, n]) => n === final)?.[0] ?? 0;
  const end = await cdp.send('Performance.getMetrics');
  const metric = (m: typeof start, name: string) => m.metrics.find((x) => x.name === name)?.value ?? 0;
  const result = await tab.evaluate(() => {
    const w = window as unknown as { __long: [number, number][]; __setupAt: number };
    const after = w.__long.filter(([start]) => start >= w.__setupAt).map(([, d]) => d);
    return { longest: Math.max(0, ...after), longTasks: after.length, markers: document.querySelectorAll('[data-ibkr-error]').length };
  });
  let traceLines: string[] = [];
  if (trace) {
    const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    await done;
    // The page's "set-up done" mark gives the trace clock's time for it.
    const mark = events.find((e) => e.name === 'perf-setup-done');
    const cost = extensionCost(events, mark?.pid ?? -1);
    traceLines = [
      `  extension script CPU over the whole load: ${cost.cpuMs.toFixed(0)} ms`,
      `  longest calls into the extension (thread time): ${cost.longestCallsMs.map((ms) => `${ms.toFixed(1)} ms`).join(', ')} (of ${cost.calls})`,
      summarizeRestyles(events, mark?.ts ?? 0, mark?.pid ?? -1),
      ...summarizeTrace(events, mark?.ts ?? 0, mark?.pid ?? -1),
    ];
  }
  await tab.close();
  await context.unroute('**/*');
  return { ...result, traceLines, settledAt, scriptMs: (metric(end, 'ScriptDuration') - metric(start, 'ScriptDuration')) * 1000 };
}

/**
 * `--walk`: what merely visiting every node of the 200,000-text-node page costs, in steps of 256
 * nodes (the annotator's walk step), in the page's own world and in an isolated world (where a
 * content script runs). The isolated world keeps a wrapper table of its own that grows with every
 * node touched: its longest steps are the browser's cost of any content script reading such a page.
 */
async function walkExperiment() {
  const { context, close } = await launch(null);
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await tab.setContent(SCENARIOS[0].html());
  await tab.waitForFunction(() => (window as unknown as { __setupDone?: boolean }).__setupDone === true);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const walk = `(() => { const steps = []; let n = document.body, i = 0, t = performance.now();
    while (n) { if (++i % 256 === 0) { const now = performance.now(); steps.push(now - t); t = now; }
      if (n.firstChild) { n = n.firstChild; continue; } while (n && !n.nextSibling) n = n.parentNode; n = n && n.nextSibling; }
    steps.sort((a, b) => b - a);
    return i + ' nodes, longest steps ' + steps.slice(0, 3).map((x) => x.toFixed(0)).join(', ') + ' ms, all ' + steps.reduce((a, b) => a + b, 0).toFixed(0) + ' ms'; })()`;
  const main = await cdp.send('Runtime.evaluate', { expression: walk, returnByValue: true });
  console.log(`walk, page's world:  ${main.result.value}`);
  for (const run of [1, 2]) {
    const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: frameTree.frame.id, worldName: `walk-${run}` });
    const r = await cdp.send('Runtime.evaluate', { expression: walk, contextId: executionContextId, returnByValue: true });
    console.log(`walk, isolated world: ${r.result.value}`);
  }
  await close();
}

if (process.argv.includes('--profile')) {
  const { profileReport } = await import('./perf/profile');
  await profileReport(EXTENSION_DIR, process.argv[process.argv.indexOf('--profile') + 1] ?? 'thread');
  process.exit(0);
}
if (process.argv.includes('--scroll') || process.argv.includes('--churn')) {
  const { isMotion, scrollReport } = await import('./perf/scroll');
  const at = process.argv.indexOf('--repeat');
  const motion = process.argv[process.argv.indexOf('--churn') + 1];
  if (process.argv.includes('--churn') && !isMotion(motion)) throw new Error(`--churn takes clock, class or style, not "${motion}"`);
  await scrollReport(EXTENSION_DIR, at >= 0 ? Number(process.argv[at + 1]) : 1, isMotion(motion) ? motion : 'scroll');
  process.exit(0);
}
if (process.argv.includes('--soak')) {
  const { soakReport } = await import('./perf/soak');
  const arg = (name: string, fallback: number) => {
    const at = process.argv.indexOf(name);
    const value = at >= 0 ? Number(process.argv[at + 1]) : NaN;
    return Number.isFinite(value) && value > 0 ? value : fallback;
  };
  await soakReport(EXTENSION_DIR, { minutes: arg('--soak', 5), rate: arg('--rate', 1000), every: arg('--every', 60) });
  process.exit(0);
}
if (process.argv.includes('--walk')) {
  await walkExperiment();
  process.exit(0);
}
if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No built extension at ${EXTENSION_DIR}: run "npm run build" first.`);
const args = process.argv.slice(2);
const trace = args.includes('--trace');
const repeatAt = args.indexOf('--repeat');
const repeat = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 3;
const only = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--repeat');

if (!args.includes('--pages') && !only) {
  const minimal = writeMinimalExtension(['https://github.com/*']);
  try {
    await costReport({ name: 'ours', dir: EXTENSION_DIR }, { name: 'minimal', dir: minimal }, repeat, args.includes('--spans-only'));
  } finally {
    rmSync(minimal, { recursive: true, force: true });
  }
  console.log('');
}
if (!args.includes('--cost')) {
  console.log('Hostile pages, without and with the extension:');
  for (const withExtension of args.includes('--with-only') ? [true] : [false, true]) {
    const { context, close } = await launch(withExtension ? EXTENSION_DIR : null);
    for (const s of SCENARIOS) {
      if ((only && !s.name.includes(only)) || (s.control && withExtension)) continue;
      const r = await measure(context, s, trace);
      const longest = r.longTasks === 0 ? '<50' : r.longest.toFixed(0);
      console.log(
        `${s.name.padEnd(34)} ${withExtension ? 'with   ' : 'without'}  longest task ${longest.padStart(5)} ms (${r.longTasks} long)  script ${r.scriptMs.toFixed(0).padStart(6)} ms over ${s.watch / 1000} s  markers ${r.markers}${r.markers ? ` (all there after ${(r.settledAt / 1000).toFixed(1)} s)` : ''}`,
      );
      for (const line of r.traceLines) console.log(line);
    }
    await close();
  }
}
