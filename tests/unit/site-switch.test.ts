import { describe, expect, it } from 'vitest';
import { accessFrom } from '../../lib/site-access';
import { defaultSettings, type Settings } from '../../lib/settings';
import { SITE_GROUPS } from '../../lib/sites';
import { sitePatternOf } from '../../lib/site-patterns';
import { switchView } from '../../lib/site-switch';

const BUILT_IN = SITE_GROUPS.flatMap((g) => [...g.matches]);

function view(url: string, settings: Settings = defaultSettings(), origins: string[] = BUILT_IN) {
  return switchView(url, sitePatternOf(url)!, settings, accessFrom(origins, settings), origins);
}

describe('the popup’s switch', () => {
  it('is on for a built-in site the browser allows, off when switched off', () => {
    expect(view('https://github.com/a/b/issues/1')).toEqual({ on: true, label: 'On for GitHub', note: '', allow: [] });
    expect(view('https://github.com/a/b/issues/1', { ...defaultSettings(), groups: { ...defaultSettings().groups, github: false } })).toMatchObject({
      on: false,
      label: 'Off for GitHub',
    });
  });

  it('never says "on" where the browser withholds the site, and offers to ask for exactly what is missing', () => {
    const withheld = BUILT_IN.filter((p) => p !== 'https://github.com/*');
    expect(view('https://github.com/a/b/issues/1', defaultSettings(), withheld)).toEqual({
      on: true,
      label: 'Not allowed on GitHub',
      note: 'The browser has not allowed this extension on GitHub: nothing is marked there.',
      allow: ['https://github.com/*'],
    });
  });

  it('where the browser runs the script on the page the extension was opened on (Firefox), says that page is marked, not that nothing is', () => {
    const withheld = BUILT_IN.filter((p) => p !== 'https://github.com/*');
    const url = 'https://github.com/a/b/issues/1';
    const runsWhenOpened = (settings: Settings) => switchView(url, sitePatternOf(url)!, settings, accessFrom(withheld, settings), withheld, true);
    expect(runsWhenOpened(defaultSettings())).toEqual({
      on: true,
      label: 'Not allowed on GitHub',
      note: 'The browser has not allowed this extension on GitHub: it marks a page there only when you open it on that page.',
      allow: ['https://github.com/*'],
    });
    // Switched off here, the script that runs marks nothing.
    expect(runsWhenOpened({ ...defaultSettings(), groups: { ...defaultSettings().groups, github: false } }).note).toBe(
      'The browser has not allowed this extension on GitHub: nothing is marked there (and it is switched off here).',
    );
  });

  it('shows a site added on another computer but not allowed here as needing Allow, not as on', () => {
    const settings = { ...defaultSettings(), customSites: ['https://hub.example.org/*'] };
    expect(view('https://hub.example.org/lab', settings)).toMatchObject({ label: 'Not allowed on hub.example.org', allow: ['https://hub.example.org/*'] });
    expect(view('https://hub.example.org/lab', settings, [...BUILT_IN, 'https://hub.example.org/*'])).toEqual({
      on: true,
      label: 'On for hub.example.org',
      note: '',
      allow: [],
    });
  });

  it('refuses, before any prompt, a page whose host no pattern can name', () => {
    for (const [url, host] of [
      ['https://my_host.local/x', 'my_host.local'],
      ['https://example.com./', 'example.com.'],
    ]) {
      const v = view(url);
      expect(v.on).toBeNull();
      expect(v.note).toMatch(new RegExp(`^Cannot be switched on here: “${host.replace('.', '\\.')}” is not a valid host name`));
    }
    expect(view('https://news.example.org/')).toEqual({ on: false, label: 'Off for news.example.org', note: '', allow: [] });
  });
});
