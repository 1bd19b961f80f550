/**
 * How users write about codes in prose (a plural with a list of codes, "warning 2104", the code
 * before the word "error"), vn.py's Chinese log line, and ezibpy's `[#N]` beside a changelog's
 * issue numbers: each form marked where it is an IBKR code, and its look-alikes left alone.
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createMatcher, readsByApi } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** [marked text, entry id] of each match. */
function marks(text: string, context = false): [string, string][] {
  return matcher.find(text, { context }).map((m) => [text.slice(m.start, m.end), m.entryId]);
}

describe('prose forms on a page with IBKR context', () => {
  it.each([
    ['Errors 2104 and 2106 are harmless', [['2104', 'ibkr-2104'], ['2106', 'ibkr-2106']]],
    ['errors 2104, 2106 and 2158 are only notices', [['2104', 'ibkr-2104'], ['2106', 'ibkr-2106'], ['2158', 'ibkr-2158']]],
    ['Error codes 2104/2106 show up on every connect', [['2104', 'ibkr-2104'], ['2106', 'ibkr-2106']]],
    ['warning 2104', [['warning 2104', 'ibkr-2104']]],
    ['I keep getting warnings 2104/2106 on start', [['2104', 'ibkr-2104'], ['2106', 'ibkr-2106']]],
    ['Warnings 2104, 2106 and 2158 are only notices', [['2104', 'ibkr-2104'], ['2106', 'ibkr-2106'], ['2158', 'ibkr-2158']]],
    // each code of the list is read alone: a notice's, never an error's
    ['warnings 2104 and 200 at start', [['2104', 'ibkr-2104']]],
    ['I keep getting warning 2106 after connecting', [['warning 2106', 'ibkr-2106']]],
    ['Usually the 2105 error is followed by 2106 error message', [['2105 error', 'ibkr-2105'], ['2106 error message', 'ibkr-2106']]],
    ["This 1101 error code doesn't seem to be handled", [['1101 error code', 'ibkr-1101']]],
    ['I get the 200 error for every option contract', [['200 error', 'ibkr-200']]],
  ])('%s', (text, expected) => {
    expect(marks(text, true)).toEqual(expected);
  });

  it.each([
    ['Errors 2104 and 2106 are harmless'],
    ['warning 2104'],
    ['I keep getting warnings 2104/2106 on start'],
    ['Usually the 2105 error is followed by 2106 error message'],
    ["This 1101 error code doesn't seem to be handled"],
  ])('not without context: %s', (text) => {
    expect(marks(text)).toEqual([]);
  });

  it.each([
    // years, versions, amounts, counts, issue numbers, HTTP
    ['the 2019 error'],
    ['Errors 2019 and 2020 were bad years'],
    ['error 404 page'],
    ['the 404 error page'],
    ['an HTTP 502 error from nginx'],
    ['Python 3.10 error'],
    ['a $500 error in the invoice'],
    ['issue #1100 error is fixed'],
    ['we log 100 errors a day'],
    ['500 error messages a day'],
    ['the 200 error codes in the table'],
    ['Errors 2104'],
    // an exception printed after a number
    ["console.log('received:', a, b, n, err) // received: list of args 123 Error: Boom"],
    // "warning" takes a notice, never an error code
    ['warning 200'],
    ['warning 2019'],
    ['warnings 200 and 504'],
    ['compiler warnings 2019/2020'],
    ['Warnings 2104'],
  ])('look-alike: %s', (text) => {
    expect(marks(text, true)).toEqual([]);
  });
});

describe("vn.py's Chinese log line", () => {
  it('marks the code with its message, as one mention', () => {
    const line = '2021-08-02 21:17:42,464  INFO: 信息通知，代码：2108，内容: Market data farm connection is inactive but should be available upon demand.eufarm';
    expect(marks(line)).toEqual([['代码：2108，内容: Market data farm connection is inactive but should be available upon demand.eufarm', 'ibkr-2108']]);
  });

  it('leaves a code without an official message alone', () => {
    expect(marks('信息通知，代码：2108，内容: 连接正常', true)).toEqual([]);
  });
});

describe("ezibpy's [#N] needs its message or ezibpy's logger, even with IBKR context", () => {
  it.each([['Fixed reconnect bug [#321]'], ['fixed [#1100] on reconnect'], ['- [#326] client id is now configurable']])('%s', (text) => {
    expect(marks(text, true)).toEqual([]);
  });

  it("keeps ezibpy's and qtpylib's lines", () => {
    expect(marks("[#321] Error validating request:-'bp' : cause - Invalid account code '0'.")).toEqual([
      ["[#321] Error validating request:-'bp' : cause - Invalid account code '0'.", 'ibkr-321'],
    ]);
    expect(marks('2016-12-30 06:55:01,093 [ERROR] ezibpy: [#1100] the connection went', true)).toEqual([['[#1100]', 'ibkr-1100']]);
    expect(marks('2016-12-06 13:23:37,546 [WARNING] qtpylib.blotter: [IB #2106] farm back', true)).toEqual([['[IB #2106]', 'ibkr-2106']]);
  });
});

describe('a listed code or a code before "error" with an HTTP status\'s number', () => {
  it('is read by API when a batch found it (matched again alone)', () => {
    for (const text of ['Errors 404 and 2104 show up', 'the 502 error again']) {
      const found = matcher.find(text, { context: true, anyReading: true }).filter((m) => /^ibkr-(404|502)$/.test(m.entryId));
      expect(found.length).toBe(1);
      expect(readsByApi(found[0], text)).toBe(true);
    }
  });

  it('is the Client Portal status on a Client Portal page, as "error 401" is', () => {
    expect(matcher.find('/v1/api/iserver/accounts gives the 401 error', { context: true, cpapiContext: true }).map((m) => m.entryId)).toEqual(['cpapi-http-401']);
  });
});
