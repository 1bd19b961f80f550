// @vitest-environment happy-dom
/**
 * Runs matched already (lib/annotate/matched-runs.ts): a block scanned again matches only the runs
 * whose text changed, and every change the page can make to a run's text is seen, however it is
 * made: a node written, a node or an element swapped for one with text of the same length, a
 * change made and undone before the next scan. Long runs are cut at line ends, so no mention is
 * cut in two.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import type { Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { annotateFlushed, destroyAnnotators, installHighlights, mentions, settle } from './helpers/marks';

const matcher = createMatcher(knowledge.entries);

/** What a fresh page with this body gets marked. */
function markedFresh(html: string): [string, string][] {
  document.body.innerHTML = html;
  const fresh = annotate();
  const found = mentions();
  fresh.destroy();
  return found;
}

const annotate = (): Annotator => annotateFlushed(matcher);

beforeEach(() => {
  document.title = 'ib_insync log';
  installHighlights();
});
afterEach(destroyAnnotators);

describe('runs matched again', () => {
  it('are only those the page changed: the block around a change is scanned, its other runs are left alone', async () => {
    document.body.innerHTML = '<div id="d"><p>ERROR -1 504 Not connected</p>plain words here<p id="p2">ERROR -1 1100 Connectivity between IB and Trader Workstation has been lost.</p></div>';
    const a = annotate();
    expect(mentions().map(([id]) => id)).toEqual(['ibkr-504', 'ibkr-1100']);
    const before = a.scannedCount;
    // The page adds a word to the div's own text: the div is scanned again (shallow), its run
    // "plain words here…" is matched again, the paragraphs are not.
    document.getElementById('d')!.insertBefore(document.createTextNode(' and more'), document.getElementById('p2'));
    await settle(a);
    expect(a.scannedCount).toBe(before + 1);
    expect(mentions().map(([id]) => id)).toEqual(['ibkr-504', 'ibkr-1100']);
  });

  it('see an inline element swapped for one whose text has the same length', async () => {
    const want = markedFresh('<pre>ERROR -1 <b>326</b> Not connected</pre>');
    expect(want.map(([id]) => id)).toEqual(['ibkr-326']);
    document.body.innerHTML = '<pre>ERROR -1 <b>504</b> Not connected</pre>';
    const a = annotate();
    expect(mentions()).toEqual([['ibkr-504', 'ERROR -1 504 Not connected']]);
    const b = document.querySelector('b')!;
    b.replaceWith(Object.assign(document.createElement('b'), { textContent: '326' }));
    await settle(a);
    expect(mentions()).toEqual(want);
  });

  it('see a text node swapped for one with the same length, in a run with no mark', async () => {
    document.title = '';
    document.body.innerHTML = '<pre>ERROR -1 <span>xyz</span> happened twice</pre>';
    const a = annotate();
    expect(mentions()).toEqual([]);
    const span = document.querySelector('span')!;
    span.replaceChild(document.createTextNode('504'), span.firstChild!);
    await settle(a);
    expect(mentions()).toEqual([['ibkr-504', 'ERROR -1 504']]);
  });

  it('see a text changed and changed back before the next scan: the mark is back', async () => {
    document.body.innerHTML = '<pre>ERROR -1 504 Not connected</pre>';
    const a = annotate();
    const node = document.querySelector('pre')!.firstChild as Text;
    node.data = 'all good';
    await new Promise((r) => setTimeout(r, 0));
    node.data = 'ERROR -1 504 Not connected';
    await settle(a);
    expect(mentions()).toEqual([['ibkr-504', 'ERROR -1 504 Not connected']]);
  });

  it('see a short run grow into a mention one node at a time', async () => {
    document.body.innerHTML = '<pre>ERR</pre>';
    const a = annotate();
    const pre = document.querySelector('pre')!;
    for (const piece of ['OR -1', ' 504', ' Not connected']) {
      pre.appendChild(document.createTextNode(piece));
      await settle(a);
    }
    expect(mentions()).toEqual([['ibkr-504', 'ERROR -1 504 Not connected']]);
  });
});

describe('a block of thousands of highlighted lines', () => {
  it('is cut into runs at line ends only: every mention is marked whole', () => {
    // 1,000 lines of 5 spans and 5 text nodes each: runs of about 2,000 nodes.
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) {
      lines.push(
        i % 97 === 5
          ? '<span class="ts">09:29</span> <span class="kw">Error</span> <span class="n">326</span>, reqId <span class="n">-1</span>: Unable to connect as the client id is already in use.'
          : `<span class="ts">09:29</span> <span class="kw">INFO</span> <span class="n">${i}</span> heartbeat <span class="s">ok</span> fine`,
      );
    }
    document.body.innerHTML = `<pre><code>${lines.join('\n')}</code></pre>`;
    annotate();
    const want = lines.filter((l) => l.includes('Error')).length;
    expect(want).toBe(11);
    expect(mentions()).toEqual(Array(want).fill(['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']));
  });
});
