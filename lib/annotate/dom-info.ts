/**
 * What the annotator needs to know about an element: is it skipped (never scanned), is it a
 * block (a boundary of matching), which post does it belong to (context). Each answer is computed
 * once per element and cached, so a text node 2,500 levels deep costs one climb, not one per node.
 */
import { UI_HOST_SELECTOR } from '../card/host';
import { NOTEBOOK_SELECTORS, POST_SELECTORS, SKIP_SELECTORS } from '../sites';
import { WeakTable } from './weak-table';

export const MARKER_TAG = 'ibkr-error-mark';
export const MARKER_ATTR = 'data-ibkr-error';
export const SEVERITY_ATTR = 'data-ibkr-severity';
export const VARIANT_ATTR = 'data-ibkr-variant';

/**
 * Subtrees never scanned: the sites' (lib/sites), the markers and the extension's own UI (its
 * shadow root is never scanned either). Checked per element, so a rejected root skips its whole subtree.
 */
export const SKIP_SELECTOR = [...SKIP_SELECTORS, MARKER_TAG, UI_HOST_SELECTOR].join(',');

/**
 * Elements whose content is laid out as blocks: matching never crosses their edges. Everything
 * else (span, a, code, em, custom elements…) is inline: its text joins its neighbours', which is
 * how `<span class="hljs-title">Error</span> <span class="hljs-number">326</span>` is one mention.
 * Decided by tag, not by computed style, so nothing forces a style recalculation.
 */
const BLOCK_TAGS = new Set(
  (
    'ADDRESS ARTICLE ASIDE BLOCKQUOTE BODY CAPTION CENTER DD DETAILS DIALOG DIR DIV DL DT FIELDSET FIGCAPTION FIGURE ' +
    'FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HGROUP HR HTML LEGEND LI MAIN MENU NAV OL P PRE SECTION SUMMARY TABLE ' +
    'TBODY TD TFOOT TH THEAD TR UL IMG VIDEO AUDIO'
  ).split(' '),
);

/**
 * Blocks whose text is context for what is in them: a paragraph, a list item, a log block. A
 * `div` or `body` is not one (it may hold a whole page); posts are the wider scope.
 */
const CONTEXT_BLOCK_TAGS = new Set('PRE P LI TD TH DD DT BLOCKQUOTE FIGURE DETAILS TR H1 H2 H3 H4 H5 H6'.split(' '));

/**
 * The post a text belongs to: context anywhere in it counts (a GitHub comment, a Stack Overflow
 * question or answer, a Reddit comment, a notebook cell with its input and outputs). From lib/sites.
 */
export const POST_SELECTOR = POST_SELECTORS.join(',');

/** A whole notebook: an import or a connect call in any cell is context for every output. */
export const NOTEBOOK_SELECTOR = NOTEBOOK_SELECTORS.join(',');

/**
 * The bare tag names in the three selectors above. An element with no attributes can match them
 * only by its tag; most elements of a page (p, span, b, td…) have none, and then the selectors
 * need not be run at all (three selector matches per element were the walk's biggest cost).
 */
const SELECTOR_TAGS = new Set(
  [SKIP_SELECTOR, POST_SELECTOR, NOTEBOOK_SELECTOR].flatMap((list) => list.split(',')).filter((s) => /^[a-z][a-z0-9-]*$/.test(s)),
);

/** Whether `el` may match SKIP_SELECTOR, POST_SELECTOR or NOTEBOOK_SELECTOR at all. */
function maySelect(el: Element): boolean {
  return el.hasAttributes() || SELECTOR_TAGS.has(el.localName);
}

export function isBlockElement(el: Element): boolean {
  return BLOCK_TAGS.has(el.tagName.toUpperCase());
}

/** The parent for context purposes: a shadow root's children continue at its host. */
export function parentOf(node: Node): Element | null {
  const p = node.parentNode;
  if (!p) return null;
  if (p.nodeType === 1) return p as Element;
  if (p.nodeType === 11) return ((p as ShadowRoot).host as Element | undefined) ?? null;
  return null;
}

interface Info {
  /** The element or an ancestor is skipped. */
  skipped: boolean;
  /** The nearest block at or above the element (null above <html> or in a detached tree). */
  block: Element | null;
  /** The nearest paragraph-like block (CONTEXT_BLOCK_TAGS) at or above the element. */
  contextBlock: Element | null;
  /** The nearest post at or above the element. */
  post: Element | null;
  /** The notebook the element is in, if any. */
  notebook: Element | null;
}

/** Per-element facts, cached. A stale entry after a page moves an element only affects context. */
export class DomInfo {
  /** One entry per element of the page: a WeakTable, so no single table rehashes 100,000 entries. */
  private cache = new WeakTable<Element, Info>();

  /** Forgets what is known (after the page changed a lot, e.g. a navigation). */
  reset(): void {
    this.cache = new WeakTable();
  }

  private own(el: Element, parent: Info | null): Info {
    const selects = maySelect(el);
    const skipped = (parent?.skipped ?? false) || (selects && el.matches(SKIP_SELECTOR));
    const block = isBlockElement(el) ? el : (parent?.block ?? null);
    const contextBlock = CONTEXT_BLOCK_TAGS.has(el.tagName.toUpperCase()) ? el : (parent?.contextBlock ?? null);
    const post = selects && el.matches(POST_SELECTOR) ? el : (parent?.post ?? null);
    const notebook = selects && el.matches(NOTEBOOK_SELECTOR) ? el : (parent?.notebook ?? null);
    // Most elements (spans, links) change nothing: they share their parent's answer, one object
    // for many elements instead of one each (less garbage on a 200,000-node page).
    if (parent && skipped === parent.skipped && block === parent.block && contextBlock === parent.contextBlock && post === parent.post && notebook === parent.notebook) {
      return parent;
    }
    return { skipped, block, contextBlock, post, notebook };
  }

  /** Info for `el`, climbing only as far as the first cached ancestor, iteratively. */
  info(el: Element): Info {
    const hit = this.cache.get(el);
    if (hit) return hit;
    const chain: Element[] = [];
    let cur: Element | null = el;
    let known: Info | null = null;
    while (cur) {
      const c = this.cache.get(cur);
      if (c) {
        known = c;
        break;
      }
      chain.push(cur);
      cur = parentOf(cur);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      known = this.own(chain[i], known);
      this.cache.set(chain[i], known);
    }
    return known!;
  }

  /** Info for an element met during a walk whose parent's info is known: O(1). */
  child(el: Element, parent: Info): Info {
    const info = this.own(el, parent);
    this.cache.set(el, info);
    return info;
  }

  /** Info for an element recomputed from its parent's (which a walk has just refreshed). */
  fresh(el: Element): Info {
    const parent = parentOf(el);
    return parent ? this.child(el, this.info(parent)) : this.info(el);
  }

  isSkipped(el: Element | null): boolean {
    return el !== null && this.info(el).skipped;
  }

  blockOf(node: Node): Element | null {
    const el = node.nodeType === 1 ? (node as Element) : parentOf(node);
    return el ? this.info(el).block : null;
  }

  /** The elements whose text counts as context for `node`, nearest first: block, post, notebook. */
  contextsOf(node: Node): Element[] {
    const el = node.nodeType === 1 ? (node as Element) : parentOf(node);
    if (!el) return [];
    const { contextBlock, post, notebook } = this.info(el);
    return [contextBlock, post, notebook].filter((e, i, all): e is Element => e !== null && all.indexOf(e) === i);
  }
}

/**
 * The first `limit` characters of an element's text, read node by node so a 5 MB log block or a
 * 200,000-node post costs at most `limit` characters, unlike `textContent`.
 */
export function boundedText(el: Element, limit: number): string {
  const doc = el.ownerDocument;
  const walker = doc.createTreeWalker(el, 4 /* NodeFilter.SHOW_TEXT */);
  const parts: string[] = [];
  let length = 0;
  for (let n = walker.nextNode(); n && length < limit; n = walker.nextNode()) {
    const data = (n as Text).data;
    const part = data.length > limit - length ? data.slice(0, limit - length) : data;
    parts.push(part);
    length += part.length;
  }
  return parts.join('');
}
