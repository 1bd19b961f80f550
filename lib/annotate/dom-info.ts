/**
 * What the annotator needs to know about an element: is it skipped (never scanned), is it a
 * block (a boundary of matching), which post does it belong to (context). A walk works each
 * element's answer out from its parent's as it goes down (no table entry per element: one per
 * node of a big page was the walk's largest cost, and its garbage); lookups outside a walk climb
 * to the nearest cached ancestor, so a text node 2,500 levels deep costs one climb.
 */
import { UI_HOST_SELECTOR } from '../card/host';
import { NOTEBOOK_SELECTORS, POST_SELECTORS, SKIP_SELECTORS } from '../sites';
import { selectorPrefilter } from './selector-prefilter';
import { isBareTag, tagNameSet } from './tag-names';
import { WeakTable } from './weak-table';

export { isBareTag, tagNameSet } from './tag-names';

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

/** The three lists, in the order of their bits in what `selectorLists` answers. */
const LISTS = [SKIP_SELECTOR, POST_SELECTOR, NOTEBOOK_SELECTOR].map((list) => list.split(','));
const SKIP_BIT = 1;
const POST_BIT = 2;
const NOTEBOOK_BIT = 4;
/**
 * The bare tag names of the three lists (`svg`, `script`, `article`…) and the lists' bits, told
 * by the tag name the walk reads anyway; as `tagName` gives them too (upper-case for HTML elements).
 */
const TAG_LISTS = new Map<string, number>();
LISTS.forEach((list, i) => {
  for (const tag of tagNameSet(list.filter(isBareTag))) TAG_LISTS.set(tag, (TAG_LISTS.get(tag) ?? 0) | (1 << i));
});
/**
 * The rest of the three lists (classes, ids, attributes, two sibling selectors), told by a test of
 * what each one's subject must show (lib/annotate/selector-prefilter.ts): most elements with
 * attributes (every element of a GitHub page) match none of them, and `matches` with the whole
 * list for each such element was the walk's largest cost after visiting the nodes.
 */
const PREFILTER = selectorPrefilter(LISTS);

/**
 * Which of SKIP_SELECTOR, POST_SELECTOR and NOTEBOOK_SELECTOR `el` (whose `tagName` is `tagName`)
 * may match, a bit each: a bit is clear only when `el` does not match that list.
 */
function selectorLists(el: Element, tagName: string): number {
  // A prefixed name (XML) is matched by its local name.
  const byTag = TAG_LISTS.get(tagName.includes(':') ? el.localName : tagName) ?? 0;
  return byTag | PREFILTER.lists(el, tagName);
}

export function isBlockElement(el: Element): boolean {
  return BLOCK_TAGS.has(el.tagName.toUpperCase());
}

/** Whether `el` is a paragraph-like block (CONTEXT_BLOCK_TAGS). */
export function isContextBlockElement(el: Element): boolean {
  return CONTEXT_BLOCK_TAGS.has(el.tagName.toUpperCase());
}

/** The parent for context purposes: a shadow root's children continue at its host. */
export function parentOf(node: Node): Element | null {
  const p = node.parentNode;
  if (!p) return null;
  if (p.nodeType === 1) return p as Element;
  if (p.nodeType === 11) return ((p as ShadowRoot).host as Element | undefined) ?? null;
  return null;
}

/** What the annotator knows about an element (shared by the elements below it that change nothing). */
export interface ElementInfo {
  /** The element or an ancestor is skipped. */
  readonly skipped: boolean;
  /** The nearest block at or above the element (null above <html> or in a detached tree). */
  readonly block: Element | null;
  /** The nearest paragraph-like block (CONTEXT_BLOCK_TAGS) at or above the element. */
  readonly contextBlock: Element | null;
  /** The nearest post at or above the element. */
  readonly post: Element | null;
  /** The notebook the element is in, if any. */
  readonly notebook: Element | null;
}

/** Above the document element, or in a detached tree. */
export const TOP_INFO: ElementInfo = Object.freeze({ skipped: false, block: null, contextBlock: null, post: null, notebook: null });

/** The elements whose text counts as context for what is in an element, nearest first: block, post, notebook. */
export function contextsIn(info: ElementInfo): Element[] {
  const { contextBlock, post, notebook } = info;
  return [contextBlock, post, notebook].filter((e, i, all): e is Element => e !== null && all.indexOf(e) === i);
}

/**
 * What is known about `el`, from what is known about its parent. Walks call it for each element
 * with their parent's answer in hand (lib/annotate/walker.ts), so nothing is cached per element.
 */
export function elementInfo(el: Element, parent: ElementInfo, tagName = el.tagName): ElementInfo {
  const tag = tagName.toUpperCase();
  const lists = selectorLists(el, tagName);
  const skipped = parent.skipped || ((lists & SKIP_BIT) !== 0 && el.matches(SKIP_SELECTOR));
  const block = BLOCK_TAGS.has(tag) ? el : parent.block;
  const contextBlock = CONTEXT_BLOCK_TAGS.has(tag) ? el : parent.contextBlock;
  const post = (lists & POST_BIT) !== 0 && el.matches(POST_SELECTOR) ? el : parent.post;
  const notebook = (lists & NOTEBOOK_BIT) !== 0 && el.matches(NOTEBOOK_SELECTOR) ? el : parent.notebook;
  // Most elements (spans, links) change nothing: they share their parent's answer, one object
  // for many elements instead of one each (less garbage on a 200,000-node page).
  if (skipped === parent.skipped && block === parent.block && contextBlock === parent.contextBlock && post === parent.post && notebook === parent.notebook) {
    return parent;
  }
  return { skipped, block, contextBlock, post, notebook };
}

/**
 * Per-element facts for lookups outside a walk (where a change is, whether a root is skipped),
 * cached for the elements looked up and their ancestors. A stale entry after a page moves an
 * element only affects context.
 */
export class DomInfo {
  /**
   * A WeakTable, so no single table rehashes 100,000 entries; a table of elements the page let go
   * is dropped, and what it held for elements still there is worked out again on the next lookup.
   */
  private cache = new WeakTable<Element, ElementInfo>();

  /** Forgets what is known (after the page changed a lot, e.g. a navigation). */
  reset(): void {
    this.cache = new WeakTable();
  }

  /** Info for `el`, climbing only as far as the first cached ancestor, iteratively. */
  info(el: Element): ElementInfo {
    const hit = this.cache.get(el);
    if (hit) return hit;
    const chain: Element[] = [];
    let cur: Element | null = el;
    let known: ElementInfo = TOP_INFO;
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
      known = elementInfo(chain[i], known);
      this.cache.set(chain[i], known);
    }
    return known;
  }

  /** Info for the element holding `node` (the node itself when it is an element); TOP_INFO when none. */
  infoAt(node: Node): ElementInfo {
    const el = node.nodeType === 1 ? (node as Element) : parentOf(node);
    return el ? this.info(el) : TOP_INFO;
  }

  isSkipped(el: Element | null): boolean {
    return el !== null && this.info(el).skipped;
  }

  blockOf(node: Node): Element | null {
    return this.infoAt(node).block;
  }

  /** The elements whose text counts as context for `node`, nearest first: block, post, notebook. */
  contextsOf(node: Node): Element[] {
    return contextsIn(this.infoAt(node));
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
