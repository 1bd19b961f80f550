import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  normalizeSettings,
  readStoredSettings,
  sameSettings,
  SETTINGS_MIGRATIONS,
  siteState,
  storedBytes,
  toStored,
} from '../../lib/settings';

describe('settings defaults', () => {
  it('turn every built-in site group on, add no site, show info notices, wait 150 ms on hover', () => {
    const d = defaultSettings();
    expect(d.groups).toEqual({ github: true, stackoverflow: true, ibkr: true, groupsio: true, reddit: true, localhost: true });
    expect(d.customSites).toEqual([]);
    expect(d.hideInfo).toBe(false);
    expect(d.hoverDelayMs).toBe(150);
  });
});

describe('readStoredSettings', () => {
  it('reads nothing stored as the defaults, with nothing to repair', () => {
    for (const stored of [undefined, null]) expect(readStoredSettings(stored)).toEqual({ settings: defaultSettings(), problems: [], extra: {} });
  });

  it.each(['on', 42, [], [1, 2], true])('reads %j as the defaults and names it as a problem', (stored) => {
    const read = readStoredSettings(stored);
    expect(read.settings).toEqual(defaultSettings());
    expect(read.problems).toEqual([{ field: 'settings', value: JSON.stringify(stored), reason: 'not a set of settings: the defaults are used' }]);
  });

  it('keeps the valid fields and names each bad one, without a wipe', () => {
    const read = readStoredSettings({
      groups: { github: false, reddit: 'no', localhost: false, nosuchgroup: false },
      customSites: ['https://wiki.example.com/*', 'https://*/*', 7, 'https://wiki.example.com/*', 'my_host.local', 'hub.example.org'],
      hideInfo: 'yes',
      hoverDelayMs: 99999,
    });
    expect(read.settings).toEqual({
      groups: { github: false, stackoverflow: true, ibkr: true, groupsio: true, reddit: true, localhost: false },
      customSites: ['https://wiki.example.com/*'],
      hideInfo: false,
      hoverDelayMs: 2000,
    });
    expect(read.problems.map((p) => [p.field, p.value])).toEqual([
      ['groups.reddit', '"no"'],
      ['groups.nosuchgroup', 'false'],
      ['customSites[1]', '"https://*/*"'],
      ['customSites[2]', '7'],
      ['customSites[3]', '"https://wiki.example.com/*"'],
      ['customSites[4]', '"my_host.local"'],
      ['customSites[5]', '"hub.example.org"'],
      ['hoverDelayMs', '99999'],
      ['hideInfo', '"yes"'],
    ]);
    expect(read.problems.find((p) => p.field === 'customSites[4]')?.reason).toMatch(/not a valid host name/);
    expect(read.problems.find((p) => p.field === 'customSites[5]')?.reason).toBe('not written as a match pattern (https://hub.example.org/*)');
    expect(read.problems.find((p) => p.field === 'hoverDelayMs')?.reason).toBe('outside 0 to 2000 ms: 2000 ms is used');
  });

  it('takes missing fields as their defaults without a word (nothing was lost)', () => {
    expect(readStoredSettings({ hideInfo: true })).toEqual({ settings: { ...defaultSettings(), hideInfo: true }, problems: [], extra: {} });
    expect(readStoredSettings({ groups: { github: false } }).problems).toEqual([]);
  });

  it('names fields it does not know (dropped by the next write), but keeps a newer version’s', () => {
    expect(readStoredSettings({ hideInfo: true, theme: 'dark' }).problems).toEqual([{ field: 'theme', value: '"dark"', reason: 'not a setting of this version' }]);
    expect(readStoredSettings({ hideInfo: true, theme: 'dark' }, { newer: true })).toMatchObject({ problems: [], extra: { theme: 'dark' } });
    // Version 1 kept its version in the value: not a problem.
    expect(readStoredSettings({ version: 1, hideInfo: true }).problems).toEqual([]);
  });

  it('reads numbers of milliseconds as whole numbers in range', () => {
    expect(normalizeSettings({ hoverDelayMs: -5 }).hoverDelayMs).toBe(0);
    expect(normalizeSettings({ hoverDelayMs: Number.NaN }).hoverDelayMs).toBe(150);
    expect(normalizeSettings({ hoverDelayMs: '300' }).hoverDelayMs).toBe(150);
    expect(normalizeSettings({ hoverDelayMs: 420 }).hoverDelayMs).toBe(420);
  });

  it('cuts a long bad value short in its problem', () => {
    const [problem] = readStoredSettings({ customSites: ['x'.repeat(10_000)] }).problems;
    expect(problem.value.length).toBeLessThanOrEqual(120);
    expect(problem.reason).toMatch(/at most 255 characters/);
  });
});

describe('sameSettings', () => {
  it('compares by value, whatever the key order', () => {
    const a = normalizeSettings({ groups: { github: false, reddit: true }, customSites: ['https://a.example.com/*'], hideInfo: true });
    const groupsReversed = Object.fromEntries(Object.entries(a.groups).reverse());
    const b = { hoverDelayMs: a.hoverDelayMs, hideInfo: a.hideInfo, customSites: [...a.customSites], groups: groupsReversed } as typeof a;
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
    expect(sameSettings(a, b)).toBe(true);
    expect(sameSettings(a, { ...b, hideInfo: false })).toBe(false);
    expect(sameSettings(a, { ...b, groups: { ...b.groups, github: true } })).toBe(false);
    expect(sameSettings(a, { ...b, customSites: [] })).toBe(false);
  });
});

describe('stored form', () => {
  it('writes the four fields (and a newer version’s extra fields) and weighs them in bytes', () => {
    const s = defaultSettings();
    expect(Object.keys(toStored(s))).toEqual(['groups', 'customSites', 'hideInfo', 'hoverDelayMs']);
    expect(toStored(s, { theme: 'dark' })).toMatchObject({ theme: 'dark', hideInfo: false });
    expect(storedBytes(s)).toBe('settings'.length + JSON.stringify(toStored(s)).length);
    expect(storedBytes({ ...s, customSites: ['https://é.example.com/*'] })).toBe(
      'settings'.length + JSON.stringify(toStored({ ...s, customSites: ['https://é.example.com/*'] })).length + 1,
    );
  });

  it('migrates version 1 (the version inside the value) to 2, and a migrated value stays as it is', () => {
    const v1 = { version: 1, groups: { github: false }, hideInfo: true };
    expect(SETTINGS_MIGRATIONS[2](v1)).toEqual({ groups: { github: false }, hideInfo: true });
    expect(SETTINGS_MIGRATIONS[2](SETTINGS_MIGRATIONS[2](v1))).toEqual({ groups: { github: false }, hideInfo: true });
    expect(SETTINGS_MIGRATIONS[2]('garbage')).toBe('garbage');
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
