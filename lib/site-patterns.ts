/**
 * Match patterns of sites: what a user may add as a site, whether a URL or another pattern falls
 * under one, and the id of the script registered for it. Matching is @webext-core/match-patterns
 * (the library WXT ships); the checks on what a user types are ours. Pure.
 */
import { MatchPattern } from '@webext-core/match-patterns';
import { quoted } from './quote';

/** The longest site pattern kept (a host name alone may have 253 characters). */
export const MAX_SITE_LENGTH = 255;

const SCHEMES = ['http', 'https', '*'] as const;

/** `note`: what the pattern became and why, when it is not what was typed (a Unicode host in its ASCII form). */
export type PatternCheck = { ok: true; pattern: string; note?: string } | { ok: false; message: string };

/**
 * Checks what a user typed as a site and turns it into a match pattern. A bare host
 * (`wiki.example.com`) or a URL (`https://hub.example.org:8000/lab`) becomes
 * `https://wiki.example.com/*` / `https://hub.example.org/lab*`; a full pattern is checked as is.
 * Only http(s) sites; never the whole web. (Whole public suffixes are refused by
 * lib/public-suffix.ts, which needs the public suffix list: the options page loads it when asked.)
 */
export function toMatchPattern(input: string): PatternCheck {
  const raw = input.trim();
  if (raw === '') return { ok: false, message: 'Type a site, for example https://wiki.example.com/*' };
  if (raw.length > MAX_SITE_LENGTH) {
    return { ok: false, message: `A site can be at most ${MAX_SITE_LENGTH} characters long (this one has ${raw.length.toLocaleString('en-US')}).` };
  }
  if (/\s/.test(raw)) return { ok: false, message: 'A site pattern has no spaces.' };
  const withScheme = /^[a-z*][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  const m = /^([^:]+):\/\/([^/]*)(\/.*)?$/.exec(withScheme);
  if (!m) return { ok: false, message: `${quoted(raw)} is not a site pattern like https://wiki.example.com/*` };
  const scheme = m[1].toLowerCase();
  let host = m[2].toLowerCase();
  let path = m[3] ?? '/*';
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    return { ok: false, message: `Only http and https sites can be added (not ${quoted(`${scheme}://`)}).` };
  }
  if (host.includes('@')) return { ok: false, message: 'A site pattern has no user name or password.' };
  // Ports are not part of a match pattern: the host with any port matches.
  host = host.replace(/:\d{1,5}$/, '');
  if (host === '' || host === '*') {
    return { ok: false, message: 'Name a host: adding every site is not allowed (use the built-in groups or one host at a time).' };
  }
  const checked = host.startsWith('[') ? checkIpv6Host(host, m[2]) : checkNameHost(host, m[2]);
  if (!checked.ok) return checked;
  host = checked.host;
  // The path is matched with * as the only wildcard; a plain URL path covers that page and the
  // site below it (`/lab` becomes `/lab*`: `/lab/*` would leave out the page whose address it is).
  path = path.split(/[?#]/)[0];
  if (!path.endsWith('*')) path = `${path}*`;
  const pattern = `${scheme}://${host}${path}`;
  if (pattern.length > MAX_SITE_LENGTH) {
    return { ok: false, message: `A site can be at most ${MAX_SITE_LENGTH} characters long (this one has ${pattern.length}).` };
  }
  if (checked.typed === undefined) return { ok: true, pattern };
  return {
    ok: true,
    pattern,
    note: `${checked.typed} is written ${host} in a site pattern: that is the form the browser matches, so it is stored that way.`,
  };
}

type HostCheck = { ok: true; host: string; typed?: string } | { ok: false; message: string };

/**
 * A bracketed IPv6 literal (`[::1]`), in the URL parser's normal form. Chrome's and Firefox's match
 * patterns take one as the host, without a wildcard.
 */
function checkIpv6Host(host: string, typed: string): HostCheck {
  let normal: string | null = null;
  try {
    normal = /^\[[0-9a-f:.]+\]$/.test(host) ? new URL(`http://${host}/`).hostname : null;
  } catch {
    normal = null;
  }
  if (normal === null) return { ok: false, message: `${quoted(typed)} is not a valid IPv6 address: write one in brackets, such as [::1] or [2001:db8::5].` };
  return { ok: true, host: normal };
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A host name or IPv4 address, with a `*.` prefix as the only wildcard. A Unicode name
 * (`münchen.de`) becomes its ASCII form (`xn--mnchen-3ya.de`), the one match patterns use and
 * the one the URL parser gives a page's host.
 */
function checkNameHost(host: string, typed: string): HostCheck {
  const wildcard = host.startsWith('*.');
  let bare = wildcard ? host.slice(2) : host;
  let unicode: string | undefined;
  // Any character outside ASCII: the URL parser's IDNA mapping, as the browser applies to addresses.
  if (/[^\x00-\x7f]/.test(bare)) {
    try {
      const ascii = new URL(`http://${bare}/`).hostname;
      unicode = bare;
      bare = ascii;
    } catch {
      // Left as typed: refused below as not a valid host name.
    }
  }
  const isIpv4 = /^\d{1,3}(?:\.\d{1,3}){3}$/.test(bare) && bare.split('.').every((n) => Number(n) <= 255);
  if (!isIpv4 && (bare.includes('*') || !bare.split('.').every((part) => LABEL.test(part)))) {
    return {
      ok: false,
      message: `${quoted(typed)} is not a valid host name: letters, digits and hyphens between dots, with a “*.” prefix as the only wildcard.`,
    };
  }
  if (wildcard && (isIpv4 || !bare.includes('.'))) {
    return { ok: false, message: `${quoted(`*.${bare}`)} would cover too much: name a domain such as *.example.com.` };
  }
  const prefix = wildcard ? '*.' : '';
  return { ok: true, host: `${prefix}${bare}`, typed: unicode === undefined ? undefined : `${prefix}${unicode}` };
}

const parsed = new Map<string, MatchPattern | null>();

/** The library's parsed pattern, kept per pattern (pages ask about the same few patterns again and again). */
function matchPattern(pattern: string): MatchPattern | null {
  let found = parsed.get(pattern);
  if (found === undefined) {
    try {
      found = new MatchPattern(pattern);
    } catch {
      found = null;
    }
    parsed.set(pattern, found);
  }
  return found;
}

/**
 * Whether `url` is covered by a pattern with an IPv6 host (`http://[::1]/*`), which the library
 * refuses (it reads the host's colons as a port): the same host, scheme and path glob.
 */
function ipv6PatternIncludes(pattern: string, url: string): boolean {
  const parts = partsOf(pattern);
  if (!parts || !parts.host.startsWith('[')) return false;
  try {
    const u = new URL(url);
    return parts.schemes.includes(u.protocol.slice(0, -1)) && u.hostname === parts.host && pathGlob(parts.path).test(u.pathname);
  } catch {
    return false;
  }
}

/** Whether `url` is covered by the match pattern (the port is ignored, as browsers do). */
export function matchesPattern(pattern: string, url: string): boolean {
  if (!/^https?:\/\//i.test(url)) return false;
  const compiled = matchPattern(pattern);
  if (!compiled) return ipv6PatternIncludes(pattern, url);
  try {
    return compiled.includes(url);
  } catch {
    return false;
  }
}

interface PatternParts {
  schemes: string[];
  host: string;
  path: string;
}

function partsOf(pattern: string): PatternParts | null {
  if (pattern === '<all_urls>') return { schemes: ['http', 'https'], host: '*', path: '/*' };
  const m = /^(\*|https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!m) return null;
  return { schemes: m[1] === '*' ? ['http', 'https'] : [m[1]], host: m[2].toLowerCase(), path: m[3] };
}

function hostCovers(outer: string, inner: string): boolean {
  if (outer === '*') return true;
  if (inner === '*') return false;
  if (!outer.startsWith('*.')) return outer === inner;
  const domain = outer.slice(2);
  const innerHost = inner.startsWith('*.') ? inner.slice(2) : inner;
  return innerHost === domain || innerHost.endsWith(`.${domain}`);
}

/**
 * Whether every URL `inner` matches is matched by `outer` too (`https://*.example.net/*` covers
 * `https://a.example.net/*`; a pattern covers itself). Decides which permission a listed site
 * relies on and when to warn that one site contains another.
 */
export function patternCovers(outer: string, inner: string): boolean {
  const o = partsOf(outer);
  const i = partsOf(inner);
  if (!o || !i) return false;
  if (!i.schemes.every((s) => o.schemes.includes(s))) return false;
  if (!hostCovers(o.host, i.host)) return false;
  // The inner path as text, its own * included, must fit the outer path's wildcards.
  return pathGlob(o.path).test(i.path);
}

/** A pattern's path as a regular expression, * its only wildcard. */
function pathGlob(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
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

/**
 * The id of the content script registered for a site the user added: stable per pattern and one
 * to one (each other character is spelled as its hex code, so `*.example.com` and `example.com`
 * never share an id).
 */
export function customScriptId(pattern: string): string {
  return `ibkr-site-${pattern.replace(/[^a-zA-Z0-9.]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}
