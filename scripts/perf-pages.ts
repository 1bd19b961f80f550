/**
 * Cost of the content script on hostile pages, in the real browser: prints numbers, asserts
 * nothing. `npm run bench:pages` (expects `npm run build` first).
 *
 * Each page is loaded twice, in Debian's Chromium with and without the built extension, and
 * watched for a few seconds. Reported per run:
 * - longest task: the longest main-thread task after the page's own set-up (PerformanceObserver
 *   "longtask", which sees tasks of 50 ms or more; "<50" means none);
 * - script: total script time of the renderer over the run (CDP Performance.getMetrics
 *   ScriptDuration: the page's scripts plus the content script's);
 * - markers: `[data-ibkr-error]` elements at the end, and when that count was first reached
 *   (sampled every 0.5 s).
 */
import { chromium, type BrowserContext } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const EXTENSION_DIR = join(ROOT, '.output/chrome-mv3');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const BASE = 'https://github.com/perf/';

/** Collects long tasks from the moment the page's own set-up is done (window.__setupDone). */
const WATCH = `<script>
  window.__long = [];
  window.__setupAt = Infinity;
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });
  window.__watch = () => { window.__setupAt = performance.now(); };
</script>`;

interface Scenario {
  name: string;
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

async function launch(withExtension: boolean): Promise<{ context: BrowserContext; profile: string }> {
  const profile = mkdtempSync(join(tmpdir(), 'ibkr-perf-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    args: [
      '--headless=new',
      ...(withExtension ? [`--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`] : ['--disable-extensions']),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-features=DisableLoadExtensionCommandLineSwitch',
    ],
  });
  if (withExtension && context.serviceWorkers().length === 0) await context.waitForEvent('serviceworker');
  return { context, profile };
}

async function measure(context: BrowserContext, scenario: Scenario) {
  const url = BASE + encodeURIComponent(scenario.name.replace(/\W+/g, '-'));
  const html = scenario.html();
  await context.route('**/*', (route) =>
    route.request().url() === url ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }) : route.abort('blockedbyclient'),
  );
  const tab = await context.newPage();
  const cdp = await context.newCDPSession(tab);
  await cdp.send('Performance.enable');
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
  await tab.close();
  await context.unroute('**/*');
  return { ...result, settledAt, scriptMs: (metric(end, 'ScriptDuration') - metric(start, 'ScriptDuration')) * 1000 };
}

if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) throw new Error(`No built extension at ${EXTENSION_DIR}: run "npm run build" first.`);
const only = process.argv[2];
const rows: string[] = [];
for (const withExtension of [false, true]) {
  const { context, profile } = await launch(withExtension);
  for (const s of SCENARIOS) {
    if (only && !s.name.includes(only)) continue;
    const r = await measure(context, s);
    const longest = r.longTasks === 0 ? '<50' : r.longest.toFixed(0);
    const row = `${s.name.padEnd(34)} ${withExtension ? 'with   ' : 'without'}  longest task ${longest.padStart(5)} ms (${r.longTasks} long)  script ${r.scriptMs.toFixed(0).padStart(6)} ms over ${s.watch / 1000} s  markers ${r.markers}${r.markers ? ` (all there after ${(r.settledAt / 1000).toFixed(1)} s)` : ''}`;
    console.log(row);
    rows.push(row);
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
