/**
 * What the extension knows about a site, in one place per site (lib/sites/<site>.ts, composed by
 * lib/sites/index.ts). Pure: the theme readers take the Document they read.
 */

/** The colour scheme a page declares for itself. */
export type PageTheme = 'light' | 'dark';

/**
 * How a page's elements are read, and how its theme is found. A module's rules apply on every
 * page the content script runs on, not only on its own site: a Jupyter a user added as a site is
 * read with the Jupyter rules of lib/sites/localhost.ts.
 */
export interface PageRules {
  /** Subtrees never scanned (editors, form fields): CSS selectors. */
  skip?: readonly string[];
  /** The post a text belongs to (a comment, an answer, a notebook cell): context anywhere in it counts. */
  posts?: readonly string[];
  /** A whole notebook: an import or a connect call in any cell is context for every output. */
  notebooks?: readonly string[];
  /**
   * The containers a page is read by, a comment's whole box (its header, avatar and reactions
   * with it): one far from the viewport is read when it comes near (lib/annotate/far-units.ts).
   * Where no rule names one, a post is.
   */
  units?: readonly string[];
  /**
   * The theme the page declares: `undefined` when it declares nothing this module knows (the next
   * module is asked), `null` when it says "follow the system" (no one else is asked).
   * Reads attributes and classes only (no layout, no computed styles).
   */
  theme?: (doc: Document) => PageTheme | null | undefined;
}

/** A built-in site group: the user can switch it off (options page, popup). */
export interface SiteGroup {
  /** Stored in the settings (which groups are off): never renamed. */
  id: string;
  label: string;
  /** Where the content script runs by itself: match patterns (any port; see lib/site-patterns.ts). */
  matches: readonly string[];
}

export interface SiteModule extends SiteGroup, PageRules {
  /**
   * Every page of the site is about the IBKR API: short generic messages ("Not connected") and
   * prose codes ("error 1100") count there without other context.
   */
  ibkrContext?: boolean;
}

/** The theme a word in an attribute names (`dark`, `night`, `light-high-contrast` …), or null. */
export function themeWord(value: string | null | undefined): PageTheme | null {
  const v = (value ?? '').toLowerCase();
  if (/\bdark|night/.test(v)) return 'dark';
  if (/\blight|day\b/.test(v)) return 'light';
  return null;
}

/** The theme an element's `theme-dark` / `theme-light` class says (Stack Exchange, Reddit), or undefined. */
export function themeClass(el: Element | null): PageTheme | undefined {
  if (el?.classList.contains('theme-dark')) return 'dark';
  if (el?.classList.contains('theme-light')) return 'light';
  return undefined;
}
