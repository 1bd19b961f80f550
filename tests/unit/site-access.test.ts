import { describe, expect, it } from 'vitest';
import { defaultSettings, type Settings } from '../../lib/settings';
import { accessFrom, CHROME_REMOVAL, FIREFOX_REMOVAL, missingPatterns, permissionsToGiveBack } from '../../lib/site-access';
import { SITE_GROUPS } from '../../lib/sites';

const BUILT_IN = SITE_GROUPS.flatMap((g) => [...g.matches]);
const withSites = (...customSites: string[]): Settings => ({ ...defaultSettings(), customSites });

describe('accessFrom: what the browser grants', () => {
  it('tells granted built-in groups and listed sites from those the user withheld', () => {
    const origins = [...BUILT_IN.filter((p) => !p.includes('github')), 'https://*.example.net/*', 'https://*/*'];
    const access = accessFrom(origins, withSites('https://a.example.net/*', 'https://*.example.net/*', 'https://hub.example.org/*'));
    expect(access.groups).toMatchObject({ github: true, stackoverflow: true }); // 'https://*/*' covers GitHub
    expect(accessFrom(origins.slice(0, -1), defaultSettings()).groups).toMatchObject({ github: false, stackoverflow: true, localhost: true });
    expect(missingPatterns('github', origins.slice(0, -1))).toEqual(['https://github.com/*', 'https://gist.github.com/*']);
    expect(access.sites).toEqual({
      'https://a.example.net/*': { granted: true, via: 'https://*.example.net/*' },
      'https://*.example.net/*': { granted: true },
      'https://hub.example.org/*': { granted: true, via: 'https://*/*' },
    });
    // Held for no listed site: shown with a "Give back" button (here every one is relied on).
    expect(access.unlisted).toEqual([]);
    expect(accessFrom(origins, defaultSettings()).unlisted).toEqual(['https://*.example.net/*', 'https://*/*']);
    expect(accessFrom(BUILT_IN, withSites('https://hub.example.org/*')).sites['https://hub.example.org/*']).toEqual({ granted: false });
  });
});

describe('permissionsToGiveBack', () => {
  const candidates = ['https://github.com/*', 'https://groups.io/*', 'https://b.example.net/*', 'https://*.example.net/*', 'https://x.example.org/*'];
  const listed = ['https://a.example.net/*', 'https://b.example.net/*'];
  const origins = [...BUILT_IN, 'https://groups.io/*', 'https://a.example.net/*', 'https://b.example.net/*', 'https://*.example.net/*', 'https://x.example.org/*'];

  it('never gives back a built-in site’s (as Firefox names it too) or a listed site’s', () => {
    expect(permissionsToGiveBack(candidates, listed, origins, FIREFOX_REMOVAL)).toEqual({ release: ['https://*.example.net/*', 'https://x.example.org/*'], kept: [] });
  });

  it('Chrome: keeps a pattern while a listed site inside it is listed (removing it would take the site’s grant too)', () => {
    expect(permissionsToGiveBack(candidates, listed, origins, CHROME_REMOVAL)).toEqual({ release: ['https://x.example.org/*'], kept: ['https://*.example.net/*'] });
  });

  it('Firefox: keeps a pattern only while a listed site has no grant of its own', () => {
    const withoutOwn = origins.filter((o) => o !== 'https://a.example.net/*');
    expect(permissionsToGiveBack(candidates, listed, withoutOwn, FIREFOX_REMOVAL)).toEqual({ release: ['https://x.example.org/*'], kept: ['https://*.example.net/*'] });
  });
});
