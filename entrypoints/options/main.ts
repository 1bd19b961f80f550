/**
 * The options page (options.html): built-in site groups on/off, sites the user adds (host
 * permission asked for at that moment), what the browser allows, informational notices, hover
 * delay. Thin wiring over lib/settings-store.ts and lib/custom-sites.ts; the lists are
 * site-lists.ts. Every change is stored at once in storage.sync (only when it changes something);
 * open pages follow through the storage item's `watch`.
 */
import '../../assets/entry.css';
import '../../assets/page-controls.css';
import './style.css';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import notices from '../../knowledge/notices';
import { addCustomSite, removeCustomSite } from '../../lib/custom-sites';
import { replaceChildren } from '../../lib/dom';
import { messenger } from '../../lib/messages';
import { renderNotices } from '../../lib/render';
import { accessFrom, grantedOrigins, missingPatterns } from '../../lib/site-access';
import { checkNewSite, needsPublicSuffixCheck } from '../../lib/site-check';
import { patternCovers } from '../../lib/site-patterns';
import { defaultSettings, HOVER_DELAY_MAX_MS, HOVER_DELAY_MIN_MS, type Settings, type SettingsProblem } from '../../lib/settings';
import { createSettingsStore, type SetAsideRecord } from '../../lib/settings-store';
import { renderGroups, renderSites, renderUnlisted, type SiteListActions } from './site-lists';
import { mountShortcuts } from './shortcuts';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const groupsList = $<HTMLUListElement>('#groups');
const sitesList = $<HTMLUListElement>('#custom-sites');
const siteInput = $<HTMLInputElement>('#site');
const siteMessage = $<HTMLParagraphElement>('#site-message');
const hideInfo = $<HTMLInputElement>('#hide-info');
const hoverDelay = $<HTMLInputElement>('#hover-delay');
const saved = $<HTMLParagraphElement>('#saved');
const store = createSettingsStore(storage);
const syncScripts = (released: string[]) => messenger.sendMessage('syncSiteScripts', released);

replaceChildren($('#notices'), document, renderNotices(notices));
void mountShortcuts($('#shortcuts')); // its own section: lives in shortcuts.ts

/** What the page shows: the stored settings and the permissions the browser grants. */
let settings: Settings = defaultSettings();
let origins: string[] = [];

function say(text: string, isError = false): void {
  siteMessage.textContent = text;
  siteMessage.classList.toggle('error', isError);
}

function status(text: string, isError = false): void {
  saved.textContent = text;
  saved.classList.toggle('error', isError);
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Draws everything from `settings` and `origins`; the focused control keeps the focus. */
function render(): void {
  const focusKey = (document.activeElement as HTMLElement | null)?.dataset?.focusKey;
  const access = accessFrom(origins, settings);
  renderGroups(groupsList, settings, access, actions);
  renderSites(sitesList, settings, access, actions);
  renderUnlisted($('#unlisted'), $('#unlisted-list'), access, actions);
  hideInfo.checked = settings.hideInfo;
  if (document.activeElement !== hoverDelay) hoverDelay.value = String(settings.hoverDelayMs);
  if (!focusKey) return;
  const again = document.querySelector<HTMLElement>(`[data-focus-key="${CSS.escape(focusKey)}"]`);
  // A removed site's row is gone: the keyboard goes on from the field that adds sites.
  if (again) again.focus();
  else if (/^(remove|allow-site|give-back):/.test(focusKey)) siteInput.focus();
}

async function refreshOrigins(): Promise<void> {
  origins = await grantedOrigins(browser).catch(() => origins);
  render();
}

/**
 * Stores a change; on failure the control goes back to the stored state and the page says why.
 * `note`: what to say instead of "Saved." about the settings written (a value that was adjusted).
 */
async function save(change: (s: Settings) => Partial<Settings>, putBack: () => void, note?: (stored: Settings) => string | null): Promise<void> {
  try {
    const result = await store.update(change);
    settings = result.settings;
    render();
    status(result.written ? (note?.(result.settings) ?? 'Saved.') : 'Already saved: nothing changed.');
  } catch (err) {
    putBack();
    render();
    status(`Not saved: ${messageOf(err)}`, true);
  }
}

/** What removing `pattern` did to the permissions, in words. */
function removedMessage(pattern: string, change: { kept: string[]; released: string[] }, listed: readonly string[]): string {
  if (change.kept.length > 0) {
    const relying = listed.filter((p) => patternCovers(pattern, p));
    return `Removed ${pattern}. The browser keeps its permission while ${relying.join(', ')}, which it covers, is listed (it is given back with the last of them).`;
  }
  const coveredBy = listed.find((p) => patternCovers(p, pattern));
  if (coveredBy) return `Removed ${pattern}; ${coveredBy} still covers it.`;
  const others = change.released.filter((p) => p !== pattern);
  const said = [`Removed ${pattern}${change.released.includes(pattern) ? '; its permission was given back' : ''}.`];
  if (others.length > 0) said.push(`The permission it relied on (${others.join(', ')}) was given back too.`);
  return said.join(' ');
}

/** What a site action has to say: the message line's text, and whether it reports a failure. */
interface Said {
  text: string;
  isError?: boolean;
}
const failed = (text: string): Said => ({ text, isError: true });

/**
 * Finishes a site action: the lists are drawn from what the browser grants now, then the message
 * says what happened. The message comes last, so whatever it says is already on the lists (and
 * the background has already synced the sites' scripts, which each action waits for).
 */
function finish(action: Promise<Said>, couldNot: (why: string) => string): void {
  void action
    .catch((err: unknown) => failed(couldNot(messageOf(err))))
    .then(async (said) => {
      await refreshOrigins();
      say(said.text, said.isError);
    });
}

const actions: SiteListActions = {
  switchGroup: (id, on, putBack) => void save((s) => ({ groups: { ...s.groups, [id]: on } }), putBack),
  allowGroup(id, label) {
    // permissions.request first, in the click.
    finish(
      browser.permissions
        .request({ origins: missingPatterns(id, origins) })
        .then((granted) => (granted ? { text: `The browser now allows ${label}.` } : failed(`The browser did not allow ${label}.`))),
      (why) => `Could not ask for ${label}: ${why}`,
    );
  },
  allowSite(pattern) {
    finish(
      browser.permissions.request({ origins: [pattern] }).then(async (granted) => {
        if (!granted) return failed(`The browser did not allow ${pattern}.`);
        await syncScripts([]);
        return { text: `The browser now allows ${pattern}. Errors are marked there from the next page load.` };
      }),
      (why) => `Could not allow ${pattern}: ${why}`,
    );
  },
  removeSite(pattern) {
    finish(
      removeCustomSite(browser, store, pattern, syncScripts).then(async (result) => {
        if (!result.ok) return failed(result.message);
        settings = (await store.read()).settings;
        return { text: removedMessage(pattern, result, settings.customSites) };
      }),
      (why) => `Could not remove ${pattern}: ${why}`,
    );
  },
  giveBack(origin) {
    // Listed as held for no listed site (accessFrom): nothing relies on it.
    finish(
      browser.permissions.remove({ origins: [origin] }).then(() => ({ text: `Gave back the permission for ${origin}.` })),
      (why) => `Could not give back ${origin}: ${why}`,
    );
  },
};

/**
 * The public suffix list (tldts, about 277 KB) is loaded after the first render, when the browser
 * is idle (within about 1 s), so that it is there before Add is pressed: Firefox asks for a
 * permission only inside the submit handler itself, never after an await. The site field's focus
 * starts the load at once when it comes first; one promise, so it loads once either way.
 */
let isPublicSuffix: ((host: string) => boolean) | undefined;
let publicSuffixLoad: Promise<void> | undefined;
const loadPublicSuffix = (): Promise<void> =>
  (publicSuffixLoad ??= import('../../lib/public-suffix').then((m) => {
    isPublicSuffix = m.isPublicSuffix;
  }));
/** Starts the load; a failure is said when a wildcard needs the list (the submit handler). */
const preloadPublicSuffix = () => void loadPublicSuffix().catch(() => undefined);
siteInput.addEventListener('focus', preloadPublicSuffix, { once: true });

$<HTMLFormElement>('#add-site').addEventListener('submit', (e) => {
  e.preventDefault();
  if (isPublicSuffix === undefined && needsPublicSuffixCheck(siteInput.value)) {
    // A wildcard sent before the list arrived: checked once it is here, never without it.
    const site = siteInput.value.trim();
    loadPublicSuffix().then(
      () => addSite(true),
      () => say(`Could not check ${site}: the list of public suffixes did not load. Reload this page and try again.`, true),
    );
    return;
  }
  addSite();
});

/**
 * Checks the site in the field and asks the browser for it. `late`: the submit waited for the
 * public suffix list, so the request comes after the user's gesture, which Firefox refuses (Chrome
 * allows it for a few seconds); the list is here now, so Add again asks at once.
 */
function addSite(late = false): void {
  // Everything that can refuse the site is checked before the browser asks about it.
  const check = checkNewSite(siteInput.value, settings, isPublicSuffix);
  if (!check.ok) {
    say(check.message, true);
    siteInput.focus();
    return;
  }
  // permissions.request must be called right in the click: addCustomSite asks before any await.
  finish(
    addCustomSite(browser, store, check.pattern, syncScripts).then(async (result) => {
      if (!result.ok) return failed(result.message);
      settings = (await store.read()).settings;
      siteInput.value = '';
      return { text: [`Added ${check.pattern}. Errors are marked there from the next page load.`, ...check.notes].join(' ') };
    }),
    (why) =>
      late
        ? `Not added yet: the browser asks for a site’s permission only at the moment Add is pressed, and the check for public suffixes was still loading then. Press Add again.`
        : `Could not add ${check.pattern}: ${why}`,
  );
}
siteInput.addEventListener('input', () => say(''));

hideInfo.addEventListener('change', () => {
  const on = hideInfo.checked;
  void save(() => ({ hideInfo: on }), () => (hideInfo.checked = !on));
});
hoverDelay.addEventListener('change', () => {
  const value = Number(hoverDelay.value);
  if (hoverDelay.value.trim() === '' || !Number.isFinite(value)) {
    status('The hover delay is a number of milliseconds (0 to 2000).', true);
    hoverDelay.value = String(settings.hoverDelayMs);
    return;
  }
  void save(
    () => ({ hoverDelayMs: value }),
    () => (hoverDelay.value = String(settings.hoverDelayMs)),
    // Out of range or fractional: stored as the nearest allowed value (lib/settings.ts), said so.
    ({ hoverDelayMs }) =>
      hoverDelayMs === value ? null : `Saved as ${hoverDelayMs} ms: the hover delay is a whole number of milliseconds from ${HOVER_DELAY_MIN_MS} to ${HOVER_DELAY_MAX_MS}.`,
  ).then(() => {
    // Enter keeps the focus in the field, where render() leaves the value alone: show what was stored.
    hoverDelay.value = String(settings.hoverDelayMs);
  });
});

/** The stored values a repair set aside, with a way to clear them once read. */
function showSetAside(records: readonly (SettingsProblem | SetAsideRecord)[], note: string): void {
  const box = $('#set-aside');
  box.hidden = records.length === 0;
  $('#set-aside-status').textContent = note;
  $('#set-aside-list').replaceChildren(
    ...records.map((r) => {
      const li = document.createElement('li');
      const field = document.createElement('code');
      field.textContent = `${r.field}: ${r.value}`;
      li.append(field, ` ${r.reason}${/[.!?]$/.test(r.reason) ? '' : '.'}`);
      return li;
    }),
  );
}

$('#set-aside-clear').addEventListener('click', () => {
  void store
    .clearSetAside()
    .then(() => {
      // The box and its focused button go: the keyboard goes on from the first switch below it.
      const hadFocus = $('#set-aside').contains(document.activeElement);
      showSetAside([], '');
      if (hadFocus) groupsList.querySelector<HTMLInputElement>('input')?.focus();
    })
    .catch((err: unknown) => status(`Could not clear the list: ${messageOf(err)}`, true));
});

/** First view from what is stored, at once; a repair of a bad stored value follows, not before. */
async function start(): Promise<void> {
  const [read, granted, earlier] = await Promise.all([store.read(), grantedOrigins(browser).catch(() => []), store.setAside().catch(() => [])]);
  settings = read.settings;
  origins = granted;
  showNewer(read.newer);
  render();
  requestIdleCallback(preloadPublicSuffix, { timeout: 1000 });
  if (read.problems.length === 0) {
    showSetAside(earlier, earlier.length > 0 ? 'Set aside earlier (kept on this computer only):' : '');
    return;
  }
  showSetAside([...earlier, ...read.problems], 'The rest of your settings is in use. These values are set aside on this computer, and the repaired settings are saved…');
  try {
    await store.repair();
    showSetAside(await store.setAside(), 'The rest of your settings is in use and was saved. These values were set aside (kept on this computer only):');
  } catch (err) {
    showSetAside([...earlier, ...read.problems], `The rest of your settings is in use, but the repair was not saved: ${messageOf(err)}`);
  }
}

/** Says so when the stored settings come from a newer version (their unknown fields are kept). */
function showNewer(newer: boolean): void {
  $('#newer-settings').hidden = !newer;
}

// Another window, the popup or another computer changed the settings: show them.
store.watch(({ settings: now }) => {
  settings = now;
  render();
  void store.read().then(({ newer }) => showNewer(newer));
});
browser.permissions.onAdded.addListener(() => void refreshOrigins());
browser.permissions.onRemoved.addListener(() => void refreshOrigins());
void start();
