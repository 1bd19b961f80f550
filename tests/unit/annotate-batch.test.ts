import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { matchTogether } from '../../lib/annotate/batch';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
/** Indexes of the texts in which the batch match finds anything. */
const textsWithCandidates = (texts: string[]) => new Set(matchTogether(matcher, texts).byText.keys());

describe('short runs matched together', () => {
  it('finds exactly the texts that hold a candidate, contextual ones included', () => {
    const texts = ['heartbeat ok', 'ERROR -1 504 Not connected', 'nothing here', 'The dashboard says Not connected', 'Unable to connect as the client', 'id is already in use'];
    expect([...textsWithCandidates(texts)].sort()).toEqual([1, 3]);
  });

  it('agrees with matching each text on its own, with context', () => {
    const texts = Array.from({ length: 300 }, (_, i) =>
      i % 37 === 0 ? `worker ${i}: Error 326, reqId ${i}: Unable to connect as the client id is already in use` : i % 53 === 0 ? '[Errno 111] Connection refused' : `line ${i} of the log`,
    );
    const alone = texts.flatMap((t, i) => (matcher.find(t, { context: true }).length > 0 ? [i] : []));
    expect([...textsWithCandidates(texts)].sort((a, b) => a - b)).toEqual(alone);
  });

  // With every rule allowed and either API's reading (`anyReading`): a refusal or `Not connected` is
  // read by the API its text is about only when its run is matched again alone (`readsByApi`).
  it("gives each text the matches it gets on its own, with context and either API's reading, positions within it", () => {
    const texts = Array.from({ length: 200 }, (_, i) =>
      i % 7 === 0
        ? `Error 10${i % 10}, reqId ${i}: Unable to connect as the client id is already in use`
        : i % 11 === 0
          ? 'ConnectionRefusedError: [Errno 111] Connection refused'
          : i % 13 === 0
            ? '{"authenticated": false} from /iserver/auth/status'
            : `line ${i}: Not connected`,
    );
    const { byText, spanning } = matchTogether(matcher, texts);
    expect(spanning.size).toBe(0);
    texts.forEach((t, i) => {
      const alone = matcher.find(t, { context: true, cpapiContext: true, anyReading: true });
      expect(byText.get(i) ?? [], t).toEqual(alone);
    });
  });
});

