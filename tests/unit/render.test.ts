import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import {
  codeLabel,
  h,
  INFO_NOTICE,
  KIND_WORDS,
  kindWord,
  mentionWord,
  NOTICES_LINE,
  NOTICES_MORE,
  renderNoticesLine,
  MAX_EXAMPLES,
  OFFICIAL_DOCS_URL,
  renderEntry,
  renderNotices,
  renderResultItem,
  sectionTitle,
  textOf,
  type Child,
  type VNode,
} from '../../lib/render';
import { entryMarkdown } from '../../lib/markdown';
import { createMatcher } from '../../lib/matcher';

const byId = Object.fromEntries(knowledge.entries.map((e) => [e.id, e]));

describe('entry rendering', () => {
  it('shows every field of an entry under the seed headings', () => {
    const text = textOf(renderEntry(byId['ibkr-326']));
    for (const line of [
      'Error 326',
      'Connectivity',
      'Client ID is already in use',
      'Typical symptoms',
      'A second script cannot connect',
      'Likely causes',
      'A notebook cell was rerun while the old connection remained active',
      'Checks',
      'Disconnect stale sessions before reconnecting',
      'Resolution path',
      'Call disconnect in finally blocks and stop stale processes deliberately',
      'Related terms:',
      'duplicate client',
    ]) {
      expect(text).toContain(line);
    }
    expect(text).toContain(byId['ibkr-326'].summary);
  });

  it('keeps the seed order of sections', () => {
    const text = textOf(renderEntry(byId['ibkr-504']));
    const order = ['Typical symptoms', 'Likely causes', 'Checks', 'Resolution path', 'Related terms:'].map((s) => text.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order[0]).toBeGreaterThan(0);
  });

  it('labels numbered codes by their severity (a notice is never an "Error") and slugs by their code', () => {
    expect(codeLabel(byId['ibkr-326'])).toBe('Error 326');
    expect(codeLabel(byId['ibkr-321'])).toBe(`${KIND_WORDS[byId['ibkr-321'].severity]} 321`);
    expect(codeLabel(byId['ibkr-2104'])).toBe('Notice 2104');
    expect(codeLabel(byId['ibkr-1100'])).toBe('Notice 1100');
    expect(codeLabel(byId['ibkr-2104'], 'Warning')).toBe('Warning 2104');
    expect(codeLabel(byId['connection-refused'])).toBe('ConnectionRefusedError / WinError 10061');
  });

  it('carries the entry id and an optional title id', () => {
    const tree = renderEntry(byId['ibkr-321'], { level: 3, titleId: 't1' });
    expect(tree.attrs['data-entry-id']).toBe('ibkr-321');
    expect(JSON.stringify(tree)).toContain('"tag":"h3","attrs":{"class":"entry-title","id":"t1"}');
  });

  it('renders both notices verbatim', () => {
    const text = textOf(renderNotices(knowledge.notices));
    expect(text).toContain(`Educational boundary ${knowledge.notices.boundary.text}`);
    expect(text).toContain(knowledge.notices.trademark);
    expect(text).toContain('is not affiliated with, endorsed by, or sponsored by');
  });

  it('renders a result line with code, title, summary, severity and category', () => {
    expect(renderResultItem(byId['ibkr-504']).map(textOf)).toEqual([
      'Error 504',
      'Request sent while the IBKR client is not connected',
      byId['ibkr-504'].summary,
      'Error · Connectivity',
    ]);
    expect(textOf(h('li', {}, renderResultItem(byId['ibkr-2104'])))).toContain('Information, not an error · Connectivity');
  });
});

describe('severity and category', () => {
  const header = (id: string) => textOf(renderEntry(byId[id])).split('\n')[0];

  it('heads an entry with what it is, coloured by severity, and its category', () => {
    expect(header('ibkr-326')).toBe('Error 326 Connectivity');
    expect(header('ibkr-321')).toBe('Warning 321 Configuration');
    expect(header('ibkr-162')).toBe('Error 162 Historical data');
    expect(header('ibkr-1100')).toBe('Notice 1100 Connectivity');
    expect(header('ibkr-2104')).toBe('Notice 2104 Connectivity');
    // A named code says its severity beside it.
    expect(header('connection-refused')).toBe('ConnectionRefusedError / WinError 10061 Error Connectivity');
    const chip = (renderEntry(byId['ibkr-2104']).children[0] as VNode).children[0] as VNode;
    expect((chip.children[0] as VNode).attrs).toMatchObject({ class: 'code severity severity-info', title: 'Information, not an error' });
  });

  it.each(['ibkr-2104', 'ibkr-2106', 'ibkr-2158', 'ibkr-2107', 'ibkr-2108', 'ibkr-2119'])(
    '%s says "Not an error: nothing to fix" before its summary',
    (id) => {
      const text = textOf(renderEntry(byId[id]));
      expect(text).toContain(INFO_NOTICE);
      expect(INFO_NOTICE).toBe('Not an error: nothing to fix.');
      expect(text.indexOf(INFO_NOTICE)).toBeLessThan(text.indexOf(byId[id].summary));
    },
  );

  it('says nothing of the kind for errors, warnings and connectivity notices', () => {
    for (const id of ['ibkr-326', 'ibkr-321', 'ibkr-1100', 'ibkr-1300']) {
      expect(textOf(renderEntry(byId[id]))).not.toContain('Not an error');
    }
    for (const id of ['ibkr-1100', 'ibkr-1101', 'ibkr-1102', 'ibkr-1300']) {
      expect(textOf(renderEntry(byId[id]))).toContain('Connectivity notice.');
    }
  });

  it('labels the in-page card the same way (the overlay calls renderEntry with a title id and the line\'s word)', () => {
    const text = textOf(renderEntry(byId['ibkr-2158'], { titleId: 'ibkr-title-1' }));
    expect(text.split('\n')[0]).toBe('Notice 2158 Connectivity');
    expect(text).toContain(INFO_NOTICE);
  });
});

describe('variants and the page\'s reason', () => {
  // ibkr-162 as its authors will write it: the schema's variants, with our own cause and fix.
  const entry: KnowledgeEntry = {
    ...byId['ibkr-162'],
    variants: [
      { id: 'pacing', label: 'Pacing violation', pattern: 'pacing violation', cause: 'Too many history requests in a short time.', fix: 'Space the requests out.' },
      { id: 'no-data', label: 'Query returned no data', pattern: 'returned no data', cause: 'Nothing traded in the window asked for.', fix: 'Widen the window or check the contract.' },
    ],
  };
  const reason = 'Historical data request pacing violation <b>now</b> & "then"';

  it('names the matched variant with its own cause and fix, and quotes the page as text', () => {
    const tree = renderEntry(entry, { variant: 'pacing', reason });
    const text = textOf(tree);
    expect(text).toContain('This case: Pacing violation');
    expect(text).toContain('Cause: Too many history requests in a short time.');
    expect(text).toContain('Fix: Space the requests out.');
    expect(text).toContain(`The page says: ${reason}`);
    expect(text).not.toContain('Query returned no data');
    // The reason is one text child of a <q>: it never becomes markup.
    const json = JSON.stringify(tree);
    expect(json).toContain(`{"tag":"q","attrs":{},"children":[${JSON.stringify(reason)}]}`);
    expect(json).not.toContain('"tag":"b"');
  });

  it('quotes a reason without a known variant, and shows no case without either', () => {
    const text = textOf(renderEntry(entry, { variant: null, reason: 'HMDS query returned something new' }));
    expect(text).toContain('This case\nThe page says: HMDS query returned something new');
    expect(textOf(renderEntry(entry, { variant: 'unknown-id' }))).not.toContain('This case');
    expect(textOf(renderEntry(entry))).not.toContain('This case');
  });

  it('lists every variant in the full view, the matched one marked', () => {
    const text = textOf(renderEntry(entry, { full: true, variant: 'no-data' }));
    expect(text).toContain('Variants');
    expect(text).toContain('Pacing violation Cause: Too many history requests in a short time. Fix: Space the requests out.');
    expect(text).toContain('Query returned no data (this case) Cause: Nothing traded in the window asked for.');
    expect(textOf(renderEntry(entry))).not.toContain('Variants');
  });
});

describe('full view: examples and the official documentation link', () => {
  it(`shows at most ${MAX_EXAMPLES} examples, each in <code>`, () => {
    const entry = byId['ibkr-162'];
    expect(entry.examples.length).toBeGreaterThan(MAX_EXAMPLES);
    const tree = renderEntry(entry, { full: true });
    const text = textOf(tree);
    expect(text).toContain('Examples');
    for (const ex of entry.examples.slice(0, MAX_EXAMPLES)) expect(JSON.stringify(tree)).toContain(`{"tag":"code","attrs":{},"children":[${JSON.stringify(ex.text)}]}`);
    expect(text).not.toContain(entry.examples[MAX_EXAMPLES].text);
    expect(textOf(renderEntry(entry))).not.toContain('Examples');
  });

  it('links to IBKR\'s message codes page in a new tab, nothing more', () => {
    const find = (node: Child): VNode | null =>
      typeof node === 'string' ? null : node.tag === 'a' ? node : node.children.map(find).find(Boolean) ?? null;
    const link = find(renderEntry(byId['ibkr-326'], { full: true }))!;
    expect(link.attrs).toEqual({
      href: 'https://www.interactivebrokers.com/campus/ibkr-api-page/twsapi-doc/#api-error-codes',
      target: '_blank',
      rel: 'noopener noreferrer',
    });
    expect(textOf(link)).toBe('IBKR’s official message codes documentation');
    expect(OFFICIAL_DOCS_URL).toBe(link.attrs.href);
  });

  it('links IBKR\'s documentation only where it covers the entry: never the TWS code page for what it does not list', () => {
    const hrefs = (id: string) => JSON.stringify(renderEntry(byId[id], { full: true })).match(/"href":"[^"]*"/g) ?? [];
    expect(hrefs('ibkr-2104')).toEqual([`"href":"${OFFICIAL_DOCS_URL}"`]);
    expect(hrefs('cpapi-no-bridge')).toEqual(['"href":"https://www.interactivebrokers.com/campus/ibkr-api-page/cpapi-v1/"']);
    // A Python exception, the C# client's generic -1, a code met only at runtime: no IBKR page lists them.
    for (const id of ['connection-refused', 'api-connection-failed', 'ibkr--1', 'ibkr-10349']) {
      expect(hrefs(id), id).toEqual([]);
      expect(textOf(renderEntry(byId[id])), id).not.toContain('documentation');
      expect(entryMarkdown(byId[id], knowledge.notices), id).not.toContain('https://');
    }
  });

  it('omits empty sections of entries still being written', () => {
    const text = textOf(renderEntry({ ...byId['ibkr-326'], symptoms: [], related: [] }));
    expect(text).not.toContain('Typical symptoms');
    expect(text).toContain('Likely causes');
    expect(text).not.toContain('Related terms:');
  });
});

describe('the header names what it is: the line\'s own word, else the severity\'s', () => {
  it.each([
    ['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'ibkr-2104', 'Warning'],
    ['Warning 2104: "Market data farm connection is OK:usfarm"', 'ibkr-2104', 'Warning'],
    ['Notice { code: 2104, message: "Market data farm connection is OK:usfarm" }', 'ibkr-2104', 'Notice'],
    // ib_insync and ibapi log every notice as an error: a notice is not headed "Error".
    ['Error 2104, reqId -1: Market data farm connection is OK:usfarm', 'ibkr-2104', 'Notice'],
    ['ERROR -1 2104 Market data farm connection is OK:cashfarm', 'ibkr-2104', 'Notice'],
    ['<error id=-1, errorCode=2104, errorMsg=Market data farm connection is OK:usfarm>', 'ibkr-2104', 'Notice'],
    ['TWS Message: 2 1 2104 Market data farm connection is OK:usfarm', 'ibkr-2104', 'Notice'],
    ['Market data farm connection is OK:usfarm', 'ibkr-2104', 'Notice'],
    ['Error code 1100 - Connectivity between IB and Trader Workstation has been lost.', 'ibkr-1100', 'Notice'],
    ['Error 162, reqId 1: Historical Market Data Service error message:Historical data request pacing violation', 'ibkr-162', 'Error'],
    ['WARNING 162 Historical Market Data Service error message:HMDS query returned no data', 'ibkr-162', 'Warning'],
    ['reqId 162 ... Error 504, reqId 162: Not connected', 'ibkr-504', 'Error'],
  ])('%s → %s', (line, id, word) => {
    expect(kindWord(byId[id], line)).toBe(word);
    expect(textOf(renderEntry(byId[id], { word: kindWord(byId[id], line) })).split('\n')[0]).toMatch(new RegExp(`^${word} ${byId[id].numericCode} `));
  });

  it('takes the word right before the code, not one further back or after it', () => {
    expect(mentionWord('Error 2104 and later a warning', 2104)).toBe('Error');
    expect(mentionWord('warning: this very long preamble goes on and on and on before 2104 shows', 2104)).toBeNull();
    expect(mentionWord('id 21045 Warning', 2104)).toBeNull();
    expect(mentionWord('anything', null)).toBeNull();
  });

  it('heads no notice or warning of the catalog "Error <code>", whatever word its line uses', () => {
    for (const entry of knowledge.entries.filter((e) => e.severity !== 'error' && e.numericCode !== null)) {
      for (const line of [`Error ${entry.numericCode}: x`, `ERROR -1 ${entry.numericCode} x`, `${entry.numericCode} x`]) {
        const head = textOf(renderEntry(entry, { word: kindWord(entry, line) })).split('\n')[0];
        expect(head, entry.id).not.toMatch(/^Error /);
      }
    }
  });
});

describe('this case first', () => {
  const entry = byId['ibkr-162'];
  const reason = 'Historical data request pacing violation';

  it('puts the page\'s reason and the case\'s cause and fix right under the title, the general lists after it, folded', () => {
    const tree = renderEntry(entry, { variant: 'pacing', reason });
    const parts = tree.children.map((c) => (typeof c === 'string' ? c : `${c.tag}.${c.attrs.class ?? ''}`));
    expect(parts.slice(0, 4)).toEqual(['header.entry-header', 'section.section matched-case', 'p.summary', 'details.general']);
    const matched = tree.children[1] as VNode;
    expect(textOf(matched)).toBe(
      `This case: Pacing violation\nThe page says: ${reason}\nCause: ${entry.variants.find((v) => v.id === 'pacing')!.cause}\nFix: ${entry.variants.find((v) => v.id === 'pacing')!.fix}\n\n`,
    );
    const folded = tree.children[3] as VNode;
    expect(textOf(folded.children[0])).toBe('Error 162 in general: symptoms, causes, checks, resolution\n');
    expect(folded.children.slice(1).map((c) => (c as VNode).attrs.class)).toEqual([
      'section section-symptoms',
      'section section-causes',
      'section section-checks',
      'section section-resolution',
    ]);
  });

  it('leaves the general lists open when no case matched (a reason alone is no case)', () => {
    for (const options of [{}, { reason: 'something new' }, { variant: 'no-such-variant' }]) {
      const tree = renderEntry(entry, options);
      expect(JSON.stringify(tree)).not.toContain('"tag":"details"');
      expect(textOf(tree)).toContain('Likely causes');
    }
  });

  it('shows direction control characters of the page\'s reason as visible tokens', () => {
    const tree = renderEntry(entry, { variant: 'pacing', reason: 'pacing \u202Eviolation\u202C done' });
    const text = textOf(tree);
    expect(text).toContain('The page says: pacing ⟨RLO⟩violation⟨PDF⟩ done');
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(JSON.stringify(tree)).toContain('"class":"bidi-control","title":"Hidden character in the page text: right-to-left override (U+202E)"');
  });
});

describe('a notice\'s general lists are headed as nothing failed, the same everywhere', () => {
  const notice = byId['ibkr-2104'];
  const headings = (tree: VNode) => {
    const found: string[] = [];
    const walk = (node: Child) => {
      if (typeof node === 'string') return;
      if (/^h[3-5]$/.test(node.tag)) found.push(textOf(node).trim());
      node.children.forEach(walk);
    };
    walk(tree);
    return found;
  };

  it('"Why it appears" and "What to do" for an informational notice, in the card, the popup and Copy as Markdown', () => {
    expect(headings(renderEntry(notice))).toEqual(['Typical symptoms', 'Why it appears', 'Checks', 'What to do']);
    expect(headings(renderEntry(notice, { full: true }))).toContain('What to do');
    const md = entryMarkdown(notice, knowledge.notices);
    for (const key of ['causes', 'checks', 'resolution'] as const) expect(md).toContain(`**${sectionTitle(notice, key)}**`);
  });

  it('the seed\'s headings for errors, warnings and connectivity notices', () => {
    for (const id of ['ibkr-326', 'ibkr-1100']) {
      expect(headings(renderEntry(byId[id]))).toEqual(['Typical symptoms', 'Likely causes', 'Checks', 'Resolution path']);
    }
  });

  it('names a notice\'s folded lists by their headings, and only the lists it has', () => {
    const pacing = byId['ibkr-162'].variants[0];
    const withCase = { ...notice, variants: [pacing] };
    const folded = renderEntry(withCase, { variant: pacing.id }).children.find((c) => typeof c !== 'string' && c.tag === 'details') as VNode;
    expect(textOf(folded.children[0])).toBe('Notice 2104 in general: symptoms, why it appears, checks, what to do\n');
    const fewer = renderEntry({ ...byId['ibkr-162'], symptoms: [], checks: [] }, { variant: 'pacing' });
    const summary = fewer.children.find((c) => typeof c !== 'string' && c.tag === 'details') as VNode;
    expect(textOf(summary.children[0])).toBe('Error 162 in general: causes, resolution\n');
  });
});

describe('the notices line', () => {
  it('is one short line that opens to both notices, verbatim', () => {
    const tree = renderNoticesLine(knowledge.notices);
    const details = tree.children[0] as VNode;
    expect(details.tag).toBe('details');
    expect(textOf(details.children[0])).toBe(`${NOTICES_LINE} ${NOTICES_MORE}\n`);
    expect(NOTICES_LINE.length).toBeLessThan(80);
    const full = textOf(tree);
    expect(full).toContain(`Educational boundary ${knowledge.notices.boundary.text}`);
    expect(full).toContain(knowledge.notices.trademark);
  });
});

describe("a farm notice's case: the farm's name reads as one, never as a quote", () => {
  const matcher = createMatcher(knowledge.entries);
  /** The card of a line as the card shows it: the matcher's entry, case, reason and the line's word. */
  function cardOf(line: string) {
    const [m] = matcher.find(line);
    const entry = byId[m.entryId];
    const options = { variant: m.variant, reason: m.reason, word: kindWord(entry, line.slice(m.start, m.end)) };
    return { entry, options, text: textOf(renderEntry(entry, options)), markdown: entryMarkdown(entry, knowledge.notices, options) };
  }

  it.each([
    ['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'Warning 2104 Connectivity\nMarket data farm connected (status notice)\nFarm: usfarm\n'],
    ['Warning 2106, reqId -1: HMDS data farm connection is OK:ushmds', 'Farm: ushmds'],
    ['Warning 2107, reqId -1: HMDS data farm connection is inactive but should be available upon demand.ushmds', 'Farm: ushmds'],
    ['Warning 2108, reqId -1: Market data farm connection is inactive but should be available upon demand.usopt', 'Farm: usopt'],
    ['Warning 2158, reqId -1: Sec-def data farm connection is OK:secdefnj', 'Farm: secdefnj'],
    ['ERROR -1 2104 Market data farm connection is OK:usfuture.us', 'Farm: usfuture.us'],
    ['Error 2119, reqId -1: Market data farm is connecting:usfarm', 'Farm: usfarm'],
  ])('a notice without cases names its farm under the title: %s', (line, shown) => {
    const { text, markdown } = cardOf(line);
    expect(text).toContain(shown);
    expect(text).not.toContain('This case');
    expect(text).not.toContain('The page says');
    expect(markdown).not.toContain('This case');
    expect(markdown).toMatch(/\n\*\*Farm:\*\* `[a-z.]+`\n/);
  });

  it.each([
    ['Warning 2103, reqId -1: Market data farm connection is broken:usfarm', 'This case: US stocks farm (usfarm)\nCause:'],
    ['Warning 2105, reqId -1: HMDS data farm connection is broken:ushmds', 'This case: US historical farm (ushmds)\nCause:'],
  ])('a case whose label names the farm says it once: %s', (line, shown) => {
    const { text, markdown } = cardOf(line);
    expect(text).toContain(shown);
    expect(text).not.toContain('The page says');
    expect(text).not.toContain('Farm: ');
    expect(markdown).not.toContain('Farm:');
  });

  it.each([
    ['Warning 2103, reqId -1: Market data farm connection is broken:eufarmnj', 'This case: Non-US farm (eufarm, hfarm, jfarm ...)\nFarm: eufarmnj\nCause:'],
    ['Warning 2157, reqId -1: Sec-def data farm connection is broken:secdefil', 'This case: US contract details farm (secdefnj, secdefil)\nFarm: secdefil\nCause:'],
  ])('a case for several farms names the page\'s farm: %s', (line, shown) => {
    const { text, markdown } = cardOf(line);
    expect(text).toContain(shown);
    expect(markdown).toMatch(/- \*\*Farm:\*\* `(eufarmnj|secdefil)`/);
  });

  it("lists 1102's farms as farms, and still quotes a reason that is not a farm's name", () => {
    const restored = cardOf('Error 1102, reqId -1: Connectivity between IB and Trader Workstation has been restored - data maintained. All data farms are connected: usfarm; ushmds; secdefnj.');
    expect(restored.text).toContain('Farms: usfarm, ushmds, secdefnj');
    const pacing = cardOf('Error 162, reqId 5: Historical Market Data Service error message:Historical data request pacing violation');
    expect(pacing.text).toContain('The page says: Historical data request pacing violation');
  });
});
