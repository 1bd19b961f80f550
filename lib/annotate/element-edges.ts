/**
 * Where the inline elements of a heading's or paragraph's run start and end, for the matcher's
 * extent rules (MatchOptions.edges, docs/matching.md): a reason after a message never runs into
 * another element (`<span>#42</span>` after a title, the prose after a `<code>`). Runs of code
 * blocks have none: a highlighter's spans split a log line anywhere.
 */
import type { TextMap } from '../textmap';

/** Blocks of prose and headings, where an inline element is a piece of its own. */
const PROSE_BLOCKS = new Set('P LI H1 H2 H3 H4 H5 H6 DT DD BLOCKQUOTE FIGCAPTION SUMMARY CAPTION'.split(' '));

/** Whether a run's element edges say something: a prose block of several text nodes, outside `<pre>`. */
export function hasElementEdges(block: Element | null, map: TextMap): block is Element {
  return map.segments.length > 1 && block !== null && PROSE_BLOCKS.has(block.tagName.toUpperCase()) && block.closest('pre') === null;
}

/** The child of `block` that holds `node` (a text node directly in the block is its own). */
function pieceOf(node: Node, block: Element): Node {
  let n = node;
  while (n.parentNode !== null && n.parentNode !== block) n = n.parentNode;
  return n;
}

/**
 * The offsets in `map.text` between `from` and `to`, relative to `from`, where the text passes
 * from one child of the block to the next: `<b>Invalid <i>account</i> code</b>` is one piece.
 */
export function elementEdges(map: TextMap, block: Element, from: number, to: number): number[] {
  const edges: number[] = [];
  const segments = map.segments;
  let previous = pieceOf(segments[0].node, block);
  for (let i = 1; i < segments.length; i++) {
    const piece = pieceOf(segments[i].node, block);
    const at = segments[i].start;
    if (piece !== previous && at > from && at < to) edges.push(at - from);
    previous = piece;
    if (at >= to) break;
  }
  return edges;
}
