/**
 * `npm run bench:pages -- --profile [thread|spans|soak]`: a sampling CPU profile of the page's main
 * thread while the built extension marks the page; prints the extension script's self time by
 * function (and by source file when the build has source maps), to see where its time goes.
 * `thread-scroll`: the thread loaded and left for 6 s unprofiled, then profiled while scrolled
 * through to its end as `--cost` does (what reading the far comments as they come near costs).
 */
import { launch, serve } from './browser';
import { SCROLL_THROUGH } from './cost';
import { markerClock, spansPage, threadPage } from './pages';
import { soakPage, SOAK_URL } from './soak-page';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const MARKERS = markerClock('[data-ibkr-error]');
/** The pages profiled: where, what, and how long the profile runs. */
const PROFILED: Record<string, { url: string; html: () => string; watchMs: number }> = {
  thread: { url: 'https://github.com/perf/thread/issues/1', html: () => threadPage(4.7e6, MARKERS), watchMs: 6_000 },
  spans: { url: 'https://github.com/perf/spans/blob/main/gateway.log', html: () => spansPage(MARKERS), watchMs: 10_000 },
  // The soak's page appending 1,000 lines a second (scripts/perf/soak-page.ts).
  soak: { url: SOAK_URL, html: () => soakPage(MARKERS), watchMs: 20_000 },
};

/** `which`: thread (also when unknown), spans or soak. */
export async function profileReport(extensionDir: string, which: string): Promise<void> {
  const soak = which === 'soak';
  const scrollThrough = which === 'thread-scroll';
  const { url, html: page, watchMs } = PROFILED[scrollThrough ? 'thread' : which] ?? PROFILED.thread;
  const html = page();
  const browser = await launch(extensionDir);
  try {
    await serve(browser.context, url, html);
    const tab = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(tab);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    if (scrollThrough) {
      await tab.goto(url, { timeout: 120_000 });
      await tab.waitForTimeout(watchMs);
      await cdp.send('Profiler.start');
      await tab.evaluate(SCROLL_THROUGH);
    } else {
      await cdp.send('Profiler.start');
      await tab.goto(url, { timeout: 120_000 });
      if (soak) await tab.evaluate(() => (window as unknown as { __soak: { start(rate: number): void } }).__soak.start(1000));
      await tab.waitForTimeout(watchMs);
    }
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    const markers = await tab.evaluate(() => (window as unknown as { __markers: [number, number][] }).__markers.at(-1)?.[1] ?? 0);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    // Inclusive time: a sample counts for every extension frame on its stack once.
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const isOurs = (n: ProfileNode) => n.callFrame.url.startsWith('chrome-extension://');
    const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
    const selfBy = new Map<string, number>();
    const inclBy = new Map<string, number>();
    let total = 0;
    for (const [id, ms] of self) {
      const n = byId.get(id)!;
      // Native or GC frames called from ours count for the nearest extension frame above them.
      let owner: ProfileNode | undefined = n;
      while (owner && !isOurs(owner)) owner = parent.has(owner.id) ? byId.get(parent.get(owner.id)!) : undefined;
      if (!owner) continue;
      total += ms;
      const label = owner === n ? key(n) : `${key(owner)} -> ${n.callFrame.functionName || n.callFrame.url || '(native)'}`;
      selfBy.set(label, (selfBy.get(label) ?? 0) + ms);
      const seen = new Set<string>();
      for (let a: ProfileNode | undefined = n; a; a = parent.has(a.id) ? byId.get(parent.get(a.id)!) : undefined) {
        if (!isOurs(a)) continue;
        const k = key(a);
        if (seen.has(k)) continue;
        seen.add(k);
        inclBy.set(k, (inclBy.get(k) ?? 0) + ms);
      }
    }
    console.log(`${which}: extension frames ${total.toFixed(1)} ms sampled, markers ${markers}`);
    console.log('self (with the native calls each made):');
    for (const [k, ms] of [...selfBy].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${k}`);
    console.log('inclusive:');
    for (const [k, ms] of [...inclBy].sort((a, b) => b[1] - a[1]).slice(0, 45)) console.log(`  ${ms.toFixed(1).padStart(7)} ms  ${k}`);
  } finally {
    await browser.close();
  }
}
