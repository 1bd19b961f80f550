// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createLogAnalyzer, MAX_LINE_CHARS } from '../../lib/analyze';
import { showBidiText } from '../../lib/bidi';
import { boundaryLine, COPIED_LABEL, copyButton, docsLink, entryMarkdown, IBKR_CODES_DOC_URL, mdCode, mdInline, reportMarkdown } from '../../lib/markdown';
import { createMatcher } from '../../lib/matcher';
import { kindWord } from '../../lib/render';
import { ACTIVE_ELEMENTS, renderMarkdown } from '../render-markdown';

const entry = (id: string) => knowledge.entries.find((e) => e.id === id)!;

/** The Markdown rendered as GitHub would, as a document to query. */
const rendered = (markdown: string) => new DOMParser().parseFromString(renderMarkdown(markdown), 'text/html');
const texts = (doc: Document, selector: string) => [...doc.querySelectorAll(selector)].map((e) => e.textContent);

describe('entryMarkdown', () => {
  it('gives title, code, severity, summary, causes, checks, resolution, the docs link and the boundary', () => {
    const e = entry('ibkr-326');
    const md = entryMarkdown(e, knowledge.notices);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### Error 326: Client ID is already in use');
    expect(md).toContain('- **Code:** `326`');
    expect(md).toContain('- **Severity:** Error');
    expect(md).toContain(mdInline(e.summary));
    expect(md).toContain('**Likely causes**\n\n- Two API clients use the same clientId\n');
    expect(md).toContain('**Checks**\n\n- List running notebooks, scripts, services, and terminals\n');
    expect(md).toContain('**Resolution path**\n\n1. Assign a different client ID per process\n2. Call disconnect in finally blocks');
    expect(md).toContain(`Official message codes: ${IBKR_CODES_DOC_URL}`);
    expect(lines.filter(Boolean).at(-1)).toBe(`_${mdInline(boundaryLine(knowledge.notices))}_`);
    expect(boundaryLine(knowledge.notices)).toMatch(/^Educational boundary: This lookup is for technical troubleshooting .* not financial, investment, trading, tax, or legal advice\./);
    // Rendered, the boundary reads exactly as written.
    expect(rendered(md).querySelector('p:last-of-type em')!.textContent).toBe(boundaryLine(knowledge.notices));
  });

  it('heads a notice "Notice 2104", says it is not an error, and has no "Likely causes"', () => {
    const md = entryMarkdown(entry('ibkr-2104'), knowledge.notices);
    expect(md.split('\n')[0]).toBe('### Notice 2104: Market data farm connected (status notice)');
    expect(md).toContain('**Not an error: nothing to fix.**');
    expect(md).toContain('- **Severity:** Information, not an error');
    expect(md).not.toMatch(/Error 2104|Likely causes|Resolution path/);
    expect(md).toContain('**Why it appears**');
    expect(md).toContain('**What to do**');
    // The word the page's line uses heads it (the card's kindWord), except "Error", which the Python client prints for every notice.
    expect(entryMarkdown(entry('ibkr-2104'), knowledge.notices, { word: 'Warning' }).split('\n')[0]).toMatch(/^### Warning 2104: /);
    expect(entryMarkdown(entry('ibkr-2104'), knowledge.notices, { word: kindWord(entry('ibkr-2104'), 'ERROR -1 2104 Market data farm connection is OK') }).split('\n')[0]).toMatch(/^### Notice 2104: /);
    expect(entryMarkdown(entry('ibkr-1100'), knowledge.notices).split('\n')[0]).toMatch(/^### Notice 1100: /);
    // A short entry (title and summary only) gets no empty headings.
    const short = knowledge.entries.find((e) => e.causes.length === 0 && e.checks.length === 0 && e.resolution.length === 0)!;
    const shortMd = entryMarkdown(short, knowledge.notices);
    for (const heading of ['**Likely causes**', '**Checks**', '**Resolution path**']) expect(shortMd).not.toContain(heading);
    expect(shortMd).toContain(mdInline(short.summary));
  });

  it("puts this case's cause and fix and the page's words first, before the summary and the generic lists", () => {
    const e = entry('ibkr-162');
    const pacing = e.variants.find((v) => v.id === 'pacing')!;
    const md = entryMarkdown(e, knowledge.notices, { variant: 'pacing', reason: 'Historical data request pacing violation' });
    const at = (text: string) => md.indexOf(text);
    expect(md.split('\n')[0]).toBe('### Error 162: Historical data request failed');
    expect(at('**This case: Pacing violation**')).toBeGreaterThan(0);
    expect(at('**This case')).toBeLessThan(at(mdInline(e.summary)));
    expect(at(mdInline(pacing.fix))).toBeLessThan(at(mdInline(e.summary)));
    expect(at(mdInline(e.summary))).toBeLessThan(at('**Likely causes**'));
    const doc = rendered(md);
    const items = texts(doc, 'ul:first-of-type li');
    expect(items).toEqual([
      'The page says: Historical data request pacing violation',
      `Cause: ${pacing.cause.replace(/\s+/g, ' ')}`,
      `Fix: ${pacing.fix.replace(/\s+/g, ' ')}`,
    ]);
    expect(entryMarkdown(e, knowledge.notices, { variant: 'nope' })).not.toContain('This case');
  });

  it("links IBKR's TWS message-code page from socket-API codes only", () => {
    const linked = (id: string) => entryMarkdown(entry(id), knowledge.notices).includes(IBKR_CODES_DOC_URL);
    expect(linked('ibkr-162')).toBe(true);
    expect(linked('ibkr-504')).toBe(true);
    expect(linked('ibkr-2104')).toBe(true);
    for (const id of ['cpapi-no-bridge', 'cpapi-not-authenticated', 'connection-refused', 'api-connection-failed', 'ibkr--1']) expect(linked(id), id).toBe(false);
  });

  it('escapes Markdown in knowledge and page text, and keeps what the page wrote in code', () => {
    expect(mdInline('a *b* [c](d) <e> | f_g')).toBe('a \\*b\\* \\[c\\](d) \\<e\\> \\| f\\_g');
    expect(mdCode('plain')).toBe('`plain`');
    expect(mdCode('has ` tick')).toBe('``has ` tick``');
    expect(mdCode('`starts')).toBe('`` `starts ``');
    const reason = String.raw`C:\Users\me\Jts <details><summary>x</summary></details> [x](javascript:alert(1)) \| ok`;
    const doc = rendered(entryMarkdown(entry('ibkr-321'), knowledge.notices, { reason }));
    expect(doc.querySelectorAll(ACTIVE_ELEMENTS.replace('strong, em, ', ''))).toHaveLength(doc.querySelectorAll('a[href="' + IBKR_CODES_DOC_URL + '"]').length);
    expect(doc.querySelector('li code')!.textContent).toBe(reason);
  });

  it('shows bidi controls visibly, never raw', () => {
    const reason = 'order for \u202Eeulav\u202C shares';
    const md = entryMarkdown(entry('ibkr-321'), knowledge.notices, { reason });
    expect(md).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(rendered(md).querySelector('li code')!.textContent).toBe('order for ⟨RLO⟩eulav⟨PDF⟩ shares');
  });
});

describe('reportMarkdown', () => {
  const matcher = createMatcher(knowledge.entries);
  const analysisOf = (...lines: string[]) => {
    const a = createLogAnalyzer(knowledge.entries, matcher);
    a.push(lines.join('\n'));
    return a.end();
  };
  const L326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.';
  const L2104 = 'Warning 2104, reqId -1: Market data farm connection is OK:usfarm';
  const P162 = 'Error 162, reqId 4: Historical Market Data Service error message:Historical data request pacing violation';
  const N162 = 'Error 162, reqId 5: Historical Market Data Service error message:HMDS query returned no data: ESM3@CME Trades';

  /** The table body as cell texts. */
  const rows = (markdown: string) => [...rendered(markdown).querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent));

  it('is a table with one row per entry and case, kind labels and severity labels as on the card', () => {
    const md = reportMarkdown(analysisOf(L2104, P162, N162, 'noise', P162, L326), knowledge.entries, { boundary: 'Educational boundary: not advice.' });
    expect(md.split('\n')[0]).toBe('### IBKR API messages in a pasted log');
    expect(md).toContain('6 lines read: 3 distinct errors, 1 informational notice.');
    expect(rows(md)).toEqual([
      ['Error 162', 'Historical data request failed: Pacing violation', 'Error', '2', '2', '5', P162],
      ['Error 162', 'Historical data request failed: Query returned no data', 'Error', '1', '3', '3', N162],
      ['Error 326', 'Client ID is already in use', 'Error', '1', '6', '6', L326],
      ['Notice 2104', 'Market data farm connected (status notice)', 'Information, not an error', '1', '1', '1', L2104],
    ]);
    expect(md).toContain(`Official message codes (TWS API): ${IBKR_CODES_DOC_URL}`);
    expect(rendered(md).querySelector('p:last-of-type em')!.textContent).toBe('Educational boundary: not advice.');
    expect(reportMarkdown(analysisOf(L2104, L326), knowledge.entries, { includeInfo: false })).not.toContain('2104');
  });

  it('links the TWS message-code page only when a socket-API code is listed', () => {
    const cpapi = analysisOf('GET https://localhost:5000/v1/api/iserver/account/orders -> 401 {"error":"no bridge","statusCode":401}');
    expect(cpapi.findings.map((f) => f.entryId)).toEqual(['cpapi-no-bridge']);
    expect(reportMarkdown(cpapi, knowledge.entries)).not.toContain(IBKR_CODES_DOC_URL);
  });

  it('keeps quoted lines exactly, backslashes, pipes and backticks included, and inert', () => {
    const lines = [
      String.raw`2024-05-01 C:\Users\me\Jts\jts.ini \n \\server\share ${L326}`,
      'Error 321, reqId 5: Error validating request | a pipe, `ticks`, <details><summary>x</summary>y</details> [x](javascript:alert(1)) ![i](https://example.com/i.png) **b**',
      'ERROR -1 504 Not connected <img src=x onerror=alert(1)> https://example.com/x www.example.com',
    ];
    const md = reportMarkdown(analysisOf(...lines), knowledge.entries);
    const table = rendered(md).querySelector('table')!;
    expect(table.querySelectorAll(ACTIVE_ELEMENTS)).toHaveLength(0);
    const quotes = rows(md).map((cells) => cells.at(-1));
    // 326 and 504 are errors, 321 a warning: listed after them.
    expect(quotes).toEqual([lines[0], lines[2], lines[1]]);
    expect(rows(md).every((cells) => cells.length === 7)).toBe(true);
  });

  const HOSTILE_NAMES = [
    '[x](javascript:alert(1)).log',
    '![pixel](https://example.com/p.png).log',
    '<details><summary>open me</summary>hidden</details>.log',
    '<img src=x onerror=alert(1)>.log',
    '**bold** _it_ ~~gone~~.log',
    '`tick` and ``two``.log',
    String.raw`\[x\](javascript:alert(1))\.log`,
    'https://example.com/track.log',
    'www.example.com.log',
    '&lt;details&gt;.log',
    'report\u202Egol.exe',
  ];

  it.each(HOSTILE_NAMES)('puts the file name %j in the heading as inert text', (fileName) => {
    const md = reportMarkdown(analysisOf(L326), knowledge.entries, { fileName });
    const doc = rendered(md);
    const heading = doc.querySelector('h3')!;
    expect(heading.querySelectorAll(ACTIVE_ELEMENTS)).toHaveLength(0);
    expect(heading.textContent).toBe(`IBKR API messages in ${showBidiText(fileName)}`);
    // The only link anywhere is IBKR's message-code page.
    expect([...doc.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([IBKR_CODES_DOC_URL]);
    expect(doc.querySelectorAll('img, details, summary, script')).toHaveLength(0);
    expect(md).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('says which lines were cut at the line limit', () => {
    const a = createLogAnalyzer(knowledge.entries, matcher);
    a.push(`${L326}\n${'x'.repeat(MAX_LINE_CHARS + 10)}\n${L326}`);
    const md = reportMarkdown(a.end(), knowledge.entries);
    const note = rendered(md).querySelector('blockquote')!.textContent!.trim();
    expect(note).toBe(
      `Line 2 is longer than 1,048,576 characters (the longest: ${(MAX_LINE_CHARS + 10).toLocaleString('en-US')} characters): only the first 1,048,576 characters of each were searched.`,
    );
  });
});

describe('copyButton', () => {
  it('copies the text and shows "Copied", then its label again', async () => {
    let copied = '';
    Object.defineProperty(window.navigator, 'clipboard', { value: { writeText: async (t: string) => void (copied = t) }, configurable: true });
    const button = copyButton(document, () => 'hello **md**');
    document.body.append(button);
    expect(button.tagName).toBe('BUTTON');
    expect(button.textContent).toBe('Copy as Markdown');
    button.click();
    await new Promise((r) => setTimeout(r, 0));
    expect(copied).toBe('hello **md**');
    expect(button.textContent).toBe(COPIED_LABEL);
  });

  it('links to IBKR’s documentation of message codes in a new tab', () => {
    const a = docsLink(document);
    expect(a.href).toBe(IBKR_CODES_DOC_URL);
    expect(a.target).toBe('_blank');
    expect(a.rel).toBe('noopener noreferrer');
  });
});
