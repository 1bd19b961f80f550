import { describe, expect, it } from 'vitest';
import knowledge, { stems } from '../../knowledge';
import { createMatcher } from '../../lib/matcher';
import { stemsOf } from '../../lib/message-stems';

describe('message stems worked out at build time', () => {
  it('are the stems the matcher would work out itself, for every official message', () => {
    const messages = knowledge.entries.flatMap((e) => e.match.messages);
    expect(Object.keys(stems).sort()).toEqual([...new Set(messages)].sort());
    for (const m of messages) expect(stems[m], m).toEqual(stemsOf(m));
  });

  it('give a matcher that finds exactly what one built from scratch finds', () => {
    const prebuilt = createMatcher(knowledge.entries, { stems });
    const scratch = createMatcher(knowledge.entries);
    const texts = knowledge.entries.flatMap((e) => [...e.examples.map((x) => x.text), ...e.notExamples]);
    expect(texts.length).toBeGreaterThan(700);
    for (const context of [false, true]) {
      for (const text of texts) expect(prebuilt.find(text, { context }), text).toEqual(scratch.find(text, { context }));
    }
  });
});
