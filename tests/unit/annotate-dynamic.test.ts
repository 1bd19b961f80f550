// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, SEVERITY_ATTR, type Annotator } from '../../lib/annotate';
import { MarkPaint } from '../../lib/annotate/mark-paint';
import { MarkQueue } from '../../lib/annotate/mark-queue';
import { MarkStore, type MarkSpec } from '../../lib/annotate/mark-store';
import { DomInfo } from '../../lib/annotate/dom-info';
import { MarkerFactory } from '../../lib/annotate/marker-elements';
import { ScanRoots } from '../../lib/annotate/scan-roots';
import { createMatcher } from '../../lib/matcher';
import { buildTextMap, piecesOf } from '../../lib/textmap';
import { installHighlights, mentions, paintedTexts, settle } from './helpers/marks';

const matcher = createMatcher(knowledge.entries);
const severities = new Map(knowledge.entries.map((e) => [e.id, e.severity]));
let annotator: Annotator | null = null;

/** Starts an annotator that only works when flushed (no idle callbacks in tests). */
function start(html: string, pageContext?: boolean): Annotator {
  document.body.innerHTML = html; // test fixture, our own markup
  annotator = createAnnotator({ doc: document, matcher, pageContext, schedule: () => undefined, severityOf: (id) => severities.get(id) });
  annotator.start();
  annotator.flush();
  return annotator;
}

const markers = () => [...document.querySelectorAll<HTMLElement>(`[${MARKER_ATTR}]`)];
const ids = () => markers().map((m) => m.getAttribute(MARKER_ATTR));

beforeEach(() => {
  document.title = '';
  installHighlights();
});
afterEach(() => {
  annotator?.destroy();
  annotator = null;
});

describe('a mention split across inline elements', () => {
  const HLJS =
    '<pre><code class="hljs"><span class="hljs-title class_">ConnectionRefusedError</span>: [WinError <span class="hljs-number">10061</span>] No connection could be made because the target machine actively refused it\n' +
    '<span class="hljs-title">Error</span> <span class="hljs-number">326</span>, reqId -<span class="hljs-number">1</span>: Unable to connect as the client id is already in use</code></pre>';

  it('is marked as one mention: one marker, its text painted across the spans, the page text unchanged', () => {
    const code0 = new DOMParser().parseFromString(HLJS, 'text/html').querySelector('code')!;
    const pageNodes = (root: Element) => [...root.querySelectorAll('*')].filter((e) => e.localName !== 'ibkr-error-mark').map((e) => e.outerHTML.replace(/<ibkr-error-mark[^>]*><\/ibkr-error-mark>/g, ''));
    const a = start(HLJS);
    const code = document.querySelector('code')!;
    expect(code.textContent).toBe(code0.textContent);
    expect(mentions()).toEqual([
      ['connection-refused', 'ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it'],
      ['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use'],
    ]);
    expect(paintedTexts()).toEqual({ error: mentions().map(([, text]) => text) });
    for (const m of markers()) {
      // A control with nothing in it: the text stays the page's own.
      expect(m.childNodes).toHaveLength(0);
      expect(m.getAttribute('tabindex')).toBe('0');
      expect(m.getAttribute('role')).toBe('button');
      expect(m.getAttribute(SEVERITY_ATTR)).toBe(severities.get(m.getAttribute(MARKER_ATTR)!));
      expect(a.groupOf(m)).toEqual([m]);
      expect(a.matchOf(m)?.entryId).toBe(m.getAttribute(MARKER_ATTR));
    }
    // At the end of the block (the <pre>, after its <code>): there a block-level marker adds no
    // line break to innerText; in the text's order.
    expect(markers().map((m) => m.parentElement!.localName)).toEqual(['pre', 'pre']);
    expect(markers().map((m) => m.previousElementSibling?.localName)).toEqual(['code', 'ibkr-error-mark']);
    // Page elements are neither cloned nor moved, nor changed but for our marker in them.
    expect(pageNodes(code)).toEqual(pageNodes(code0));
  });

  it('knows its own markers from page-forged ones', () => {
    const a = start('<p>ERROR -1 504 Not connected</p><p><ibkr-error-mark data-ibkr-error="ibkr-504">forged</ibkr-error-mark></p>');
    const [ours] = markers();
    const forged = document.querySelector('p:last-child ibkr-error-mark')!;
    expect(a.isOwnMarker(ours)).toBe(true);
    expect(a.isOwnMarker(forged)).toBe(false);
    expect(a.matchOf(forged)).toBeUndefined();
    expect(a.groupOf(forged)).toEqual([]);
  });

  it('marks GitHub pl- spans, Jupyter ANSI spans and <br> lines', () => {
    start(
      '<div class="highlight"><pre><span class="pl-v">ConnectionRefusedError</span>: [<span class="pl-v">WinError</span> <span class="pl-c1">10061</span>] No connection could be made because the target machine actively refused it</pre></div>' +
        '<div class="jp-Cell"><div class="jp-InputArea-editor">ib.connect("127.0.0.1", 7497, clientId=1)</div>' +
        '<div class="jp-OutputArea-output"><pre><span class="ansi-red-fg">ConnectionRefusedError</span>: [Errno 111] Connect call failed (\'127.0.0.1\', 7497)</pre></div></div>' +
        '<p>ERROR -1 504<br>Not connected</p>',
    );
    expect(ids()).toContain('connection-refused');
    expect(document.querySelectorAll('.jp-OutputArea-output [data-ibkr-error]').length).toBeGreaterThan(0);
    expect(document.querySelectorAll('.jp-InputArea-editor [data-ibkr-error]')).toHaveLength(0);
    expect(document.querySelector('p')!.textContent).toBe('ERROR -1 504Not connected');
    expect(document.querySelectorAll('p [data-ibkr-error="ibkr-504"]').length).toBeGreaterThan(0);
  });

  it('takes a notebook cell\'s input as context for its output', () => {
    start(
      '<div class="jp-Cell"><div class="jp-InputArea-editor">from ib_insync import IB</div><div class="jp-OutputArea-output"><pre>Not connected</pre></div></div>' +
        '<div class="jp-Cell"><div class="jp-InputArea-editor">import redis</div><div class="jp-OutputArea-output"><pre>Not connected</pre></div></div>',
    );
    const found = markers().map((m) => m.closest('.jp-Cell')!.textContent);
    expect(found).toEqual(['from ib_insync import IBNot connected']);
  });

  it("takes no page context from a heading inside a notebook: another notebook's title is not the page's", () => {
    // JupyterLab with two notebooks open: an IBKR bot (its tab in the background, titled by a
    // Markdown cell's <h1>) and a Redis notebook, shown, with its own connection errors.
    start(
      '<div class="jp-Notebook" id="ib"><div class="jp-Cell"><div class="jp-RenderedMarkdown"><h1>IBKR trading bot</h1><p>Connects to TWS on 7497.</p></div></div>' +
        '<div class="jp-Cell"><div class="jp-OutputArea-output"><pre>Not connected</pre></div></div></div>' +
        '<div class="jp-Notebook" id="redis"><div class="jp-Cell"><div class="jp-InputArea-editor">r = redis.Redis(port=6379)</div>' +
        '<div class="jp-OutputArea-output"><pre>ConnectionRefusedError: [Errno 111] Connection refused</pre></div></div>' +
        '<div class="jp-Cell"><div class="jp-OutputArea-output"><pre>redis.exceptions.ConnectionError: Not connected</pre></div></div></div>',
    );
    // The bot's notebook is IBKR context for its own cells only.
    expect(markers().map((m) => [m.closest('.jp-Notebook')!.id, m.getAttribute(MARKER_ATTR)])).toEqual([['ib', 'ibkr-504']]);
  });

  it('takes page context from the main heading outside notebooks as before', () => {
    start('<h1>IBKR API stops after the gateway restarts</h1><div class="jp-Notebook"><div class="jp-Cell"><div class="jp-OutputArea-output"><pre>Not connected</pre></div></div></div>');
    expect(ids()).toEqual(['ibkr-504']);
  });
});

describe('page updates', () => {
  it('leaves a node the page writes holding exactly what it wrote, and marks it again', async () => {
    const a = start('<p id="status">Status: ERROR -1 504 Not connected (tick 0)</p>');
    const p = document.getElementById('status')!;
    const original = p.firstChild as Text;
    expect(markers()).toHaveLength(1);
    for (let i = 1; i <= 5; i++) {
      original.nodeValue = `Status: ERROR -1 504 Not connected (tick ${i})`;
      // The page's node holds exactly what it wrote, before and after we mark it again.
      await new Promise((r) => setTimeout(r, 0));
      expect(original.data).toBe(`Status: ERROR -1 504 Not connected (tick ${i})`);
      expect(p.textContent).toBe(`Status: ERROR -1 504 Not connected (tick ${i})`);
      a.flush();
      expect(p.textContent).toBe(`Status: ERROR -1 504 Not connected (tick ${i})`);
      expect(markers()).toHaveLength(1);
      expect(p.firstChild).toBe(original);
      await new Promise((r) => setTimeout(r, 5)); // the page's next timer
    }
    original.nodeValue = 'Status: connected';
    await settle(a);
    expect(p.textContent).toBe('Status: connected');
    expect(p.childNodes).toHaveLength(1);
    expect(markers()).toHaveLength(0);
    expect(paintedTexts()).toEqual({});
  });

  it('scans nothing again for what the page adds to <head> (a CSS-in-JS <style>) or to our UI, and the block for the body', () => {
    document.body.innerHTML = '<main><p id="p">log: <b>ERROR</b> -1 504 Not connected</p><span id="s">x</span></main><div data-ibkr-error-lookup-ui></div>';
    const style = document.head.appendChild(document.createElement('style'));
    style.textContent = '.a { color: red }';
    const roots = new ScanRoots(new DomInfo(), () => undefined);
    expect(roots.scopeOf(style)).toBeNull();
    expect(roots.scopeOf(style.firstChild!)).toBeNull();
    expect(roots.scopeOf(document.querySelector('[data-ibkr-error-lookup-ui]')!)).toBeNull();
    const p = document.getElementById('p')!;
    expect(roots.scopeOf(p.querySelector('b')!.firstChild!)).toBe(p);
    expect(roots.scopeOf(document.getElementById('s')!)).toBe(document.querySelector('main'));
  });

  it('takes its marker away when the page removes the text it marks', async () => {
    const a = start('<p>log: ERROR -1 504 Not connected, retrying</p>');
    const p = document.querySelector('p')!;
    p.removeChild(p.firstChild!); // a framework removing the text node it owns
    await settle(a);
    expect(p.textContent).toBe('');
    expect(p.childNodes).toHaveLength(0);
    expect(paintedTexts()).toEqual({});
  });

  it('rescans a block whose children the page replaced, with no duplicate', async () => {
    const a = start('<pre><code>Error 326, reqId -1: Unable to connect as the client id is already in use</code></pre>');
    const code = document.querySelector('code')!;
    expect(markers()).toHaveLength(1);
    // What highlight.js does: replaces the children of <code> with spans.
    code.innerHTML = '<span class="hljs-title">Error</span> <span class="hljs-number">326</span>, reqId -1: Unable to connect as the client id is already in use';
    await settle(a);
    expect(code.textContent).toBe('Error 326, reqId -1: Unable to connect as the client id is already in use');
    expect(mentions()).toEqual([['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']]);
    expect(paintedTexts()).toEqual({ error: ['Error 326, reqId -1: Unable to connect as the client id is already in use'] });
  });

  it('marks text appended to a run it already scanned as one mention', async () => {
    const a = start('<p><span>Error 326</span></p>');
    expect(markers()).toHaveLength(0);
    const p = document.querySelector('p')!;
    const rest = document.createElement('span');
    rest.textContent = ', reqId -1: Unable to connect as the client id is already in use';
    p.appendChild(rest);
    await settle(a);
    expect(mentions()).toEqual([['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']]);
  });

  it('leaves alone an element whose page keeps taking its markers out', async () => {
    const a = start('<div id="app"><p>ERROR -1 504 Not connected</p></div>');
    const app = document.getElementById('app')!;
    let repairs = 0;
    // A page that undoes foreign nodes: whenever it finds one, it renders its own text again.
    const repair = new MutationObserver(() => {
      if (!app.querySelector('ibkr-error-mark')) return;
      repairs++;
      app.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'ERROR -1 504 Not connected' }));
    });
    repair.observe(app, { childList: true, subtree: true });
    for (let i = 0; i < 10; i++) {
      app.replaceChildren(Object.assign(document.createElement('p'), { textContent: 'ERROR -1 504 Not connected' }));
      await settle(a);
      await new Promise((r) => setTimeout(r, 5));
    }
    repair.disconnect();
    expect(repairs).toBeLessThanOrEqual(4);
    expect(app.textContent).toBe('ERROR -1 504 Not connected');
  });

  it('takes every marker and all its paint away on teardown; the page\'s nodes were never touched', () => {
    const a = start('<p>x ERROR -1 504 Not connected y <span>Error</span> <span>326</span>, reqId -1: Unable to connect as the client id is already in use z</p>');
    const p = document.querySelector('p')!;
    const before = [...p.childNodes].filter((n) => !markers().includes(n as HTMLElement));
    const text = p.textContent;
    expect(markers()).toHaveLength(2);
    expect((p.firstChild as Text).data).toBe('x ERROR -1 504 Not connected y ');
    a.destroy();
    annotator = null;
    expect(markers()).toHaveLength(0);
    expect(paintedTexts()).toEqual({});
    expect((window as unknown as { CSS: { highlights: Map<string, unknown> } }).CSS.highlights.size).toBe(0);
    expect(p.textContent).toBe(text);
    expect([...p.childNodes]).toEqual(before);
  });

  it('marks many errors in one big text node, in chunks, with the text intact', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 6 === 0 ? `t=${i} ERROR -1 504 Not connected` : `t=${i} heartbeat ok, nothing to see here`));
    const a = start(`<pre></pre>`);
    const pre = document.querySelector('pre')!;
    pre.textContent = lines.join('\n');
    a.enqueue(pre);
    a.flush();
    expect(markers()).toHaveLength(500);
    expect(pre.textContent).toBe(lines.join('\n'));
    expect((pre.firstChild as Text).data).toBe(lines.join('\n'));
    expect(paintedTexts().error).toHaveLength(500);
  });

  it('scans open shadow roots', async () => {
    const a = start('<div id="host"></div>');
    const root = document.getElementById('host')!.attachShadow({ mode: 'open' });
    root.innerHTML = '<p>ERROR -1 504 Not connected</p>';
    a.enqueue(document.getElementById('host')!);
    a.flush();
    expect(root.querySelectorAll('[data-ibkr-error]')).toHaveLength(1);
    // ... and observes them.
    const p = document.createElement('p');
    p.textContent = 'Error 321, reqId 5: Error validating request';
    root.appendChild(p);
    await settle(a);
    expect(root.querySelectorAll('[data-ibkr-error]')).toHaveLength(2);
  });

  it('finds an open shadow root on every kind of element that can hold one, met on the way down', () => {
    const hosts = ['article', 'blockquote', 'h3', 'p', 'section', 'span', 'x-log-line'];
    document.body.innerHTML = `<main>${hosts.map((tag) => `<${tag} class="host"></${tag}>`).join('')}</main>`;
    const roots = [...document.querySelectorAll('.host')].map((host) => {
      const root = host.attachShadow({ mode: 'open' });
      root.innerHTML = '<p>ERROR -1 504 Not connected</p>';
      return root;
    });
    annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined, severityOf: (id) => severities.get(id) });
    annotator.start();
    annotator.flush();
    expect(roots.map((root) => root.querySelectorAll('[data-ibkr-error]').length)).toEqual(hosts.map(() => 1));
  });
});

describe('navigation', () => {
  it('takes away markers that only the old page\'s context justified', async () => {
    document.title = 'ib_insync: Not connected after reconnect';
    const a = start('<main><p>It says Not connected.</p><p>ERROR -1 504 Not connected</p></main>');
    expect(ids()).toEqual(['ibkr-504', 'ibkr-504']);
    // A single-page app shows a redis issue: the same words are not an IBKR error there.
    document.title = 'redis-py: Connection refused';
    document.querySelector('main')!.innerHTML = '<p>It says Not connected.</p><p>ConnectionRefusedError: [Errno 111] Connection refused</p>';
    a.resetContext();
    await settle(a);
    expect(markers()).toHaveLength(0);
    expect(document.querySelector('main')!.textContent).toBe('It says Not connected.ConnectionRefusedError: [Errno 111] Connection refused');
  });
});

describe('bounded work', () => {
  it('stops each slice after its budget even when the idle callback timed out', () => {
    document.body.innerHTML = Array.from({ length: 400 }, (_, i) => `<p>line ${i}: ERROR -1 504 Not connected</p>`).join('');
    let clock = 0;
    const batches: (() => void)[] = [];
    let ran = 0;
    const a = createAnnotator({
      doc: document,
      matcher,
      // Every look at the clock costs 1 ms: a slice of 8 ms allows only a few steps.
      now: () => clock++,
      schedule: (work) => batches.push(() => work({ timeRemaining: () => 0, didTimeout: true })),
    });
    a.enqueue(document.body);
    while (batches.length > 0 && ran < 10_000) {
      ran++;
      batches.shift()!();
    }
    expect(ran).toBeGreaterThan(20);
    expect(markers()).toHaveLength(400);
  });
});

describe('one text node with hundreds of mentions', () => {
  const LOG = Array.from({ length: 300 }, (_, i) => `t=${i} ERROR -1 504 Not connected`).join('\n');

  /**
   * Annotates a <pre> holding LOG in one text node, one idle batch at a time on a clock where each
   * look costs 1 ms (a slice of 8 ms allows a few steps); `onBatch` runs after each batch.
   * Returns the marker count after each batch.
   */
  async function inSlices(onBatch: (batch: number) => void = () => undefined): Promise<number[]> {
    document.title = 'ib_insync';
    document.body.innerHTML = '<pre></pre>';
    document.querySelector('pre')!.textContent = LOG;
    let clock = 0;
    const batches: (() => void)[] = [];
    annotator = createAnnotator({
      doc: document,
      matcher,
      now: () => clock++,
      schedule: (work) => batches.push(() => work({ timeRemaining: () => 0, didTimeout: true })),
    });
    annotator.start();
    const counts: number[] = [];
    for (let ran = 0; batches.length > 0 && ran < 10_000; ran++) {
      batches.shift()!();
      counts.push(markers().length);
      onBatch(ran);
      // Let the MutationObserver deliver a page write before the next batch.
      await new Promise((r) => setTimeout(r, 0));
    }
    return counts;
  }

  /** A mark queue holding LOG's marks in a fresh <pre>, on a clock where every look costs 1 ms. */
  function logQueue() {
    document.body.innerHTML = '<pre></pre>';
    const pre = document.querySelector('pre')!;
    pre.textContent = LOG;
    const map = buildTextMap([pre.firstChild as Text]);
    const specs: MarkSpec[] = matcher
      .find(map.text, { context: true })
      .map((match) => ({ match, pieces: piecesOf(map, match.start, match.end), severity: 'error', withPageContext: false, block: pre, runStart: pre.firstChild as Text }));
    let clock = 0;
    const store = new MarkStore();
    const queue = new MarkQueue(store, new MarkerFactory(document), new MarkPaint(document), null, null, () => clock++);
    queue.add({ map, block: pre }, specs);
    /** One slice of 3 ms. */
    const slice = () => {
      queue.beginSlice(clock + 3);
      queue.apply();
    };
    return { pre, store, queue, slice };
  }

  it('has its marks built a slice at a time, the page untouched until they all go in at once', () => {
    const { pre, queue, slice } = logQueue();
    let slices = 0;
    while (queue.size > 0) {
      expect(markers()).toHaveLength(0);
      expect(pre.childNodes).toHaveLength(1);
      slice();
      slices++;
    }
    expect(slices).toBeGreaterThan(1);
    expect(markers()).toHaveLength(300);
    expect(paintedTexts().error).toHaveLength(300);
    expect(pre.textContent).toBe(LOG);
  });

  it('puts nothing in when the page wrote the node while its marks were being built', () => {
    const { pre, store, queue, slice } = logQueue();
    slice();
    expect(queue.size).toBe(1);
    pre.firstChild!.nodeValue = 'the page wrote this';
    while (queue.size > 0) slice();
    expect(markers()).toHaveLength(0);
    expect(pre.textContent).toBe('the page wrote this');
    expect(store.size).toBe(0);
  });

  it('is marked in full by the annotator, never half, its text unchanged', async () => {
    const counts = await inSlices();
    expect(counts[counts.length - 1]).toBe(300);
    expect(counts.every((n) => n === 0 || n === 300)).toBe(true);
    expect(document.querySelector('pre')!.textContent).toBe(LOG);
  });

  it('is left as the page wrote it when the page writes it just before its markers go in', async () => {
    const firstMarked = (await inSlices()).findIndex((n) => n > 0);
    annotator?.destroy();
    // The same run again (the clock makes it the same), with a page write one batch before the
    // markers would go in: what was built is dropped and the new text is matched.
    const written = 'now: ERROR -1 504 Not connected';
    const counts = await inSlices((batch) => {
      if (batch === firstMarked - 1) document.querySelector('pre')!.firstChild!.nodeValue = written;
    });
    expect(counts.slice(0, firstMarked).every((n) => n === 0)).toBe(true);
    expect(document.querySelector('pre')!.textContent).toBe(written);
    expect(ids()).toEqual(['ibkr-504']);
  });
});

describe('many runs waiting to be marked', () => {
  /** A mark queue holding one run per paragraph, each with a mention, on a clock where every look costs 1 ms. */
  function paragraphsQueue(count: number) {
    document.body.innerHTML = Array.from({ length: count }, (_, i) => `<p>worker ${i}: ERROR -1 504 Not connected</p>`).join('');
    let clock = 0;
    const store = new MarkStore();
    const queue = new MarkQueue(store, new MarkerFactory(document), new MarkPaint(document), null, null, () => clock++);
    for (const p of document.querySelectorAll('p')) {
      const node = p.firstChild as Text;
      const map = buildTextMap([node]);
      const specs: MarkSpec[] = matcher
        .find(map.text, { context: true })
        .map((match) => ({ match, pieces: piecesOf(map, match.start, match.end), severity: 'error', withPageContext: false, block: p, runStart: node }));
      queue.add({ map, block: p }, specs);
    }
    const slice = () => {
      queue.beginSlice(clock + 3);
      queue.apply();
    };
    return { store, queue, slice };
  }

  it('are built over several slices and put in the page together: one change for the page, not one per slice', () => {
    // (Few enough to go in within the queue's time for putting markers in, on this clock.)
    const { queue, slice } = paragraphsQueue(15);
    let slices = 0;
    while (queue.size > 0) {
      expect(markers()).toHaveLength(0);
      slice();
      slices++;
    }
    expect(slices).toBeGreaterThan(3);
    expect(markers()).toHaveLength(15);
    expect(paintedTexts().error).toHaveLength(15);
  });

  it('go in a bounded share per step when there are many (on this clock 20 looks, about 20 runs)', () => {
    const { queue, slice } = paragraphsQueue(60);
    const added: number[] = [];
    while (queue.size > 0) {
      const before = markers().length;
      slice();
      if (markers().length > before) added.push(markers().length - before);
    }
    expect(markers()).toHaveLength(60);
    expect(added.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...added)).toBeLessThanOrEqual(21);
  });

  it('are checked against the page again when it changed while they were built: a run the page wrote gets no marker', () => {
    const { store, queue, slice } = paragraphsQueue(60);
    slice();
    const first = document.querySelector('p')!;
    first.firstChild!.nodeValue = 'the page wrote this';
    queue.pageChanged();
    while (queue.size > 0) slice();
    expect(markers()).toHaveLength(59);
    expect(first.textContent).toBe('the page wrote this');
    expect(store.size).toBe(59);
  });
});

describe('marker attributes', () => {
  it('writes the matched variant when the matcher names one', () => {
    const withVariant = {
      find: (text: string) => {
        const start = text.indexOf('Error 326');
        return start < 0 ? [] : [{ start, end: start + 9, entryId: 'ibkr-326', rule: 'code' as const, variant: 'stale-session', reason: null }];
      },
    };
    document.body.innerHTML = '<p>It says Error 326 again</p>';
    annotator = createAnnotator({ doc: document, matcher: withVariant, schedule: () => undefined, severityOf: () => 'error' });
    annotator.enqueue(document.body);
    annotator.flush();
    const [m] = markers();
    expect(m.getAttribute('aria-label')).toBe('Error 326');
    expect(m.getAttribute('data-ibkr-variant')).toBe('stale-session');
    expect(m.getAttribute(SEVERITY_ATTR)).toBe('error');
  });
});

describe('copies of our markers the page makes', () => {
  const TAIL = 'Error 326, reqId -1: Unable to connect as the client id is already in use';

  it('are taken out when a log tail appends with innerHTML +=, which parses our markers again: one marker per mention', async () => {
    const a = start(`<pre id="tail">${TAIL}</pre>`);
    const pre = document.getElementById('tail')!;
    for (let i = 0; i < 3; i++) {
      // A line arrives a while after the last one was marked (not in the task right after: that is an undo).
      await new Promise((r) => setTimeout(r, 5));
      pre.innerHTML += `\nline ${i}: ERROR -1 504 Not connected`;
      await settle(a);
    }
    expect(ids()).toEqual(['ibkr-326', 'ibkr-504', 'ibkr-504', 'ibkr-504']);
    expect(markers().every((m) => a.isOwnMarker(m))).toBe(true);
    expect(pre.textContent).toBe(`${TAIL}\nline 0: ERROR -1 504 Not connected\nline 1: ERROR -1 504 Not connected\nline 2: ERROR -1 504 Not connected`);
  });

  it('are taken out of a clone of the page put back (Turbo on Back); an element of that name holding text is the page\'s and stays', async () => {
    const a = start(`<main><p>${TAIL}</p><p>ERROR -1 504 Not connected</p></main>`);
    const snapshot = document.querySelector('main')!.cloneNode(true) as Element;
    snapshot.insertAdjacentHTML('beforeend', '<p><ibkr-error-mark data-ibkr-error="ibkr-504">the page\'s own</ibkr-error-mark></p>');
    document.querySelector('main')!.replaceWith(snapshot);
    await settle(a);
    expect(ids()).toEqual(['ibkr-326', 'ibkr-504', 'ibkr-504']);
    const [own, other, page] = markers();
    expect([a.isOwnMarker(own), a.isOwnMarker(other), a.isOwnMarker(page)]).toEqual([true, true, false]);
    expect(page.textContent).toBe("the page's own");
  });
});

describe('undo back-off in a shadow tree', () => {
  it("leaves alone a component whose shadow root keeps taking out the marker at its top level", async () => {
    const a = start('<div id="app"><p>Said: <x-msg></x-msg></p></div>');
    const host = document.querySelector('x-msg')!;
    const root = host.attachShadow({ mode: 'open' });
    const render = () => root.replaceChildren(document.createTextNode('ERROR -1 504 Not connected'));
    let repairs = 0;
    // A component that renders its own text again whenever a foreign node shows up in its root.
    const repair = new MutationObserver(() => {
      if (!root.querySelector('ibkr-error-mark')) return;
      repairs++;
      render();
    });
    repair.observe(root, { childList: true, subtree: true });
    render();
    a.enqueue(host);
    for (let i = 0; i < 10; i++) {
      await settle(a);
      await new Promise((r) => setTimeout(r, 5));
    }
    repair.disconnect();
    expect(repairs).toBeGreaterThan(0);
    expect(repairs).toBeLessThanOrEqual(4);
    expect(root.textContent).toBe('ERROR -1 504 Not connected');
  });
});
