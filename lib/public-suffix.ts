/**
 * Whole public suffixes (`co.uk`, `github.io`): names under which every site has its own owner,
 * from the Public Suffix List as the `tldts` library ships it (ICANN and private sections). Kept
 * apart from lib/site-patterns.ts so that only the options page loads the list (its chunk is about
 * 277 KB), by a dynamic import after its first render.
 */
import { getDomain } from 'tldts';

/** Whether `host` is a public suffix itself (or a name with no registrable part, such as `local`). */
export function isPublicSuffix(host: string): boolean {
  return getDomain(host, { allowPrivateDomains: true }) === null;
}
