import { describe, expect, it } from 'vitest';
import { customScriptId, groupOfUrl, matchesPattern, SITE_GROUPS, sitePatternOf, toMatchPattern } from '../../lib/site-groups';
import { CONTENT_SCRIPT_MATCHES } from '../../lib/sites';
import { planSiteScripts } from '../../lib/custom-sites';

describe('site groups', () => {
  it('name the six built-in groups, and their union is the content script matches', () => {
    expect(SITE_GROUPS.map((g) => g.id)).toEqual(['github', 'stackoverflow', 'ibkr', 'groupsio', 'reddit', 'localhost']);
    expect(new Set(CONTENT_SCRIPT_MATCHES)).toEqual(new Set(SITE_GROUPS.flatMap((g) => g.matches)));
    expect(CONTENT_SCRIPT_MATCHES).toHaveLength(new Set(CONTENT_SCRIPT_MATCHES).size);
  });

  it.each([
    ['https://github.com/erdewit/ib_insync/issues/1', 'github'],
    ['https://quant.stackexchange.com/questions/1', 'stackoverflow'],
    ['https://www.interactivebrokers.co.uk/portal/', 'ibkr'],
    ['https://groups.io/g/twsapi/topic/1', 'groupsio'],
    ['https://old.reddit.com/r/algotrading', 'reddit'],
    ['http://localhost:8888/lab', 'localhost'],
  ])('puts %s in the %s group', (url, id) => expect(groupOfUrl(url)?.id).toBe(id));

  it('puts other sites in no group', () => {
    expect(groupOfUrl('https://groups.io/g/other/topic/1')).toBeNull();
    expect(groupOfUrl('https://github.com.evil.example/')).toBeNull();
    expect(groupOfUrl('chrome://extensions/')).toBeNull();
  });
});

describe('toMatchPattern (what a user types as a site)', () => {
  it.each([
    ['https://wiki.example.com/*', 'https://wiki.example.com/*'],
    ['wiki.example.com', 'https://wiki.example.com/*'],
    ['  https://hub.example.org:8000/lab  ', 'https://hub.example.org/lab/*'],
    ['http://jupyter.internal/', 'http://jupyter.internal/*'],
    ['*://hub.example.org/*', '*://hub.example.org/*'],
    ['https://*.example.com/*', 'https://*.example.com/*'],
    ['https://10.0.0.5/*', 'https://10.0.0.5/*'],
    ['HTTPS://Wiki.Example.COM/docs?x=1', 'https://wiki.example.com/docs/*'],
  ])('accepts %s as %s', (input, pattern) => expect(toMatchPattern(input)).toEqual({ ok: true, pattern }));

  it.each([
    ['', /Type a site/],
    ['   ', /Type a site/],
    ['<all_urls>', /not a valid host name/],
    ['https://*/*', /adding every site is not allowed/],
    ['*://*/*', /adding every site is not allowed/],
    ['ftp://files.example.com/*', /Only http and https/],
    ['file:///home/me/log.txt', /Only http and https/],
    ['chrome://extensions', /Only http and https/],
    ['https://wi*ki.example.com/*', /not a valid host name/],
    ['https://*.com/*', /would cover too much/],
    ['https://user:pw@example.com/*', /user name or password/],
    ['https://exa mple.com', /no spaces/],
    ['https://-bad-.example.com/', /not a valid host name/],
    ['https:///path', /adding every site is not allowed/],
  ])('refuses %j with a clear message', (input, message) => {
    const check = toMatchPattern(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('never throws, whatever it is given', () => {
    for (const input of ['::', '://', 'https://', '%%%', 'a'.repeat(5000), 'https://[::1]/', '\u0000']) {
      expect(() => toMatchPattern(input)).not.toThrow();
    }
  });
});

describe('matchesPattern', () => {
  it('follows match-pattern rules (scheme, host wildcard, path; port ignored)', () => {
    expect(matchesPattern('https://wiki.example.com/*', 'https://wiki.example.com/page')).toBe(true);
    expect(matchesPattern('https://wiki.example.com/*', 'http://wiki.example.com/page')).toBe(false);
    expect(matchesPattern('*://wiki.example.com/*', 'http://wiki.example.com:8080/page')).toBe(true);
    expect(matchesPattern('https://*.example.com/*', 'https://example.com/')).toBe(true);
    expect(matchesPattern('https://*.example.com/*', 'https://a.b.example.com/x')).toBe(true);
    expect(matchesPattern('https://*.example.com/*', 'https://badexample.com/x')).toBe(false);
    expect(matchesPattern('https://hub.example.org/lab/*', 'https://hub.example.org/lab/tree')).toBe(true);
    expect(matchesPattern('https://hub.example.org/lab/*', 'https://hub.example.org/hub/home')).toBe(false);
    expect(matchesPattern('not a pattern', 'https://x.com/')).toBe(false);
  });

  it('gives each added site a stable script id and each page its site pattern', () => {
    expect(customScriptId('https://wiki.example.com/*')).toBe('ibkr-site-https_3a_2f_2fwiki.example.com_2f_2a');
    expect(customScriptId('https://*.example.com/*')).not.toBe(customScriptId('https://example.com/*'));
    expect(sitePatternOf('https://hub.example.org:8000/lab?x')).toBe('https://hub.example.org/*');
    expect(sitePatternOf('chrome://extensions')).toBeNull();
  });
});

describe('planSiteScripts', () => {
  it('registers what is missing and unregisters what is no longer wanted, leaving other scripts alone', () => {
    const wiki = 'https://wiki.example.com/*';
    const hub = 'https://hub.example.org/*';
    const plan = planSiteScripts(
      [
        { id: customScriptId(wiki), matches: [wiki] },
        { id: customScriptId('https://old.example.net/*'), matches: ['https://old.example.net/*'] },
        { id: 'someone-else', matches: ['https://x.com/*'] },
      ],
      [wiki, hub],
    );
    expect(plan.register).toEqual([hub]);
    expect(plan.unregister).toEqual([{ id: customScriptId('https://old.example.net/*'), matches: ['https://old.example.net/*'] }]);
  });
});
