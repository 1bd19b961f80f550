/**
 * Where a text shows IBKR or Client Portal context, or a sign of the socket API in particular:
 * where its last sign of a kind starts (`hasIbkrContext`, `hasCpapiContext` and
 * `hasSocketApiSign` say only whether there is one). A text node the page streams into keeps where
 * its last sign of each kind is (lib/annotate/text-streams.ts): its text shows that kind until the
 * page cuts the node past it.
 */
import { CONTEXT_KINDS, type ContextKind } from '../knowledge/schema';
import { CPAPI_CONTEXT_SIGNS } from './cpapi-shapes';
import { IBKR_CONTEXT_SIGNS, SOCKET_API_SIGNS } from './matcher';

/**
 * The kinds of sign a text is read for: the two kinds of context, and the socket API's own signs,
 * which decide how a refusal or a short message in a Client Portal text reads (docs/matching.md,
 * "Refusals and short messages by API").
 */
export type SignKind = ContextKind | 'socket';
export const SIGN_KINDS: readonly SignKind[] = [...CONTEXT_KINDS, 'socket'];

/** Longer than the longest sign of context (a testbed's error line with three extra fields: 190 characters). */
export const SIGN_REACH = 256;
/** Text read at a time, from the end back: a log that shows context mostly shows it in its last lines. */
const WINDOW = 4_096;

const everyMatch = (list: readonly RegExp[]) => list.map((re) => new RegExp(re.source, `${re.flags.replace('g', '')}g`));
const SIGNS: Record<SignKind, RegExp[]> = { ibkr: everyMatch(IBKR_CONTEXT_SIGNS), cpapi: everyMatch(CPAPI_CONTEXT_SIGNS), socket: everyMatch(SOCKET_API_SIGNS) };

/**
 * Where the last sign of `kind` that starts in `text` between `from` and `to` starts, or -1. Read
 * from `to` back, a window at a time, each with SIGN_REACH before it (a sign's `\b`, and what a
 * self-evident shape's lookbehind reads before it: LEAN's `HandleError(): RequestId: 1 ` before
 * `ErrorCode: `) and after it: a sign is found as the whole text shows it. A sign that overlaps an
 * earlier match of the same test may go unseen (the earlier one is found).
 */
export function lastSignStart(text: string, kind: SignKind, from = 0, to = text.length): number {
  const signs = SIGNS[kind];
  for (let end = to; end > from; end -= WINDOW) {
    const start = Math.max(from, end - WINDOW);
    const lo = Math.max(0, start - SIGN_REACH);
    const piece = text.slice(lo, Math.min(text.length, end + SIGN_REACH));
    let last = -1;
    for (const re of signs) {
      re.lastIndex = start - lo;
      for (let m = re.exec(piece); m !== null && m.index < end - lo; m = re.exec(piece)) {
        if (m.index > last) last = m.index;
        if (m[0].length === 0) re.lastIndex++;
      }
    }
    if (last >= 0) return lo + last;
  }
  return -1;
}
