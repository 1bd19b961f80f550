/**
 * Whether a text is about IBKR, for the matcher's contextual rules ("Not connected" is an IBKR
 * error only there), and whether it is about the Client Portal Web API ("Access Denied" is one
 * only there): from the page as a whole (the site, the URL, the title, the main heading) or from
 * the post and block a run is in (their text, remembered until the page changes).
 * Page context can appear later (a single-page app fills in its heading) or go after a
 * navigation: runs that wanted it wait here for it, and marks only it justified are given back.
 */
import { hasCpapiContext, hasIbkrContext } from '../matcher';
import type { TextMap } from '../textmap';
import { boundedText, NOTEBOOK_SELECTOR } from './dom-info';

/** Characters of a post's or block's text read for its context (from its start). */
export const CONTEXT_TEXT_LIMIT = 20_000;
/** How many runs wait for page context at most (a contextual candidate seen too early). */
const MAX_WAITING = 500;
/** After a navigation, page context is computed again on every batch for this long. */
const NAVIGATION_SETTLE_MS = 3_000;
const CONTEXT_CHECK_MS = 250;

export interface PageContextHooks {
  /** Page context went away: what was matched with it in play is given back and matched again. */
  lost(): void;
  /** Page context appeared: the runs (their first and last text nodes) that waited for it are matched again. */
  found(waiting: readonly Text[][]): void;
  /** Asks for a batch of work (to look at the page context again). */
  request(): void;
}

/** The page's context of each kind: IBKR (TWS) API, Client Portal Web API. */
export interface PageContextKinds {
  ibkr: boolean;
  cpapi: boolean;
}

/**
 * The page's main heading: its first <h1> outside notebooks. A notebook's headings are its own
 * (a Markdown cell's title), and a notebook is a context scope of its own: JupyterLab keeps the
 * notebooks of its other tabs in the page, and one's title is not the page's.
 */
function mainHeading(doc: Document): string {
  for (const h1 of doc.querySelectorAll('h1')) if (!h1.closest(NOTEBOOK_SELECTOR)) return h1.textContent ?? '';
  return '';
}

/**
 * Strong page-wide signals only: the site, the URL, the title, the main heading. The gateway's
 * own pages (https://localhost:5000/…) and the IBeam or ibind repositories say Client Portal here.
 */
export function computePageContext(doc: Document, win: Window | null, site: () => boolean): PageContextKinds {
  const heading = mainHeading(doc);
  const text = `${win?.location?.href ?? ''}\n${doc.title}\n${heading.slice(0, 1000)}`;
  return { ibkr: site() || hasIbkrContext(text), cpapi: hasCpapiContext(text) };
}

/** Per kind of context, the bit saying it was looked for and the bit saying it is there. */
const IBKR_BITS = { known: 1, yes: 2, test: hasIbkrContext };
const CPAPI_BITS = { known: 4, yes: 8, test: hasCpapiContext };

/** The context of a post or block, from its own text: remembered until the page changes. */
export class ElementContexts {
  /** Per element, what is known of each kind (a kind is looked for only when a rule needs it). */
  private cache = new Map<Element, number>();

  private lookup(el: Element, kind: typeof IBKR_BITS): boolean {
    let bits = this.cache.get(el) ?? 0;
    if ((bits & kind.known) === 0) {
      bits |= kind.known | (kind.test(boundedText(el, CONTEXT_TEXT_LIMIT)) ? kind.yes : 0);
      this.cache.set(el, bits);
    }
    return (bits & kind.yes) !== 0;
  }

  readonly has = (el: Element): boolean => this.lookup(el, IBKR_BITS);
  readonly hasCpapi = (el: Element): boolean => this.lookup(el, CPAPI_BITS);

  forget(): void {
    this.cache = new Map();
  }
}

export class PageContext {
  /** The page's own IBKR context, as last computed. */
  value = false;
  /** The page's own Client Portal context, as last computed. */
  cpapi = false;
  private changed = true;
  private settleUntil = 0;
  private lastCheck = -Infinity;
  private retryQueued = false;
  readonly elements = new ElementContexts();
  private waiting: Text[][] = [];

  constructor(
    private readonly doc: Document,
    private readonly win: (Window & typeof globalThis) | null,
    /** Site-level context (fixed, or asked again on navigation). */
    private readonly site: () => boolean,
    private readonly now: () => number,
    private readonly hooks: PageContextHooks,
  ) {}

  /** A look at the page context is due on a timer (it asks for work then). */
  get retryPending(): boolean {
    return this.retryQueued;
  }

  compute(): PageContextKinds {
    return computePageContext(this.doc, this.win, this.site);
  }

  /** Takes the page's context as it is now, with nothing to give back or wait for (start). */
  set({ ibkr, cpapi }: PageContextKinds): void {
    this.value = ibkr;
    this.cpapi = cpapi;
  }

  /** The page changed: its context is looked at again; `textsChanged`: elements' too. */
  pageChanged(textsChanged = false): void {
    if (textsChanged) this.elements.forget();
    this.changed = true;
  }

  /**
   * A run wanted context and found none: it waits for page context (a bounded number do), known by
   * its first and last text nodes: the page may remove its first lines meanwhile (a log viewer's
   * oldest), and a run of 2,000 nodes is not kept whole for it.
   */
  waitFor(map: TextMap): void {
    const { segments } = map;
    if (!(this.value && this.cpapi) && this.waiting.length < MAX_WAITING && segments.length > 0) this.waiting.push([segments[0].node, segments[segments.length - 1].node]);
  }

  /** Before each batch (`start`: its start time). */
  refresh(start: number, unbounded: boolean): void {
    // Page context can appear later (a single-page app fills in its heading), or go after a
    // navigation: looked at again when the page changed, at most every CONTEXT_CHECK_MS.
    // Right after a navigation: at every batch, before anything is matched with a stale context.
    const settling = start < this.settleUntil;
    const waitsForContext = !(this.value && this.cpapi) && this.waiting.length > 0;
    const firstLook = this.lastCheck === -Infinity;
    if (this.changed && (settling || firstLook || (waitsForContext && (unbounded || start - this.lastCheck >= CONTEXT_CHECK_MS)))) {
      this.changed = false;
      this.lastCheck = start;
      this.apply(this.compute());
    } else if (this.changed && waitsForContext && !this.retryQueued && this.win) {
      this.retryQueued = true;
      this.win.setTimeout(() => {
        this.retryQueued = false;
        this.hooks.request();
      }, CONTEXT_CHECK_MS);
    }
  }

  /** The page navigated (pushState, popstate). */
  navigated(): void {
    this.settleUntil = this.now() + NAVIGATION_SETTLE_MS;
    this.elements.forget();
    this.apply(this.compute());
  }

  private apply(next: PageContextKinds): void {
    const lost = (this.value && !next.ibkr) || (this.cpapi && !next.cpapi);
    const found = (!this.value && next.ibkr) || (!this.cpapi && next.cpapi);
    this.set(next);
    // What was matched with the old page's context in play is given back, to be matched again
    // (with what is left of it); runs that waited for context are matched again.
    if (lost) this.hooks.lost();
    if (found) {
      this.hooks.found(this.waiting);
      this.waiting = [];
    }
  }
}
