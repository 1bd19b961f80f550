import { describe, expect, it } from 'vitest';
import { capSelection, EXPLAIN_TEXT_LIMIT, selectionNote } from '../../lib/selection-limit';

describe('the part of a selection "Explain selection" looks at', () => {
  it('is the whole selection up to the limit, with nothing to say', () => {
    const text = 'x'.repeat(EXPLAIN_TEXT_LIMIT);
    expect(capSelection(text)).toEqual({ text, cut: 0 });
    expect(selectionNote(0)).toBeNull();
  });

  it('is its first 10,000 characters past the limit, and the card says how many were left out', () => {
    const text = `Error 326, reqId -1: Unable to connect\n${'y'.repeat(5_000_000)}`;
    const capped = capSelection(text);
    expect(capped.text).toBe(text.slice(0, 10_000));
    expect(capped.cut).toBe(text.length - 10_000);
    expect(selectionNote(capped.cut)).toBe(
      `Only the first 10,000 characters of the selection were looked at; the other ${(text.length - 10_000).toLocaleString('en-US')} were left out.`,
    );
  });

  it('never ends in half of a surrogate pair', () => {
    const text = `${'a'.repeat(EXPLAIN_TEXT_LIMIT - 1)}😀tail`;
    const capped = capSelection(text);
    expect(capped.text).toBe('a'.repeat(EXPLAIN_TEXT_LIMIT - 1));
    expect(capped.cut).toBe(text.length - (EXPLAIN_TEXT_LIMIT - 1));
  });
});
