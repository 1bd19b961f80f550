/**
 * Where the content script runs by itself. Everywhere else the extension does nothing until the
 * user picks "Explain selection" on a page (activeTab).
 */
import { groupOfUrl, SITE_GROUPS, type SiteGroupId } from './site-groups';

/** Every built-in site (the union of the groups in lib/site-groups.ts). */
export const CONTENT_SCRIPT_MATCHES: string[] = SITE_GROUPS.flatMap((g) => [...g.matches]);

/**
 * Groups of sites that are about the IBKR API as a whole: every page there counts as IBKR context.
 * Read from the same match patterns the content script runs on, so the two lists cannot drift.
 */
const IBKR_CONTEXT_GROUPS: ReadonlySet<SiteGroupId> = new Set<SiteGroupId>(['ibkr', 'groupsio']);

export function hasSiteContext(url: string): boolean {
  const group = groupOfUrl(url);
  return group !== null && IBKR_CONTEXT_GROUPS.has(group.id as SiteGroupId);
}
