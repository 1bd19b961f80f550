/**
 * Whether IBKR's TWS API message-code page (lib/render.ts OFFICIAL_DOCS_URL) covers an entry, so
 * that it is linked only where it helps. Pure.
 */
import type { KnowledgeEntry } from '../knowledge/schema';

/**
 * True for numbered socket-API codes, which the page lists. Client Portal entries, library
 * exceptions without an IBKR number (`ConnectionRefusedError`) and the C# client's generic -1
 * are not on it.
 */
export function onTwsCodesPage(entry: Pick<KnowledgeEntry, 'numericCode' | 'category'>): boolean {
  return entry.numericCode !== null && entry.numericCode >= 0 && entry.category !== 'cpapi';
}
