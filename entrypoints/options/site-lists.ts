/**
 * The options page's lists of sites: the built-in groups (switch, and whether the browser allows
 * them), the sites the user added (allowed or not, Remove) and permissions the browser holds for
 * sites in neither list. Builds the rows; what a click does is handed in (main.ts).
 */
import type { SiteAccess } from '../../lib/site-access';
import type { Settings } from '../../lib/settings';
import { SITE_GROUPS, type SiteGroupId } from '../../lib/sites';

export interface SiteListActions {
  /** The group's switch was flipped; `putBack` undoes it on screen. */
  switchGroup(id: SiteGroupId, on: boolean, putBack: () => void): void;
  /** "Allow" on a group or a site (runs in the click: the browser asks only during one). */
  allowGroup(id: SiteGroupId, label: string): void;
  allowSite(pattern: string): void;
  removeSite(pattern: string): void;
  giveBack(origin: string): void;
}

function button(text: string, focusKey: string, onClick: () => void, ariaLabel?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.focusKey = focusKey;
  if (ariaLabel) b.setAttribute('aria-label', ariaLabel);
  b.addEventListener('click', onClick);
  return b;
}

function accessNote(granted: boolean, text: string): HTMLSpanElement {
  const note = document.createElement('span');
  note.className = 'access';
  note.dataset.access = granted ? 'granted' : 'missing';
  note.textContent = text;
  return note;
}

export function renderGroups(list: HTMLElement, settings: Settings, access: SiteAccess, actions: SiteListActions): void {
  list.replaceChildren(
    ...SITE_GROUPS.map((group) => {
      const id = group.id as SiteGroupId;
      const li = document.createElement('li');
      li.dataset.groupRow = id;
      const label = document.createElement('label');
      label.className = 'switch-row';
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.setAttribute('role', 'switch');
      input.dataset.group = id;
      input.dataset.focusKey = `group:${id}`;
      input.checked = settings.groups[id] !== false;
      input.addEventListener('change', () => actions.switchGroup(id, input.checked, () => (input.checked = !input.checked)));
      const text = document.createElement('span');
      text.textContent = group.label;
      label.append(input, text);
      const patterns = document.createElement('span');
      patterns.className = 'patterns';
      // One unbreakable span per pattern: a line breaks between patterns, never inside one
      // (Firefox would break `https://` from its host).
      for (const [i, match] of group.matches.entries()) {
        const pattern = document.createElement('span');
        pattern.className = 'pattern';
        pattern.textContent = match;
        patterns.append(i > 0 ? ' ' : '', pattern);
      }
      const granted = access.groups[id];
      const state = document.createElement('div');
      state.className = 'access-row';
      state.append(accessNote(granted, granted ? 'Allowed by the browser.' : 'Not allowed by the browser: errors are not marked there.'));
      if (!granted) state.append(button('Allow', `allow-group:${id}`, () => actions.allowGroup(id, group.label), `Allow ${group.label}`));
      li.append(label, patterns, state);
      return li;
    }),
  );
}

export function renderSites(list: HTMLElement, settings: Settings, access: SiteAccess, actions: SiteListActions): void {
  if (settings.customSites.length === 0) {
    const li = document.createElement('li');
    li.className = 'none';
    li.textContent = 'No other sites yet.';
    list.replaceChildren(li);
    return;
  }
  list.replaceChildren(
    ...settings.customSites.map((pattern) => {
      const li = document.createElement('li');
      li.dataset.site = pattern;
      const code = document.createElement('code');
      code.textContent = pattern;
      const { granted, via } = access.sites[pattern] ?? { granted: false };
      const text = !granted
        ? 'Not allowed in this browser: errors are not marked there.'
        : via
          ? `Allowed (through the permission for ${via}).`
          : 'Allowed.';
      const controls = document.createElement('span');
      controls.className = 'controls';
      if (!granted) controls.append(button('Allow', `allow-site:${pattern}`, () => actions.allowSite(pattern), `Allow ${pattern}`));
      controls.append(button('Remove', `remove:${pattern}`, () => actions.removeSite(pattern), `Remove ${pattern}`));
      const what = document.createElement('span');
      what.className = 'site';
      what.append(code, accessNote(granted, text));
      li.append(what, controls);
      return li;
    }),
  );
}

export function renderUnlisted(box: HTMLElement, list: HTMLElement, access: SiteAccess, actions: SiteListActions): void {
  box.hidden = access.unlisted.length === 0;
  list.replaceChildren(
    ...access.unlisted.map((origin) => {
      const li = document.createElement('li');
      li.dataset.unlisted = origin;
      const code = document.createElement('code');
      code.textContent = origin;
      li.append(code, button('Give back', `give-back:${origin}`, () => actions.giveBack(origin), `Give back the permission for ${origin}`));
      return li;
    }),
  );
}
