/**
 * What the popup's switch for the current page shows: the settings and what the browser grants
 * together (a site switched on that the browser does not allow is not "on"). Pure.
 */
import { missingPatterns, type SiteAccess } from './site-access';
import { checkNewSite } from './site-check';
import { siteState, type Settings } from './settings';

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

export interface SwitchView {
  /** The switch's state and label; null when the page cannot be switched on. */
  on: boolean | null;
  label: string;
  /** Why the switch cannot be used, or what the browser still has to allow. */
  note: string;
  /** Patterns an "Allow" button asks the browser for. */
  allow: string[];
}

/**
 * What the switch shows for `url` (whose site pattern is `pattern`). `runsWhenOpened`: the browser
 * runs the built-in sites' content script on the page the extension's button was used on even
 * where the user withheld the site (Firefox, under activeTab), so that page is marked.
 */
export function switchView(url: string, pattern: string, settings: Settings, access: SiteAccess, origins: readonly string[], runsWhenOpened = false): SwitchView {
  const state = siteState(settings, url);
  if (state.kind === 'group') {
    if (access.groups[state.groupId]) return { on: state.on, label: `${state.on ? 'On' : 'Off'} for ${state.label}`, note: '', allow: [] };
    const marked = !state.on ? 'nothing is marked there (and it is switched off here)' : runsWhenOpened ? 'it marks a page there only when you open it on that page' : 'nothing is marked there';
    return {
      on: state.on,
      label: `Not allowed on ${state.label}`,
      note: `The browser has not allowed this extension on ${state.label}: ${marked}.`,
      allow: missingPatterns(state.groupId, origins),
    };
  }
  const host = hostOf(url);
  if (state.kind === 'custom') {
    const granted = access.sites[state.pattern]?.granted ?? false;
    return granted
      ? { on: true, label: `On for ${host}`, note: '', allow: [] }
      : {
          on: true,
          label: `Not allowed on ${host}`,
          note: `${state.pattern} is in your sites, but this browser has not allowed it (added on another computer?): nothing is marked here.`,
          allow: [state.pattern],
        };
  }
  const check = checkNewSite(pattern, settings);
  if (!check.ok) return { on: null, label: `Off for ${host}`, note: `Cannot be switched on here: ${check.message}`, allow: [] };
  return { on: false, label: `Off for ${host}`, note: '', allow: [] };
}
