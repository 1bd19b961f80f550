// @vitest-environment happy-dom
/**
 * The page edits a text node we marked, in place, in every way the DOM allows: the text is exactly
 * what the page wrote (the node is never split, so every offset the page uses is its own), the
 * old marks go, and the new text is marked as a fresh page with that text would be.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import type { Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { annotateFlushed, destroyAnnotators, installHighlights, markerElements, mentions, paintedTexts, settle } from './helpers/marks';

const matcher = createMatcher(knowledge.entries);
const LINE = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';

const annotate = (): Annotator => annotateFlushed(matcher);

/** A log tail as streaming consoles keep one: a <pre> holding one text node the page appends to. */
function startLogTail(): { pre: HTMLElement; node: Text; a: Annotator } {
  document.title = 'ib_insync bot log';
  document.body.innerHTML = '<pre id="log"></pre>';
  const pre = document.getElementById('log')!;
  const node = document.createTextNode('');
  pre.appendChild(node);
  return { pre, node, a: annotate() };
}

/** What a fresh page holding `text` in a <pre> gets marked. */
function markedFresh(text: string): [string, string][] {
  destroyAnnotators();
  document.body.innerHTML = '<pre id="log"></pre>';
  document.getElementById('log')!.textContent = text;
  annotate();
  return mentions();
}

beforeEach(() => {
  document.title = '';
  installHighlights();
});
afterEach(destroyAnnotators);

type Edit = [name: string, edit: (pre: HTMLElement, node: Text) => void, expected: string];

const EDITS: Edit[] = [
  ['appendData', (_, t) => t.appendData(' +tail'), `${LINE} +tail`],
  ['insertData at the start', (_, t) => t.insertData(0, '[12:00] '), `[12:00] ${LINE}`],
  ['insertData inside the mention', (_, t) => t.insertData(5, ' code'), `Error code 326, reqId -1: Unable to connect as the client id is already in use.`],
  ['deleteData', (_, t) => t.deleteData(0, 6), LINE.slice(6)],
  ['deleteData of everything', (_, t) => t.deleteData(0, t.length), ''],
  ['replaceData', (_, t) => t.replaceData(6, 3, '504'), LINE.replace('326', '504')],
  ['data written', (_, t) => (t.data = 'ERROR -1 504 Not connected'), 'ERROR -1 504 Not connected'],
  ['data += …', (_, t) => (t.data += ' +tail'), `${LINE} +tail`],
  ['nodeValue written', (_, t) => (t.nodeValue = 'all good'), 'all good'],
  ['nodeValue += …', (_, t) => (t.nodeValue += '\nERROR -1 504 Not connected'), `${LINE}\nERROR -1 504 Not connected`],
  ['textContent of the node', (_, t) => (t.textContent = `${LINE} (again)`), `${LINE} (again)`],
  ['textContent of the element', (pre) => (pre.textContent = 'ERROR -1 504 Not connected'), 'ERROR -1 504 Not connected'],
  ['splitText', (_, t) => void t.splitText(10), LINE],
  [
    'normalize() after appending a text node',
    (pre) => {
      pre.appendChild(document.createTextNode(' +tail'));
      pre.normalize();
    },
    `${LINE} +tail`,
  ],
];

describe('a marked text node edited in place by the page', () => {
  for (const [name, edit, expected] of EDITS) {
    it(`${name}: the text is what the page wrote, and it is marked as a fresh page would be`, async () => {
      const want = expected ? markedFresh(expected) : [];
      destroyAnnotators();
      document.body.innerHTML = '<pre id="log"></pre>';
      const pre = document.getElementById('log')!;
      pre.textContent = LINE;
      const node = pre.firstChild as Text;
      const a = annotate();
      expect(mentions()).toEqual([['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']]);
      // The page's node holds its whole text while marked: the page reads what it wrote.
      expect(node.data).toBe(LINE);
      expect(pre.firstChild).toBe(node);

      edit(pre, node);
      expect(pre.textContent).toBe(expected);
      await settle(a);
      expect(pre.textContent).toBe(expected);
      expect(mentions()).toEqual(want);
      expect(paintedTexts()).toEqual(want.length > 0 ? { error: want.map(([, text]) => text) } : {});
      // No marker of the old text is left.
      expect(markerElements().every((m) => a.isOwnMarker(m))).toBe(true);
    });
  }

  it('normalize() merges the page\'s adjacent text nodes as the page expects: no marker stands between them', async () => {
    document.body.innerHTML = '<pre id="log"></pre>';
    const pre = document.getElementById('log')!;
    pre.append('Error 326, reqId -1: ', 'Unable to connect as the client id is already in use.', document.createElement('br'), 'next');
    const a = annotate();
    expect(mentions()).toEqual([['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']]);
    // The marker sits at the end of the <pre> (a block: no line break added to innerText), after
    // the page's nodes, never between two of its text nodes.
    expect([...pre.childNodes].map((n) => n.nodeName)).toEqual(['#text', '#text', 'BR', '#text', 'IBKR-ERROR-MARK']);
    pre.normalize();
    expect([...pre.childNodes].map((n) => n.nodeName)).toEqual(['#text', 'BR', '#text', 'IBKR-ERROR-MARK']);
    expect(pre.textContent).toBe(`${LINE}next`);
    await settle(a);
    expect(pre.textContent).toBe(`${LINE}next`);
    expect(mentions()).toEqual([['ibkr-326', 'Error 326, reqId -1: Unable to connect as the client id is already in use']]);
    expect(paintedTexts()).toEqual({ error: ['Error 326, reqId -1: Unable to connect as the client id is already in use'] });
  });

  it('a log tail appending its next line right after we marked the last is not taken for a page undoing our marks', async () => {
    const { node, a } = startLogTail();
    let written = '';
    for (let i = 0; i < 8; i++) {
      // In the same turn as our marking: a busy stream's next message can come then.
      const line = `t=${i} ERROR -1 504 Not connected\n`;
      node.appendData(line);
      written += line;
      await settle(a);
    }
    expect(node.data).toBe(written);
    expect(mentions()).toEqual(Array(8).fill(['ibkr-504', 'ERROR -1 504 Not connected']));
  });

  it('a page writing back the very text we marked, each time we mark it, is left alone there', async () => {
    document.body.innerHTML = '<pre id="log">ERROR -1 504 Not connected</pre>';
    const node = document.getElementById('log')!.firstChild as Text;
    const a = annotate();
    expect(mentions()).toHaveLength(1);
    let marked = 0;
    for (let i = 0; i < 6; i++) {
      // A framework rendering its own text again, right after our marking.
      node.data = 'ERROR -1 504 Not connected';
      await settle(a);
      marked += mentions().length;
    }
    expect(mentions()).toEqual([]);
    expect(marked).toBeLessThanOrEqual(3);
    expect(node.data).toBe('ERROR -1 504 Not connected');
  });

  it('a log tail appending to its node many times ends with exactly what it wrote, marked once per error', async () => {
    const { pre, node, a } = startLogTail();
    let written = '';
    for (let i = 0; i < 20; i++) {
      const line = i % 5 === 0 ? `t=${i} ERROR -1 504 Not connected\n` : `t=${i} heartbeat ok\n`;
      node.appendData(line);
      written += line;
      if (i % 3 === 0) await settle(a);
      // The log's next line comes in a task of its own.
      await new Promise((r) => setTimeout(r, 0));
    }
    await settle(a);
    expect(node.data).toBe(written);
    expect(pre.textContent).toBe(written);
    expect(mentions()).toEqual(Array(4).fill(['ibkr-504', 'ERROR -1 504 Not connected']));
  });
});
