import { describe, expect, it } from 'vitest';
import { isPublicSuffix } from '../../lib/public-suffix';
import { defaultSettings, type Settings } from '../../lib/settings';
import { checkNewSite, needsPublicSuffixCheck } from '../../lib/site-check';

const withSites = (...customSites: string[]): Settings => ({ ...defaultSettings(), customSites });

describe('checkNewSite: everything said before the browser is asked', () => {
  it.each([
    ['my_host.local', /“my_host.local” is not a valid host name/],
    ['https://example.com./*', /“example.com.” is not a valid host name/],
    ['*.co.uk', /“\*\.co\.uk” would cover every site under co\.uk, a public suffix/],
    ['https://*.github.io/*', /every site under github\.io/],
    ['*.s3.amazonaws.com', /public suffix/],
    ['https://github.com/erdewit/*', /part of a built-in site \(GitHub\)/],
    ['https://wiki.example.com/', /is listed already/],
    ['x'.repeat(400), /at most 255 characters/],
  ])('refuses %.40s', (input, message) => {
    const check = checkNewSite(input, withSites('https://wiki.example.com/*'), isPublicSuffix);
    expect(check).toEqual({ ok: false, message: expect.stringMatching(message) });
  });

  it('accepts a domain under a public suffix, and a site on github.io', () => {
    expect(checkNewSite('*.example.co.uk', defaultSettings(), isPublicSuffix)).toEqual({ ok: true, pattern: 'https://*.example.co.uk/*', notes: [] });
    expect(checkNewSite('someone.github.io', defaultSettings(), isPublicSuffix)).toMatchObject({ ok: true, pattern: 'https://someone.github.io/*' });
  });

  it('says that a Unicode host is stored in the form the browser matches', () => {
    expect(checkNewSite('https://bücher.example/*', defaultSettings(), isPublicSuffix)).toEqual({
      ok: true,
      pattern: 'https://xn--bcher-kva.example/*',
      notes: ['bücher.example is written xn--bcher-kva.example in a site pattern: that is the form the browser matches, so it is stored that way.'],
    });
  });

  it('warns when one pattern contains another, both ways, and when a built-in site is inside', () => {
    expect(checkNewSite('a.example.net', withSites('https://*.example.net/*'), isPublicSuffix)).toEqual({
      ok: true,
      pattern: 'https://a.example.net/*',
      notes: ['https://*.example.net/*, already listed, covers it too.'],
    });
    expect(checkNewSite('*.example.net', withSites('https://a.example.net/*'), isPublicSuffix)).toMatchObject({
      notes: ['It also covers https://a.example.net/*, which stays listed on its own.'],
    });
    expect(checkNewSite('*.github.com', defaultSettings(), isPublicSuffix)).toMatchObject({ ok: true, notes: [expect.stringMatching(/built-in sites \(GitHub\)/)] });
  });

  it('refuses a site when the list would no longer fit the browser’s synced quota', () => {
    const sites = Array.from({ length: 52 }, (_, i) => `https://site-${i}.${'x'.repeat(60)}.${'y'.repeat(60)}.example.com/*`);
    expect(checkNewSite('wiki.example.org', withSites(...sites))).toEqual({ ok: false, message: expect.stringMatching(/list of other sites is full/) });
    expect(checkNewSite('wiki.example.org', withSites(...sites.slice(0, 10)))).toMatchObject({ ok: true });
  });
});

describe('needsPublicSuffixCheck: the options page loads the list only for the inputs that need it', () => {
  it.each([
    ['*.co.uk', true],
    ['https://*.github.io/*', true],
    ['*.example.co.uk', true],
    ['wiki.example.org', false],
    ['https://someone.github.io/*', false],
    ['', false],
    ['not a site', false],
  ])('%s -> %s', (input, expected) => {
    expect(needsPublicSuffixCheck(input)).toBe(expected);
  });

  it('every input it says needs no list is checked the same with and without it', () => {
    for (const input of ['wiki.example.org', 'https://someone.github.io/*', 'co.uk', 'github.io', 'x'.repeat(400)]) {
      expect(needsPublicSuffixCheck(input)).toBe(false);
      expect(checkNewSite(input, defaultSettings())).toEqual(checkNewSite(input, defaultSettings(), isPublicSuffix));
    }
  });
});
