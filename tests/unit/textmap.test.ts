// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { DomInfo } from '../../lib/annotate/dom-info';
import { RunWalker, type Run } from '../../lib/annotate/walker';
import { buildTextMap, chunkEnd, isCurrent, locate, offsetOf, piecesOf } from '../../lib/textmap';

/** The runs of a subtree, as the annotator cuts them. */
function runsOf(root: Node): Run[] {
  const runs: Run[] = [];
  const walker = new RunWalker(root, false, new DomInfo(), { isOwn: () => false, onShadowRoot: () => undefined });
  while (!walker.done) walker.step(1000, (r) => runs.push(r));
  return runs;
}

const texts = (run: Run) => buildTextMap(run.items).text;

beforeEach(() => {
  document.body.innerHTML = '';
});

describe('text map', () => {
  it('joins the text nodes of one block across inline elements and maps offsets to nodes and back', () => {
    document.body.innerHTML = '<pre><span class="hljs-title">Error</span> <span class="hljs-number">326</span>, reqId -1: x</pre>';
    const [run] = runsOf(document.body);
    const map = buildTextMap(run.items);
    expect(map.text).toBe('Error 326, reqId -1: x');
    expect(map.segments.map((s) => [s.node.data, s.start, s.end])).toEqual([
      ['Error', 0, 5],
      [' ', 5, 6],
      ['326', 6, 9],
      [', reqId -1: x', 9, 22],
    ]);
    // offset -> node: the boundary of two nodes is the start of the later one
    expect(locate(map, 5)).toMatchObject({ node: map.segments[1].node, offset: 0 });
    expect(locate(map, 7)).toMatchObject({ node: map.segments[2].node, offset: 1 });
    expect(locate(map, 22)).toMatchObject({ node: map.segments[3].node, offset: 13 });
    // node -> offset
    expect(offsetOf(map, map.segments[2].node, 2)).toBe(8);
    // a span of the text -> the pieces of nodes it covers
    expect(piecesOf(map, 0, 9).map((p) => p.node.data.slice(p.from, p.to))).toEqual(['Error', ' ', '326']);
    expect(piecesOf(map, 7, 12).map((p) => [p.node.data, p.from, p.to])).toEqual([
      ['326', 1, 3],
      [', reqId -1: x', 0, 3],
    ]);
  });

  it('turns <br> into "\\n" that belongs to no node', () => {
    document.body.innerHTML = '<p>ERROR -1 504<br>Not connected</p>';
    const [run] = runsOf(document.body);
    const map = buildTextMap(run.items);
    expect(map.text).toBe('ERROR -1 504\nNot connected');
    expect(map.segments).toHaveLength(2);
    expect(locate(map, 12)).toMatchObject({ node: map.segments[1].node, offset: 0 });
    expect(piecesOf(map, 9, 17).map((p) => p.node.data.slice(p.from, p.to))).toEqual(['504', 'Not ']);
  });

  it('cuts runs at block boundaries, so matching never crosses one', () => {
    document.body.innerHTML = '<div>Error <p>326, reqId -1</p> tail <span>inline <b>bold</b></span><li>item</li>after</div>';
    expect(runsOf(document.body).map(texts)).toEqual(['Error ', '326, reqId -1', ' tail inline bold', 'item', 'after']);
  });

  it('leaves skipped subtrees out and cuts the run there', () => {
    document.body.innerHTML = '<p>before <textarea>Error 326</textarea> after <script>x()</script> end</p>';
    expect(runsOf(document.body).map(texts)).toEqual(['before ', ' after ', ' end']);
  });

  it('walks 2,500-deep nesting without recursion', () => {
    let el: HTMLElement = document.body;
    for (let i = 0; i < 2500; i++) el = el.appendChild(document.createElement(i % 2 ? 'span' : 'div'));
    el.textContent = 'ERROR -1 504 Not connected';
    expect(runsOf(document.body).map(texts)).toEqual(['ERROR -1 504 Not connected']);
  });

  it('knows when its nodes changed', () => {
    document.body.innerHTML = '<p>a <b>b</b></p>';
    const map = buildTextMap(runsOf(document.body)[0].items);
    expect(isCurrent(map)).toBe(true);
    map.segments[1].node.data = 'B';
    expect(isCurrent(map)).toBe(false);
  });

  it('cuts a long text into chunks at line ends', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} ERROR -1 504 Not connected`).join('\n');
    const ends: number[] = [];
    for (let start = 0; start < text.length; ) ends.push((start = chunkEnd(text, start, 500)));
    expect(ends[ends.length - 1]).toBe(text.length);
    for (const e of ends.slice(0, -1)) expect(text[e - 1]).toBe('\n');
  });
});
