/**
 * Whether a text is about IBKR, for the matcher's contextual rules ("Not connected" is an IBKR
 * error only there): from the page as a whole (the site, the URL, the title, the main heading)
 * or from the post and block a run is in (their text, remembered until the page changes).
 * Page context can appear later (a single-page app fills in its heading) or go after a
 * navigation: runs that wanted it wait here for it, and marks only it justified are given back.
 */
import { hasIbkrContext } from '../matcher';
import type { TextMap } from '../textmap';
import { boundedText } from './dom-info';

const CONTEXT_TEXT_LIMIT = 20_000;
/** How many runs wait for page context at most (a contextual candidate seen too early). */
const MAX_WAITING = 500;
/** After a navigation, page context is computed again on every batch for this long. */
const NAVIGATION_SETTLE_MS = 3_000;
const CONTEXT_CHECK_MS = 250;

export interface PageContextHooks {
  /** Page context went away: what was matched with it in play is given back and matched again. */
  lost(): void;
  /** Page context appeared: the runs (their text nodes) that waited for it are matched again. */
  found(waiting: readonly Text[][]): void;
  /** Asks for a batch of work (to look at the page context again). */
  request(): void;
}

/** Strong page-wide signals only: the site, the URL, the title, the main heading. */
export function computePageContext(doc: Document, win: Window | null, site: () => boolean): boolean {
  if (site()) return true;
  const heading = doc.querySelector('h1')?.textContent ?? '';
  return hasIbkrContext(`${win?.location?.href ?? ''}\n${doc.title}\n${heading.slice(0, 1000)}`);
}

/** The context of a post or block, from its own text: remembered until the page changes. */
export class ElementContexts {
  private cache = new Map<Element, boolean>();

  readonly has = (el: Element): boolean => {
    let known = this.cache.get(el);
    if (known === undefined) {
      known = hasIbkrContext(boundedText(el, CONTEXT_TEXT_LIMIT));
      this.cache.set(el, known);
    }
    return known;
  };

  forget(): void {
    this.cache = new Map();
  }
}

export class PageContext {
  /** The page's own context, as last computed. */
  value = false;
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

  compute(): boolean {
    return computePageContext(this.doc, this.win, this.site);
  }

  /** The page changed: its context is looked at again; `textsChanged`: elements' too. */
  pageChanged(textsChanged = false): void {
    if (textsChanged) this.elements.forget();
    this.changed = true;
  }

  /** A run wanted context and found none: it waits for page context (a bounded number do). */
  waitFor(map: TextMap): void {
    if (!this.value && this.waiting.length < MAX_WAITING) this.waiting.push(map.segments.map((s) => s.node));
  }

  /** Before each batch (`start`: its start time). */
  refresh(start: number, unbounded: boolean): void {
    // Page context can appear later (a single-page app fills in its heading), or go after a
    // navigation: looked at again when the page changed, at most every CONTEXT_CHECK_MS.
    // Right after a navigation: at every batch, before anything is matched with a stale context.
    const settling = start < this.settleUntil;
    const waitsForContext = !this.value && this.waiting.length > 0;
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

  private apply(next: boolean): void {
    if (next === this.value) return;
    this.value = next;
    if (!next) {
      // What was matched with the old page's context in play is given back, to be matched again.
      this.hooks.lost();
    } else {
      this.hooks.found(this.waiting);
      this.waiting = [];
    }
  }
}
