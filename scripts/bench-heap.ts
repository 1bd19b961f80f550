/**
 * What the content script's heap holds on the 4.7 MB thread of `npm run bench:pages -- --cost`:
 * a V8 heap snapshot of the renderer (CDP HeapProfiler.takeHeapSnapshot, after two forced full
 * collections, 12 s after the page's set-up), cut down to the objects of the content script's
 * isolated world. Prints numbers, asserts nothing.
 *
 *   npx tsx scripts/bench-heap.ts [--out file.heapsnapshot]   (EXTENSION_DIR=… a build, EXTENSION_DIR=none no extension)
 *   npx tsx scripts/bench-heap.ts --read file.heapsnapshot     (a snapshot taken before)
 *
 * Ours: every object dominated by the isolated world (its global, its native context and the
 * scopes chained to it; the world is found by the `__ibkrErrorLookup` property the script sets on
 * its window), by a function of `content-scripts/content.js` (listeners and observers the page's
 * nodes keep), or by an object whose prototype chain reaches one of the world's prototypes (our
 * class instances, Maps, the world's wrappers of the page's nodes). What the snapshot holds beyond
 * that over the page without any extension is isolate-wide: caches, the string table. Build with
 * `IBKR_NO_MINIFY=1` for readable names.
 */
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serve } from './perf/browser';
import { heapAfterGc, THREAD_URL } from './perf/cost';
import { heapSummary, parseSnapshot } from './bench-heap-snapshot';
import { threadPage } from './perf/pages';

const ROOT = new URL('..', import.meta.url).pathname;
/** EXTENSION_DIR=none: the page without any extension (the baseline's figures only). */
const EXTENSION_DIR = process.env.EXTENSION_DIR === 'none' ? null : process.env.EXTENSION_DIR || join(ROOT, '.output/chrome-mv3');

async function capture(extensionDir: string | null, out: string): Promise<void> {
  const browser = await launch(extensionDir);
  try {
    await serve(browser.context, THREAD_URL, threadPage(4.7e6));
    const tab = await browser.context.newPage();
    const cdp = await browser.context.newCDPSession(tab);
    await tab.goto(THREAD_URL, { timeout: 120_000 });
    await tab.waitForFunction(() => (window as unknown as { __setupDone?: boolean }).__setupDone === true, undefined, { timeout: 120_000 });
    await tab.waitForTimeout(12_000);
    const markers = await tab.evaluate(() => document.querySelectorAll('[data-ibkr-error]').length);
    await cdp.send('HeapProfiler.enable');
    const { heap } = await heapAfterGc(cdp);
    const file = createWriteStream(out);
    cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => file.write((e as { chunk: string }).chunk));
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    await new Promise<void>((done) => file.end(done));
    console.log(`markers ${markers}, V8 used heap ${(heap / 1048576).toFixed(2)} MB, snapshot in ${out}`);
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const read = args.indexOf('--read');
  const file = read >= 0 ? args[read + 1] : args.includes('--out') ? args[args.indexOf('--out') + 1] : '/tmp/ibkr-thread.heapsnapshot';
  if (read < 0) await capture(EXTENSION_DIR, file);
  console.log(heapSummary(parseSnapshot(readFileSync(file, 'utf8')), EXTENSION_DIR !== null || read >= 0));
}

await main();
