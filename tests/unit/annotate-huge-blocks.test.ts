// @vitest-environment happy-dom
/**
 * Huge blocks (lib/annotate/huge-blocks.ts): past a run cut for its length, the rest of a block
 * of many plain inline nodes is read with Ranges a bucket of children at a time, and only the
 * lines holding a candidate are walked. What gets marked must be exactly what a walk of every node
 * marks: generated blocks are annotated both ways and compared, before and after page edits.
 */
import { afterEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { mentions as marked } from './helpers/marks';
import { installFastRangeText } from './helpers/range-text';

installFastRangeText();

const matcher = createMatcher(knowledge.entries);
let annotator: Annotator | null = null;

afterEach(() => {
  annotator?.destroy();
  annotator = null;
});

const ERROR = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';
const WARNING = 'Warning 2104, reqId -1: Market data farm connection is OK:usfarm';

/** A highlighted log line: each word in a span of its own, as highlight.js writes them. */
function spans(text: string): string {
  return text
    .split(/(\s+)/)
    .map((w) => (/^\s+$/.test(w) || w === '' ? w : `<span class="hljs-string">${w}</span>`))
    .join('');
}

/** A log of `lines` lines, with the line numbers in `errors` holding ERROR (split over spans). */
function log(lines: number, errors: Set<number>, line: (i: number) => string = (i) => (errors.has(i) ? spans(`09:30:${i} ib_insync.wrapper ERROR ${ERROR}`) : spans(`09:30:${i} heartbeat seq=${i} ok`))): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) out.push(line(i));
  return out.join('\n');
}

function annotate(hugeBlockElements: number): Annotator {
  annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined, hugeBlockElements });
  annotator.start();
  annotator.flush();
  return annotator;
}

function mentions(): string[] {
  return marked(document).map(([id, text]) => `${id}: ${text}`);
}

/** Marks the page both ways (after `edit`, when given, and a scan of its change). */
async function bothWays(html: string, edit?: (doc: Document) => void) {
  const results = [];
  for (const elements of [Infinity, 100]) {
    document.title = 'ib_insync log';
    document.body.innerHTML = html;
    const a = annotate(elements);
    const before = { mentions: mentions(), runs: a.scannedCount };
    let after = before;
    if (edit) {
      edit(document);
      await new Promise((r) => setTimeout(r, 0));
      a.flush();
      after = { mentions: mentions(), runs: a.scannedCount };
    }
    results.push({ before, after, text: document.body.textContent });
    annotator?.destroy();
    annotator = null;
  }
  const [walked, huge] = results;
  return { walked, huge };
}

const every = (n: number, step: number, from = 0) => new Set(Array.from({ length: Math.ceil((n - from) / step) }, (_, k) => from + k * step));

describe('huge blocks', { timeout: 30_000 }, () => {
  it('mark exactly what a walk marks on a highlighted log, errors at every bucket edge', async () => {
    // 8 nodes a line: lines 0 to 249 are the walk's first run; bucket edges every 64 nodes.
    const errors = new Set([...every(600, 5, 252), 599, 260, 261, 262]);
    const { walked, huge } = await bothWays(`<pre><code class="hljs">${log(600, errors)}</code></pre>`);
    expect(walked.before.mentions.length).toBe(errors.size);
    expect(huge.before.mentions).toEqual(walked.before.mentions);
    expect(huge.text).toBe(walked.text);
    // Read the huge way: only the lines with a candidate were matched (as runs of their own).
    expect(huge.before.runs).toBeGreaterThan(walked.before.runs);
    expect(huge.before.runs).toBeLessThanOrEqual(errors.size + 1);
  });

  it('mark a line split into a span per character, and lines sharing a text node', async () => {
    const line = (i: number) => {
      if (i === 300) return [...`E ${ERROR}`].map((c) => `<span>${c}</span>`).join('');
      // A line end inside a text node: these two lines are one run for a walk.
      if (i === 400) return `<span>x</span>${WARNING}\nnext ${spans(ERROR)}`;
      if (i === 401) return `${spans(ERROR)} tail`;
      return spans(`09:30:${i} heartbeat seq=${i} ok`);
    };
    const { walked, huge } = await bothWays(`<pre><code>${log(600, new Set(), line)}</code></pre>`);
    expect(walked.before.mentions.length).toBe(4);
    expect(huge.before.mentions).toEqual(walked.before.mentions);
    expect(huge.before.runs).toBeGreaterThan(walked.before.runs);
    expect(huge.text).toBe(walked.text);
  });

  it('mark errors in nested inline elements and in a big child element (measured a child at a time)', async () => {
    const line = (i: number) =>
      i % 29 === 5 ? `<b><i><span>${spans(`line ${i} ERROR`)}</span> <em>${spans(ERROR)}</em></i></b>` : `<a href="#l${i}"><span>${i}</span></a> ${spans(`heartbeat ok ${'.'.repeat(40)}`)}`;
    // The walk hands over in the <pre>'s own lines; a big element follows among them: the <code>.
    const html = `<pre>${log(300, new Set(), line)}\n<code>${log(700, new Set(), line)}</code>\n<span>${spans(WARNING)}</span></pre>`;
    const { walked, huge } = await bothWays(html);
    expect(walked.before.mentions.length).toBeGreaterThan(30);
    expect(huge.before.mentions).toEqual(walked.before.mentions);
    expect(huge.before.runs).toBeGreaterThan(walked.before.runs);
  });

  it('walk a block with <br>s or a nested block node by node (same marks)', async () => {
    for (const html of [
      `<pre>${log(600, every(600, 40, 250)).replace(/\n/g, (m, at: number) => (at % 7 === 0 ? '<br>' : m))}</pre>`,
      `<pre>${log(600, every(600, 40, 250))}<div>${ERROR}</div></pre>`,
    ]) {
      const { walked, huge } = await bothWays(html);
      expect(walked.before.mentions.length).toBeGreaterThan(5);
      expect(huge.before.mentions).toEqual(walked.before.mentions);
      expect(huge.before.runs).toBe(walked.before.runs);
    }
  });

  it('follow the page’s edits of a huge block: a new error, a broken mention, a text edit', async () => {
    const errors = every(600, 30, 260);
    const html = `<pre><code>${log(600, errors)}</code></pre>`;
    const code = (doc: Document) => doc.querySelector('code')!;
    const edits: ((doc: Document) => void)[] = [
      (doc) => code(doc).insertAdjacentHTML('beforeend', `\n${spans(`09:31:00 ib_insync.wrapper ERROR ${WARNING}`)}`),
      // A node put between "Error" and "326": the mention is no longer one (its nodes are intact).
      (doc) => {
        const error = [...code(doc).querySelectorAll('span')].filter((s) => s.textContent === 'Error')[3];
        error.after(doc.createTextNode(' x'));
      },
      // Letters put into the mention's words: no candidate is left on the line, its marked nodes are intact.
      (doc) => {
        const words = [...code(doc).querySelectorAll('span')];
        const error = words.findIndex((w, i) => w.textContent === 'Error' && i > words.length / 2);
        words[error].after(doc.createTextNode('s'));
        words.slice(error).find((w) => w.textContent === 'Unable')!.after(doc.createTextNode('X'));
      },
      (doc) => {
        const seq = [...code(doc).querySelectorAll('span')].find((s) => s.textContent === 'seq=501')!;
        seq.firstChild!.nodeValue = 'Error 502, reqId -1: Couldn\u2019t connect to TWS.';
      },
      (doc) => code(doc).append(`\nmore ${ERROR}`),
    ];
    for (const edit of edits) {
      const { walked, huge } = await bothWays(html, edit);
      expect(huge.before.mentions).toEqual(walked.before.mentions);
      expect(huge.after.mentions).toEqual(walked.after.mentions);
      expect(huge.after.mentions, edit.toString()).not.toEqual(huge.before.mentions);
      expect(huge.text).toBe(walked.text);
    }
  });
});
