/**
 * The options page (options.html): built-in site groups on/off, sites the user adds (host
 * permission asked for at that moment), informational notices, hover delay. Thin wiring over
 * lib/settings.ts, lib/site-groups.ts and lib/custom-sites.ts. Every change is stored at once in
 * storage.sync; open pages follow through storage.onChanged.
 */
import '../../assets/entry.css';
import '../../assets/page-controls.css';
import './style.css';
import { browser } from 'wxt/browser';
import knowledge from '../../knowledge';
import { addCustomSite, removeCustomSite, syncSiteScripts } from '../../lib/custom-sites';
import { replaceChildren } from '../../lib/dom';
import { renderNotices } from '../../lib/render';
import { loadSettings, normalizeSettings, SETTINGS_KEY, updateSettings, type Settings } from '../../lib/settings';
import { SITE_GROUPS, toMatchPattern, type SiteGroupId } from '../../lib/site-groups';
import { mountShortcuts } from './shortcuts';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const groupsList = $<HTMLUListElement>('#groups');
const sitesList = $<HTMLUListElement>('#custom-sites');
const siteInput = $<HTMLInputElement>('#site');
const siteMessage = $<HTMLParagraphElement>('#site-message');
const hideInfo = $<HTMLInputElement>('#hide-info');
const hoverDelay = $<HTMLInputElement>('#hover-delay');
const saved = $<HTMLParagraphElement>('#saved');
const storage = browser.storage.sync;

replaceChildren($('#notices'), document, renderNotices(knowledge.notices));
void mountShortcuts($('#shortcuts')); // its own section: lives in shortcuts.ts

function say(text: string, isError = false): void {
  siteMessage.textContent = text;
  siteMessage.classList.toggle('error', isError);
}

const confirmSaved = () => {
  saved.textContent = 'Saved.';
};

async function change(patch: (s: Settings) => Partial<Settings>): Promise<void> {
  render(await updateSettings(storage, patch));
  confirmSaved();
}

function renderGroups(settings: Settings): void {
  groupsList.replaceChildren(
    ...SITE_GROUPS.map((group) => {
      const li = document.createElement('li');
      const label = document.createElement('label');
      label.className = 'switch-row';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.setAttribute('role', 'switch');
      input.dataset.group = group.id;
      input.checked = settings.groups[group.id as SiteGroupId] !== false;
      input.addEventListener('change', () => void change((s) => ({ groups: { ...s.groups, [group.id]: input.checked } })));
      const text = document.createElement('span');
      text.textContent = group.label;
      label.append(input, text);
      const patterns = document.createElement('span');
      patterns.className = 'patterns';
      patterns.textContent = group.matches.join('  ');
      li.append(label, patterns);
      return li;
    }),
  );
}

function renderSites(settings: Settings): void {
  if (settings.customSites.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'No other sites yet.';
    sitesList.replaceChildren(li);
    return;
  }
  sitesList.replaceChildren(
    ...settings.customSites.map((pattern) => {
      const li = document.createElement('li');
      li.dataset.site = pattern;
      const code = document.createElement('code');
      code.textContent = pattern;
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove ${pattern}`);
      remove.addEventListener('click', () => {
        void removeCustomSite(browser, pattern)
          .then(() => loadSettings(storage))
          .then((s) => {
            render(s);
            say(`Removed ${pattern}; its permission was given back.`);
          })
          .catch((err: unknown) => say(`Could not remove ${pattern}: ${String(err)}`, true));
      });
      li.append(code, remove);
      return li;
    }),
  );
}

function render(settings: Settings): void {
  renderGroups(settings);
  renderSites(settings);
  hideInfo.checked = settings.hideInfo;
  if (document.activeElement !== hoverDelay) hoverDelay.value = String(settings.hoverDelayMs);
}

$<HTMLFormElement>('#add-site').addEventListener('submit', (e) => {
  e.preventDefault();
  const check = toMatchPattern(siteInput.value);
  if (!check.ok) {
    say(check.message, true);
    siteInput.focus();
    return;
  }
  // permissions.request must be called right in the click: no await before it.
  addCustomSite(browser, check.pattern)
    .then(async (granted) => {
      if (!granted) return say(`Not added: the permission for ${check.pattern} was not granted.`, true);
      render(await loadSettings(storage));
      siteInput.value = '';
      say(`Added ${check.pattern}. Errors are marked there from the next page load.`);
    })
    .catch((err: unknown) => say(`Could not add ${check.pattern}: ${err instanceof Error ? err.message : String(err)}`, true));
});
siteInput.addEventListener('input', () => say(''));

hideInfo.addEventListener('change', () => void change(() => ({ hideInfo: hideInfo.checked })));
hoverDelay.addEventListener('change', () => {
  const value = Number(hoverDelay.value);
  if (hoverDelay.value.trim() === '' || !Number.isFinite(value)) {
    saved.textContent = 'The hover delay is a number of milliseconds (0 to 2000).';
    return;
  }
  void change(() => ({ hoverDelayMs: value }));
});

// Another window (or the popup) changed the settings: show them.
browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'sync' && changes[SETTINGS_KEY]) render(normalizeSettings(changes[SETTINGS_KEY].newValue));
});

void loadSettings(storage).then(render);
// Added sites synced from another computer get their scripts here once allowed on this one.
void syncSiteScripts(browser).catch(() => undefined);
