/**
 * The soak: a log page left open all day, compressed into minutes (`npm run bench:pages -- --soak
 * [minutes] [--rate lines/s] [--every seconds]`, production build). The page (scripts/perf/soak-page.ts)
 * appends lines three ways and keeps the last 2,000 of each pane; one line in 20 is an IBKR error.
 * The same page runs for the same time without any extension, then with ours, each in a fresh
 * browser, and every `--every` seconds the script prints:
 *
 * - heap: the renderer's V8 heap after two forced full collections (HeapProfiler.collectGarbage,
 *   Runtime.getHeapUsage), ours minus the run without the extension at the same point (as
 *   scripts/perf/cost.ts); the DOM heap (Blink's, `embedderHeapUsedSize`) the same way; the live
 *   DOM nodes (Performance.getMetrics `Nodes`, after the collection), ours and without;
 * - markers: our markers in each pane against the error lines it holds (markers lag the page by
 *   up to a few seconds: they are put in batches), and markers in lines that are not errors;
 * - script: our script's CPU time over the period from a trace (scripts/perf/trace.ts), per
 *   minute, and the longest task that ran our script (wall, and by CPU).
 *
 * At the end, with the extension: the page stops, and every error line present must be marked;
 * then every pane gets 2,000 quiet lines (every error gone): no marker may stay and the badge must
 * go blank; then one error line per pane: its three markers and a badge of 1.
 */
import type { BrowserContext, CDPSession, Page, Worker } from '@playwright/test';
import { loadavg } from 'node:os';
import { launch, serve } from './browser';
import { heapAfterGc } from './cost';
import { KEEP, soakPage, SOAK_URL, type SoakCounts, type SoakWindow } from './soak-page';
import { extensionCost, TASK, TRACE_CATEGORIES, type TraceEvent } from './trace';

export interface SoakOptions {
  minutes: number;
  /** Lines appended per second, all panes together. */
  rate: number;
  /** Seconds between two samples. */
  every: number;
}

interface Sample {
  /** Seconds since the page started appending. */
  at: number;
  load: number;
  heap: number;
  domHeap: number;
  nodes: number;
  counts: SoakCounts;
  /** Our script's CPU over the period, ms, and the period's length, s. */
  cpuMs: number;
  periodS: number;
  longestTaskMs: number;
  longestTaskCpuMs: number;
  longestTaskCpuScriptMs: number;
  mostScriptInTaskMs: number;
}

/** Keeps what extensionCost reads: thread names, tasks of 1 ms or more, calls into an extension's script. */
const kept = (e: TraceEvent) =>
  (e.ph === 'M' && e.name === 'thread_name') ||
  (e.name === TASK && (e.dur ?? 0) >= 1000) ||
  e.name === 'soak-window' ||
  e.args?.data?.url?.startsWith('chrome-extension://') === true;

/** A trace of one period at a time, keeping only what extensionCost needs (a trace of minutes is too big to keep whole). */
class PeriodTrace {
  private events: TraceEvent[] = [];

  constructor(private readonly cdp: CDPSession) {
    cdp.on('Tracing.dataCollected', (d) => {
      for (const e of d.value as unknown as TraceEvent[]) if (kept(e)) this.events.push(e);
    });
  }

  async start(tab: Page): Promise<void> {
    this.events = [];
    await this.cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: 'ReportEvents' });
    await tab.evaluate(() => performance.mark('soak-window'));
  }

  async end(): Promise<ReturnType<typeof extensionCost>> {
    const done = new Promise((resolve) => this.cdp.once('Tracing.tracingComplete', resolve));
    await this.cdp.send('Tracing.end');
    await done;
    const mark = this.events.find((e) => e.name === 'soak-window');
    return extensionCost(this.events, mark?.pid ?? -1);
  }
}

/** The heaps after collection (scripts/perf/cost.ts), and the live DOM nodes then (Performance.getMetrics). */
async function heapsAndNodes(cdp: CDPSession) {
  const heaps = await heapAfterGc(cdp);
  const { metrics } = await cdp.send('Performance.getMetrics');
  return { ...heaps, nodes: metrics.find((m) => m.name === 'Nodes')?.value ?? 0 };
}

const counts = (tab: Page) => tab.evaluate(() => (window as unknown as SoakWindow).__soak.counts());
const mb = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1048576).toFixed(2)}`;

function row(s: Sample, base: Sample | undefined): string {
  const heap = base ? `heap ${mb(s.heap - base.heap)} MB (DOM ${mb(s.domHeap - base.domHeap)} MB)` : `heap ${(s.heap / 1048576).toFixed(2)} MB (DOM ${(s.domHeap / 1048576).toFixed(2)} MB)`;
  const nodes = `nodes ${s.nodes}${base ? ` (without ${base.nodes})` : ''}`;
  const panes = s.counts.panes
    .map((p) => `${p.name} ${p.markers}/${p.errors}${p.markedQuietLines ? ` (${p.markedQuietLines} quiet marked!)` : ''}`)
    .join(', ');
  const cpu = `script ${((s.cpuMs * 60) / s.periodS).toFixed(0).padStart(5)} ms/min, longest task ${s.longestTaskMs.toFixed(0)} ms (CPU ${s.longestTaskCpuMs.toFixed(0)} ms, our script ${s.longestTaskCpuScriptMs.toFixed(1)} ms of it), most script of ours in one task ${s.mostScriptInTaskMs.toFixed(0)} ms`;
  return `${(s.at / 60).toFixed(1).padStart(5)} min  load ${s.load.toFixed(1).padStart(4)}  lines ${String(s.counts.appended).padStart(8)}  ${heap}  ${nodes}  markers/error lines ${panes}  ${cpu}`;
}

/** Waits until `done(counts)` holds (polled twice a second), up to `timeoutMs`; returns the time it took, or null. */
async function waitFor(tab: Page, done: (c: SoakCounts) => boolean, timeoutMs: number): Promise<{ ms: number | null; last: SoakCounts }> {
  const t0 = Date.now();
  let last = await counts(tab);
  while (!done(last)) {
    if (Date.now() - t0 > timeoutMs) return { ms: null, last };
    await tab.waitForTimeout(500);
    last = await counts(tab);
  }
  return { ms: Date.now() - t0, last };
}

async function badgeReader(context: BrowserContext, tab: Page): Promise<() => Promise<string>> {
  const sw: Worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  await tab.bringToFront();
  type Chrome = { tabs: { query(q: object): Promise<{ id?: number }[]> }; action: { getBadgeText(d: { tabId: number }): Promise<string> } };
  const tabId = await sw.evaluate(async () => (await (globalThis as unknown as { chrome: Chrome }).chrome.tabs.query({ active: true, lastFocusedWindow: true }))[0].id!);
  return () => sw.evaluate((id) => (globalThis as unknown as { chrome: Chrome }).chrome.action.getBadgeText({ tabId: id }), tabId);
}

const paneLine = (c: SoakCounts) => c.panes.map((p) => `${p.name} ${p.markers} markers / ${p.errors} error lines${p.markedErrorLines !== null ? ` (${p.markedErrorLines} error lines marked, ${p.markedQuietLines} quiet lines marked)` : ''}`).join('; ');

/** Polls the badge until it reads `want` (up to 10 s): what it read last. */
async function badgeBecomes(tab: Page, badge: () => Promise<string>, want: string): Promise<string> {
  let text = await badge();
  for (let i = 0; i < 20 && text !== want; i++) {
    await tab.waitForTimeout(500);
    text = await badge();
  }
  return text;
}

/** The end of a run with the extension: everything present marked, nothing gone still counted. */
async function endChecks(context: BrowserContext, tab: Page): Promise<string[]> {
  const out: string[] = [];
  await tab.evaluate(() => (window as unknown as SoakWindow).__soak.stop());
  const allMarked = (c: SoakCounts) => c.panes.every((p) => p.markers === p.errors && (p.markedErrorLines ?? p.errors) === p.errors && !p.markedQuietLines);
  const settled = await waitFor(tab, allMarked, 30_000);
  out.push(`page stopped: ${settled.ms === null ? 'NOT all marked after 30 s' : `every error line marked after ${(settled.ms / 1000).toFixed(1)} s`}: ${paneLine(settled.last)}`);
  const badge = await badgeReader(context, tab);
  const ids = await tab.evaluate(() => [...new Set([...document.querySelectorAll('[data-ibkr-error]')].filter((m) => m.getAttribute('data-ibkr-severity') !== 'info').map((m) => m.getAttribute('data-ibkr-error')))]);
  const want = String(ids.length);
  const read = await badgeBecomes(tab, badge, want);
  out.push(`badge "${read}" for ${ids.length} distinct errors marked (${ids.join(', ')}): ${read === want ? 'met' : 'NOT met'}`);

  await tab.evaluate(() => (window as unknown as SoakWindow).__soak.quiet());
  const cleared = await waitFor(tab, (c) => c.panes.every((p) => p.markers === 0 && p.errors === 0), 30_000);
  const blank = await badgeBecomes(tab, badge, '');
  out.push(`${KEEP} quiet lines into every pane (no error line left): ${cleared.ms === null ? 'markers STAY' : 'no marker left'} (${paneLine(cleared.last)}); badge "${blank}": ${blank === '' ? 'met' : 'NOT met'}`);

  await tab.evaluate(() => (window as unknown as SoakWindow).__soak.append('Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.'));
  const one = await waitFor(tab, (c) => c.panes.every((p) => p.markers === 1 && p.errors === 1), 30_000);
  const single = await badgeBecomes(tab, badge, '1');
  out.push(`one Error 326 line into every pane: ${one.ms === null ? 'NOT marked' : 'marked'} (${paneLine(one.last)}); badge "${single}": ${single === '1' ? 'met' : 'NOT met'}`);
  return out;
}

/** One run: the page for `minutes` with the extension in `dir` (null: none), sampled every `every` s. */
async function soakRun(dir: string | null, o: SoakOptions, print: (s: Sample, index: number) => void): Promise<{ samples: Sample[]; checks: string[] }> {
  const browser = await launch(dir);
  try {
    await serve(browser.context, SOAK_URL, soakPage());
    const tab = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(tab);
    await cdp.send('Performance.enable');
    const trace = new PeriodTrace(cdp);
    await tab.goto(SOAK_URL, { timeout: 120_000 });
    await tab.waitForFunction(() => (window as unknown as { __setupDone?: boolean }).__setupDone === true, undefined, { timeout: 120_000 });
    // The page's first scan (6,000 lines present at load) before the clock starts.
    await tab.waitForTimeout(5_000);
    const t0 = Date.now();
    const samples: Sample[] = [];
    const take = async (cost: ReturnType<typeof extensionCost>, periodS: number) => {
      const c = await counts(tab);
      const h = await heapsAndNodes(cdp);
      const s: Sample = { at: (Date.now() - t0) / 1000, load: loadavg()[0], ...h, counts: c, cpuMs: cost.cpuMs, periodS, longestTaskMs: cost.longestTaskMs, longestTaskCpuMs: cost.longestTaskCpuMs, longestTaskCpuScriptMs: cost.longestTaskCpuScriptMs, mostScriptInTaskMs: cost.mostScriptInTaskMs };
      samples.push(s);
      print(s, samples.length - 1);
    };
    await trace.start(tab);
    await take(await trace.end(), 1);
    await tab.evaluate((rate) => (window as unknown as SoakWindow).__soak.start(rate), o.rate);
    while (Date.now() - t0 < o.minutes * 60_000) {
      const from = Date.now();
      await trace.start(tab);
      await tab.waitForTimeout(Math.min(o.every * 1000, o.minutes * 60_000 - (from - t0)));
      const cost = await trace.end();
      await take(cost, (Date.now() - from) / 1000);
    }
    const checks = dir ? await endChecks(browser.context, tab) : [];
    return { samples, checks };
  } finally {
    await browser.close();
  }
}

export async function soakReport(extensionDir: string, o: SoakOptions): Promise<void> {
  console.log(`Soak: ${o.minutes} min at ${o.rate} lines/s (3 panes of ${KEEP} lines: appendChild, appendData, insertAdjacentHTML; 1 line in 20 an error), sampled every ${o.every} s`);
  console.log('Without the extension:');
  const none = await soakRun(null, o, (s) => console.log(row(s, undefined)));
  const baseAt = (i: number) => none.samples[Math.min(i, none.samples.length - 1)];
  console.log('With ours (heap and DOM heap: ours minus without, at the same sample):');
  const ours = await soakRun(extensionDir, o, (s, i) => console.log(row(s, baseAt(i))));
  for (const line of ours.checks) console.log(`  ${line}`);
  const first = ours.samples[1] ?? ours.samples[0];
  const last = ours.samples[ours.samples.length - 1];
  const baseFirst = none.samples[1] ?? none.samples[0];
  const baseLast = baseAt(ours.samples.length - 1);
  console.log(
    `  growth from the first minute's sample to the last: heap ours minus without ${mb(first.heap - baseFirst.heap)} -> ${mb(last.heap - baseLast.heap)} MB; nodes ${first.nodes} -> ${last.nodes} (without ${baseFirst.nodes} -> ${baseLast.nodes}); lines ${last.counts.appended}`,
  );
}
