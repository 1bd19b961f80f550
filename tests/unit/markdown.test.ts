// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { boundaryLine, COPIED_LABEL, copyButton, docsLink, entryMarkdown, IBKR_CODES_DOC_URL, mdCode, mdInline } from '../../lib/markdown';

const entry = (id: string) => knowledge.entries.find((e) => e.id === id)!;

describe('entryMarkdown', () => {
  it('gives title, code, severity, summary, causes, checks, resolution, the docs link and the boundary', () => {
    const e = entry('ibkr-326');
    const md = entryMarkdown(e, knowledge.notices);
    const lines = md.split('\n');
    expect(lines[0]).toBe('### Error 326: Client ID is already in use');
    expect(md).toContain('- **Code:** `326`');
    expect(md).toContain('- **Severity:** Error');
    expect(md).toContain(e.summary.replace(/\s+/g, ' '));
    expect(md).toContain('**Likely causes**\n\n- Two API clients use the same clientId\n');
    expect(md).toContain('**Checks**\n\n- List running notebooks, scripts, services, and terminals\n');
    expect(md).toContain('**Resolution path**\n\n1. Assign a different client ID per process\n2. Call disconnect in finally blocks');
    expect(md).toContain(`Official message codes: ${IBKR_CODES_DOC_URL}`);
    expect(lines.filter(Boolean).at(-1)).toBe(`_${boundaryLine(knowledge.notices)}_`);
    expect(boundaryLine(knowledge.notices)).toMatch(/^Educational boundary: This lookup is for technical troubleshooting .* not financial, investment, trading, tax, or legal advice\./);
  });

  it('says an informational notice is not an error, and leaves out empty sections', () => {
    const md = entryMarkdown(entry('ibkr-2104'), knowledge.notices);
    expect(md).toContain('- **Severity:** Informational (not an error: nothing to fix)');
    expect(md).toContain('**Likely causes**');
    // A short entry (title and summary only) gets no empty headings.
    const short = knowledge.entries.find((e) => e.causes.length === 0 && e.checks.length === 0 && e.resolution.length === 0)!;
    const shortMd = entryMarkdown(short, knowledge.notices);
    for (const heading of ['**Likely causes**', '**Checks**', '**Resolution path**']) expect(shortMd).not.toContain(heading);
    expect(shortMd).toContain(short.summary);
  });

  it('adds the matched variant and the quoted reason', () => {
    const base = entry('ibkr-326');
    const withVariant: KnowledgeEntry = {
      ...base,
      variants: [{ id: 'stale', label: 'Stale session', pattern: 'x', cause: 'An old kernel still holds the id.', fix: 'Restart it.' }],
    };
    const md = entryMarkdown(withVariant, knowledge.notices, { variant: 'stale', reason: 'client id `7` in use' });
    expect(md).toContain('- **Variant:** Stale session');
    expect(md).toContain('- **Reason given:** ``client id `7` in use``');
    expect(md).toContain('**This case (Stale session).** An old kernel still holds the id. Restart it.');
    expect(entryMarkdown(withVariant, knowledge.notices, { variant: 'nope' })).not.toContain('Variant');
  });

  it('escapes Markdown in knowledge and page text', () => {
    expect(mdInline('a *b* [c](d) <e> | f_g')).toBe('a \\*b\\* \\[c\\](d) \\<e\\> \\| f\\_g');
    expect(mdCode('plain')).toBe('`plain`');
    expect(mdCode('has ` tick')).toBe('``has ` tick``');
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
