/**
 * Paragraphs read whole, on big pages. Every node a content script touches gets a wrapper in the
 * content script's own world, and the browser grows the tables holding them in single steps that
 * cannot be cut short: on a page of 200,000 text nodes, merely visiting every node from an
 * isolated world has steps of 16 to 41 ms (5 ms in the page's own world; `npm run bench:pages --
 * --walk`). So once a page has shown WHOLE_BLOCKS_AFTER nodes, a block of plain inline text (no
 * nested block, line break, skipped or custom element inside) is read as one string, its
 * `textContent`, which for such a block is exactly the text of its one run. These strings are
 * matched together with every rule allowed (lib/annotate/batch.ts); a block with a candidate is
 * then walked node by node and matched as usual, and a block with none is never visited.
 *
 * The one thing not seen this way: an open shadow root attached to a `<span>` inside such a block
 * (custom elements, the usual shadow hosts, are not plain: their blocks are walked).
 */
import type { Matcher } from '../matcher';
import { matchTogether } from './batch';
import { isBareTag, SKIP_SELECTOR, tagNameSet } from './dom-info';
import { worthMatching } from './run-matching';
import { BATCH_CHARS, SMALL_RUN } from './run-queue';

/** Nodes walked before blocks are read whole: below this, visiting every node costs little. */
export const WHOLE_BLOCKS_AFTER = 20_000;

/** Inline elements that only hold text: a block made of them reads as its `textContent`. */
const PLAIN_INLINE = 'a,abbr,b,bdi,bdo,big,cite,code,data,del,dfn,em,font,i,ins,kbd,mark,nobr,q,s,samp,small,span,strike,strong,sub,sup,time,tt,u,var,wbr';
/** The same, one tag name each (lib/annotate/huge-blocks.ts counts a block's elements by tag). */
export const PLAIN_INLINE_TAGS: readonly string[] = PLAIN_INLINE.split(',');
/** The same tags as `tagName` gives them. */
const PLAIN_TAGS = tagNameSet(PLAIN_INLINE_TAGS);
/** The skip list's selectors that `:not(<plain tags>)` does not cover (classes, attributes, plain tags). */
export const SKIPPED_PLAIN: readonly string[] = SKIP_SELECTOR.split(',').filter((s) => !isBareTag(s) || PLAIN_TAGS.has(s));
/**
 * Any element that makes a block's runs differ from its `textContent`, or that needs a visit. The
 * skip list's bare tag names (script, svg…) are not plain inline tags: the first part matches
 * them already, and a selector fewer is one test fewer for each element queried.
 */
const NOT_PLAIN = [`:not(${PLAIN_INLINE})`, ...SKIPPED_PLAIN].join(',');

/** Whether an element and all inside it are plain inline elements (its text is that of its runs' lines). */
export const isPlainInline = (el: Element): boolean => !el.matches(NOT_PLAIN) && el.querySelector(NOT_PLAIN) === null;

export class WholeBlocks {
  /** Nodes visited by walks so far. */
  visited = 0;
  private blocks: Element[] = [];
  private texts: string[] = [];
  private chars = 0;

  constructor(
    private readonly matcher: Matcher,
    /** Queues a block with a candidate to be walked node by node. */
    private readonly walk: (block: Element) => void,
    private readonly after = WHOLE_BLOCKS_AFTER,
  ) {}

  /** Whether blocks read are waiting to be matched. */
  get pending(): boolean {
    return this.blocks.length > 0;
  }

  /** Whether enough text waits for one batch. */
  get full(): boolean {
    return this.chars >= BATCH_CHARS;
  }

  /**
   * Reads a block whole when the page is big and the block plain: true when its nodes need no
   * visit (its text waits to be matched, or holds nothing worth matching).
   */
  read(block: Element): boolean {
    if (this.visited < this.after) return false;
    // A block of one text node costs one visit anyway. Most blocks that are not plain hold a
    // block first (a container, a table, a quote): their first element's tag says so without a
    // selector query.
    const first = block.firstElementChild;
    if (first === null || !PLAIN_TAGS.has(first.tagName) || block.querySelector(NOT_PLAIN)) return false;
    const text = block.textContent ?? '';
    if (text.length > SMALL_RUN) return false;
    if (worthMatching(text)) {
      this.blocks.push(block);
      this.texts.push(text);
      this.chars += text.length;
    }
    return true;
  }

  /** Matches the blocks read; those with a candidate are walked. */
  flush(): void {
    const { blocks, texts } = this;
    this.blocks = [];
    this.texts = [];
    this.chars = 0;
    for (const i of matchTogether(this.matcher, texts).byText.keys()) this.walk(blocks[i]);
  }

  clear(): void {
    this.blocks = [];
    this.texts = [];
    this.chars = 0;
  }
}
