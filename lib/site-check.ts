/**
 * Everything that can be said about a site the user wants to add before the browser is asked for
 * its permission, so that the only patterns asked for are those that will be stored. Pure.
 */
import { storedBytes, SYNC_ITEM_QUOTA_BYTES, type Settings } from './settings';
import { groupCovering, SITE_GROUPS } from './sites';
import { quoted } from './quote';
import { patternCovers, toMatchPattern } from './site-patterns';

export type NewSiteCheck = { ok: false; message: string } | { ok: true; pattern: string; notes: string[] };

/** The name under a pattern's `*.` wildcard (`co.uk` of `https://*.co.uk/*`), or null. */
function wildcardParent(pattern: string): string | null {
  const host = /^[^:]+:\/\/([^/]+)/.exec(pattern)![1];
  return host.startsWith('*.') ? host.slice(2) : null;
}

/**
 * Whether checking this input asks `isPublicSuffix` (a valid pattern with a `*.` host): a page
 * that loads the public suffix list only when needed waits for it then.
 */
export function needsPublicSuffixCheck(input: string): boolean {
  const check = toMatchPattern(input);
  return check.ok && wildcardParent(check.pattern) !== null;
}

/**
 * The pattern to ask for and store, with notes on patterns it contains or is contained by, or why
 * not. `isPublicSuffix` comes from lib/public-suffix.ts where the page loads the list (the popup
 * only ever adds a page's own host, never a wildcard).
 */
export function checkNewSite(input: string, settings: Settings, isPublicSuffix?: (host: string) => boolean): NewSiteCheck {
  const check = toMatchPattern(input);
  if (!check.ok) return check;
  const { pattern } = check;
  const parent = wildcardParent(pattern);
  if (parent !== null && isPublicSuffix?.(parent)) {
    return {
      ok: false,
      message: `${quoted(`*.${parent}`)} would cover every site under ${parent}, a public suffix whose sites belong to different owners. Name one site, such as example.${parent}.`,
    };
  }
  const group = groupCovering(pattern);
  if (group) return { ok: false, message: `${quoted(pattern)} is part of a built-in site (${group.label}): switch that on under “Where errors are marked”.` };
  if (settings.customSites.includes(pattern)) return { ok: false, message: `${quoted(pattern)} is listed already.` };
  if (storedBytes({ ...settings, customSites: [...settings.customSites, pattern] }) > SYNC_ITEM_QUOTA_BYTES) {
    return {
      ok: false,
      message: `The list of other sites is full: the browser syncs at most ${SYNC_ITEM_QUOTA_BYTES / 1024} KB of settings. Remove a site you no longer need first.`,
    };
  }
  const notes: string[] = check.note === undefined ? [] : [check.note];
  for (const listed of settings.customSites) {
    if (patternCovers(listed, pattern)) notes.push(`${listed}, already listed, covers it too.`);
    else if (patternCovers(pattern, listed)) notes.push(`It also covers ${listed}, which stays listed on its own.`);
  }
  const overlapped = SITE_GROUPS.filter((g) => g.matches.some((p) => patternCovers(pattern, p)));
  if (overlapped.length > 0) notes.push(`It also covers built-in sites (${overlapped.map((g) => g.label).join(', ')}), which follow their own switches.`);
  return { ok: true, pattern, notes };
}
