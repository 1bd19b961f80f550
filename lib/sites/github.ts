/** GitHub: issues, pull requests, discussions, READMEs, gists. */
import { themeWord, type SiteModule } from './site-module';

export const github = {
  id: 'github',
  label: 'GitHub',
  matches: ['https://github.com/*', 'https://gist.github.com/*'],
  // A comment (issues, pull requests, discussions) and rendered Markdown (READMEs, gists).
  posts: ['.comment-body', '.js-comment-body', '.markdown-body'],
  // The whole timeline item around each comment, classic markup and the React one.
  units: ['.js-timeline-item', '[data-wrapper-timeline-id]'],
  // The chrome around each comment, never an error: author, time and menus (the classic header
  // and the React one), the reactions, the avatar. Nearly half the nodes of an issue thread.
  // The number after an issue's title, or "Connection Error #394" reads as error 394.
  skip: [
    '.timeline-comment-header',
    '[data-testid="comment-header"]',
    '.comment-reactions',
    '.TimelineItem-avatar',
    '.gh-header-number',
    '.js-issue-title + span',
    'h1 > bdi + span',
  ],
  theme(doc) {
    // <html data-color-mode="light|dark|auto">; "auto" follows the system.
    const mode = doc.documentElement.getAttribute('data-color-mode');
    if (!mode) return undefined;
    return mode === 'auto' ? null : themeWord(mode);
  },
} as const satisfies SiteModule;

export const testUrls = [
  'https://github.com/erdewit/ib_insync/issues/80',
  'https://github.com/IbcAlpha/IBC/issues/251',
  'https://github.com/ib-api-reloaded/ib_async/issues/6',
  'https://github.com/QuantConnect/Lean.Brokerages.InteractiveBrokers/pull/212',
  'https://gist.github.com/discover',
];
