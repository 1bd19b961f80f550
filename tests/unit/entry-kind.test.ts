import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { bidiParts, revealBidi } from '../../lib/bidi';
import { kindLabel, lineKindWord, onTwsCodesPage } from '../../lib/entry-kind';
import { createMatcher } from '../../lib/matcher';

const entry = (id: string) => knowledge.entries.find((e) => e.id === id)!;
const matcher = createMatcher(knowledge.entries);

/** The heading the card or the Markdown gives the first mention in a line. */
function headingOf(line: string): string {
  const [m] = matcher.find(line, { context: true });
  return kindLabel(entry(m.entryId), lineKindWord(line.slice(m.start, m.end)));
}

describe('kindLabel', () => {
  it('heads an entry by its severity: Error, Warning, Notice; the code alone without an IBKR number', () => {
    expect(kindLabel(entry('ibkr-162'))).toBe('Error 162');
    expect(kindLabel(entry('ibkr-2104'))).toBe('Notice 2104');
    expect(kindLabel(entry('ibkr-1100'))).toBe('Notice 1100');
    const warning = knowledge.entries.find((e) => e.severity === 'warning' && e.numericCode !== null)!;
    expect(kindLabel(warning)).toBe(`Warning ${warning.numericCode}`);
    expect(kindLabel(entry('connection-refused'))).toBe(entry('connection-refused').code);
    expect(kindLabel(entry('cpapi-no-bridge'))).toBe('no bridge');
  });

  it("uses the word the page's line uses, but never heads a notice Error", () => {
    expect(headingOf('2024-05-01 ib_insync.wrapper INFO Warning 2104, reqId -1: Market data farm connection is OK:usfarm')).toBe('Warning 2104');
    expect(headingOf('ERROR -1 2104 Market data farm connection is OK:usfarm')).toBe('Notice 2104');
    expect(headingOf('Error 2104, reqId 1: Market data farm connection is OK')).toBe('Notice 2104');
    expect(headingOf("22:28:35 ibapi.wrapper INFO ANSWER error {'reqId': -1, 'errorCode': 2104, 'errorString': 'Market data farm connection is OK:usfarm'}")).toBe('Notice 2104');
    expect(headingOf('Error 162, reqId 1: Historical Market Data Service error message:Historical data request pacing violation')).toBe('Error 162');
    expect(headingOf('Error 1100, reqId -1: Connectivity between IB and Trader Workstation has been lost.')).toBe('Error 1100');
  });

  it('reads the kind word only at the start of a match', () => {
    expect(lineKindWord('Warning 2104, reqId -1: ...')).toBe('Warning');
    expect(lineKindWord('[Error] 326 ...')).toBe('Error');
    expect(lineKindWord('Notice { code: 2104, message: "..." }')).toBe('Notice');
    expect(lineKindWord('INFO 2104')).toBe('Notice');
    expect(lineKindWord('errorCode=2104, errorMsg=...')).toBeNull();
    expect(lineKindWord('TWS Message: 2 1 2104 Market data farm ...')).toBeNull();
    expect(lineKindWord('Market data farm connection is OK')).toBeNull();
  });
});

describe('onTwsCodesPage', () => {
  it('is true for numbered socket-API codes only', () => {
    expect(onTwsCodesPage(entry('ibkr-326'))).toBe(true);
    expect(onTwsCodesPage(entry('ibkr-502'))).toBe(true);
    expect(onTwsCodesPage(entry('ibkr-1100'))).toBe(true);
    expect(onTwsCodesPage(entry('ibkr--1'))).toBe(false);
    for (const e of knowledge.entries.filter((e) => e.category === 'cpapi' || e.numericCode === null)) expect(onTwsCodesPage(e), e.id).toBe(false);
  });
});

describe('bidi controls', () => {
  it('are shown as <U+XXXX>, never applied', () => {
    expect(revealBidi('report\u202Egol.exe')).toBe('report<U+202E>gol.exe');
    expect(revealBidi('a\u2066b\u2069c\u200Fd\u061C')).toBe('a<U+2066>b<U+2069>c<U+200F>d<U+061C>');
    expect(revealBidi('plain ünïcödé עברית')).toBe('plain ünïcödé עברית');
    expect(bidiParts('x\u202Ey\u202C')).toEqual(['x', { control: '<U+202E>' }, 'y', { control: '<U+202C>' }]);
  });
});
