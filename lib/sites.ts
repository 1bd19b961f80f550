/**
 * Where the content script runs by itself. Everywhere else the extension does nothing until the
 * user picks "Explain selection" on a page (activeTab).
 */
import { SITE_GROUPS } from './site-groups';

/** Every built-in site (the union of the groups in lib/site-groups.ts). */
export const CONTENT_SCRIPT_MATCHES: string[] = SITE_GROUPS.flatMap((g) => [...g.matches]);

/** Sites that are about the IBKR API as a whole: every page counts as IBKR context. */
const IBKR_SITES = [
  /^https:\/\/([a-z0-9-]+\.)*interactivebrokers\.(?:com|co\.uk|eu|ca|com\.au|com\.hk|co\.jp|co\.in)\//,
  /^https:\/\/interactivebrokers\.github\.io\//,
  /^https:\/\/([a-z0-9-]+\.)*ibkrcampus\.com\//,
  /^https:\/\/groups\.io\/g\/twsapi\//,
];

export function hasSiteContext(url: string): boolean {
  return IBKR_SITES.some((re) => re.test(url));
}
