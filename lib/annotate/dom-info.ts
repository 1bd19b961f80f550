/**
 * What the annotator needs to know about an element: is it skipped (never scanned), is it a
 * block (a boundary of matching), which post does it belong to (context). A walk works each
 * element's answer out from its parent's as it goes down (no table entry per element: one per
 * node of a big page was the walk's largest cost, and its garbage); lookups outside a walk climb
 * to the nearest cached ancestor, so a text node 2,500 levels deep costs one climb.
 */
import { UI_HOST_SELECTOR } from '../card/host';
import { NOTEBOOK_SELECTORS, POST_SELECTORS, SKIP_SELECTORS, UNIT_SELECTORS } from '../sites';
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
 * Tag names as `tagName` may give them, to test what the walk reads without lower-casing it:
 * upper-case for HTML elements, as written (lower-case) in an XHTML document.
 */
export function tagNameSet(tags: Iterable<string>): Set<string> {
  return new Set([...tags].flatMap((t) => [t.toUpperCase(), t.toLowerCase()]));
}

/** The containers a page is read by, besides its posts (lib/annotate/far-units.ts); empty when no site names one. */
const UNIT_SELECTOR = UNIT_SELECTORS.join(',');

const ALL_SELECTORS = [SKIP_SELECTOR, POST_SELECTOR, NOTEBOOK_SELECTOR, ...UNIT_SELECTORS].flatMap((list) => list.split(','));
/** Whether a selector is a bare tag name (`svg`, `article`). */
export const isBareTag = (selector: string) => /^[a-z][a-z0-9-]*$/.test(selector);
/**
 * The bare tag names in the three selectors above (`svg`, `script`, `article`…), told by the tag
 * name the walk reads anyway; as `tagName` gives them too (upper-case for HTML elements).
 */
const SELECTOR_TAGS = new Set(ALL_SELECTORS.filter(isBareTag));
const SELECTOR_TAG_NAMES = tagNameSet(SELECTOR_TAGS);
/**
 * The rest of the three lists (classes, ids, attributes) as one selector: only an element with
 * attributes can match it, and most elements with attributes (every element of a GitHub page)
 * match none of it. Matched once per such element, it is the walk's largest cost after visiting
 * the nodes: the tag names are left out of it (half the list), as each selector of the list is
 * tried in turn.
 */
const ATTRIBUTE_SELECTOR = ALL_SELECTORS.filter((s) => !isBareTag(s)).join(',');
/**
 * The selectors whose subject is a bare tag after a combinator (`h1 > bdi + span`): they can
 * match an element without attributes, so such an element of their subject's tag is matched
 * against them (the others cannot match it).
 */
const COMBINATOR_SELECTORS = ALL_SELECTORS.filter((s) => !isBareTag(s) && isBareTag(s.split(/[\s>+~]+/).at(-1)!));
const COMBINATOR_SELECTOR = COMBINATOR_SELECTORS.join(',');
const COMBINATOR_TAGS = new Set(COMBINATOR_SELECTORS.map((s) => s.split(/[\s>+~]+/).at(-1)!));
const COMBINATOR_TAG_NAMES = tagNameSet(COMBINATOR_TAGS);

/** Whether `el` (whose `tagName` is `tagName`) matches SKIP_SELECTOR, POST_SELECTOR, NOTEBOOK_SELECTOR or UNIT_SELECTOR. */
function selects(el: Element, tagName: string): boolean {
  // A prefixed name (XML) is matched by its local name.
  const prefixed = tagName.includes(':');
  if (prefixed ? SELECTOR_TAGS.has(el.localName) : SELECTOR_TAG_NAMES.has(tagName)) return true;
  if (el.hasAttributes()) return el.matches(ATTRIBUTE_SELECTOR);
  return (prefixed ? COMBINATOR_TAGS.has(el.localName) : COMBINATOR_TAG_NAMES.has(tagName)) && el.matches(COMBINATOR_SELECTOR);
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

/**
 * An element's shadow root, closed ones too where the caller can reach them: the content script
 * passes the browser's reader for extensions (`chrome.dom.openOrClosedShadowRoot`, Firefox's
 * `openOrClosedShadowRoot`), which a page cannot see being used.
 */
export type ShadowRootOf = (el: Element) => ShadowRoot | null;

/** Open roots only, as the page's own scripts see them (the default, and a DOM with no extension API). */
export const openShadowRoot: ShadowRootOf = (el) => el.shadowRoot;

/**
 * The root `el` hosts. A closed root is asked for of a custom element only (`localName` with a
 * hyphen): the extension's reader costs more than the `shadowRoot` property, and the walk meets
 * far more `<div>`s and `<span>`s than web components (docs/page-integrity.md, "Closed shadow roots").
 */
export function hostedRoot(el: Element, shadowRootOf: ShadowRootOf, tagName = el.localName): ShadowRoot | null {
  return tagName.includes('-') ? shadowRootOf(el) : el.shadowRoot;
}

/**
 * The slot a host's child is laid out in: its `assignedSlot`, which a closed root hides; there the
 * slot is found as the DOM assigns it (the first slot of the root with the child's slot name, or
 * for a root that assigns by hand, the slot whose assigned nodes hold it). Null when not slotted.
 */
export function slotIn(root: ShadowRoot, child: Node): HTMLSlotElement | null {
  if (root.mode === 'open') return (child as Element | Text).assignedSlot ?? null;
  if (child.nodeType !== 1 && child.nodeType !== 3) return null;
  const slots = root.querySelectorAll('slot');
  if ((root as ShadowRoot & { slotAssignment?: string }).slotAssignment === 'manual') {
    for (const slot of slots) if (slot.assignedNodes().includes(child as ChildNode)) return slot;
    return null;
  }
  const name = child.nodeType === 1 ? (child as Element).slot : '';
  for (const slot of slots) if (slot.name === name) return slot;
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
  /** The outermost container (a site's unit, else a post) at or above the element: what is read when it comes near. */
  readonly unit: Element | null;
}

/** Above the document element, or in a detached tree. */
export const TOP_INFO: ElementInfo = Object.freeze({ skipped: false, block: null, contextBlock: null, post: null, notebook: null, unit: null });

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
  const selected = selects(el, tagName);
  const skipped = parent.skipped || (selected && el.matches(SKIP_SELECTOR));
  const block = BLOCK_TAGS.has(tag) ? el : parent.block;
  const contextBlock = CONTEXT_BLOCK_TAGS.has(tag) ? el : parent.contextBlock;
  const post = selected && el.matches(POST_SELECTOR) ? el : parent.post;
  const notebook = selected && el.matches(NOTEBOOK_SELECTOR) ? el : parent.notebook;
  const unit = parent.unit ?? (post === el || (selected && UNIT_SELECTOR !== '' && el.matches(UNIT_SELECTOR)) ? el : null);
  // Most elements (spans, links) change nothing: they share their parent's answer, one object
  // for many elements instead of one each (less garbage on a 200,000-node page).
  if (skipped === parent.skipped && block === parent.block && contextBlock === parent.contextBlock && post === parent.post && notebook === parent.notebook && unit === parent.unit) {
    return parent;
  }
  return { skipped, block, contextBlock, post, notebook, unit };
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
