/**
 * Sites the user added, and the browser's permissions behind every site: each added site gets its
 * own host permission (asked for when added, given back when removed) and its own registered
 * content script; each built-in group's patterns are host permissions a user can withhold
 * (Firefox: about:addons; Chrome: site access). Takes the extension API and the settings store as
 * arguments, so the options page, the popup and the background share it and nothing here touches
 * a global.
 */
import type { browser } from 'wxt/browser';
import type { SiteScriptsReport } from './messages';
import { storedBytes, SYNC_ITEM_QUOTA_BYTES, type Settings } from './settings';
import type { SettingsStore } from './settings-store';
import { groupCovering, SITE_GROUPS, type SiteGroupId } from './site-groups';
import { customScriptId, patternCovers, quoted, toMatchPattern } from './site-patterns';

type Api = typeof browser;

/** The built content script, registered for every site the user added. */
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';
const ID_PREFIX = 'ibkr-site-';
/**
 * The built-in sites' patterns, and the origins Firefox turns them into as host permissions
 * (`https://groups.io/g/twsapi/*` is granted as `https://groups.io/*`).
 */
const BUILT_IN: ReadonlySet<string> = new Set(SITE_GROUPS.flatMap((g) => g.matches.flatMap((p) => [p, p.replace(/^([^:]+:\/\/[^/]+)\/.*$/, '$1/*')])));

// ---------------------------------------------------------------- checks before any prompt (pure)

export type NewSiteCheck = { ok: false; message: string } | { ok: true; pattern: string; notes: string[] };

/**
 * Everything that can be said about a site before the browser is asked for its permission: so
 * that the only patterns asked for are those that will be stored. `isPublicSuffix` comes from
 * lib/public-suffix.ts where the page has the list (the popup only ever adds a page's own host).
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

// ---------------------------------------------------------------- what the browser grants

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

export async function grantedOrigins(api: Api): Promise<string[]> {
  return (await api.permissions.getAll()).origins ?? [];
}

export async function siteAccess(api: Api, settings: Settings): Promise<SiteAccess> {
  return accessFrom(await grantedOrigins(api), settings);
}

/** The patterns of a built-in group that the browser does not grant now. */
export function missingPatterns(groupId: SiteGroupId, origins: readonly string[]): string[] {
  const group = SITE_GROUPS.find((g) => g.id === groupId);
  return group ? group.matches.filter((p) => !isCovered(p, origins)) : [];
}

// ---------------------------------------------------------------- giving permissions back

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

// ---------------------------------------------------------------- registered scripts (background)

export interface ScriptPlan {
  register: string[];
  /** Ids of registered scripts no longer wanted, with the patterns they covered. */
  unregister: { id: string; matches: string[] }[];
}

/** What to change so that exactly the `wanted` patterns have a registered script. Pure. */
export function planSiteScripts(registered: readonly { id: string; matches?: string[] }[], wanted: readonly string[]): ScriptPlan {
  const ours = registered.filter((s) => s.id.startsWith(ID_PREFIX));
  const have = new Set(ours.map((s) => s.id));
  const want = new Set(wanted.map(customScriptId));
  return {
    register: wanted.filter((p) => !have.has(customScriptId(p))),
    unregister: ours.filter((s) => !want.has(s.id)).map((s) => ({ id: s.id, matches: s.matches ?? [] })),
  };
}

/**
 * Makes the registered content scripts follow the settings: a script for each listed site the
 * browser allows, none for the others; then gives back the permissions of sites no longer listed
 * (`released`, and those of unregistered scripts) that no listed site relies on. The background
 * runs this, one call at a time.
 */
export async function syncSiteScripts(api: Api, settings: Settings, released: readonly string[], rule: RemovalRule): Promise<SiteScriptsReport> {
  const origins = await grantedOrigins(api);
  const listed = settings.customSites;
  const active = listed.filter((p) => isCovered(p, origins));
  const plan = planSiteScripts(await api.scripting.getRegisteredContentScripts(), active);
  if (plan.unregister.length > 0) await api.scripting.unregisterContentScripts({ ids: plan.unregister.map((s) => s.id) });
  if (plan.register.length > 0) {
    await api.scripting.registerContentScripts(
      plan.register.map((pattern) => ({ id: customScriptId(pattern), matches: [pattern], js: [CONTENT_SCRIPT_FILE], runAt: 'document_idle' as const })),
    );
  }
  // A broader permission kept earlier for a narrower listed site goes once that site goes too.
  // (Never an all-sites permission the user granted in the browser's own settings.)
  const keptEarlier = origins.filter((o) => !/^(<all_urls>|[^:]+:\/\/\*\/)/.test(o) && released.some((r) => patternCovers(o, r)));
  const candidates = [...released, ...plan.unregister.flatMap((s) => s.matches), ...keptEarlier].filter((p) => origins.includes(p));
  const { release, kept } = permissionsToGiveBack(candidates, listed, origins, rule);
  // A permission that is gone already is no error.
  if (release.length > 0) await api.permissions.remove({ origins: release }).catch(() => false);
  return { active, released: release, kept };
}

// ---------------------------------------------------------------- adding and removing (pages)

/** What adding or removing did: `released` permissions were given back, `kept` ones stay for a listed site. */
export type SiteChange = ({ ok: true } & Pick<SiteScriptsReport, 'kept' | 'released'>) | { ok: false; message: string };

/** Asks the background to sync the scripts (see syncSiteScripts). */
export type SyncScripts = (released: string[]) => Promise<SiteScriptsReport>;

/**
 * Adds a checked site: asks for its permission first (this must be the first thing a click
 * handler does: the browser allows the question only during a user gesture), then stores it,
 * then has its script registered. When storing fails the background gives the permission back
 * (unless a listed site relies on it).
 */
export async function addCustomSite(api: Api, store: SettingsStore, pattern: string, sync: SyncScripts): Promise<SiteChange> {
  const granted = await api.permissions.request({ origins: [pattern] });
  if (!granted) return { ok: false, message: `Not added: the browser did not allow ${pattern}.` };
  try {
    await store.update((s) => ({ customSites: s.customSites.includes(pattern) ? s.customSites : [...s.customSites, pattern] }));
  } catch (err) {
    const why = `Not added: ${err instanceof Error ? err.message : String(err)}`;
    const { released } = await sync([pattern]);
    return { ok: false, message: released.includes(pattern) ? `${why} The permission for ${pattern} was given back.` : why };
  }
  const { kept, released } = await sync([]);
  return { ok: true, kept, released };
}

/**
 * Removes a listed site: stores the shorter list first (nothing else changes when that fails),
 * then the background unregisters its script and gives its permission back, unless a listed site
 * relies on it (`kept`).
 */
export async function removeCustomSite(api: Api, store: SettingsStore, pattern: string, sync: SyncScripts): Promise<SiteChange> {
  const before = await grantedOrigins(api);
  try {
    await store.update((s) => ({ customSites: s.customSites.filter((p) => p !== pattern) }));
  } catch (err) {
    return { ok: false, message: `Not removed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const { kept } = await sync([pattern]);
  // The background may have given them back already (it follows the stored change too): what is
  // gone is what the browser no longer grants.
  const after = await grantedOrigins(api);
  return { ok: true, kept, released: before.filter((o) => !after.includes(o)) };
}
