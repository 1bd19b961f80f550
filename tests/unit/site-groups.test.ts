import { describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_MATCHES, groupCovering, groupOfUrl, SITE_GROUPS } from '../../lib/sites';

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
    ['https://localhost:5000/v1/api/iserver/auth/status', 'localhost'],
    ['https://127.0.0.1:5000/sso/Login', 'localhost'],
  ])('puts %s in the %s group', (url, id) => expect(groupOfUrl(url)?.id).toBe(id));

  it('puts other sites in no group', () => {
    expect(groupOfUrl('https://groups.io/g/other/topic/1')).toBeNull();
    expect(groupOfUrl('https://github.com.evil.example/')).toBeNull();
    expect(groupOfUrl('chrome://extensions/')).toBeNull();
  });
});

describe('groupCovering', () => {
  it('names the built-in group a site pattern falls under, if any', () => {
    expect(groupCovering('https://github.com/erdewit/*')?.id).toBe('github');
    expect(groupCovering('https://quant.stackexchange.com/*')?.id).toBe('stackoverflow');
    expect(groupCovering('http://localhost/lab/*')?.id).toBe('localhost');
    // Broader than the group, or beside it: not covered.
    expect(groupCovering('https://*.github.com/*')).toBeNull();
    expect(groupCovering('*://github.com/*')).toBeNull();
    expect(groupCovering('https://groups.io/g/other/*')).toBeNull();
    expect(groupCovering('https://wiki.example.com/*')).toBeNull();
  });
});
