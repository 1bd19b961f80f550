/**
 * What the browser grants this extension, site by site: each built-in group's patterns (host
 * permissions a user can withhold: Firefox's Extensions panel and about:addons, Chrome's site
 * access) and each added site's, and which permissions may be given back. Pure, apart from
 * grantedOrigins, which takes the extension API.
 */
import type { browser } from 'wxt/browser';
import type { Settings } from './settings';
import { SITE_GROUPS, type SiteGroupId } from './sites';
import { patternCovers } from './site-patterns';

/**
 * The built-in sites' patterns, and the origins Firefox turns them into as host permissions
 * (`https://groups.io/g/twsapi/*` is granted as `https://groups.io/*`).
 */
export const BUILT_IN: ReadonlySet<string> = new Set(SITE_GROUPS.flatMap((g) => g.matches.flatMap((p) => [p, p.replace(/^([^:]+:\/\/[^/]+)\/.*$/, '$1/*')])));

/** Whether every URL `pattern` matches is allowed by one of the granted `origins`. */
export function isCovered(pattern: string, origins: readonly string[]): boolean {
  return origins.some((o) => patternCovers(o, pattern));
}

export interface SiteAccess {
  /** Built-in groups whose every pattern the browser grants. */
  groups: Record<SiteGroupId, boolean>;
  /** Each listed site: granted or not; `via` names the broader permission it relies on. */
  sites: Record<string, { granted: boolean; via?: string }>;
  /** Permissions this extension holds for sites that are neither built in, listed, nor needed by a listed site. */
  unlisted: string[];
}

/** What the browser grants, read from `permissions.getAll()` (it lists content-script hosts too). Pure. */
export function accessFrom(origins: readonly string[], settings: Settings): SiteAccess {
  const groups = Object.fromEntries(SITE_GROUPS.map((g) => [g.id, g.matches.every((p) => isCovered(p, origins))])) as Record<SiteGroupId, boolean>;
  const sites: SiteAccess['sites'] = {};
  for (const site of settings.customSites) {
    if (origins.includes(site)) sites[site] = { granted: true };
    else {
      const via = origins.find((o) => patternCovers(o, site));
      sites[site] = via ? { granted: true, via } : { granted: false };
    }
  }
  const unlisted = origins.filter(
    (o) => !BUILT_IN.has(o) && !settings.customSites.includes(o) && !settings.customSites.some((site) => patternCovers(o, site)),
  );
  return { groups, sites, unlisted };
}

/** The origins `permissions.getAll()` lists (in Chrome it lists content-script hosts too; `contains` does not). */
export async function grantedOrigins(api: typeof browser): Promise<string[]> {
  return (await api.permissions.getAll()).origins ?? [];
}

/** The patterns of a built-in group that the browser does not grant now. */
export function missingPatterns(groupId: SiteGroupId, origins: readonly string[]): string[] {
  const group = SITE_GROUPS.find((g) => g.id === groupId);
  return group ? group.matches.filter((p) => !isCovered(p, origins)) : [];
}

/**
 * How the browser's `permissions.remove` treats patterns inside the one removed. Chrome revokes
 * them too (it intersects what is named with what is active, keeping the patterns either one
 * contains: removing `*.example.net` takes an explicitly granted `a.example.net` with it); Firefox
 * removes exactly the patterns named.
 */
export interface RemovalRule {
  takesNarrower: boolean;
}

export const CHROME_REMOVAL: RemovalRule = { takesNarrower: true };
export const FIREFOX_REMOVAL: RemovalRule = { takesNarrower: false };

/**
 * Of the permissions that may go, those that can: never a built-in site's or a listed site's, and
 * not one a listed site relies on. In Chrome a listed site relies on every granted pattern that
 * covers it (removing that one would take the site's own grant too); in Firefox only when no other
 * granted origin covers it. Pure.
 */
export function permissionsToGiveBack(
  candidates: readonly string[],
  listed: readonly string[],
  origins: readonly string[],
  rule: RemovalRule,
): { release: string[]; kept: string[] } {
  const release: string[] = [];
  const kept: string[] = [];
  for (const c of new Set(candidates)) {
    if (BUILT_IN.has(c) || listed.includes(c)) continue;
    const relying = listed.filter((site) => patternCovers(c, site) && (rule.takesNarrower || !origins.some((o) => o !== c && patternCovers(o, site))));
    if (relying.length > 0) kept.push(c);
    else release.push(c);
  }
  return { release, kept };
}
