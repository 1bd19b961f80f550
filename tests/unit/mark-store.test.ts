// @vitest-environment happy-dom
/**
 * The annotator's record of marks (lib/annotate/mark-store.ts): a text node covered by several
 * marks lists each once, in the order they were made, however many (a short list is copied one
 * longer as a mark comes, a long one grown in place), and forgets each as it goes.
 */
import { describe, expect, it } from 'vitest';
import { MarkStore, type Mark } from '../../lib/annotate/mark-store';
import type { Match } from '../../lib/matcher';

function markOver(store: MarkStore, node: Text, from: number, to: number): Mark {
  const match: Match = { start: from, end: to, entryId: 'ibkr-504', rule: 'code', variant: null, reason: null };
  const marker = document.createElement('ibkr-error-mark');
  node.parentNode!.appendChild(marker);
  return { id: store.newId(), match, pieces: [{ node, from, to }], text: node.data.slice(from, to), marker, withPageContext: false, block: null, runStart: node, severity: null };
}

describe('MarkStore: the marks of one text node', () => {
  it.each([3, 40])('lists %i marks of one node once each, in order, and forgets each as it goes', (count) => {
    const pre = document.createElement('pre');
    const node = document.createTextNode(Array.from({ length: count }, (_, i) => `ERROR ${i} 504 Not connected`).join('\n'));
    pre.append(node);
    document.body.append(pre);
    const store = new MarkStore();
    const marks: Mark[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      const line = `ERROR ${i} 504 Not connected`;
      const mark = markOver(store, node, at, at + line.length);
      store.add(mark);
      store.add(mark);
      marks.push(mark);
      at += line.length + 1;
    }
    expect(store.marksOf(node)).toEqual(marks);
    expect(store.marksOf(node).map((m) => m.text)).toEqual(node.data.split('\n'));
    expect(marks.every((m) => store.isIntact(m))).toBe(true);
    expect(store.holdsMarkedText(pre)).toBe(true);

    store.delete(marks[1]);
    expect(store.marksOf(node)).toEqual(marks.filter((_, i) => i !== 1));
    for (const mark of marks) store.delete(mark);
    expect(store.marksOf(node)).toEqual([]);
    expect(store.isMarked(node)).toBe(false);
    expect(store.holdsMarkedText(pre)).toBe(false);
    pre.remove();
  });
});
