import { describe, expect, it } from 'vitest';
import { quoted } from '../../lib/quote';
import { customScriptId, matchesPattern, patternCovers, sitePatternOf, toMatchPattern } from '../../lib/site-patterns';

describe('toMatchPattern (what a user types as a site)', () => {
  it.each([
    ['https://wiki.example.com/*', 'https://wiki.example.com/*'],
    ['wiki.example.com', 'https://wiki.example.com/*'],
    ['  https://hub.example.org:8000/lab  ', 'https://hub.example.org/lab*'],
    ['http://jupyter.internal/', 'http://jupyter.internal/*'],
    ['*://hub.example.org/*', '*://hub.example.org/*'],
    ['https://*.example.com/*', 'https://*.example.com/*'],
    ['https://10.0.0.5/*', 'https://10.0.0.5/*'],
    ['HTTPS://Wiki.Example.COM/docs?x=1', 'https://wiki.example.com/docs*'],
  ])('accepts %s as %s', (input, pattern) => expect(toMatchPattern(input)).toEqual({ ok: true, pattern }));

  it.each([
    'https://wiki.example.com/runbook/ib-connect',
    'https://wiki.example.com/runbook/ib-connect?tab=log#errors',
    'http://10.0.0.5:8888/lab',
    'https://hub.example.org/user/me/lab/tree/bot.ipynb',
    'https://wiki.example.com/runbook/',
  ])('the address of a page, pasted as a site, becomes a pattern that covers that page: %s', (url) => {
    const check = toMatchPattern(url);
    expect(check.ok && matchesPattern(check.pattern, url)).toBe(true);
  });

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
    ['my_host.local', /“my_host.local” is not a valid host name/],
    ['https://example.com./*', /“example.com.” is not a valid host name/],
    ['a'.repeat(300), /at most 255 characters long \(this one has 300\)/],
    ['https:///path', /adding every site is not allowed/],
  ])('refuses %j with a clear message', (input, message) => {
    const check = toMatchPattern(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it.each([
    ['münchen.de', 'https://xn--mnchen-3ya.de/*', 'münchen.de'],
    ['https://bücher.example/*', 'https://xn--bcher-kva.example/*', 'bücher.example'],
    ['http://Bücher.example:8080/shop', 'http://xn--bcher-kva.example/shop*', 'bücher.example'],
    ['https://*.bücher.example/*', 'https://*.xn--bcher-kva.example/*', '*.bücher.example'],
  ])('stores the Unicode host %s in the form the browser matches, and says so', (input, pattern, typed) => {
    const check = toMatchPattern(input);
    expect(check).toEqual({ ok: true, pattern, note: expect.stringContaining(typed) });
    if (check.ok) {
      expect(check.note).toContain(new URL(pattern.replace('*.', '')).hostname);
      // The stored pattern is one a stored value may hold: read back as itself, with no note.
      expect(toMatchPattern(pattern)).toEqual({ ok: true, pattern });
      expect(matchesPattern(pattern, `${pattern.split(':')[0].replace('*', 'https')}://${typed.replace('*.', 'a.')}/shop/x`)).toBe(true);
    }
  });

  it.each([
    ['http://[::1]:8888', 'http://[::1]/*'],
    ['http://[::1]:8888/lab/tree', 'http://[::1]/lab/tree*'],
    ['[2001:DB8:0:0:0:0:0:5]', 'https://[2001:db8::5]/*'],
    ['*://[::1]/*', '*://[::1]/*'],
  ])('accepts the IPv6 literal host %s as %s (Chrome and Firefox match patterns allow one)', (input, pattern) => {
    expect(toMatchPattern(input)).toEqual({ ok: true, pattern });
  });

  it('matches pages on an IPv6 host by host, scheme and path (the library refuses such patterns)', () => {
    expect(matchesPattern('http://[::1]/*', 'http://[::1]:8888/lab')).toBe(true);
    expect(matchesPattern('http://[::1]/lab*', 'http://[::1]:8888/lab/tree')).toBe(true);
    expect(matchesPattern('http://[::1]/lab*', 'http://[::1]:8888/hub')).toBe(false);
    expect(matchesPattern('http://[::1]/*', 'https://[::1]/')).toBe(false);
    expect(matchesPattern('http://[::1]/*', 'http://[::2]/')).toBe(false);
    expect(matchesPattern('https://[2001:db8::5]/*', 'https://[2001:db8:0:0:0:0:0:5]/x')).toBe(true);
  });

  it.each([
    ['http://[::1', /not a valid IPv6 address/],
    ['http://[::g]/', /“\[::g\]” is not a valid IPv6 address/],
    ['http://[*]/', /not a valid IPv6 address/],
    ['https://*.[::1]/*', /not a valid host name/],
    ['https://bü_cher.example/', /not a valid host name/],
  ])('refuses %j with a clear message', (input, message) => {
    const check = toMatchPattern(input);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });

  it('never repeats a long input in its message', () => {
    const check = toMatchPattern(`https://${'x'.repeat(200)}_${'y'.repeat(40)}.example.com/*`);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message.length).toBeLessThan(200);
    const huge = toMatchPattern(`https://${'z'.repeat(100_000)}.example.com/`);
    expect(huge).toEqual({ ok: false, message: 'A site can be at most 255 characters long (this one has 100,021).' });
  });

  it('never throws, whatever it is given', () => {
    for (const input of ['::', '://', 'https://', '%%%', 'a'.repeat(5000), 'https://[::1]/', 'http://[', 'http://[]:80', 'https://\u00e9.', '\u0000']) {
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

describe('patternCovers', () => {
  it.each([
    ['https://*.example.net/*', 'https://a.example.net/*', true],
    ['https://*.example.net/*', 'https://*.a.example.net/*', true],
    ['https://*.example.net/*', 'https://example.net/*', true],
    ['https://*.example.net/*', 'https://example.net/docs/*', true],
    ['https://a.example.net/*', 'https://*.example.net/*', false],
    ['https://a.example.net/*', 'https://a.example.net/*', true],
    ['https://a.example.net/*', 'https://b.example.net/*', false],
    ['*://a.example.net/*', 'https://a.example.net/*', true],
    ['https://a.example.net/*', '*://a.example.net/*', false],
    ['https://a.example.net/lab/*', 'https://a.example.net/lab/tree/*', true],
    ['https://a.example.net/lab/*', 'https://a.example.net/*', false],
    ['https://*/*', 'https://a.example.net/x/*', true],
    ['<all_urls>', 'http://localhost/*', true],
    ['https://*.badexample.net/*', 'https://a.example.net/*', false],
    ['not a pattern', 'https://a.example.net/*', false],
  ])('%s covers %s: %s', (outer, inner, expected) => expect(patternCovers(outer, inner)).toBe(expected));
});

describe('quoted', () => {
  it('cuts a long text and flattens its white space', () => {
    expect(quoted('a\n b')).toBe('“a b”');
    expect(quoted('x'.repeat(100))).toBe(`“${'x'.repeat(59)}…”`);
  });

  it('never cuts a character in half: an emoji at the cut is kept whole or left out whole', () => {
    const got = quoted(`${'x'.repeat(58)}😀😀😀`);
    expect(got).toBe(`“${'x'.repeat(58)}😀…”`);
    expect(got.isWellFormed()).toBe(true);
    expect(quoted('😀'.repeat(60))).toBe(`“${'😀'.repeat(60)}”`);
    // The popup quotes a query with its first 60 characters and the ellipsis.
    expect(quoted('q'.repeat(300), 61)).toBe(`“${'q'.repeat(60)}…”`);
  });
});
