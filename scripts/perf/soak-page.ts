/**
 * The page of the soak (scripts/perf/soak.ts): a log view left open all day, compressed. Three
 * panes, each holding the last KEEP lines of a log that keeps growing, each fed its own way:
 *
 * - `divs`: a `<div>` per line, `appendChild`, the oldest `remove()`d (a CI log view, a forum);
 * - `stream`: one text node of a `<pre>`, `appendData`, the oldest line `deleteData`d (a
 *   streaming console: an IBeam log tail, a notebook cell's output);
 * - `spans`: highlighted lines put in a `<code>` by `insertAdjacentHTML`, the oldest line's nodes
 *   removed (a highlighted log viewer): its block holds some 20,000 elements.
 *
 * Each pane starts full (KEEP lines at load). About 1 line in 20 is an IBKR error (the cost pages'
 * errors, scripts/perf/pages.ts), the rest quiet lines, some of which look like errors and must
 * stay unmarked. `window.__soak` drives and reads it: `start(linesPerSecond)`, `stop()`,
 * `counts()`, `quiet()` (KEEP quiet lines into every pane: every error line gone), `append(line)`.
 */
import { ERRORS, QUIET } from './pages';

/** Lines each pane keeps. */
export const KEEP = 2_000;

export const SOAK_URL = 'https://github.com/perf/soak/actions/runs/1/job/1';

/** What `__soak.counts()` returns for one pane. */
export interface PaneCounts {
  name: string;
  lines: number;
  /** Error lines present. */
  errors: number;
  /** Our markers in the pane. */
  markers: number;
  /** Error lines holding a marker (null where a line is not an element: the `stream` pane). */
  markedErrorLines: number | null;
  /** Markers inside quiet lines (null as above): must be 0. */
  markedQuietLines: number | null;
}

export interface SoakCounts {
  /** Lines appended since `start`, all panes. */
  appended: number;
  panes: PaneCounts[];
}

/** What `window.__soak` offers a script run in the page (see the file's head). */
export interface SoakControl {
  start(linesPerSecond: number): void;
  stop(): void;
  quiet(): void;
  append(text: string): void;
  counts(): SoakCounts;
}

/** The soak page's window as a script run in it sees it. */
export type SoakWindow = Window & { __soak: SoakControl };

const PAGE_SCRIPT = (errors: readonly string[], quiet: readonly string[]) => `
const ERRORS = ${JSON.stringify(errors)};
const QUIET = ${JSON.stringify(quiet)};
const KEEP = ${KEEP};
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
let n = 0;
function nextLine(forceQuiet) {
  const i = n++;
  const err = !forceQuiet && i % 20 === 7;
  const ts = '2024-05-01 ' + String(9 + (i / 3600000 | 0) % 8).padStart(2, '0') + ':' + String((i / 60000 | 0) % 60).padStart(2, '0') + ':' + String((i / 1000 | 0) % 60).padStart(2, '0') + ',' + String(i % 1000).padStart(3, '0');
  return { ts, text: err ? ERRORS[(i / 20 | 0) % ERRORS.length] : QUIET[i % QUIET.length], err };
}
/** A queue of the lines a pane holds, oldest first, without Array#shift's copying. */
function lineQueue() {
  return { items: [], head: 0, errors: 0,
    push(x) { this.items.push(x); if (x.err) this.errors++; },
    shift() { const x = this.items[this.head]; this.items[this.head++] = undefined; if (x.err) this.errors--;
      if (this.head > 4096) { this.items = this.items.slice(this.head); this.head = 0; } return x; },
    get size() { return this.items.length - this.head; }, each(f) { for (let k = this.head; k < this.items.length; k++) f(this.items[k]); } };
}
const divsEl = document.getElementById('divs');
const streamText = document.getElementById('stream').appendChild(document.createTextNode(''));
const spansCode = document.getElementById('spans-code');
const panes = [
  { name: 'divs', el: divsEl, q: lineQueue(),
    add(l) { const d = document.createElement('div'); d.className = 'log-line'; d.textContent = l.ts + ' ' + l.text; divsEl.appendChild(d); return { err: l.err, el: d }; },
    drop(x) { x.el.remove(); } },
  { name: 'stream', el: document.getElementById('stream'), q: lineQueue(),
    add(l) { const s = l.ts + ' ' + l.text + '\\n'; streamText.appendData(s); return { err: l.err, len: s.length }; },
    drop(x) { streamText.deleteData(0, x.len); } },
  { name: 'spans', el: spansCode, q: lineQueue(),
    add(l) {
      const body = l.err ? '<span class="hljs-level">ERROR</span> ' + esc(l.text).replace(/-?\\d+/g, '<span class="hljs-number">$&</span>') : '<span class="hljs-level">INFO</span> <span class="hljs-string">' + esc(l.text) + '</span>';
      spansCode.insertAdjacentHTML('beforeend', '<span class="line"><span class="hljs-date">' + l.ts.slice(0, 10) + '</span> <span class="hljs-time">' + l.ts.slice(11) + '</span> ' + body + '</span>\\n');
      const nl = spansCode.lastChild;
      return { err: l.err, el: nl.previousSibling, nl };
    },
    drop(x) { x.el.remove(); x.nl.remove(); } },
];
function appendTo(pane, line) {
  pane.q.push(pane.add(line));
  while (pane.q.size > KEEP) pane.drop(pane.q.shift());
}
let appended = 0;
for (let k = 0; k < KEEP * panes.length; k++) appendTo(panes[k % panes.length], nextLine(false));
let timer = 0;
let following = false;
// A log view follows its tail: each pane is scrolled to its end once a frame.
const boxes = [...document.querySelectorAll('.pane')];
function follow() { for (const b of boxes) b.scrollTop = b.scrollHeight; if (following) requestAnimationFrame(follow); }
window.__soak = {
  start(rate) {
    following = true;
    requestAnimationFrame(follow);
    const t0 = performance.now();
    let due = 0;
    timer = setInterval(() => {
      const target = Math.floor((performance.now() - t0) * rate / 1000);
      // After a stall (a GC, the machine's load) the page catches up by at most 50 ms of lines.
      due = Math.max(due, target - rate / 20);
      for (; due < target; due++) { appendTo(panes[appended % panes.length], nextLine(false)); appended++; }
    }, 4);
  },
  stop() { clearInterval(timer); following = false; },
  quiet() { for (const p of panes) for (let k = 0; k < KEEP; k++) appendTo(p, nextLine(true)); },
  append(text) { for (const p of panes) appendTo(p, { ts: '2024-05-01 16:00:00,000', text, err: true }); },
  counts() {
    // A line is marked when a painted mention starts in it (the spans pane's markers are at its <pre>'s end).
    const marked = new Set();
    for (const [name, h] of CSS.highlights) if (name.startsWith('ibkr-error-lookup-')) for (const r of h) for (let e = r.startContainer.parentElement; e && !marked.has(e); e = e.parentElement) marked.add(e);
    return { appended, panes: panes.map((p) => {
      let markedErrorLines = null, markedQuietLines = null;
      if (p.name !== 'stream') { markedErrorLines = 0; markedQuietLines = 0;
        p.q.each((x) => { if (marked.has(x.el)) { if (x.err) markedErrorLines++; else markedQuietLines++; } });
      }
      return { name: p.name, lines: p.q.size, errors: p.q.errors, markers: (p.name === 'spans' ? p.el.parentElement : p.el).querySelectorAll('[data-ibkr-error]').length, markedErrorLines, markedQuietLines };
    }) };
  },
};
`;

/** The soak page's HTML; `head` goes in its `<head>`. */
export function soakPage(head = ''): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>IBeam gateway log · ib_insync · perf/soak · GitHub Actions</title>${head}
<script>addEventListener('load', () => setTimeout(() => { window.__setupDone = true; }, 0));</script>
<style>.pane { height: 30vh; overflow: auto; border: 1px solid #888; margin: 4px; font: 12px monospace; } pre { margin: 0; }</style></head>
<body><h1>Job log: ib_insync order router</h1>
<div class="pane" id="divs"></div>
<div class="pane"><pre id="stream"></pre></div>
<div class="pane"><pre><code id="spans-code" class="hljs language-log"></code></pre></div>
<script>${PAGE_SCRIPT(ERRORS, QUIET)}</script></body></html>`;
}
