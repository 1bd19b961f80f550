/**
 * The user's settings: their shape and defaults, how any stored value is read (field by field,
 * listing what had to be repaired), how two are compared, and what a stored value weighs. Pure:
 * reading and writing them is lib/settings-store.ts.
 *
 * A bad stored value (an old format, a hand-edited or half-synced store) never makes the whole
 * settings fall back to the defaults: each field is read on its own, and each thing that could not
 * be used is named in a problem, so that the options page can say so and set it aside before the
 * repaired value is written.
 */
import { groupOfUrl, SITE_GROUP_IDS, type SiteGroupId } from './sites';
import { matchesPattern, toMatchPattern } from './site-patterns';

/** The key in `storage.sync` (WXT keeps the version beside it, under `settings$`). */
export const SETTINGS_KEY = 'settings';
/** 1: the version was a field of the value; 2: WXT's storage item keeps it (see SETTINGS_MIGRATIONS). */
export const SETTINGS_VERSION = 2;
export const HOVER_DELAY_MIN_MS = 0;
export const HOVER_DELAY_MAX_MS = 2000;
/** What Chrome and Firefox keep in one `storage.sync` item: its key and its JSON, in bytes. */
export const SYNC_ITEM_QUOTA_BYTES = 8192;

export interface Settings {
  /** Built-in site groups: on unless switched off. */
  groups: Record<SiteGroupId, boolean>;
  /** Match patterns of sites the user added (each has its own host permission). */
  customSites: string[];
  /** Hide informational notices (2104, 2106, 2158 ...) on pages. */
  hideInfo: boolean;
  /** How long the pointer rests on a marker before its tooltip opens. */
  hoverDelayMs: number;
}

export function defaultSettings(): Settings {
  return {
    groups: Object.fromEntries(SITE_GROUP_IDS.map((id) => [id, true])) as Record<SiteGroupId, boolean>,
    customSites: [],
    hideInfo: false,
    hoverDelayMs: 150,
  };
}

/** Something stored that could not be used as it was. */
export interface SettingsProblem {
  /** Where it was: `hideInfo`, `groups.github`, `customSites[2]`, or `settings` for the whole value. */
  field: string;
  /** The stored value as JSON text (cut short when long). */
  value: string;
  /** What was wrong and what is used instead, in plain words. */
  reason: string;
}

export interface SettingsRead {
  settings: Settings;
  /** What the stored value had that could not be used; empty when it needs no repair. */
  problems: SettingsProblem[];
  /**
   * Fields kept as they are because a newer version of the extension wrote them (read with
   * `{ newer: true }`); written back untouched with the next change.
   */
  extra: Record<string, unknown>;
}

const FIELDS = ['groups', 'customSites', 'hideInfo', 'hoverDelayMs'] as const;
/** Version 1 kept its version in the value; a value not migrated yet still has it, and that is fine. */
const LEGACY_FIELDS = ['version'];

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stored value as short JSON text for a message. */
export function storedText(value: unknown, max = 120): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function readGroups(stored: unknown, problems: SettingsProblem[]): Settings['groups'] {
  const groups = defaultSettings().groups;
  if (stored === undefined) return groups;
  if (!isRecord(stored)) {
    problems.push({ field: 'groups', value: storedText(stored), reason: 'not a list of site switches: every built-in site is on' });
    return groups;
  }
  for (const [id, on] of Object.entries(stored)) {
    if (!(SITE_GROUP_IDS as string[]).includes(id)) {
      problems.push({ field: `groups.${id}`, value: storedText(on), reason: 'not a built-in site of this version' });
    } else if (typeof on !== 'boolean') {
      problems.push({ field: `groups.${id}`, value: storedText(on), reason: 'not on or off: on is used' });
    } else groups[id as SiteGroupId] = on;
  }
  return groups;
}

function readCustomSites(stored: unknown, problems: SettingsProblem[]): string[] {
  if (stored === undefined) return [];
  if (!Array.isArray(stored)) {
    problems.push({ field: 'customSites', value: storedText(stored), reason: 'not a list of sites' });
    return [];
  }
  const sites: string[] = [];
  stored.forEach((site: unknown, i) => {
    const field = `customSites[${i}]`;
    if (typeof site !== 'string') return problems.push({ field, value: storedText(site), reason: 'not a site pattern' });
    const check = toMatchPattern(site);
    if (!check.ok) return problems.push({ field, value: storedText(site), reason: check.message });
    if (check.pattern !== site) return problems.push({ field, value: storedText(site), reason: `not written as a match pattern (${check.pattern})` });
    if (sites.includes(site)) return problems.push({ field, value: storedText(site), reason: 'listed twice: kept once' });
    sites.push(site);
  });
  return sites;
}

function readHoverDelay(stored: unknown, problems: SettingsProblem[]): number {
  const fallback = defaultSettings().hoverDelayMs;
  if (stored === undefined) return fallback;
  if (typeof stored !== 'number' || !Number.isFinite(stored)) {
    problems.push({ field: 'hoverDelayMs', value: storedText(stored), reason: `not a number of milliseconds: ${fallback} ms is used` });
    return fallback;
  }
  const delay = Math.round(Math.min(HOVER_DELAY_MAX_MS, Math.max(HOVER_DELAY_MIN_MS, stored)));
  if (delay !== stored) problems.push({ field: 'hoverDelayMs', value: storedText(stored), reason: `outside ${HOVER_DELAY_MIN_MS} to ${HOVER_DELAY_MAX_MS} ms: ${delay} ms is used` });
  return delay;
}

/**
 * Any stored value to valid settings, field by field, with what could not be used. Missing fields
 * take their defaults without a word (nothing was lost). Fields this version does not know are
 * problems (they are dropped by the next write), unless the value comes from a newer version
 * (`newer`): then they are that version's settings and are kept in `extra`.
 */
export function readStoredSettings(stored: unknown, { newer = false }: { newer?: boolean } = {}): SettingsRead {
  const problems: SettingsProblem[] = [];
  const extra: Record<string, unknown> = {};
  if (stored === undefined || stored === null) return { settings: defaultSettings(), problems, extra };
  if (!isRecord(stored)) {
    problems.push({ field: 'settings', value: storedText(stored), reason: 'not a set of settings: the defaults are used' });
    return { settings: defaultSettings(), problems, extra };
  }
  for (const [key, value] of Object.entries(stored)) {
    if ((FIELDS as readonly string[]).includes(key) || LEGACY_FIELDS.includes(key)) continue;
    if (newer) extra[key] = value;
    else problems.push({ field: key, value: storedText(value), reason: 'not a setting of this version' });
  }
  const settings: Settings = {
    groups: readGroups(stored.groups, problems),
    customSites: readCustomSites(stored.customSites, problems),
    hideInfo: typeof stored.hideInfo === 'boolean' ? stored.hideInfo : defaultSettings().hideInfo,
    hoverDelayMs: readHoverDelay(stored.hoverDelayMs, problems),
  };
  if (stored.hideInfo !== undefined && typeof stored.hideInfo !== 'boolean') {
    problems.push({ field: 'hideInfo', value: storedText(stored.hideInfo), reason: 'not on or off: off is used' });
  }
  return { settings, problems: newer ? [] : problems, extra };
}

/** Any stored value to valid settings (what content scripts and the popup read). */
export function normalizeSettings(stored: unknown): Settings {
  return readStoredSettings(stored).settings;
}

/** Whether two settings say the same, whatever the order of their keys. */
export function sameSettings(a: Settings, b: Settings): boolean {
  return (
    a.hideInfo === b.hideInfo &&
    a.hoverDelayMs === b.hoverDelayMs &&
    SITE_GROUP_IDS.every((id) => a.groups[id] === b.groups[id]) &&
    a.customSites.length === b.customSites.length &&
    a.customSites.every((site, i) => site === b.customSites[i])
  );
}

/** The value written to storage: the fields in a fixed order, plus a newer version's `extra`. */
export function toStored(settings: Settings, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    groups: Object.fromEntries(SITE_GROUP_IDS.map((id) => [id, settings.groups[id]])),
    customSites: [...settings.customSites],
    hideInfo: settings.hideInfo,
    hoverDelayMs: settings.hoverDelayMs,
  };
}

/** What the stored value weighs against the browser's per-item quota (key + JSON, UTF-8 bytes). */
export function storedBytes(settings: Settings, extra: Record<string, unknown> = {}): number {
  return new TextEncoder().encode(SETTINGS_KEY + JSON.stringify(toStored(settings, extra))).length;
}

/** Migrations of the stored value, by the version they lead to (run by lib/settings-store.ts). Each is safe to run on a value already migrated. */
export const SETTINGS_MIGRATIONS: Record<number, (stored: unknown) => unknown> = {
  // The version moved out of the value into WXT's `settings$` meta item.
  2: (stored) => {
    if (!isRecord(stored)) return stored;
    const { version: _version, ...rest } = stored;
    return rest;
  },
};

export type SiteState =
  | { kind: 'group'; on: boolean; groupId: SiteGroupId; label: string }
  | { kind: 'custom'; on: true; pattern: string }
  | { kind: 'other'; on: false };

/** Whether the extension marks errors on `url` by itself (as far as the settings go), and why. */
export function siteState(settings: Settings, url: string): SiteState {
  const group = groupOfUrl(url);
  if (group) return { kind: 'group', on: settings.groups[group.id as SiteGroupId] !== false, groupId: group.id as SiteGroupId, label: group.label };
  const pattern = settings.customSites.find((p) => matchesPattern(p, url));
  if (pattern) return { kind: 'custom', on: true, pattern };
  return { kind: 'other', on: false };
}
