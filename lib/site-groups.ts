/**
 * The sites the content script runs on by itself, as named groups the user can switch off one by
 * one (options page, popup), plus the rules for the other sites a user may add. Pure.
 */

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
    label: 'localhost (Jupyter and other local notebooks)',
    // Any port: Chrome ignores the port in a match pattern without one.
    matches: ['http://localhost/*', 'http://127.0.0.1/*'],
  },
] as const satisfies readonly SiteGroup[];

export type SiteGroupId = (typeof SITE_GROUPS)[number]['id'];
export const SITE_GROUP_IDS = SITE_GROUPS.map((g) => g.id) as SiteGroupId[];

const SCHEMES = ['http', 'https', '*'] as const;

export type PatternCheck = { ok: true; pattern: string } | { ok: false; message: string };

/**
 * Checks what a user typed as a site and turns it into a match pattern. A bare host
 * (`wiki.example.com`) or a URL (`https://hub.example.org:8000/lab`) becomes
 * `https://wiki.example.com/*` / `https://hub.example.org/*`; a full pattern is checked as is.
 * Only http(s) sites; never the whole web.
 */
export function toMatchPattern(input: string): PatternCheck {
  const raw = input.trim();
  if (raw === '') return { ok: false, message: 'Type a site, for example https://wiki.example.com/*' };
  if (/\s/.test(raw)) return { ok: false, message: 'A site pattern has no spaces.' };
  const withScheme = /^[a-z*][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const m = /^([^:]+):\/\/([^/]*)(\/.*)?$/.exec(withScheme);
  if (!m) return { ok: false, message: `“${raw}” is not a site pattern like https://wiki.example.com/*` };
  const scheme = m[1].toLowerCase();
  let host = m[2].toLowerCase();
  let path = m[3] ?? '/*';
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    return { ok: false, message: `Only http and https sites can be added (not “${scheme}://”).` };
  }
  if (host.includes('@')) return { ok: false, message: 'A site pattern has no user name or password.' };
  // Ports are not part of a match pattern: the host with any port matches.
  host = host.replace(/:\d{1,5}$/, '');
  if (host === '' || host === '*') {
    return { ok: false, message: 'Name a host: adding every site is not allowed (use the built-in groups or one host at a time).' };
  }
  const wildcard = host.startsWith('*.');
  const bare = wildcard ? host.slice(2) : host;
  const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const isIpv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(bare) && bare.split('.').every((n) => Number(n) <= 255);
  if (!isIpv4 && (bare.includes('*') || !bare.split('.').every((part) => label.test(part)))) {
    return { ok: false, message: `“${m[2]}” is not a valid host name (a “*.” prefix is the only wildcard allowed).` };
  }
  if (wildcard && (isIpv4 || !bare.includes('.'))) {
    return { ok: false, message: `“*.${bare}” would cover too much: name a domain such as *.example.com.` };
  }
  // The path is matched with * as the only wildcard; a plain URL path covers the site below it.
  path = path.split(/[?#]/)[0];
  if (!path.endsWith('*')) path = path.endsWith('/') ? `${path}*` : `${path}/*`;
  return { ok: true, pattern: `${scheme}://${host}${path}` };
}

/** Whether `url` is covered by the match pattern (Chrome's rules; the port is ignored). */
export function matchesPattern(pattern: string, url: string): boolean {
  const m = /^(\*|https?):\/\/(\*\.)?([^/]+)(\/.*)$/.exec(pattern);
  if (!m) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const scheme = u.protocol.slice(0, -1);
  if (m[1] === '*' ? scheme !== 'http' && scheme !== 'https' : scheme !== m[1]) return false;
  const hostOk = m[2] ? u.hostname === m[3] || u.hostname.endsWith(`.${m[3]}`) : u.hostname === m[3];
  if (!hostOk) return false;
  const path = new RegExp(`^${m[4].replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return path.test(u.pathname + u.search);
}

/** The built-in group a URL belongs to, or null. */
export function groupOfUrl(url: string): SiteGroup | null {
  return SITE_GROUPS.find((g) => g.matches.some((p) => matchesPattern(p, url))) ?? null;
}

/**
 * The id of the content script registered for a site the user added: stable per pattern and one
 * to one (each other character is spelled as its hex code, so `*.example.com` and `example.com`
 * never share an id).
 */
export function customScriptId(pattern: string): string {
  return `ibkr-site-${pattern.replace(/[^a-zA-Z0-9.]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}

/** The pattern that covers a page's whole site, for "turn on for this site" in the popup. */
export function sitePatternOf(url: string): string | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return null;
    return `${u.protocol}//${u.hostname}/*`;
  } catch {
    return null;
  }
}
