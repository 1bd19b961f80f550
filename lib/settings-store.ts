/**
 * Reading and writing the settings through WXT's storage (`@wxt-dev/storage`, passed in as
 * `storage`, so tests run it over a fake browser): one item in `storage.sync`, its version in WXT's
 * metadata beside it (migrated here: see migrateStoredSettings), and `watch`. What a stored value
 * means is lib/settings.ts.
 *
 * - Reading never writes and never waits for a write: pages render from what is stored.
 * - A write happens only when the value changes (compared field by field, not as JSON text), or
 *   when the options page repairs a bad stored value; the bad parts are set aside first in
 *   `storage.local` (nothing stored is lost), and shown there.
 * - A failed write rejects with a SettingsWriteError whose message says why in plain words.
 */
import type { WxtStorage } from '@wxt-dev/storage';
import {
  isRecord,
  readStoredSettings,
  sameSettings,
  storedText,
  SETTINGS_KEY,
  SETTINGS_MIGRATIONS,
  SETTINGS_VERSION,
  storedBytes,
  SYNC_ITEM_QUOTA_BYTES,
  toStored,
  type Settings,
  type SettingsProblem,
  type SettingsRead,
} from './settings';

export const SETTINGS_ITEM = `sync:${SETTINGS_KEY}` as const;
/** Stored values the options page could not use, kept on this computer until the user clears them. */
export const SET_ASIDE_ITEM = 'local:settingsSetAside' as const;
/** The most set-aside records kept (the oldest go first). */
export const SET_ASIDE_LIMIT = 50;

export interface SetAsideRecord extends SettingsProblem {
  /** When it was set aside (ms since the epoch). */
  at: number;
}

const SET_ASIDE_KEY = SET_ASIDE_ITEM.slice('local:'.length);

/**
 * The set-aside list as stored, as records: anything else found there (a hand-edited or damaged
 * list) becomes a record of what was found, so it is shown, kept, and never stops a repair.
 */
export function readSetAside(stored: unknown): SetAsideRecord[] {
  if (stored === undefined || stored === null) return [];
  const found = (field: string, value: unknown): SetAsideRecord => ({
    field,
    value: storedText(value),
    reason: 'not readable as a set-aside value: kept as it was found',
    at: 0,
  });
  if (!Array.isArray(stored)) return [found(SET_ASIDE_KEY, stored)];
  return stored.map((r: unknown, i) => {
    const record = r as Partial<SetAsideRecord> | null;
    const readable = typeof record === 'object' && record !== null && [record.field, record.value, record.reason].every((v) => typeof v === 'string');
    if (!readable) return found(`${SET_ASIDE_KEY}[${i}]`, r);
    return { field: record.field!, value: record.value!, reason: record.reason!, at: typeof record.at === 'number' ? record.at : 0 };
  });
}

/** A write the browser refused; `message` is for the user. */
export class SettingsWriteError extends Error {
  override name = 'SettingsWriteError';
}

/** Why a storage write failed, in words for the user (never the browser's text with the value in it). */
export function plainStorageError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (/MAX_WRITE_OPERATIONS_PER_MINUTE/.test(text)) {
    return 'The browser accepts at most 120 changes to synced settings a minute. Wait a minute, then try again.';
  }
  if (/MAX_WRITE_OPERATIONS_PER_HOUR/.test(text)) {
    return 'The browser accepts at most 1,800 changes to synced settings an hour. Try again later.';
  }
  if (/QUOTA_BYTES|quota/i.test(text)) {
    return 'The settings are too large to sync: the browser keeps at most 8 KB of them. Remove a site you no longer need.';
  }
  if (/context invalidated|Extension context/i.test(text)) {
    return 'The extension was updated or restarted. Reload this page, then try again.';
  }
  return 'The browser did not save the settings.';
}

/** Whether WXT's metadata of the item names a version newer than this extension's. */
const isNewer = (meta: { v?: unknown } | null | undefined) => typeof meta?.v === 'number' && meta.v > SETTINGS_VERSION;

/** The settings in a stored value, with WXT's metadata for it (its version: a newer one is read leniently). */
function settingsOf(stored: unknown, meta: { v?: unknown } | null | undefined): SettingsRead & { newer: boolean } {
  const newer = isNewer(meta);
  return { ...readStoredSettings(stored, { newer }), newer };
}

/** The settings as stored now: read only, without waiting for any write. Never rejects. */
export async function readSettings(storage: WxtStorage): Promise<SettingsRead & { newer: boolean }> {
  try {
    const [stored, meta] = await Promise.all([storage.getItem(SETTINGS_ITEM), storage.getMeta<{ v?: unknown }>(SETTINGS_ITEM)]);
    return settingsOf(stored, meta);
  } catch {
    return settingsOf(undefined, null);
  }
}

/**
 * The calls of `browser.storage.sync` that reading and watching need. The content script only reads
 * and watches the settings: it does so through the storage area itself, without WXT's storage
 * module (about 10 KB that every page would compile), from the key and the metadata key
 * (`settings$`) WXT's storage writes.
 */
export interface SyncStorageArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  onChanged: {
    addListener(listener: (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) => void): void;
    removeListener(listener: (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) => void): void;
  };
}

/** WXT's storage keeps an item's metadata under the item's key and a `$`. */
const SETTINGS_META_KEY = `${SETTINGS_KEY}$`;

/** readSettings, from the storage area itself (the content script). Never rejects. */
export async function readSyncedSettings(sync: SyncStorageArea): Promise<SettingsRead & { newer: boolean }> {
  try {
    const got = await sync.get([SETTINGS_KEY, SETTINGS_META_KEY]);
    const meta = got[SETTINGS_META_KEY];
    return settingsOf(got[SETTINGS_KEY], meta !== null && typeof meta === 'object' ? meta : null);
  } catch {
    return settingsOf(undefined, null);
  }
}

/** watchSettings, from the storage area itself (the content script): told only when the settings differ. */
export function watchSyncedSettings(sync: SyncStorageArea, onChange: SettingsWatcher): () => void {
  const listener = (changes: Record<string, { newValue?: unknown; oldValue?: unknown }>) => {
    const change = changes[SETTINGS_KEY];
    if (!change) return;
    const now = readStoredSettings(change.newValue ?? null);
    const before = readStoredSettings(change.oldValue ?? null);
    if (!sameSettings(now.settings, before.settings)) onChange(now, before);
  };
  sync.onChanged.addListener(listener);
  return () => sync.onChanged.removeListener(listener);
}

/** What a watcher is told: the settings now, and before the change. */
export type SettingsWatcher = (now: SettingsRead, before: SettingsRead) => void;

/** Calls `onChange` each time the stored settings change (in any window, or on another computer). */
export function watchSettings(storage: WxtStorage, onChange: SettingsWatcher): () => void {
  return storage.watch(SETTINGS_ITEM, (stored, old) => onChange(readStoredSettings(stored), readStoredSettings(old)));
}

export interface SettingsUpdate {
  settings: Settings;
  /** False when nothing changed: no write was made. */
  written: boolean;
}

export interface SettingsStore {
  /** See readSettings. */
  read(): ReturnType<typeof readSettings>;
  watch(onChange: SettingsWatcher): () => void;
  /** Applies `change` to the settings stored now; writes only if that changes them. */
  update(change: (current: Settings) => Partial<Settings>): Promise<SettingsUpdate>;
  /** Writes the repaired value when the stored one has problems (set aside first). */
  repair(): Promise<SettingsUpdate>;
  /** What earlier repairs set aside, oldest first. */
  setAside(): Promise<SetAsideRecord[]>;
  clearSetAside(): Promise<void>;
}

/** WXT's metadata of the settings item, as a key of its own (`settings$`). */
const SETTINGS_META_ITEM = `${SETTINGS_ITEM}$` as const;

/**
 * Brings an older stored value up to this version, as WXT's versioned items do (one read; one
 * write of the value and its version together, only when the version is older). A value from a
 * newer version is left as it is, without a word: WXT's own migration refuses it as a downgrade
 * and logs an error in every context that defines the item.
 */
async function migrateStoredSettings(storage: WxtStorage): Promise<void> {
  try {
    const [{ value }, { value: meta }] = await storage.getItems([SETTINGS_ITEM, SETTINGS_META_ITEM]);
    if (value == null) return;
    const version = isRecord(meta) && typeof meta.v === 'number' ? meta.v : 1;
    if (version >= SETTINGS_VERSION) return;
    let migrated: unknown = value;
    for (let v = version + 1; v <= SETTINGS_VERSION; v++) migrated = SETTINGS_MIGRATIONS[v]?.(migrated) ?? migrated;
    await storage.setItems([
      { key: SETTINGS_ITEM, value: migrated },
      { key: SETTINGS_META_ITEM, value: { ...(isRecord(meta) ? meta : {}), v: SETTINGS_VERSION } },
    ]);
  } catch {
    // Not migrated now: the value is read as version 1 or 2 alike, and the next change writes version 2.
  }
}

/**
 * The store for pages that write (options, popup) and the background. Creating it starts the
 * migration of an older stored value (migrateStoredSettings); writes wait for it.
 */
export function createSettingsStore(storage: WxtStorage): SettingsStore {
  const migrated = migrateStoredSettings(storage);
  const item = storage.defineItem<Record<string, unknown> | null, { v?: unknown }>(SETTINGS_ITEM, { fallback: null });
  const setAsideItem = storage.defineItem<unknown>(SET_ASIDE_ITEM, { fallback: [] });
  const setAside = async () => readSetAside(await setAsideItem.getValue());

  const keepSetAside = async (problems: SettingsProblem[]) => {
    const at = Date.now();
    const kept = await setAside();
    // A repair that failed after setting aside leaves the same problems stored: kept once.
    const same = (a: SettingsProblem, b: SettingsProblem) => a.field === b.field && a.value === b.value && a.reason === b.reason;
    const added = problems.filter((p) => !kept.some((k) => same(k, p))).map((p) => ({ ...p, at }));
    if (added.length > 0) await setAsideItem.setValue([...kept, ...added].slice(-SET_ASIDE_LIMIT));
  };

  /** Reads (after any migration), applies `change`, writes if needed. */
  const write = async (change: (current: Settings) => Partial<Settings>, repair: boolean): Promise<SettingsUpdate> => {
    await migrated;
    const meta = await item.getMeta();
    const newer = isNewer(meta);
    const { settings: current, problems, extra } = readStoredSettings(await item.getValue(), { newer });
    const next = readStoredSettings(toStored({ ...current, ...change(current) })).settings;
    if (sameSettings(current, next) && !(repair && problems.length > 0)) return { settings: current, written: false };
    if (storedBytes(next, extra) > SYNC_ITEM_QUOTA_BYTES) {
      throw new SettingsWriteError(plainStorageError(new Error('QUOTA_BYTES_PER_ITEM')));
    }
    try {
      if (problems.length > 0) await keepSetAside(problems);
      const value = toStored(next, extra);
      // The first write of a profile carries the version, as a WXT versioned item's does.
      if (typeof meta.v === 'number' && meta.v >= SETTINGS_VERSION) await item.setValue(value);
      else await storage.setItems([{ key: SETTINGS_ITEM, value }, { key: SETTINGS_META_ITEM, value: { ...meta, v: SETTINGS_VERSION } }]);
    } catch (err) {
      throw new SettingsWriteError(plainStorageError(err), { cause: err });
    }
    return { settings: next, written: true };
  };

  // One write at a time: two quick changes in one page must not both start from the same value.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work, work);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    read: () => readSettings(storage),
    watch: (onChange) => watchSettings(storage, onChange),
    update: (change) => serial(() => write(change, false)),
    repair: () => serial(() => write(() => ({}), true)),
    setAside,
    clearSetAside: () => setAsideItem.removeValue(),
  };
}
