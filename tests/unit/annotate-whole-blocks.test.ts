// @vitest-environment happy-dom
/**
 * Blocks read whole (lib/annotate/whole-blocks.ts): on a big page a plain paragraph is read as one
 * string and walked only when it holds a candidate. What gets marked must be exactly what a walk
 * of every node marks: the saved pages and the cases below are annotated both ways and compared.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import hljs from 'highlight.js';
import { afterEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, type Annotator } from '../../lib/annotate';
import { mentions as marked } from './helpers/marks';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const PAGES = join(__dirname, '../e2e/pages');
let annotator: Annotator | null = null;

afterEach(() => {
  annotator?.destroy();
  annotator = null;
});

function load(html: string) {
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  document.title = title.replace(/&amp;/g, '&');
  document.body.innerHTML = body.replace(/<script[\s\S]*?<\/script>/g, ''); // our own saved fixtures
}

function annotate(wholeBlocksAfter: number): Annotator {
  annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined, wholeBlocksAfter });
  annotator.start();
  annotator.flush();
  return annotator;
}

/** Each mention marked, in document order: its entry and its text (a marker's accessible name). */
function mentions(root: ParentNode = document): string[] {
  return marked(root).map(([id, text]) => `${id}: ${text}`);
}

/** Marks the page both ways; returns what each marked (and the runs each matched). */
function bothWays(html: string) {
  const results = [Infinity, 0].map((after) => {
    load(html);
    const a = annotate(after);
    const result = { mentions: mentions(), text: document.body.textContent, runs: a.scannedCount };
    annotator?.destroy();
    annotator = null;
    return result;
  });
  return { walked: results[0], whole: results[1] };
}

const SAMPLE = (() => {
  const highlighted = hljs.highlight('ib.connect("127.0.0.1", 7497, clientId=1)\n# Error 326, reqId -1: Unable to connect as the client id is already in use.', {
    language: 'python',
  }).value;
  return `<h1>ib_insync connect problems</h1>
    <p>Plain words, <b>bold</b> and <a href="#x">a link</a>: nothing to mark.</p>
    <p>The log said <code>Error <span class="n">326</span>, reqId -1: Unable to connect as the client id is already in use</code> twice.</p>
    <p><span>ERROR -1 504 </span><span>Not connected</span></p>
    <p>nginx said 504 <i>Gateway Timeout</i> again.</p>
    <p>first line<br>ERROR -1 1100 Connectivity between IB and Trader Workstation has been lost.</p>
    <p>log<br>ERROR 12 321 something about the order<br>done</p>
    <div><p>nested <em>Market data farm connection is OK:usfarm</em></p> tail <b>Error 200, reqId 4: No security definition has been found for the request</b></div>
    <p>skipped <textarea>Error 326, reqId -1: x</textarea> <span>Warning 2104, reqId -1: Market data farm connection is OK:usfarm</span></p>
    <pre><code class="hljs language-python">${highlighted}</code></pre>
    <p>short <b>ok</b></p>`;
})();

describe('blocks read whole', () => {
  it('mark exactly what a walk of every node marks, on the sample page', () => {
    const { walked, whole } = bothWays(SAMPLE);
    expect(walked.mentions.length).toBeGreaterThanOrEqual(7);
    expect(whole.mentions).toEqual(walked.mentions);
    expect(whole.text).toBe(walked.text);
    // Reading whole did happen: the blocks with nothing in them were never matched as runs.
    expect(whole.runs).toBeLessThan(walked.runs);
  });

  for (const file of readdirSync(PAGES).filter((f) => f.endsWith('.html'))) {
    it(`mark exactly what a walk of every node marks, on ${file}`, () => {
      const { walked, whole } = bothWays(readFileSync(join(PAGES, file), 'utf8'));
      expect(whole.mentions).toEqual(walked.mentions);
      expect(whole.text).toBe(walked.text);
    });
  }

  it('still reach a custom element’s open shadow root inside a paragraph', () => {
    document.title = 'ib_insync';
    document.body.innerHTML = '<p>See <x-log-line>here</x-log-line> for <b>details</b>.</p>';
    const host = document.querySelector('x-log-line')!;
    host.attachShadow({ mode: 'open' }).innerHTML = '<span>ERROR -1 502 Couldn\u2019t connect to TWS.</span>';
    annotate(0);
    expect(mentions(host.shadowRoot!)).toEqual(['ibkr-502: ERROR -1 502 Couldn\u2019t connect to TWS']);
  });

  it('mark an error the page writes later into a paragraph read whole', async () => {
    document.title = 'ib_insync';
    document.body.innerHTML = '<p>status: <span>all quiet</span> (<b>worker 1</b>)</p>';
    const a = annotate(0);
    expect(mentions()).toEqual([]);
    document.querySelector('span')!.firstChild!.nodeValue = 'ERROR -1 504 Not connected';
    await new Promise((r) => setTimeout(r, 0));
    a.flush();
    expect(mentions()).toEqual(['ibkr-504: ERROR -1 504 Not connected']);
    expect(document.body.textContent).toBe('status: ERROR -1 504 Not connected (worker 1)');
  });
});
