/** Reddit, new and old (r/interactivebrokers, r/algotrading …). */
import { themeClass, type SiteModule } from './site-module';

export const reddit = {
  id: 'reddit',
  label: 'Reddit',
  matches: ['https://www.reddit.com/*', 'https://old.reddit.com/*'],
  // A comment's or a post's text.
  posts: ['.md'],
  // New Reddit: html.theme-dark / html.theme-light. Old Reddit with RES night mode: body.res-nightmode.
  theme: (doc) => themeClass(doc.documentElement) ?? (doc.body?.classList.contains('res-nightmode') ? 'dark' : undefined),
} as const satisfies SiteModule;

export const testUrls = [
  'https://www.reddit.com/r/interactivebrokers/',
  'https://www.reddit.com/r/algotrading/',
  'https://old.reddit.com/r/algotrading/',
];
