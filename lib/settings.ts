/**
 * The user's settings, kept in `storage.sync` under one key. Pure apart from the storage area it
 * is handed (any object with get/set, so tests use a plain in-memory one).
 *
 * Reading never fails: a missing or corrupt stored value (an old format, a hand-edited sync
 * store) becomes the defaults field by field, valid fields are kept, and fields this version does
 * not know are carried along untouched, so a newer version's settings survive a round trip.
 */
import { groupOfUrl, matchesPattern, SITE_GROUP_IDS, toMatchPattern, type SiteGroupId } from './site-groups';

export const SETTINGS_KEY = 'settings';
export const SETTINGS_VERSION = 1;
export const HOVER_DELAY_MIN_MS = 0;
export const HOVER_DELAY_MAX_MS = 2000;

export interface Settings {
  version: number;
  /** Built-in site groups: on unless switched off. */
  groups: Record<SiteGroupId, boolean>;
  /** Match patterns of sites the user added (each has its own host permission). */
  customSites: string[];
  /** Hide informational notices (2104, 2106, 2158 ...) on pages. */
  hideInfo: boolean;
  /** How long the pointer rests on a marker before its tooltip opens. */
  hoverDelayMs: number;
  [unknown: string]: unknown;
}

export function defaultSettings(): Settings {
  return {
    version: SETTINGS_VERSION,
    groups: Object.fromEntries(SITE_GROUP_IDS.map((id) => [id, true])) as Record<SiteGroupId, boolean>,
    customSites: [],
    hideInfo: false,
    hoverDelayMs: 150,
  };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Any stored value to valid settings: bad fields become their defaults, the rest is kept. */
export function normalizeSettings(stored: unknown): Settings {
  const defaults = defaultSettings();
  if (!isRecord(stored)) return defaults;
  const groups = { ...defaults.groups };
  if (isRecord(stored.groups)) {
    for (const id of SITE_GROUP_IDS) if (typeof stored.groups[id] === 'boolean') groups[id] = stored.groups[id] as boolean;
  }
  const customSites: string[] = [];
  if (Array.isArray(stored.customSites)) {
    for (const site of stored.customSites) {
      if (typeof site !== 'string') continue;
      const check = toMatchPattern(site);
      if (check.ok && check.pattern === site && !customSites.includes(site)) customSites.push(site);
    }
  }
  const delay = stored.hoverDelayMs;
  return {
    ...stored,
    version: SETTINGS_VERSION,
    groups,
    customSites,
    hideInfo: typeof stored.hideInfo === 'boolean' ? stored.hideInfo : defaults.hideInfo,
    hoverDelayMs:
      typeof delay === 'number' && Number.isFinite(delay)
        ? Math.round(Math.min(HOVER_DELAY_MAX_MS, Math.max(HOVER_DELAY_MIN_MS, delay)))
        : defaults.hoverDelayMs,
  };
}

/** The slice of `storage.sync` / `storage.local` the settings need. */
export interface StorageAreaLike {
  get(keys: string): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
}

/** Reads the settings without writing anything (content scripts); never rejects. */
export async function readSettings(area: StorageAreaLike): Promise<Settings> {
  try {
    return normalizeSettings((await area.get(SETTINGS_KEY))[SETTINGS_KEY]);
  } catch {
    return defaultSettings();
  }
}

/** Reads the settings; a missing or corrupt value is repaired in storage too (once). */
export async function loadSettings(area: StorageAreaLike): Promise<Settings> {
  const stored = (await area.get(SETTINGS_KEY))[SETTINGS_KEY];
  const settings = normalizeSettings(stored);
  if (JSON.stringify(stored) !== JSON.stringify(settings)) await area.set({ [SETTINGS_KEY]: settings });
  return settings;
}

/** Applies `change` to the current settings and stores the result; only this key is written. */
export async function updateSettings(area: StorageAreaLike, change: (current: Settings) => Partial<Settings>): Promise<Settings> {
  const current = normalizeSettings((await area.get(SETTINGS_KEY))[SETTINGS_KEY]);
  const next = normalizeSettings({ ...current, ...change(current) });
  await area.set({ [SETTINGS_KEY]: next });
  return next;
}

export type SiteState =
  | { kind: 'group'; on: boolean; groupId: SiteGroupId; label: string }
  | { kind: 'custom'; on: true; pattern: string }
  | { kind: 'other'; on: false };

/** Whether the extension marks errors on `url` by itself, and why. */
export function siteState(settings: Settings, url: string): SiteState {
  const group = groupOfUrl(url);
  if (group) return { kind: 'group', on: settings.groups[group.id as SiteGroupId] !== false, groupId: group.id as SiteGroupId, label: group.label };
  const pattern = settings.customSites.find((p) => matchesPattern(p, url));
  if (pattern) return { kind: 'custom', on: true, pattern };
  return { kind: 'other', on: false };
}
