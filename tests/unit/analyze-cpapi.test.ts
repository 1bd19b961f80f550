/**
 * The log analyzer over Client Portal logs: IBeam's log, the gateway's JSON bodies and ibind's
 * wrappers are counted, by entry; a TWS log's generic texts are not taken for Client Portal ones.
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createLogAnalyzer, type LogAnalysis } from '../../lib/analyze';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const counts = (a: LogAnalysis) => Object.fromEntries(a.findings.map((f) => [f.entryId, f.count]));

const IBEAM_LOG = [
  '2024-01-02 17:03:55,101|I| ############ Starting IBeam version 0.4.6 ############',
  '2024-01-02 17:04:01,233|I| Gateway session found but not authenticated, authenticating...',
  '2024-01-02 17:04:08,114|I| Webpage displayed "Client login succeeds"',
  '2024-01-02 17:04:10,363|I| Gateway session active but not authenticated',
  '2024-01-02 17:05:10,002|I| Gateway session active but not authenticated',
  '2024-01-02 17:06:10,017|E| Repeatedly reauthenticating failed 3 times. Killing the Gateway and restarting the authentication process.',
  // What the user's client logged meanwhile: JSON bodies on lines of their own.
  '{"error":"Init session first","statusCode":400}',
  "{'error': 'Init session first', 'statusCode': 400}",
  '[{"id":"07a1","message":["The following order exceeds the price percentage limit"],"isSuppressed":false,"messageIds":["o163"]}]',
  'Access Denied',
].join('\n');

describe('log analyzer, Client Portal logs', () => {
  it('counts the IBeam lines and the JSON bodies of the log', () => {
    const a = createLogAnalyzer(knowledge.entries, matcher);
    a.push(IBEAM_LOG);
    const result = a.end();
    expect(counts(result)).toEqual({
      'cpapi-ibeam-session-found': 1,
      'cpapi-client-login-succeeds': 1,
      'cpapi-ibeam-not-authenticated': 2,
      'cpapi-ibeam-reauthenticate-failed': 1,
      'cpapi-init-session-first': 2,
      // The question's text and its id.
      'cpapi-o163': 2,
      'cpapi-access-denied': 1,
    });
    const notAuthenticated = result.findings.find((f) => f.entryId === 'cpapi-ibeam-not-authenticated')!;
    expect([notAuthenticated.firstLine, notAuthenticated.lastLine]).toEqual([4, 5]);
    // Errors first, informational lines last.
    expect(result.findings.at(-1)?.entryId).toBe('cpapi-client-login-succeeds');
  });

  it('takes Client Portal context from the log only once it shows some', () => {
    const a = createLogAnalyzer(knowledge.entries, matcher);
    a.push('Access Denied\n');
    a.push('2024-01-02 17:04:10,363|E| Gateway session active but not authenticated\nAccess Denied\n');
    expect(counts(a.end())).toEqual({ 'cpapi-ibeam-not-authenticated': 1, 'cpapi-access-denied': 1 });
  });

  it('does not count generic texts of a TWS log as Client Portal errors', () => {
    const a = createLogAnalyzer(knowledge.entries, matcher);
    a.push('2024-05-01 09:30:00,001 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use.\n');
    a.push('Access Denied\nnot authenticated\n{"authenticated": false}\n');
    expect(counts(a.end())).toEqual({ 'ibkr-326': 1 });
  });
});
