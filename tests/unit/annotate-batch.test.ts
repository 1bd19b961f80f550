import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { textsWithCandidates } from '../../lib/annotate/batch';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

describe('short runs matched together', () => {
  it('finds exactly the texts that hold a candidate, contextual ones included', () => {
    const texts = ['heartbeat ok', 'ERROR -1 504 Not connected', 'nothing here', 'The dashboard says Not connected', 'Unable to connect as the client', 'id is already in use'];
    expect([...textsWithCandidates(matcher, texts)].sort()).toEqual([1, 3]);
  });

  it('agrees with matching each text on its own, with context', () => {
    const texts = Array.from({ length: 300 }, (_, i) =>
      i % 37 === 0 ? `worker ${i}: Error 326, reqId ${i}: Unable to connect as the client id is already in use` : i % 53 === 0 ? '[Errno 111] Connection refused' : `line ${i} of the log`,
    );
    const alone = texts.flatMap((t, i) => (matcher.find(t, { context: true }).length > 0 ? [i] : []));
    expect([...textsWithCandidates(matcher, texts)].sort((a, b) => a - b)).toEqual(alone);
  });
});
