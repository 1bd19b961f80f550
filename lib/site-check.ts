/**
 * Everything that can be said about a site the user wants to add before the browser is asked for
 * its permission, so that the only patterns asked for are those that will be stored. Pure.
 */
import { storedBytes, SYNC_ITEM_QUOTA_BYTES, type Settings } from './settings';
import { groupCovering, SITE_GROUPS } from './sites';
import { patternCovers, quoted, toMatchPattern } from './site-patterns';

export type NewSiteCheck = { ok: false; message: string } | { ok: true; pattern: string; notes: string[] };

/**
 * The pattern to ask for and store, with notes on patterns it contains or is contained by, or why
 * not. `isPublicSuffix` comes from lib/public-suffix.ts where the page loads the list (the popup
 * only ever adds a page's own host, never a wildcard).
 */
export function checkNewSite(input: string, settings: Settings, isPublicSuffix?: (host: string) => boolean): NewSiteCheck {
  const check = toMatchPattern(input);
  if (!check.ok) return check;
  const { pattern } = check;
  const host = /^[^:]+:\/\/([^/]+)/.exec(pattern)![1];
  if (host.startsWith('*.') && isPublicSuffix?.(host.slice(2))) {
    return {
      ok: false,
      message: `${quoted(host)} would cover every site under ${host.slice(2)}, a public suffix whose sites belong to different owners. Name one site, such as example.${host.slice(2)}.`,
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
  const notes: string[] = [];
  for (const listed of settings.customSites) {
    if (patternCovers(listed, pattern)) notes.push(`${listed}, already listed, covers it too.`);
    else if (patternCovers(pattern, listed)) notes.push(`It also covers ${listed}, which stays listed on its own.`);
  }
  const overlapped = SITE_GROUPS.filter((g) => g.matches.some((p) => patternCovers(pattern, p)));
  if (overlapped.length > 0) notes.push(`It also covers built-in sites (${overlapped.map((g) => g.label).join(', ')}), which follow their own switches.`);
  return { ok: true, pattern, notes };
}
