/**
 * How an entry view (card, popup, analyzer) and a Markdown copy show the page's own words for a
 * case (`Match.reason`). Pure. A farm notice's variable part is only the farm's name (`…is
 * OK:usfarm`): that reads "Farm: usfarm", and not at all where the matched case's label names
 * the farm already (`US stocks farm (usfarm)`). Anything else is quoted: "The page says: …".
 */
import type { KnowledgeEntry } from '../knowledge/schema';

export type PageReason =
  /** A farm's name, or the names of several (1102's `usfarm; ushmds; secdefnj.`). */
  | { kind: 'farm'; label: 'Farm' | 'Farms'; names: string[] }
  /** The page's own words, quoted as they are. */
  | { kind: 'quote'; label: 'The page says'; text: string };

/** A farm's name as TWS writes it (`usfarm`, `ushmds`, `secdefnj`, `eufarmnj`, `usfuture.us`). */
const FARM = '[a-z][a-z0-9]*(?:\\.[a-z0-9]+)*';
const FARM_NAMES = new RegExp(`^${FARM}(?:; ?${FARM})*\\.?$`);

/** Whether an entry's messages are about data farms (2103 … 2108, 2119, 2157, 2158, 1102). */
function namesFarms(entry: Pick<KnowledgeEntry, 'match'>): boolean {
  return entry.match.messages.some((m) => /\bfarms?\b/i.test(m));
}

/**
 * What to show of the page's reason for this case, or null for nothing (no reason, or a farm
 * that the matched variant's label names already).
 */
export function pageReasonOf(
  entry: Pick<KnowledgeEntry, 'match' | 'variants'>,
  variantId: string | null | undefined,
  reason: string | null | undefined,
): PageReason | null {
  const said = reason?.replace(/\s+/g, ' ').trim();
  if (!said) return null;
  if (!namesFarms(entry) || !FARM_NAMES.test(said)) return { kind: 'quote', label: 'The page says', text: said };
  const names = said.replace(/\.$/, '').split(/; ?/);
  const variant = variantId ? entry.variants.find((v) => v.id === variantId) : undefined;
  if (names.length === 1 && variant?.label.endsWith(`(${names[0]})`)) return null;
  return { kind: 'farm', label: names.length === 1 ? 'Farm' : 'Farms', names };
}

type Variant = KnowledgeEntry['variants'][number];

/**
 * What an entry view or a Markdown copy shows of the matched case: nothing; only a farm's name
 * (one line under the title, no case section); or a case section with the matched variant and the
 * page's words, either of them possibly missing.
 */
export type CaseShown =
  | { kind: 'none' }
  | { kind: 'farm'; words: PageReason }
  | { kind: 'case'; variant: Variant | undefined; words: PageReason | null };

export function caseShown(entry: Pick<KnowledgeEntry, 'match' | 'variants'>, variantId: string | null | undefined, reason: string | null | undefined): CaseShown {
  const variant = variantId ? entry.variants.find((v) => v.id === variantId) : undefined;
  const words = pageReasonOf(entry, variant?.id, reason);
  if (!variant && words?.kind === 'farm') return { kind: 'farm', words };
  if (!variant && !words) return { kind: 'none' };
  return { kind: 'case', variant, words };
}
