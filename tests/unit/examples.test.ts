/**
 * Examples are tests: every entry's `examples` must resolve to exactly that entry (and to the
 * variant they name), with no outside context; its `not_examples` must not produce it. And the
 * examples, all together, must show every log format the matcher knows.
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** What the matcher makes of a line: [marked text, entry id, variant]. */
function found(text: string): [string, string, string | null][] {
  return matcher.find(text).map((m) => [text.slice(m.start, m.end), m.entryId, m.variant]);
}

describe('entry examples', () => {
  it('resolve every example to its own entry, and to the variant it names', () => {
    const wrong: string[] = [];
    for (const e of knowledge.entries) {
      for (const ex of e.examples) {
        const got = found(ex.text);
        const ok =
          got.length > 0 && got.every(([, id]) => id === e.id) && (ex.variant === null || got.some(([, , v]) => v === ex.variant));
        if (!ok) wrong.push(`${e.id}: ${JSON.stringify(ex.text)} -> ${JSON.stringify(got)}${ex.variant ? ` (wanted variant ${ex.variant})` : ''}`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('never resolve a not_example to its entry', () => {
    const wrong: string[] = [];
    for (const e of knowledge.entries) {
      for (const text of e.notExamples) {
        const got = found(text);
        if (got.some(([, id]) => id === e.id)) wrong.push(`${e.id}: ${JSON.stringify(text)} -> ${JSON.stringify(got)}`);
      }
    }
    expect(wrong, wrong.join('\n')).toEqual([]);
  });
});

/** One regex per log format people paste (ibkr-formats.md, section 1). */
const LOG_FORMATS: [string, RegExp][] = [
  ['ib_insync / ib_async error', /\bError -?\d+, reqId -?\d+: \S/],
  ['ib_insync / ib_async warning', /\bWarning \d+, reqId -?\d+: \S/],
  ['ib_insync RequestError', /(?<!\] )\bAPI error: -?\d+: \S/],
  ['ib_async RequestError', /\[reqId -?\d+\] API error: -?\d+: \S/],
  ['ibapi ERROR line', /\bERROR -?\d+ -?\d{1,5} [A-Za-z]/],
  ['ibapi ERROR line with time (10.33+)', /\bERROR -?\d+ \d{13} -?\d{1,5} [A-Za-z]/],
  ['ibapi logging prefix', /ERROR:ibapi\.wrapper:ERROR -?\d+ /],
  ['ibapi ANSWER error', /ANSWER error \{'reqId': -?\d+, 'errorCode': \d+/],
  ['Java / C# / C++ testbed', /\bError\. Id: -?\d+, Code: \d+, Msg: /],
  ['C# IBSampleApp', /\bError\. Request: -?\d+, Code: \d+ - /],
  ['Java / IBC pipes', /-?\d+ \| \d+ \| [A-Za-z]/],
  ['wire log', /Error code=\d+;Error msg=/],
  ['backtrader', /errorCode=\d+, errorMsg=/],
  ['Nautilus Trader', /\(code: \d+, req_id=-?\d+\)/],
  ['QuantConnect LEAN', /ErrorCode: \d+ - /],
  ['rust-ibapi', /error_code: \d+, error_message: /],
  ['ezibpy', /\[#\d+\] [A-Za-z]/],
  ['stoqey/ib', /\(Error #\d+\)/],
  ['JSON errCode', /"errCode": ?\d+/],
  ['backtrader store notification', /<error id=-?\d+, errorCode=\d+, errorMsg=/],
  ['atreyu-backtrader-api', /Calling error\(-?\d+, \d+, '/],
  ['rust-ibapi notice', /Notice \{ code: \d+, message: "/],
  ['code and message in quotes', /\bWarning \d+: "/],
  ['MATLAB bare fields', /^-?\d+ \d{3,5} [A-Za-z]/],
  ['R IBrokers bare fields', /TWS Message: \d+ -?\d+ \d{3,5} [A-Za-z]/],
  ['prose code and message', /\bError code \d+ - [A-Z]/],
];

describe('log format coverage', () => {
  it('shows every log format in at least one entry example', () => {
    const examples = knowledge.entries.flatMap((e) => e.examples.map((x) => x.text));
    const absent = LOG_FORMATS.filter(([, re]) => !examples.some((text) => re.test(text))).map(([name]) => name);
    expect(absent, `formats without an example: ${absent.join(', ')}`).toEqual([]);
  });
});
