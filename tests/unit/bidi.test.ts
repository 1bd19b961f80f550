import { describe, expect, it } from 'vitest';
import { BIDI_CONTROLS, showBidi, showBidiText } from '../../lib/bidi';
import { textOf, type VNode } from '../../lib/vnode';

describe('direction control characters shown, not obeyed', () => {
  it('replaces every control by a visible token and leaves other text alone', () => {
    const all = '\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
    expect(showBidiText(`a${all}b`)).toBe('a⟨ALM⟩⟨LRM⟩⟨RLM⟩⟨LRE⟩⟨RLE⟩⟨PDF⟩⟨LRO⟩⟨RLO⟩⟨LRI⟩⟨RLI⟩⟨FSI⟩⟨PDI⟩b');
    expect(showBidiText('Error 321: cause - Missing order exchange é ש')).toBe('Error 321: cause - Missing order exchange é ש');
    expect(showBidiText(`x${all}`)).not.toMatch(BIDI_CONTROLS);
  });

  it('gives tree children: text runs and one explained token per control', () => {
    const parts = showBidi('cause \u202Eegnahcxe\u202C.');
    expect(parts.map((p) => textOf(p))).toEqual(['cause ', '⟨RLO⟩', 'egnahcxe', '⟨PDF⟩', '.']);
    expect((parts[1] as VNode).attrs).toEqual({ class: 'bidi-control', title: 'Hidden character in the page text: right-to-left override (U+202E)' });
    expect(showBidi('plain')).toEqual(['plain']);
    expect(showBidi('')).toEqual([]);
  });
});
