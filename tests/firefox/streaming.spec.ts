/**
 * A log page streaming in Firefox ESR: one `<pre>` grows as one text node (`appendData`:
 * lib/annotate/text-streams.ts), one highlighted `<pre><code>` of 10,000 elements and more grows a
 * line of spans at a time (lib/annotate/block-streams.ts). Each error line gets its marker while
 * the page goes on writing, and the text of both stays exactly what the page wrote
 * (tests/e2e/streaming.spec.ts has Chromium's, on the soak page).
 */
import { expect, markerIds, test } from './fixtures';

/** The page: quiet lines every 20 ms once started, an error line when asked; what it wrote, kept. */
const LOG_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>IBeam gateway log · ib_insync</title></head>
<body><h1>Gateway log</h1><pre id="stream"></pre><pre><code id="spans" class="hljs language-log"></code></pre>
<script>
(() => {
  const stream = document.getElementById('stream').appendChild(document.createTextNode(''));
  const spans = document.getElementById('spans');
  const ERRORS = ['Error 326, reqId -1: Unable to connect as the client id is already in use.', 'ERROR -1 504 Not connected'];
  const written = { stream: '', spans: '' };
  const esc = (t) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  let n = 0;
  let timer = 0;
  const write = (text, error) => {
    const time = '09:29:' + String(n % 60).padStart(2, '0') + '.' + String(n++ % 1000).padStart(3, '0');
    const line = '2024-05-01 ' + time + ' ' + text + '\\n';
    stream.appendData(line);
    written.stream += line;
    const body = error
      ? '<span class="hljs-level">ERROR</span> ' + esc(text).replace(/-?\\d+/g, '<span class="hljs-number">$&</span>')
      : '<span class="hljs-string">' + esc(text) + '</span>';
    spans.insertAdjacentHTML('beforeend', '<span class="line"><span class="hljs-date">2024-05-01</span> <span class="hljs-time">' + time + '</span> ' + body + '</span>\\n');
    written.spans += line.replace(text, (error ? 'ERROR ' : '') + text);
  };
  const quiet = () => write('ib_insync.client INFO heartbeat ok, clientId 1 on 127.0.0.1:7497', false);
  // 2,600 lines of 4 elements: a huge block (10,000 elements), read as it streams (block-streams.ts).
  for (let i = 0; i < 2600; i++) quiet();
  window.__log = {
    start() { timer = setInterval(quiet, 20); },
    stop() { clearInterval(timer); },
    error(k) { write(ERRORS[k % 2], true); },
    written() { return written; },
  };
})();
</script></body></html>`;

interface LogWindow {
  __log: { start(): void; stop(): void; error(k: number): void; written(): { stream: string; spans: string } };
}

test('error lines streamed into a text node and a highlighted block get their markers as they arrive; the text stays the page’s', async ({ firefox }) => {
  const url = firefox.server.serve('/ibeam/gateway.log.html', LOG_PAGE);
  const page = await firefox.browser.newPage();
  await page.goto(url);
  await page.evaluate(() => (window as unknown as LogWindow).__log.start());
  const expected: string[] = [];
  for (let k = 0; k < 6; k++) {
    await page.evaluate((i) => (window as unknown as LogWindow).__log.error(i), k);
    expected.push(k % 2 === 0 ? 'ibkr-326' : 'ibkr-504');
    // The page goes on writing meanwhile: each error line is marked before the next one comes.
    await expect.poll(() => markerIds(page, '#stream'), { message: `markers of the text node after error line ${k + 1}` }).toEqual(expected);
    // The highlighted block's markers stand at its <pre>'s end, after the <code> the page appends to.
    await expect.poll(() => markerIds(page, 'pre:has(> #spans)'), { message: `markers of the highlighted block after error line ${k + 1}` }).toEqual(expected);
  }
  const lines = await page.evaluate(() => document.getElementById('stream')!.textContent!.split('\n').length);
  expect(lines, 'lines streamed while the errors were marked').toBeGreaterThan(2610);
  await page.evaluate(() => (window as unknown as LogWindow).__log.stop());
  const { written, stream, spans } = await page.evaluate(() => ({
    written: (window as unknown as LogWindow).__log.written(),
    stream: document.getElementById('stream')!.textContent,
    spans: document.getElementById('spans')!.textContent,
  }));
  expect(stream).toBe(written.stream);
  expect(spans).toBe(written.spans);
  expect(await markerIds(page, '#stream')).toEqual(expected);
  expect(await markerIds(page, 'pre:has(> #spans)')).toEqual(expected);
});
