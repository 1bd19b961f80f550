/**
 * The sites the extension knows, one module each (lib/sites/<site>.ts), composed into what the
 * rest of the code reads: the content script's match patterns, the site groups the user can
 * switch off, site context, the selectors the annotator reads a page with and the theme chain.
 * To add a site: docs/architecture.md, "Sites". Pure.
 */
import { matchesPattern, patternCovers } from '../site-patterns';
import { generic } from './generic';
import { github } from './github';
import { groupsio } from './groupsio';
import { ibkr } from './ibkr';
import { localhost } from './localhost';
import { reddit } from './reddit';
import type { PageRules, PageTheme, SiteGroup, SiteModule } from './site-module';
import { stackoverflow } from './stackoverflow';

export type { PageTheme, SiteGroup, SiteModule } from './site-module';

/** The built-in sites, in the order the options page lists them. */
export const SITE_GROUPS = [github, stackoverflow, ibkr, groupsio, reddit, localhost] as const satisfies readonly SiteModule[];

export type SiteGroupId = (typeof SITE_GROUPS)[number]['id'];
export const SITE_GROUP_IDS = SITE_GROUPS.map((g) => g.id) as SiteGroupId[];

/** Where the content script runs by itself: every built-in site. */
export const CONTENT_SCRIPT_MATCHES: string[] = SITE_GROUPS.flatMap((g) => [...g.matches]);

/** The built-in group a URL belongs to, or null. */
export function groupOfUrl(url: string): SiteModule | null {
  return SITE_GROUPS.find((g) => g.matches.some((p) => matchesPattern(p, url))) ?? null;
}

/** The built-in group whose patterns already cover `pattern` (a site the user wants to add), or null. */
export function groupCovering(pattern: string): SiteGroup | null {
  return SITE_GROUPS.find((g) => g.matches.some((p) => patternCovers(p, pattern))) ?? null;
}

/** Whether every page at `url` is IBKR API context, from its site's module (`ibkrContext`). */
export function hasSiteContext(url: string): boolean {
  return groupOfUrl(url)?.ibkrContext === true;
}

/** The sites' page rules, then the generic ones: each site's rules apply on every page. */
const RULES: readonly PageRules[] = [...(SITE_GROUPS as readonly SiteModule[]), generic];

/** Every module's selectors of one kind. */
const selectors = (kind: 'skip' | 'posts' | 'notebooks' | 'units'): string[] => RULES.flatMap((rules) => rules[kind] ?? []);

/** Subtrees never scanned (the annotator adds its own markers and UI). */
export const SKIP_SELECTORS: readonly string[] = selectors('skip');
/** The post a text belongs to: context anywhere in it counts. */
export const POST_SELECTORS: readonly string[] = selectors('posts');
/** A whole notebook: context in any cell counts for every output. */
export const NOTEBOOK_SELECTORS: readonly string[] = selectors('notebooks');
/** The containers a page is read by when they come near (posts are too). */
export const UNIT_SELECTORS: readonly string[] = selectors('units');

/**
 * The colour scheme a page declares for itself, so the card matches the site rather than only the
 * OS setting (a dark GitHub on a light OS gets a dark card): the first module that knows the
 * page's declaration answers, the sites' before the generic conventions. Takes the Document it
 * reads; cheap to call per show. Null where the page declares nothing or says "follow the system":
 * the card then follows `prefers-color-scheme`.
 */
export function pageTheme(doc: Document): PageTheme | null {
  for (const { theme } of RULES) {
    const declared = theme?.(doc);
    if (declared !== undefined) return declared;
  }
  return null;
}
