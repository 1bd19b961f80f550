import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import knowledge, { stemIndex } from '../../knowledge';
import matchDataJson from '../../knowledge/match-data';
import json from '../../knowledge/json';
import { matchDataEntry } from '../../knowledge/vite-plugin';
import { createMatcher, prepareMatcher } from '../../lib/matcher';
import { parseMatchData } from '../../lib/knowledge-request';
import { buildStemIndexData, wordAnchor } from '../../lib/message-stems';

const matchData = parseMatchData(matchDataJson);
const texts = knowledge.entries.flatMap((e) => [...e.examples.map((x) => x.text), ...e.notExamples]);

describe('the stem index worked out at build time', () => {
  it('is the index the matcher would work out itself from every official message', () => {
    const messages = knowledge.entries.flatMap((e) => e.match.messages.map((message) => ({ entryId: e.id, message })));
    expect(stemIndex).toEqual(buildStemIndexData(messages));
    expect(matchData.stemIndex).toEqual(stemIndex);
    expect(stemIndex.stems.length).toBeGreaterThan(500);
  });

  it('gives a matcher that finds exactly what one built from scratch finds', () => {
    const prebuilt = createMatcher(knowledge.entries, { stemIndex });
    const scratch = createMatcher(knowledge.entries);
    expect(texts.length).toBeGreaterThan(700);
    for (const context of [false, true]) {
      for (const text of texts) expect(prebuilt.find(text, { context }), text).toEqual(scratch.find(text, { context }));
    }
  });
});

describe("the content script's match data", () => {
  it('holds every entry, with its severity, and none of the text that explains it', () => {
    expect(matchData.entries.map((e) => e.id)).toEqual(knowledge.entries.map((e) => e.id));
    expect(matchData.entries).toEqual(knowledge.entries.map(matchDataEntry));
    const ibkr200 = matchData.entries.find((e) => e.id === 'ibkr-200')!;
    expect(ibkr200.severity).toBe('error');
    expect(Object.keys(ibkr200).sort()).toEqual(['id', 'match', 'numericCode', 'severity', 'variants']);
    expect(JSON.stringify(matchData).length).toBeLessThan(JSON.stringify(knowledge).length / 3);
  });

  it("carries each generic pattern's word anchor, worked out at build time rather than on every page", () => {
    const patterns = matchData.entries.flatMap((e) => e.match.contextual);
    expect(patterns.length).toBeGreaterThan(100);
    for (const p of patterns) expect(p.anchor, p.source).toEqual(wordAnchor(p.source));
    expect(patterns.every((p) => p.anchor !== null)).toBe(true);
  });

  it('gives the content script a matcher that finds exactly what the full knowledge base finds', () => {
    const content = createMatcher(matchData.entries, { stemIndex: matchData.stemIndex });
    const full = createMatcher(knowledge.entries);
    for (const context of [false, true]) {
      for (const text of texts) expect(content.find(text, { context }), text).toEqual(full.find(text, { context }));
    }
  });

  it('leaves the rest to the JSON the background hands out, which is the whole knowledge base', () => {
    expect(JSON.parse(json)).toEqual(knowledge);
  });
});

describe('the match data once the matcher is built', () => {
  // A real full collection, to see what the built matcher still holds.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  it("is not held by the matcher beyond what it reads later (the stem index's slots go), and the matcher still finds stems, patterns and quoted fragments", async () => {
    const { matcher, slots } = (() => {
      const data = parseMatchData(matchDataJson);
      return { matcher: prepareMatcher(data.entries, { stemIndex: data.stemIndex })(), slots: new WeakRef(data.stemIndex.slots) };
    })();
    // A WeakRef keeps its target until the current job is over.
    await new Promise((resolve) => setTimeout(resolve, 0));
    gc();
    expect(slots.deref()).toBeUndefined();
    const reference = createMatcher(knowledge.entries, { stemIndex });
    const lines = ['ERROR -1 504 Not connected', 'Requested market data is not subscribed. Displaying delayed market data.', 'snapshot() returns 10197 "competing session"', ...texts.slice(0, 200)];
    for (const text of lines) expect(matcher.find(text, { context: true }), text).toEqual(reference.find(text, { context: true }));
    expect(matcher.find('snapshot() returns 10197 "competing session"', { context: true }).map((m) => m.entryId)).toEqual(['ibkr-10197']);
  });
});
