// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import json from '../../knowledge/json';
import { MARKER_ATTR, MARKER_TAG } from '../../lib/annotate';
import matchDataJson from '../../knowledge/match-data';
import { entriesAnswer, entriesLoader, MAX_ENTRIES_ASKED, parseEntries, parseKnowledge, parseMatchData } from '../../lib/knowledge-request';
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

/** The background's answer for `ids`, as it gives it (entrypoints/background.ts). */
const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
const answerFor = (ids: unknown) => entriesAnswer(knowledge, byId, ids);

describe('entriesLoader', () => {
  it('asks only for entries not asked for yet, once while an ask is on its way, and keeps every entry that came', async () => {
    const asked: string[][] = [];
    const load = entriesLoader(async (ids) => {
      asked.push(ids);
      return answerFor(ids);
    });
    const [a, b] = await Promise.all([load(['ibkr-326', 'ibkr-504']), load(['ibkr-504'])]);
    expect(asked).toEqual([['ibkr-326', 'ibkr-504']]);
    expect(a.entries.map((e) => e.id)).toEqual(['ibkr-326', 'ibkr-504']);
    expect(b.entries.map((e) => e.id)).toEqual(['ibkr-326', 'ibkr-504']);
    expect(a.notices).toEqual(knowledge.notices);
    const c = await load(['ibkr-326', 'ibkr-1100', 'no-such-entry']);
    expect(asked).toEqual([['ibkr-326', 'ibkr-504'], ['ibkr-1100', 'no-such-entry']]);
    expect(c.entries.map((e) => e.id)).toEqual(['ibkr-326', 'ibkr-504', 'ibkr-1100']);
    // An id the catalog does not hold was answered: not asked again.
    await load(['no-such-entry', 'ibkr-504']);
    expect(asked).toHaveLength(2);
  });

  it('asks for no entry at all to get the notices, the first time only', async () => {
    const asked: string[][] = [];
    const load = entriesLoader(async (ids) => (asked.push(ids), answerFor(ids)));
    expect((await load([])).notices).toEqual(knowledge.notices);
    await load([]);
    expect(asked).toEqual([[]]);
  });

  it('asks again after a failed ask (an orphaned script, a worker starting up)', async () => {
    const answers: ((ids: string[]) => Promise<unknown>)[] = [() => Promise.reject(new Error('Extension context invalidated.')), async (ids) => answerFor(ids)];
    const load = entriesLoader((ids) => answers.shift()!(ids));
    await expect(load(['ibkr-326'])).rejects.toThrow('Extension context invalidated.');
    expect((await load(['ibkr-326'])).entries.map((e) => e.id)).toEqual(['ibkr-326']);
  });

  it('the background answers only strings it knows, at most MAX_ENTRIES_ASKED of them', () => {
    const parsed = (ids: unknown) => parseEntries(answerFor(ids)).entries.map((e) => e.id);
    expect(parsed(['ibkr-326', 7, null, 'nope', 'ibkr-504'])).toEqual(['ibkr-326', 'ibkr-504']);
    expect(parsed('ibkr-326')).toEqual([]);
    expect(parsed(Array.from({ length: MAX_ENTRIES_ASKED + 5 }, () => 'ibkr-326'))).toHaveLength(MAX_ENTRIES_ASKED);
  });

  it.each([
    [undefined, 'the background sent no entries'],
    ['{"entries":[]}', 'not a list with the notices'],
    ['{"notices":{}}', 'not a list with the notices'],
  ])('rejects an answer that is not entries with the notices (%j)', (answer, message) => {
    expect(() => parseEntries(answer)).toThrow(message);
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
    overlay = createOverlay({ doc: document, knowledge: entriesLoader(() => answer.promise), css: '', matchOf });
    overlay.show(marker('ibkr-326'));
    expect(cardText()).toBe('');
    answer.resolve(answerFor(['ibkr-326']));
    await settled();
    const title = knowledge.entries.find((e) => e.id === 'ibkr-326')!.title;
    expect(cardText()).toContain(title);
  });

  it('keeps a card pinned by a click when the hover asks for it again before it arrives', async () => {
    const answer = deferred<string>();
    overlay = createOverlay({ doc: document, knowledge: entriesLoader(() => answer.promise), css: '', matchOf });
    const m = marker('ibkr-326');
    overlay.show(m, true);
    overlay.show(m);
    answer.resolve(answerFor(['ibkr-326']));
    await settled();
    expect(overlay.root?.querySelector('.card')?.getAttribute('role')).toBe('dialog');
  });

  it('shows nothing when the card was hidden before it arrived', async () => {
    const answer = deferred<string>();
    overlay = createOverlay({ doc: document, knowledge: entriesLoader(() => answer.promise), css: '', matchOf });
    overlay.show(marker('ibkr-326'));
    overlay.hide();
    answer.resolve(answerFor(['ibkr-326']));
    await settled();
    expect(cardText()).toBe('');
  });
});
