/**
 * The settings store over WXT's real storage module, run on @webext-core/fake-browser (the
 * in-memory browser WXT's own tests use): what is written, when, and what a failed write says.
 */
import { fakeBrowser } from '@webext-core/fake-browser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, SETTINGS_KEY } from '../../lib/settings';
import { createSettingsStore, plainStorageError, readSettings, readSyncedSettings, SettingsWriteError, watchSyncedSettings } from '../../lib/settings-store';

// @wxt-dev/storage takes the browser global when it is first imported.
(globalThis as { chrome?: unknown }).chrome = fakeBrowser;
const { storage } = await import('@wxt-dev/storage');

const sync = fakeBrowser.storage.sync;
const META_KEY = `${SETTINGS_KEY}$`;
const stored = async () => (await sync.get(SETTINGS_KEY))[SETTINGS_KEY] as Record<string, unknown>;

/** Counts calls to storage.sync.set from here on. */
function countWrites() {
  return vi.spyOn(sync, 'set');
}

beforeEach(() => fakeBrowser.reset());
afterEach(() => vi.restoreAllMocks());

describe('reading', () => {
  it('never writes: nothing stored reads as the defaults', async () => {
    const writes = countWrites();
    const store = createSettingsStore(storage);
    expect((await store.read()).settings).toEqual(defaultSettings());
    expect((await readSettings(storage)).settings).toEqual(defaultSettings());
    expect(writes).not.toHaveBeenCalled();
    expect(await sync.get(null)).toEqual({});
  });

  it('does not wait for a repair: a bad stored value reads at once, with its problems, and stays stored', async () => {
    await sync.set({ [SETTINGS_KEY]: { customSites: ['my_host.local', 'https://wiki.example.com/*'], hideInfo: true }, [META_KEY]: { v: 2 } });
    const writes = countWrites();
    const read = await createSettingsStore(storage).read();
    expect(read.settings.customSites).toEqual(['https://wiki.example.com/*']);
    expect(read.settings.hideInfo).toBe(true);
    expect(read.problems.map((p) => p.value)).toEqual(['"my_host.local"']);
    expect(writes).not.toHaveBeenCalled();
    expect((await stored()).customSites).toEqual(['my_host.local', 'https://wiki.example.com/*']);
  });

  it('falls back to the defaults when the storage itself fails', async () => {
    vi.spyOn(sync, 'get').mockRejectedValue(new Error('no storage'));
    expect((await readSettings(storage)).settings).toEqual(defaultSettings());
  });
});

describe('writing', () => {
  it('writes nothing when a change changes nothing, whatever the stored key order', async () => {
    const groups = Object.fromEntries(Object.entries({ ...defaultSettings().groups, github: false }).reverse());
    await sync.set({ [SETTINGS_KEY]: { hoverDelayMs: 150, hideInfo: false, customSites: [], groups }, [META_KEY]: { v: 2 } });
    const writes = countWrites();
    const store = createSettingsStore(storage);
    for (let i = 0; i < 5; i++) {
      expect(await store.update((s) => ({ groups: { ...s.groups, github: false }, hideInfo: false }))).toMatchObject({ written: false });
    }
    expect(await store.update(() => ({ hoverDelayMs: 150.2 }))).toMatchObject({ written: false });
    expect(writes).not.toHaveBeenCalled();
    expect(await store.update(() => ({ hideInfo: true }))).toMatchObject({ written: true });
    expect(writes).toHaveBeenCalledTimes(1);
    expect(await stored()).toEqual({ groups: { ...defaultSettings().groups, github: false }, customSites: [], hideInfo: true, hoverDelayMs: 150 });
  });

  it('rejects a failed write with a plain message and leaves the stored value as it was', async () => {
    await sync.set({ [SETTINGS_KEY]: { hideInfo: false }, [META_KEY]: { v: 2 } });
    const store = createSettingsStore(storage);
    vi.spyOn(sync, 'set').mockRejectedValue(new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota.'));
    const failed = store.update(() => ({ hideInfo: true }));
    await expect(failed).rejects.toBeInstanceOf(SettingsWriteError);
    await expect(failed).rejects.toThrow('The browser accepts at most 120 changes to synced settings a minute. Wait a minute, then try again.');
    vi.restoreAllMocks();
    expect(await stored()).toEqual({ hideInfo: false });
    // The next change, once the browser accepts writes again, is stored.
    expect(await store.update(() => ({ hideInfo: true }))).toMatchObject({ written: true });
  });

  it('refuses a value over the per-item quota before writing, in plain words', async () => {
    const store = createSettingsStore(storage);
    const writes = countWrites();
    const sites = Array.from({ length: 60 }, (_, i) => `https://site-${i}.${'x'.repeat(60)}.${'y'.repeat(50)}.example.com/*`);
    await expect(store.update(() => ({ customSites: sites }))).rejects.toThrow(/too large to sync: the browser keeps at most 8 KB/);
    expect(writes).not.toHaveBeenCalled();
  });

  it('runs one page’s changes one after the other: two quick changes both land', async () => {
    const store = createSettingsStore(storage);
    await Promise.all([
      store.update((s) => ({ groups: { ...s.groups, github: false } })),
      store.update((s) => ({ groups: { ...s.groups, reddit: false } })),
      store.update(() => ({ hideInfo: true })),
    ]);
    expect(await stored()).toMatchObject({ groups: { github: false, reddit: false, ibkr: true }, hideInfo: true });
  });

  it('tells a watcher the settings now and before a change made elsewhere', async () => {
    const store = createSettingsStore(storage);
    const seen: [string[], string[]][] = [];
    store.watch((now, before) => seen.push([now.settings.customSites, before.settings.customSites]));
    await sync.set({ [SETTINGS_KEY]: { customSites: ['https://a.example.net/*', 'https://b.example.net/*'] } });
    await sync.set({ [SETTINGS_KEY]: { customSites: ['https://b.example.net/*'] } });
    expect(seen).toEqual([
      [['https://a.example.net/*', 'https://b.example.net/*'], []],
      [['https://b.example.net/*'], ['https://a.example.net/*', 'https://b.example.net/*']],
    ]);
  });
});

describe('the content script’s reading (browser.storage.sync itself, without WXT’s storage)', () => {
  it('reads what the store reads: the defaults, a bad value with its problems, a newer version', async () => {
    const store = createSettingsStore(storage);
    expect(await readSyncedSettings(sync)).toEqual(await store.read());
    await sync.set({ [SETTINGS_KEY]: { customSites: ['my_host.local', 'https://wiki.example.com/*'], hideInfo: true }, [META_KEY]: { v: 2 } });
    expect(await readSyncedSettings(sync)).toEqual(await store.read());
    await sync.set({ [SETTINGS_KEY]: { hideInfo: false, theme: 'dark' }, [META_KEY]: { v: 3 } });
    expect(await readSyncedSettings(sync)).toMatchObject({ newer: true, problems: [] });
    expect(await readSyncedSettings(sync)).toEqual(await store.read());
  });

  it('reads what the store writes, and falls back to the defaults when the storage fails', async () => {
    await createSettingsStore(storage).update(() => ({ hideInfo: true, customSites: ['https://wiki.example.com/*'] }));
    expect((await readSyncedSettings(sync)).settings).toMatchObject({ hideInfo: true, customSites: ['https://wiki.example.com/*'] });
    vi.spyOn(sync, 'get').mockRejectedValue(new Error('no storage'));
    expect((await readSyncedSettings(sync)).settings).toEqual(defaultSettings());
  });

  it('hears each change of the settings, and not a write that changes none of them', async () => {
    const seen: [boolean, boolean][] = [];
    const stop = watchSyncedSettings(sync, (now, before) => seen.push([now.settings.hideInfo, before.settings.hideInfo]));
    const store = createSettingsStore(storage);
    await store.update(() => ({ hideInfo: true }));
    await sync.set({ [SETTINGS_KEY]: { ...(await stored()), unknownField: 1 } });
    await store.update(() => ({ hideInfo: false }));
    stop();
    await store.update(() => ({ hideInfo: true }));
    expect(seen).toEqual([
      [true, false],
      [false, true],
    ]);
  });
});

describe('repairing', () => {
  it('sets the bad parts aside on this computer first, then writes the repaired value once', async () => {
    await sync.set({ [SETTINGS_KEY]: { customSites: ['my_host.local', 'https://wiki.example.com/*'], hideInfo: true, theme: 'dark' }, [META_KEY]: { v: 2 } });
    const store = createSettingsStore(storage);
    const writes = countWrites();
    expect(await store.repair()).toMatchObject({ written: true });
    expect(await stored()).toEqual({ ...defaultSettings(), customSites: ['https://wiki.example.com/*'], hideInfo: true });
    const aside = await store.setAside();
    expect(aside.map((r) => [r.field, r.value])).toEqual([
      ['theme', '"dark"'],
      ['customSites[0]', '"my_host.local"'],
    ]);
    expect((await fakeBrowser.storage.local.get('settingsSetAside')).settingsSetAside).toHaveLength(2);
    expect(await store.repair()).toMatchObject({ written: false });
    expect(writes).toHaveBeenCalledTimes(1);
    await store.clearSetAside();
    expect(await store.setAside()).toEqual([]);
  });

  it('keeps the bad parts stored when the repair cannot be written', async () => {
    await sync.set({ [SETTINGS_KEY]: { customSites: ['my_host.local'] }, [META_KEY]: { v: 2 } });
    const store = createSettingsStore(storage);
    vi.spyOn(sync, 'set').mockRejectedValue(new Error('QUOTA_BYTES_PER_ITEM quota exceeded'));
    await expect(store.repair()).rejects.toThrow(/too large to sync/);
    await expect(store.repair()).rejects.toThrow(/too large to sync/);
    vi.restoreAllMocks();
    expect(await stored()).toEqual({ customSites: ['my_host.local'] });
    // Set aside once, however often the repair was tried.
    expect((await store.setAside()).map((r) => r.value)).toEqual(['"my_host.local"']);
  });

  it.each([
    ['a text', 'garbage', [['settingsSetAside', '"garbage"']]],
    ['an object', { a: 1 }, [['settingsSetAside', '{"a":1}']]],
    ['bad records', [null, 5, { field: 1 }], [['settingsSetAside[0]', 'null'], ['settingsSetAside[1]', '5'], ['settingsSetAside[2]', '{"field":1}']]],
  ])('reads a set-aside list stored as %s as records of what was found, and still repairs and saves', async (_, list, found) => {
    await fakeBrowser.storage.local.set({ settingsSetAside: list });
    await sync.set({ [SETTINGS_KEY]: { hideInfo: 'yes' }, [META_KEY]: { v: 2 } });
    const store = createSettingsStore(storage);
    const earlier = await store.setAside();
    expect(earlier.map((r) => [r.field, r.value])).toEqual(found);
    expect(earlier.every((r) => typeof r.reason === 'string' && r.reason !== '')).toBe(true);
    expect(await store.repair()).toMatchObject({ written: true });
    expect(await stored()).toMatchObject({ hideInfo: false });
    // What was found is kept, now as records, before the new problem.
    expect((await store.setAside()).map((r) => [r.field, r.value])).toEqual([...found, ['hideInfo', '"yes"']]);
    expect(await store.update(() => ({ hideInfo: true }))).toMatchObject({ written: true });
  });

  it('never drops the fields of a newer version: no repair, and a change keeps them and the version', async () => {
    const logged = vi.spyOn(console, 'error');
    await sync.set({ [SETTINGS_KEY]: { hideInfo: false, theme: 'dark' }, [META_KEY]: { v: 3 } });
    const store = createSettingsStore(storage);
    expect(await store.read()).toMatchObject({ newer: true, problems: [] });
    expect(await store.repair()).toMatchObject({ written: false });
    await store.update(() => ({ hideInfo: true }));
    expect(await stored()).toMatchObject({ theme: 'dark', hideInfo: true });
    expect((await sync.get(META_KEY))[META_KEY]).toEqual({ v: 3 });
    expect(logged).not.toHaveBeenCalled();
  });

  it('reads a value from a newer version without an error, and leaves it stored as it was', async () => {
    const logged = vi.spyOn(console, 'error');
    const value = { groups: { github: false }, customSites: ['https://wiki.example.com/*'], hideInfo: true, hoverDelayMs: 400, theme: 'dark' };
    await sync.set({ [SETTINGS_KEY]: value, [META_KEY]: { v: 9 } });
    const writes = countWrites();
    // The options page, the popup and the background each create a store.
    const stores = [createSettingsStore(storage), createSettingsStore(storage), createSettingsStore(storage)];
    for (const store of stores) {
      expect(await store.read()).toMatchObject({ newer: true, problems: [], settings: { groups: { github: false }, customSites: ['https://wiki.example.com/*'], hideInfo: true, hoverDelayMs: 400 } });
      expect(await store.update(() => ({}))).toMatchObject({ written: false });
    }
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(logged).not.toHaveBeenCalled();
    expect(writes).not.toHaveBeenCalled();
    expect(await sync.get(null)).toEqual({ [SETTINGS_KEY]: value, [META_KEY]: { v: 9 } });
  });
});

describe('migration (WXT storage item versions)', () => {
  it('moves a version-1 value to version 2 once, keeping every setting', async () => {
    await sync.set({ [SETTINGS_KEY]: { version: 1, groups: { github: false }, customSites: ['https://wiki.example.com/*'], hideInfo: true, hoverDelayMs: 300 } });
    const writes = countWrites();
    const store = createSettingsStore(storage);
    // Reading does not wait for it, and reads version 1 just as well.
    expect((await store.read()).settings).toMatchObject({ groups: { github: false }, customSites: ['https://wiki.example.com/*'], hideInfo: true, hoverDelayMs: 300 });
    expect(await store.update(() => ({}))).toMatchObject({ written: false });
    expect(await sync.get(null)).toEqual({
      [SETTINGS_KEY]: { groups: { github: false }, customSites: ['https://wiki.example.com/*'], hideInfo: true, hoverDelayMs: 300 },
      [META_KEY]: { v: 2 },
    });
    expect(writes).toHaveBeenCalledTimes(1);
    createSettingsStore(storage);
    await createSettingsStore(storage).update(() => ({}));
    expect(writes).toHaveBeenCalledTimes(1);
  });
});

describe('plainStorageError', () => {
  it('says why in plain words and never repeats the browser’s text', () => {
    expect(plainStorageError(new Error('This request exceeds the MAX_WRITE_OPERATIONS_PER_HOUR quota.'))).toMatch(/1,800 changes/);
    expect(plainStorageError(new Error(`QUOTA_BYTES_PER_ITEM quota exceeded: {"customSites":["${'x'.repeat(5000)}"]}`))).toBe(
      'The settings are too large to sync: the browser keeps at most 8 KB of them. Remove a site you no longer need.',
    );
    expect(plainStorageError(new Error('storage.sync API call exceeded its quota limitations.'))).toMatch(/too large to sync/);
    expect(plainStorageError(new Error('Extension context invalidated.'))).toMatch(/Reload this page/);
    expect(plainStorageError('weird')).toBe('The browser did not save the settings.');
  });
});
