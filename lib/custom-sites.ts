/**
 * Sites the user added: each gets its own host permission (asked for when added, given back when
 * removed) and its own registered content script. Takes the extension API as an argument, so the
 * options page, the popup and the background share it and nothing here touches a global.
 */
import type { browser } from 'wxt/browser';
import { customScriptId } from './site-groups';
import { loadSettings, updateSettings } from './settings';

type Api = typeof browser;

/** The built content script, registered for every site the user added. */
export const CONTENT_SCRIPT_FILE = 'content-scripts/content.js';
const ID_PREFIX = 'ibkr-site-';

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
 * Makes the registered content scripts follow the settings: a script for each added site whose
 * permission is granted, none for removed ones (whose permission is given back).
 */
export async function syncSiteScripts(api: Api): Promise<void> {
  const settings = await loadSettings(api.storage.sync);
  const granted: string[] = [];
  for (const pattern of settings.customSites) {
    if (await api.permissions.contains({ origins: [pattern] })) granted.push(pattern);
  }
  const plan = planSiteScripts(await api.scripting.getRegisteredContentScripts(), granted);
  if (plan.unregister.length > 0) {
    await api.scripting.unregisterContentScripts({ ids: plan.unregister.map((s) => s.id) });
    const origins = plan.unregister.flatMap((s) => s.matches).filter((p) => !settings.customSites.includes(p));
    // Given back; a pattern that was never optional (or is already gone) is not an error worth showing.
    if (origins.length > 0) await api.permissions.remove({ origins }).catch(() => false);
  }
  if (plan.register.length > 0) {
    await api.scripting.registerContentScripts(
      plan.register.map((pattern) => ({
        id: customScriptId(pattern),
        matches: [pattern],
        js: [CONTENT_SCRIPT_FILE],
        runAt: 'document_idle' as const,
      })),
    );
  }
}

/**
 * Adds a site: asks for its host permission first (must run in a click handler), then stores it
 * and registers its script. Resolves false when the user declined.
 */
export async function addCustomSite(api: Api, pattern: string): Promise<boolean> {
  const granted = await api.permissions.request({ origins: [pattern] });
  if (!granted) return false;
  await updateSettings(api.storage.sync, (s) => ({ customSites: s.customSites.includes(pattern) ? s.customSites : [...s.customSites, pattern] }));
  await syncSiteScripts(api);
  return true;
}

/** Removes a site: unregisters its script and gives its host permission back. */
export async function removeCustomSite(api: Api, pattern: string): Promise<void> {
  await updateSettings(api.storage.sync, (s) => ({ customSites: s.customSites.filter((p) => p !== pattern) }));
  await syncSiteScripts(api);
  // Also when no script was registered (permission granted elsewhere, then the site removed).
  await api.permissions.remove({ origins: [pattern] }).catch(() => false);
}
