/**
 * What applies on every page, whatever the site: elements never read, posts marked up by common
 * conventions, the usual ways a page declares its theme. Asked after the sites' own rules.
 */
import { themeWord, type PageRules } from './site-module';

export const generic = {
  skip: [
    'script',
    'style',
    'noscript',
    'template',
    'textarea',
    'input',
    'select',
    'option',
    'button',
    'iframe',
    'object',
    'svg',
    'math',
    'canvas',
    'head',
    'title',
    '[contenteditable=""]',
    '[contenteditable="true"]',
    '[contenteditable="plaintext-only"]',
    // Code editors: their visible lines are layers over hidden inputs and must stay untouched.
    '.CodeMirror',
    '.cm-editor',
    '.monaco-editor',
    '.ace_editor',
  ],
  // schema.org's text of a creative work: Stack Overflow's posts, GitHub's READMEs, many forums.
  posts: ['article', '[itemprop="text"]'],
  theme(doc) {
    const html = doc.documentElement;
    // Common conventions: data-theme / data-bs-theme (Bootstrap), html.dark (Tailwind).
    for (const attr of ['data-theme', 'data-bs-theme', 'data-mode']) {
      const declared = themeWord(html.getAttribute(attr) ?? doc.body?.getAttribute(attr));
      if (declared) return declared;
    }
    if (html.classList.contains('dark')) return 'dark';
    // <meta name="color-scheme" content="dark"> (only a single scheme counts as a declaration).
    const meta = doc.querySelector('meta[name="color-scheme"]')?.getAttribute('content')?.trim().toLowerCase();
    if (meta === 'dark' || meta === 'only dark') return 'dark';
    if (meta === 'light' || meta === 'only light') return 'light';
    return undefined;
  },
} as const satisfies PageRules;
