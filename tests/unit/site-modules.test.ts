/**
 * One module per site (lib/sites/<site>.ts): each is registered, its test URLs are its own, every
 * one of its patterns has a test URL, and an e2e fixture page is served at one of its URLs.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hasCpapiContext } from '../../lib/cpapi-shapes';
import { matchesPattern } from '../../lib/site-patterns';
import { groupOfUrl, hasSiteContext, SITE_GROUPS, type SiteModule } from '../../lib/sites';
import { PAGES } from '../e2e/fixtures';

/** The files of lib/sites that are not a site: the registry, the shared types, the rules for every page. */
const NOT_A_SITE = new Set(['index.ts', 'site-module.ts', 'generic.ts']);
const files = readdirSync(new URL('../../lib/sites', import.meta.url)).filter((f) => f.endsWith('.ts') && !NOT_A_SITE.has(f));

interface LoadedModule {
  file: string;
  site: SiteModule;
  testUrls: readonly string[];
}
const modules: LoadedModule[] = await Promise.all(
  files.map(async (file) => {
    const exports = (await import(`../../lib/sites/${file}`)) as Record<string, unknown>;
    const sites = Object.values(exports).filter((v): v is SiteModule => typeof v === 'object' && v !== null && 'matches' in v);
    expect(sites, `${file} exports one site module`).toHaveLength(1);
    return { file, site: sites[0], testUrls: (exports.testUrls ?? []) as readonly string[] };
  }),
);
const fixtureUrls = Object.values(PAGES).map((p) => p.url);
const matches = (site: SiteModule, url: string) => site.matches.some((p) => matchesPattern(p, url));

describe('site modules', () => {
  it('are all registered, each once, and the registry holds nothing else', () => {
    expect(modules.length).toBeGreaterThanOrEqual(6);
    expect(new Set(SITE_GROUPS)).toEqual(new Set(modules.map((m) => m.site)));
    expect(SITE_GROUPS).toHaveLength(modules.length);
  });

  describe.each(modules)('$file', ({ site, testUrls }) => {
    it('ends with test URLs of its own site', () => {
      expect(testUrls.length).toBeGreaterThan(0);
      for (const url of testUrls) expect(groupOfUrl(url)?.id, url).toBe(site.id);
    });

    it('has a test URL for each of its match patterns', () => {
      const untested = site.matches.filter((p) => !testUrls.some((url) => matchesPattern(p, url)));
      expect(untested).toEqual([]);
    });

    it('has an e2e fixture page served at one of its URLs', () => {
      expect(fixtureUrls.filter((url) => matches(site, url))).not.toEqual([]);
    });

    it('says whether its pages are IBKR context, for all of them alike', () => {
      for (const url of testUrls) expect(hasSiteContext(url), url).toBe(site.ibkrContext === true);
    });
  });

  it("counts the Client Portal Gateway's pages as Client Portal context by their address (lib/sites/localhost.ts)", () => {
    const gateway = modules.find((m) => m.site.id === 'localhost')!.testUrls.filter((url) => /^https:\/\/[^/]+:5000\//.test(url));
    expect(gateway.length).toBeGreaterThan(0);
    for (const url of gateway) expect(hasCpapiContext(url), url).toBe(true);
    expect(hasCpapiContext('http://localhost:8888/lab')).toBe(false);
  });
});
