/**
 * Whether IBKR's TWS API message-code page (lib/render.ts OFFICIAL_DOCS_URL) covers an entry, so
 * that it is linked only where it helps. Pure.
 */
import type { KnowledgeEntry } from '../knowledge/schema';

/**
 * Codes met at runtime that IBKR's table does not list (knowledge/runtime-codes.tsv, less the
 * codes the table lists without a text). A unit test keeps this set in step with the two tables.
 */
export const RUNTIME_ONLY_CODES: ReadonlySet<number> = new Set([451, 460, 492, 2176, 2187, 2188, 10182, 10274, 10349]);

/**
 * True for numbered socket-API codes that the page lists. Client Portal entries, library
 * exceptions without an IBKR number (`ConnectionRefusedError`), the C# client's generic -1 and
 * codes met only at runtime (10349) are not on it.
 */
export function onTwsCodesPage(entry: Pick<KnowledgeEntry, 'numericCode' | 'category'>): boolean {
  return entry.numericCode !== null && entry.numericCode >= 0 && entry.category !== 'cpapi' && !RUNTIME_ONLY_CODES.has(entry.numericCode);
}
