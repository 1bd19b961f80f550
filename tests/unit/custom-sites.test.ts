/**
 * Sites the user adds and the permissions behind them. The pure checks run as they are; adding and
 * removing run over WXT's storage on @webext-core/fake-browser, with a small model of a browser's
 * permissions (it has none): `permissions.request` records each pattern asked for, and in the
 * Chrome model `permissions.remove` also takes the narrower patterns inside the one removed.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { browser } from 'wxt/browser';
import { addCustomSite, CONTENT_SCRIPT_FILE, planSiteScripts, removeCustomSite, siteScripts, syncSiteScripts, type SyncScripts } from '../../lib/custom-sites';
import { MARKER_CSS_FILE } from '../../lib/marker-style';
import { accessFrom, CHROME_REMOVAL, FIREFOX_REMOVAL, type RemovalRule } from '../../lib/site-access';
import { defaultSettings, SETTINGS_KEY, type Settings } from '../../lib/settings';
import { createSettingsStore } from '../../lib/settings-store';
import { SITE_GROUPS } from '../../lib/sites';
import { customScriptId, patternCovers } from '../../lib/site-patterns';

(globalThis as { chrome?: unknown }).chrome = fakeBrowser;
const { storage } = await import('@wxt-dev/storage');

const BUILT_IN = SITE_GROUPS.flatMap((g) => [...g.matches]);
const withSites = (...customSites: string[]): Settings => ({ ...defaultSettings(), customSites });

/** A browser's permissions and registered scripts, in memory. */
function fakeApi({ granted = BUILT_IN, answer = true, rule = CHROME_REMOVAL }: { granted?: string[]; answer?: boolean; rule?: RemovalRule } = {}) {
  const origins = new Set(granted);
  type Script = { id: string; matches?: string[]; js?: string[]; css?: string[]; runAt?: string };
  const scripts = new Map<string, Script>();
  const asked: string[][] = [];
  const api = {
    permissions: {
      getAll: async () => ({ origins: [...origins] }),
      request: async ({ origins: wanted }: { origins: string[] }) => {
        asked.push(wanted);
        if (!answer) return false;
        for (const p of wanted) origins.add(p);
        return true;
      },
      remove: async ({ origins: gone }: { origins: string[] }) => {
        for (const p of gone) {
          origins.delete(p);
          if (rule.takesNarrower) for (const q of [...origins]) if (patternCovers(p, q)) origins.delete(q);
        }
        return true;
      },
    },
    scripting: {
      getRegisteredContentScripts: async () => [...scripts.values()],
      registerContentScripts: async (list: Script[]) => list.forEach((s) => scripts.set(s.id, s)),
      unregisterContentScripts: async ({ ids }: { ids: string[] }) => ids.forEach((id) => scripts.delete(id)),
    },
  };
  return { api: api as unknown as typeof browser, origins, scripts, asked, rule };
}

type Fake = ReturnType<typeof fakeApi>;
const store = () => createSettingsStore(storage);
/** What the background does when a page asks it to sync. */
const syncVia = (fake: Fake): SyncScripts => async (released) => syncSiteScripts(fake.api, (await store().read()).settings, released, fake.rule);
/** The ids of the scripts the patterns' sites get, in order. */
const scriptIds = (...patterns: string[]) => patterns.flatMap(siteScripts).map((s) => s.id);
const listed = async () => (await store().read()).settings.customSites;

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('planSiteScripts', () => {
  it('registers what is missing and unregisters what is no longer wanted, leaving other scripts alone', () => {
    const wiki = 'https://wiki.example.com/*';
    const hub = 'https://hub.example.org/*';
    const plan = planSiteScripts(
      [
        { id: customScriptId(wiki), matches: [wiki] },
        { id: customScriptId('https://old.example.net/*'), matches: ['https://old.example.net/*'] },
        { id: 'someone-else', matches: ['https://x.com/*'] },
      ],
      [wiki, hub],
    );
    expect(plan.register).toEqual(siteScripts(wiki).slice(1).concat(siteScripts(hub)));
    expect(plan.unregister).toEqual([{ id: customScriptId('https://old.example.net/*'), matches: ['https://old.example.net/*'] }]);
  });

  it("registers each site's content script at document_idle and the markers' style sheet at document_start, beside a script an older version registered", async () => {
    const wiki = 'https://wiki.example.com/*';
    const hub = 'https://hub.example.org/*';
    const fake = fakeApi({ granted: [...BUILT_IN, wiki, hub] });
    fake.scripts.set(customScriptId(wiki), { id: customScriptId(wiki), matches: [wiki], js: [CONTENT_SCRIPT_FILE], runAt: 'document_idle' });
    await syncSiteScripts(fake.api, withSites(wiki, hub), [], fake.rule);
    for (const pattern of [wiki, hub]) {
      expect(fake.scripts.get(customScriptId(pattern))).toEqual({ id: customScriptId(pattern), matches: [pattern], js: [CONTENT_SCRIPT_FILE], runAt: 'document_idle' });
      expect(fake.scripts.get(`${customScriptId(pattern)}-style`)).toEqual({ id: `${customScriptId(pattern)}-style`, matches: [pattern], css: [MARKER_CSS_FILE], runAt: 'document_start' });
    }
    // Nothing left to change the next time; a removed site loses both.
    expect(planSiteScripts([...fake.scripts.values()], [wiki, hub])).toEqual({ register: [], unregister: [] });
    await syncSiteScripts(fake.api, withSites(hub), [wiki], fake.rule);
    expect([...fake.scripts.keys()].sort()).toEqual(scriptIds(hub));
    expect(fake.origins.has(wiki)).toBe(false);
  });
});

describe('adding a site', () => {
  it('asks, stores, then registers its script', async () => {
    const fake = fakeApi();
    expect(await addCustomSite(fake.api, store(), 'https://wiki.example.com/*', syncVia(fake))).toEqual({ ok: true, kept: [], released: [] });
    expect(fake.asked).toEqual([['https://wiki.example.com/*']]);
    expect(await listed()).toEqual(['https://wiki.example.com/*']);
    expect([...fake.scripts.keys()]).toEqual(scriptIds('https://wiki.example.com/*'));
  });

  it('stores nothing when the user declines', async () => {
    const fake = fakeApi({ answer: false });
    expect(await addCustomSite(fake.api, store(), 'https://wiki.example.com/*', syncVia(fake))).toEqual({
      ok: false,
      message: 'Not added: the browser did not allow https://wiki.example.com/*.',
    });
    expect(await fakeBrowser.storage.sync.get(null)).toEqual({});
  });

  it('gives the permission back when storing fails, and says why in plain words', async () => {
    const fake = fakeApi();
    vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.'));
    const result = await addCustomSite(fake.api, store(), 'https://wiki.example.com/*', syncVia(fake));
    expect(result).toEqual({
      ok: false,
      message:
        'Not added: The browser accepts at most 120 changes to synced settings a minute. Wait a minute, then try again. The permission for https://wiki.example.com/* was given back.',
    });
    expect(fake.origins.has('https://wiki.example.com/*')).toBe(false);
    expect(fake.scripts.size).toBe(0);
  });
});

describe('removing a site', () => {
  it('Chrome: removing *.example.net keeps its permission while a.example.net is listed (Chrome would take both), then gives both back', async () => {
    const fake = fakeApi({ rule: CHROME_REMOVAL });
    await addCustomSite(fake.api, store(), 'https://*.example.net/*', syncVia(fake));
    await addCustomSite(fake.api, store(), 'https://a.example.net/*', syncVia(fake));
    expect(await removeCustomSite(fake.api, store(), 'https://*.example.net/*', syncVia(fake))).toEqual({ ok: true, kept: ['https://*.example.net/*'], released: [] });
    expect(await listed()).toEqual(['https://a.example.net/*']);
    expect(fake.origins.has('https://a.example.net/*')).toBe(true);
    expect([...fake.scripts.keys()]).toEqual(scriptIds('https://a.example.net/*'));

    expect(await removeCustomSite(fake.api, store(), 'https://a.example.net/*', syncVia(fake))).toEqual({
      ok: true,
      kept: [],
      released: ['https://*.example.net/*', 'https://a.example.net/*'],
    });
    expect([...fake.origins].filter((o) => o.includes('example.net'))).toEqual([]);
    expect(fake.scripts.size).toBe(0);
    // The built-in sites' permissions are never given back.
    expect(BUILT_IN.every((p) => fake.origins.has(p))).toBe(true);
  });

  it('Firefox: removing *.example.net gives it back at once, since a.example.net holds a grant of its own', async () => {
    const fake = fakeApi({ rule: FIREFOX_REMOVAL });
    await addCustomSite(fake.api, store(), 'https://*.example.net/*', syncVia(fake));
    await addCustomSite(fake.api, store(), 'https://a.example.net/*', syncVia(fake));
    expect(await removeCustomSite(fake.api, store(), 'https://*.example.net/*', syncVia(fake))).toEqual({ ok: true, kept: [], released: ['https://*.example.net/*'] });
    expect(accessFrom([...fake.origins], withSites('https://a.example.net/*')).sites['https://a.example.net/*']).toEqual({ granted: true });
    expect([...fake.scripts.keys()]).toEqual(scriptIds('https://a.example.net/*'));
  });

  it('changes nothing when the shorter list cannot be stored', async () => {
    const fake = fakeApi();
    await addCustomSite(fake.api, store(), 'https://wiki.example.com/*', syncVia(fake));
    vi.spyOn(fakeBrowser.storage.sync, 'set').mockRejectedValue(new Error('MAX_WRITE_OPERATIONS_PER_MINUTE'));
    expect(await removeCustomSite(fake.api, store(), 'https://wiki.example.com/*', syncVia(fake))).toEqual({ ok: false, message: expect.stringMatching(/^Not removed: The browser accepts at most 120/) });
    expect(fake.origins.has('https://wiki.example.com/*')).toBe(true);
    expect([...fake.scripts.keys()]).toEqual(scriptIds('https://wiki.example.com/*'));
  });
});

describe('sites synced from another computer', () => {
  it('get no script where this browser has not allowed them', async () => {
    const fake = fakeApi();
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { customSites: ['https://hub.example.org/*'] } });
    expect(await syncVia(fake)([])).toEqual({ active: [], released: [], kept: [] });
    expect(fake.scripts.size).toBe(0);
    await fake.api.permissions.request({ origins: ['https://hub.example.org/*'] });
    expect(await syncVia(fake)([])).toEqual({ active: ['https://hub.example.org/*'], released: [], kept: [] });
  });

  it('give back their permission here when removed there', async () => {
    const fake = fakeApi();
    await addCustomSite(fake.api, store(), 'https://hub.example.org/*', syncVia(fake));
    await fakeBrowser.storage.sync.set({ [SETTINGS_KEY]: { customSites: [] } });
    expect(await syncVia(fake)(['https://hub.example.org/*'])).toEqual({ active: [], released: ['https://hub.example.org/*'], kept: [] });
    expect(fake.origins.has('https://hub.example.org/*')).toBe(false);
  });
});
