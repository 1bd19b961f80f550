import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  loadSettings,
  normalizeSettings,
  readSettings,
  SETTINGS_KEY,
  siteState,
  updateSettings,
  type StorageAreaLike,
} from '../../lib/settings';

/** A storage area in memory, storing JSON copies like the real one. */
function memoryArea(initial: Record<string, unknown> = {}) {
  const data = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)]));
  let writes = 0;
  const area: StorageAreaLike & { dump(): Record<string, unknown>; readonly writes: number } = {
    async get(key) {
      return data.has(key) ? { [key]: JSON.parse(data.get(key)!) } : {};
    },
    async set(items) {
      writes++;
      for (const [k, v] of Object.entries(items)) data.set(k, JSON.stringify(v));
    },
    dump: () => Object.fromEntries([...data].map(([k, v]) => [k, JSON.parse(v)])),
    get writes() {
      return writes;
    },
  };
  return area;
}

describe('settings defaults', () => {
  it('turn every built-in site group on, add no site, show info notices, wait 150 ms on hover', () => {
    const d = defaultSettings();
    expect(d.groups).toEqual({ github: true, stackoverflow: true, ibkr: true, groupsio: true, reddit: true, localhost: true });
    expect(d.customSites).toEqual([]);
    expect(d.hideInfo).toBe(false);
    expect(d.hoverDelayMs).toBe(150);
  });
});

describe('normalizeSettings (migration of stored values)', () => {
  it.each([undefined, null, 'on', 42, [], [1, 2], true])('turns %j into the defaults', (stored) => {
    expect(normalizeSettings(stored)).toEqual(defaultSettings());
  });

  it('keeps valid fields and repairs the bad ones one by one', () => {
    const s = normalizeSettings({
      groups: { github: false, reddit: 'no', localhost: false, nosuchgroup: false },
      customSites: ['https://wiki.example.com/*', 'https://*/*', 7, 'https://wiki.example.com/*', 'javascript:alert(1)'],
      hideInfo: 'yes',
      hoverDelayMs: 99999,
    });
    expect(s.groups).toEqual({ github: false, stackoverflow: true, ibkr: true, groupsio: true, reddit: true, localhost: false });
    expect(s.customSites).toEqual(['https://wiki.example.com/*']);
    expect(s.hideInfo).toBe(false);
    expect(s.hoverDelayMs).toBe(2000);
    expect(normalizeSettings({ hoverDelayMs: -5 }).hoverDelayMs).toBe(0);
    expect(normalizeSettings({ hoverDelayMs: Number.NaN }).hoverDelayMs).toBe(150);
    expect(normalizeSettings({ hoverDelayMs: '300' }).hoverDelayMs).toBe(150);
  });

  it('carries fields it does not know (a newer version’s) along', () => {
    expect(normalizeSettings({ hideInfo: true, theme: 'dark' })).toMatchObject({ hideInfo: true, theme: 'dark' });
  });
});

describe('loadSettings / updateSettings', () => {
  it('writes the defaults when nothing is stored, and keeps other stored values', async () => {
    const area = memoryArea({ other: { keep: 1 } });
    expect(await loadSettings(area)).toEqual(defaultSettings());
    expect(area.dump()).toEqual({ other: { keep: 1 }, [SETTINGS_KEY]: defaultSettings() });
  });

  it('repairs a corrupt stored value once, then only reads', async () => {
    const area = memoryArea({ [SETTINGS_KEY]: 'garbage', unrelated: [1, 2, 3] });
    await loadSettings(area);
    expect(area.dump()).toEqual({ [SETTINGS_KEY]: defaultSettings(), unrelated: [1, 2, 3] });
    const writes = area.writes;
    await loadSettings(area);
    expect(area.writes).toBe(writes);
  });

  it('updates one field without losing the others', async () => {
    const area = memoryArea({ [SETTINGS_KEY]: { groups: { github: false }, hideInfo: true, extra: 'x' }, other: 1 });
    const next = await updateSettings(area, (s) => ({ groups: { ...s.groups, reddit: false } }));
    expect(next.groups.github).toBe(false);
    expect(next.groups.reddit).toBe(false);
    expect(next.hideInfo).toBe(true);
    expect(area.dump()[SETTINGS_KEY]).toMatchObject({ hideInfo: true, extra: 'x', groups: { github: false, reddit: false, ibkr: true } });
    expect(area.dump().other).toBe(1);
  });

  it('readSettings never writes and falls back to the defaults when storage fails', async () => {
    const area = memoryArea();
    expect(await readSettings(area)).toEqual(defaultSettings());
    expect(area.writes).toBe(0);
    const broken: StorageAreaLike = { get: () => Promise.reject(new Error('no storage')), set: () => Promise.resolve() };
    expect(await readSettings(broken)).toEqual(defaultSettings());
  });
});

describe('siteState', () => {
  it('says whether a page is on, and why', () => {
    const s = normalizeSettings({ groups: { github: false }, customSites: ['https://wiki.example.com/*'] });
    expect(siteState(s, 'https://github.com/a/b/issues/1')).toMatchObject({ kind: 'group', groupId: 'github', on: false });
    expect(siteState(s, 'https://stackoverflow.com/questions/1')).toMatchObject({ kind: 'group', groupId: 'stackoverflow', on: true });
    expect(siteState(s, 'https://wiki.example.com/page')).toEqual({ kind: 'custom', on: true, pattern: 'https://wiki.example.com/*' });
    expect(siteState(s, 'https://news.example.org/')).toEqual({ kind: 'other', on: false });
  });
});
