/**
 * Bidirectional-text control characters in text that came from a page or a log. They are
 * invisible, and a right-to-left override makes `cause - 1.0 USD` read as something else; where
 * we quote such text we show each control as a visible token instead of letting it act.
 * Pure: the tree form is a lib/render.ts child list.
 */
import { h, type Child } from './vnode';

/** Arabic letter mark, LRM/RLM, the embeddings and overrides, the isolates. */
export const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

const NAMES: Record<string, [short: string, long: string]> = {
  '\u061C': ['ALM', 'Arabic letter mark'],
  '\u200E': ['LRM', 'left-to-right mark'],
  '\u200F': ['RLM', 'right-to-left mark'],
  '\u202A': ['LRE', 'left-to-right embedding'],
  '\u202B': ['RLE', 'right-to-left embedding'],
  '\u202C': ['PDF', 'pop directional formatting'],
  '\u202D': ['LRO', 'left-to-right override'],
  '\u202E': ['RLO', 'right-to-left override'],
  '\u2066': ['LRI', 'left-to-right isolate'],
  '\u2067': ['RLI', 'right-to-left isolate'],
  '\u2068': ['FSI', 'first strong isolate'],
  '\u2069': ['PDI', 'pop directional isolate'],
};

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The visible stand-in of one control character: `⟨RLO⟩`. */
export function bidiToken(ch: string): string {
  return `⟨${NAMES[ch]?.[0] ?? codePoint(ch)}⟩`;
}

/** The text with every bidi control replaced by its visible token (for plain-text places). */
export function showBidiText(text: string): string {
  return text.replace(BIDI_CONTROLS, bidiToken);
}

/** The text as tree children: plain runs, and each control as a marked, explained token. */
export function showBidi(text: string): Child[] {
  const out: Child[] = [];
  let last = 0;
  for (const m of text.matchAll(BIDI_CONTROLS)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    const ch = m[0];
    const name = NAMES[ch]?.[1] ?? 'direction control';
    out.push(h('span', { class: 'bidi-control', title: `Hidden character in the page text: ${name} (${codePoint(ch)})` }, bidiToken(ch)));
    last = m.index + ch.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
