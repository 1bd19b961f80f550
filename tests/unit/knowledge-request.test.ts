// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import json from '../../knowledge/json';
import { MARKER_ATTR, MARKER_TAG } from '../../lib/annotate';
import matchDataJson from '../../knowledge/match-data';
import { knowledgeLoader, parseKnowledge, parseMatchData } from '../../lib/knowledge-request';
import type { Match } from '../../lib/matcher';
import { createOverlay, type Overlay } from '../../lib/overlay';

/** After every promise already settled has run its callbacks. */
const settled = () => new Promise((r) => setTimeout(r, 0));

/** A promise the test settles by hand, to hold the background's answer back. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('knowledgeLoader', () => {
  it('asks the background once, however many callers, and gives them the parsed knowledge base', async () => {
    let asks = 0;
    const load = knowledgeLoader(async () => {
      asks++;
      return json;
    });
    const [a, b] = await Promise.all([load(), load()]);
    expect(asks).toBe(1);
    expect(a).toBe(b);
    expect(a.entries.map((e) => e.id)).toEqual(knowledge.entries.map((e) => e.id));
    await load();
    expect(asks).toBe(1);
  });

  it('asks again after a failed ask (an orphaned script, a worker starting up)', async () => {
    const answers: (() => Promise<unknown>)[] = [() => Promise.reject(new Error('Extension context invalidated.')), async () => json];
    const load = knowledgeLoader(() => answers.shift()!());
    await expect(load()).rejects.toThrow('Extension context invalidated.');
    expect((await load()).entries.length).toBe(knowledge.entries.length);
  });

  it.each([
    [undefined, 'the background sent no knowledge base'],
    ['{"notices":{}}', 'has no entries'],
  ])('rejects an answer that is not the knowledge base (%j)', (answer, message) => {
    expect(() => parseKnowledge(answer)).toThrow(message);
  });

  it('reads the match data, and rejects an answer that is not match data', () => {
    expect(parseMatchData(matchDataJson).entries.length).toBe(knowledge.entries.length);
    expect(() => parseMatchData(null)).toThrow('the background sent no match data');
    expect(() => parseMatchData('{"entries":[]}')).toThrow('has no entries');
    expect(() => parseMatchData(json)).toThrow('has no entries');
  });
});

describe('the card before the knowledge base has arrived', () => {
  let overlay: Overlay | undefined;
  afterEach(() => {
    overlay?.destroy();
    document.body.innerHTML = '';
  });

  /** The annotator's record of each marker made here: the card reads the entry from it. */
  const records = new Map<HTMLElement, Match>();
  const matchOf = (m: HTMLElement) => records.get(m);
  function marker(id: string): HTMLElement {
    const el = document.createElement(MARKER_TAG);
    el.setAttribute(MARKER_ATTR, id);
    el.textContent = 'Error 326';
    document.body.append(el);
    records.set(el, { start: 0, end: 9, entryId: id, rule: 'code', variant: null, reason: null });
    return el;
  }
  const cardText = () => (overlay!.root?.querySelector('.card:not([hidden])') as HTMLElement | null)?.textContent ?? '';

  it('shows once it arrives, for the marker still wanted', async () => {
    const answer = deferred<string>();
    overlay = createOverlay({ doc: document, knowledge: knowledgeLoader(() => answer.promise), css: '', matchOf });
    overlay.show(marker('ibkr-326'));
    expect(cardText()).toBe('');
    answer.resolve(json);
    await settled();
    const title = knowledge.entries.find((e) => e.id === 'ibkr-326')!.title;
    expect(cardText()).toContain(title);
  });

  it('keeps a card pinned by a click when the hover asks for it again before it arrives', async () => {
    const answer = deferred<string>();
    overlay = createOverlay({ doc: document, knowledge: knowledgeLoader(() => answer.promise), css: '', matchOf });
    const m = marker('ibkr-326');
    overlay.show(m, true);
    overlay.show(m);
    answer.resolve(json);
    await settled();
    expect(overlay.root?.querySelector('.card')?.getAttribute('role')).toBe('dialog');
  });

  it('shows nothing when the card was hidden before it arrived', async () => {
    const answer = deferred<string>();
    overlay = createOverlay({ doc: document, knowledge: knowledgeLoader(() => answer.promise), css: '', matchOf });
    overlay.show(marker('ibkr-326'));
    overlay.hide();
    answer.resolve(json);
    await settled();
    expect(cardText()).toBe('');
  });
});
