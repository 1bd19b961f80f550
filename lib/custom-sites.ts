/**
 * Sites the user added: each gets its own host permission (asked for when added, given back when
 * removed) and its own registered content script. Takes the extension API and the settings store
 * as arguments, so the options page, the popup and the background share it and nothing here
 * touches a global. What may be asked for is lib/site-check.ts; what the browser grants and what
 * may be given back, lib/site-access.ts.
 */
import type { Browser, browser } from 'wxt/browser';
import type { SiteScriptsReport } from './messages';
import type { Settings } from './settings';
import type { SettingsStore } from './settings-store';
import { MARKER_CSS_FILE } from './marker-style';
import { grantedOrigins, isCovered, permissionsToGiveBack, type RemovalRule } from './site-access';
import { customScriptId, patternCovers } from './site-patterns';

type Api = typeof browser;

/** The built content script, registered for every site the user added. */
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';
const ID_PREFIX = 'ibkr-site-';

// ---------------------------------------------------------------- registered scripts (background)

/** A script as `scripting.registerContentScripts` takes it. */
export type SiteScript = Browser.scripting.RegisteredContentScript;

/**
 * The scripts a listed site gets: the content script, and beside it the markers' style sheet at
 * document_start, so that the browser adds it before the page's DOM exists (Firefox adds a
 * script's CSS at its `runAt`; lib/marker-style.ts).
 */
export function siteScripts(pattern: string): SiteScript[] {
  const id = customScriptId(pattern);
  return [
    { id, matches: [pattern], js: [CONTENT_SCRIPT_FILE], runAt: 'document_idle' },
    // customScriptId escapes every "-" of the pattern, so no site's script id ends like this.
    { id: `${id}-style`, matches: [pattern], css: [MARKER_CSS_FILE], runAt: 'document_start' },
  ];
}

export interface ScriptPlan {
  register: SiteScript[];
  /** Ids of registered scripts no longer wanted, with the patterns they covered. */
  unregister: { id: string; matches: string[] }[];
}

/** What to change so that exactly the `wanted` patterns have their registered scripts. Pure. */
export function planSiteScripts(registered: readonly { id: string; matches?: string[] }[], wanted: readonly string[]): ScriptPlan {
  const ours = registered.filter((s) => s.id.startsWith(ID_PREFIX));
  const have = new Set(ours.map((s) => s.id));
  const scripts = wanted.flatMap(siteScripts);
  const want = new Set(scripts.map((s) => s.id));
  return {
    register: scripts.filter((s) => !have.has(s.id)),
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
  if (plan.register.length > 0) await api.scripting.registerContentScripts(plan.register);
  // A broader permission kept earlier for a narrower listed site goes once that site goes too.
  // (Never an all-sites permission the user granted in the browser's own settings.)
  const keptEarlier = origins.filter((o) => !/^(<all_urls>|[^:]+:\/\/\*\/)/.test(o) && released.some((r) => patternCovers(o, r)));
  const candidates = [...new Set([...released, ...plan.unregister.flatMap((s) => s.matches), ...keptEarlier])].filter((p) => origins.includes(p));
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
