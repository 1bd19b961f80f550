import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { StemIndex, wordAnchor, type AnchoredPattern } from '../../lib/message-stems';

describe('wordAnchor', () => {
  it.each([
    ['\\bNot connected\\b', { word: 'not', lead: 0 }],
    ['"competing"\\s*:\\s*true', { word: 'competing', lead: 1 }],
    ['\\[WinError 10061\\][^\\n]{0,100}?actively refused it', { word: 'winerror', lead: 1 }],
    ['\\bauthenticated:\\s*false\\b', { word: 'authenticated', lead: 0 }],
    ['\\bsession (?:has )?(?:timed out|expired)\\b', { word: 'session', lead: 0 }],
  ])('anchors %s on its first word', (source, anchor) => {
    expect(wordAnchor(source)).toEqual(anchor);
  });

  it.each([
    // could match inside a longer word ("MyConnectionRefusedError")
    'ConnectionRefusedError\\b',
    // the word does not end where the literal ends
    '\\bcolou?r\\b',
    '\\berror\\d+',
    '\\berror_code',
    '\\bfoo(?:bar)?',
    // a terminator that may be absent: "foobar" is one word
    '\\bfoo\\s*bar',
    '\\bfoo\\.?bar',
    '\\bfoo[ ]?bar',
    // punctuation before the word that may be absent
    '"?competing"',
    '\\[?WinError 10061',
    // a top-level alternative can start anywhere
    '\\bNot connected|lost',
    // no literal word first
    '\\b(?:Not|Never) connected',
    '\\d+ orders',
  ])('leaves %s to the combined regex', (source) => {
    expect(wordAnchor(source)).toBeNull();
  });

  it('anchors every contextual pattern of the catalog, so the matcher walks each text once for them', () => {
    const unanchored = knowledge.entries.flatMap((e) =>
      e.match.contextual.filter((p) => wordAnchor(p.source) === null).map((p) => `${e.id}: ${p.source}`),
    );
    expect(unanchored).toEqual([]);
  });
});

/** What one combined regex per group finds: the reference the word walk must reproduce. */
function combinedMatches(sources: { source: string; caseSensitive: boolean }[], text: string): string[] {
  const out: string[] = [];
  for (const caseSensitive of [false, true]) {
    const group = sources.filter((s) => s.caseSensitive === caseSensitive);
    if (group.length === 0) continue;
    const regex = new RegExp(group.map((s) => `(${s.source})`).join('|'), caseSensitive ? 'g' : 'gi');
    for (const m of text.matchAll(regex)) {
      const g = m.slice(1).findIndex((x) => x !== undefined);
      out.push(`${m.index}-${m.index! + m[0].length}:${group[g].source}`);
    }
  }
  return out.sort();
}

function walkedMatches(sources: { source: string; caseSensitive: boolean }[], text: string): string[] {
  const patterns: AnchoredPattern<string>[] = sources.map((s) => ({
    ...wordAnchor(s.source)!,
    source: s.source,
    caseSensitive: s.caseSensitive,
    regex: undefined,
    group: s.caseSensitive ? 1 : 0,
    owner: s.source,
  }));
  const out: string[] = [];
  new StemIndex({ stems: [], slots: [] }, patterns).scan(
    text,
    () => false,
    (start, end, p) => out.push(`${start}-${end}:${p.owner}`),
  );
  return out.sort();
}

describe('word-anchored patterns', () => {
  const sources = [
    { source: '\\bsession (?:has )?(?:timed out|expired)\\b', caseSensitive: false },
    { source: '\\bsession timeout\\b', caseSensitive: false },
    { source: '"competing"\\s*:\\s*true', caseSensitive: false },
    { source: '\\bcompeting:\\s*true\\b', caseSensitive: false },
    { source: '\\bcompeting (?:brokerage )?session\\b', caseSensitive: false },
    { source: '\\[Errno 111\\] Connection refused', caseSensitive: false },
    { source: '\\bConnection refused by \\w+', caseSensitive: false },
    { source: '\\bNot connected\\b', caseSensitive: true },
    { source: '\\bnot connected to session\\b', caseSensitive: false },
  ];
  const texts = [
    'Session timeout; the session has expired. SESSION TIMED OUT',
    '{"competing":true} competing: TRUE, a competing brokerage session timeout',
    '[Errno 111] Connection refused by peer; Connection refused by TWS',
    'Not connected, not connected to session, NOT CONNECTED; Not connected to session',
    'mysession timeout, session timeouts, xcompeting session, competing sessions',
    '"competing" : true"competing":true[errno 111] connection refused',
    '',
    'session',
  ];

  it.each(texts)('finds what one combined regex per case mode finds in %j', (text) => {
    expect(walkedMatches(sources, text)).toEqual(combinedMatches(sources, text));
  });

  it('finds them in long mixed text too', () => {
    const text = Array.from({ length: 200 }, (_, i) => texts[(i * 7) % texts.length]).join(i18nJoiner);
    expect(walkedMatches(sources, text)).toEqual(combinedMatches(sources, text));
    expect(walkedMatches(sources, text).length).toBeGreaterThan(300);
  });
});

/** Joins with characters that are word characters for some engines and not for others. */
const i18nJoiner = ' é_\n';
