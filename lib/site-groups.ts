/**
 * The sites the content script runs on by itself, as named groups the user can switch off one by
 * one (options page, popup). The rules for the other sites a user may add are in
 * lib/site-patterns.ts. Pure.
 */
import { matchesPattern, patternCovers } from './site-patterns';

export interface SiteGroup {
  id: string;
  label: string;
  matches: readonly string[];
}

export const SITE_GROUPS = [
  {
    id: 'github',
    label: 'GitHub',
    // Issues, discussions, READMEs, gists
    matches: ['https://github.com/*', 'https://gist.github.com/*'],
  },
  {
    id: 'stackoverflow',
    label: 'Stack Overflow / Stack Exchange',
    matches: ['https://stackoverflow.com/*', 'https://*.stackexchange.com/*'],
  },
  {
    id: 'ibkr',
    label: 'IBKR sites (client portal, IBKR Campus, API docs)',
    matches: [
      'https://*.interactivebrokers.com/*',
      'https://*.interactivebrokers.co.uk/*',
      'https://*.interactivebrokers.eu/*',
      'https://*.interactivebrokers.ca/*',
      'https://*.interactivebrokers.com.au/*',
      'https://*.interactivebrokers.com.hk/*',
      'https://*.interactivebrokers.co.jp/*',
      'https://*.interactivebrokers.co.in/*',
      'https://interactivebrokers.github.io/*',
      'https://ibkrcampus.com/*',
      'https://*.ibkrcampus.com/*',
    ],
  },
  {
    id: 'groupsio',
    label: 'TWS API group on groups.io',
    matches: ['https://groups.io/g/twsapi/*'],
  },
  {
    id: 'reddit',
    label: 'Reddit',
    matches: ['https://www.reddit.com/*', 'https://old.reddit.com/*'],
  },
  {
    id: 'localhost',
    label: 'localhost (Jupyter, local notebooks, the Client Portal Gateway)',
    // Any port: Chrome ignores the port in a match pattern without one. https: the Client Portal
    // Gateway serves its login page and its endpoints' JSON on https://localhost:5000.
    matches: ['http://localhost/*', 'http://127.0.0.1/*', 'https://localhost/*', 'https://127.0.0.1/*'],
  },
] as const satisfies readonly SiteGroup[];

export type SiteGroupId = (typeof SITE_GROUPS)[number]['id'];
export const SITE_GROUP_IDS = SITE_GROUPS.map((g) => g.id) as SiteGroupId[];

/** The built-in group a URL belongs to, or null. */
export function groupOfUrl(url: string): SiteGroup | null {
  return SITE_GROUPS.find((g) => g.matches.some((p) => matchesPattern(p, url))) ?? null;
}

/** The built-in group whose patterns already cover `pattern` (a site the user wants to add), or null. */
export function groupCovering(pattern: string): SiteGroup | null {
  return SITE_GROUPS.find((g) => g.matches.some((p) => patternCovers(p, pattern))) ?? null;
}
