import { describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_MATCHES, hasSiteContext } from '../../lib/sites';

/** Chrome's match-pattern rules, enough for the patterns used here (ports are ignored). */
function matches(pattern: string, url: string): boolean {
  const m = /^(https?):\/\/(\*\.)?([^/]+)(\/.*)$/.exec(pattern)!;
  const u = new URL(url);
  if (u.protocol !== `${m[1]}:`) return false;
  const hostOk = m[2] ? u.hostname === m[3] || u.hostname.endsWith(`.${m[3]}`) : u.hostname === m[3];
  const path = new RegExp(`^${m[4].replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return hostOk && path.test(u.pathname);
}
const runsOn = (url: string) => CONTENT_SCRIPT_MATCHES.some((p) => matches(p, url));

describe('where the content script runs', () => {
  it.each([
    'https://github.com/erdewit/ib_insync/issues/1',
    'https://gist.github.com/someone/abc',
    'https://stackoverflow.com/questions/1/x',
    'https://quant.stackexchange.com/questions/1/x',
    'https://www.interactivebrokers.com/portal/',
    'https://ndcdyn.interactivebrokers.com/sso/Login',
    'https://www.interactivebrokers.co.uk/portal/',
    'https://www.ibkrcampus.com/trading-lessons/',
    'https://interactivebrokers.github.io/tws-api/message_codes.html',
    'https://groups.io/g/twsapi/topic/123',
    'https://www.reddit.com/r/interactivebrokers/',
    'http://localhost:8888/lab/tree/bot.ipynb',
    'http://127.0.0.1:8889/notebooks/bot.ipynb',
    'https://localhost:5000/v1/api/iserver/auth/status',
    'https://localhost:5000/sso/Login?forwardTo=22&RL=1',
    'https://127.0.0.1:5000/v1/api/tickle',
  ])('runs on %s', (url) => expect(runsOn(url)).toBe(true));

  it.each(['https://example.com/', 'https://groups.io/g/other/topic/1', 'https://github.evil.com/', 'https://news.ycombinator.com/'])(
    'does not run by itself on %s',
    (url) => expect(runsOn(url)).toBe(false),
  );

  it('treats IBKR sites as IBKR context, and only them', () => {
    expect(hasSiteContext('https://www.interactivebrokers.com/portal/')).toBe(true);
    expect(hasSiteContext('https://www.interactivebrokers.co.uk/portal/')).toBe(true);
    expect(hasSiteContext('https://www.ibkrcampus.com/')).toBe(true);
    expect(hasSiteContext('https://groups.io/g/twsapi/topic/1')).toBe(true);
    expect(hasSiteContext('https://github.com/nginx/nginx/issues/1')).toBe(false);
    expect(hasSiteContext('https://stackoverflow.com/questions/1/nginx-504')).toBe(false);
    expect(hasSiteContext('https://interactivebrokers.com.evil.example/')).toBe(false);
  });
});
