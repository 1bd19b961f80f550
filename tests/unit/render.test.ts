import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { codeLabel, renderEntry, renderNotices, renderResultItem, textOf } from '../../lib/render';

const byId = Object.fromEntries(knowledge.entries.map((e) => [e.id, e]));

describe('entry rendering', () => {
  it('shows every field of an entry under the seed headings', () => {
    const text = textOf(renderEntry(byId['ibkr-326']));
    for (const line of [
      'Error 326',
      'APIRuntime',
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

  it('labels numbered codes as errors and slugs by their code', () => {
    expect(codeLabel(byId['ibkr-321'])).toBe('Error 321');
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

  it('renders a result line with code, title and summary', () => {
    expect(renderResultItem(byId['ibkr-504']).map(textOf)).toEqual(['Error 504', 'Request sent while the IBKR client is not connected', byId['ibkr-504'].summary]);
  });
});
