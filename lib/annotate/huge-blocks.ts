/**
 * Huge blocks read without visiting every node. Every node a content script touches gets a
 * wrapper in its own world, and on a block of 600,000 nodes (a highlighted log of 200,000 spans)
 * the browser grows its tables of wrappers in single reads of 12 to 35 ms that no slice can cut
 * short (docs/performance.md, "Big pages"). So when a walk has cut a block's run at a line end
 * for its length (lib/annotate/walker.ts) and the block holds many elements, the walk hands the
 * rest of the block over to a job here, which:
 *
 * 0. checks, one native query a step, that all of them are plain inline ones (a block that is not
 *    is queued to be walked node by node, and is from then on);
 * 1. reads the rest's text a bucket of BUCKET_CHILDREN children at a time, with a Range from one
 *    sampled child to the next (native reads: no wrapper for what lies between), which gives each
 *    bucket's place in the text;
 * 2. finds candidates in that text with every rule allowed, a chunk at a time;
 * 3. walks, from the bucket holding it, only each candidate's line (the text nodes from the one
 *    after the last node ending with a line end before it, to the first node ending with one after
 *    it: runs of a big `<pre>` are cut there too) and hands it to the usual run matching as a run
 *    of its own; so do the lines of the block's marks already made, so that a mark whose line the
 *    page changed is matched again as after any walk.
 *
 * With every rule allowed a line with no candidate has no match under any context; a line is
 * matched with the context of its own text, its block, post and page, where a walk's run of
 * 2,000 nodes also gives the text of its neighbouring lines. Not seen this way: an open shadow
 * root attached to a `<span>` in the rest of such a block (as for blocks read whole).
 */
import { lastSignStart } from '../context-signs';
import { hasCpapiContext, type Matcher } from '../matcher';
import { chunkEnd, type RunItem } from '../textmap';
import { type DomInfo, MARKER_TAG } from './dom-info';
import { readingDone, readingStarted, SAMPLE_STRIDE, type ReadingSamples } from './text-order';
import type { Run } from './walker';
import { PLAIN_INLINE_TAGS, SKIPPED_PLAIN } from './whole-blocks';

/** Elements in a block from which its rest is read this way: below, a walk costs little. */
export const HUGE_BLOCK_ELEMENTS = 10_000;
/** Children of one element measured together: a candidate's walk starts at most this far before it. Their first ones are the text order's samples. */
const BUCKET_CHILDREN = SAMPLE_STRIDE;
/** A bucket with more text than this is measured a child at a time (it holds a big element). */
const BIG_BUCKET = 16_384;
/** Buckets measured in one step. */
const BUCKETS_PER_STEP = 64;
/** Text matched in one step (as a walk's runs are, at line ends). */
const CHUNK = 8_000;
/** Lines walked in one step. */
const LINES_PER_STEP = 8;
/** Buckets a line's walk goes back at most to find its start. */
const MAX_BACK = 4;
/** Nodes a line holds at most (as a walk's runs: a line of a million spans is cut); streamed lines too (block-streams.ts). */
export const MAX_LINE_ITEMS = 2_000;

export interface HugeBlockHooks {
  /** Elements the annotator made (markers): they hold no text. */
  isOwn(node: Node): boolean;
  /** The first text node of each mark made in the block, but those `pass` found (or found unchanged). */
  markedIn(block: Element, pass: object | undefined): Text[];
  /** Whether the block waits to be walked again (the page changed it): the job is stale. */
  isQueued(block: Element): boolean;
  /** Queues a block to be walked again (node by node: it was found not plain). */
  walkAgain(block: Element): void;
  /** A job starts reading the block's rest (the page's edits to it are read the usual way meanwhile). */
  reading?(block: Element): void;
  /** The block's rest was read in full, every line with a candidate handed over (lib/annotate/block-streams.ts), in `pass`. */
  readInFull?(block: Element, pass: object | undefined): void;
}

/** Children of `parent` from `next` to `to` (exclusive) still to measure, `stride` at a time. */
interface Frame {
  parent: Node;
  next: number;
  to: number;
  stride: number;
}

/** A measured piece of the rest: it starts at `first` (a child of some element), at `start` in the text. */
interface Bucket {
  first: Node;
  start: number;
}

/** Offset of a boundary at the end of `node`'s content. */
const endOffset = (node: Node) => (node.nodeType === 1 ? node.childNodes.length : ((node as CharacterData).length ?? 0));

class HugeBlockJob {
  private readonly buckets: Bucket[] = [];
  private readonly parts: string[] = [];
  private length = 0;
  private text: string | null = null;
  private cursor = 0;
  /** Candidates' extents, merged by line: [start, end) pairs in text order. */
  private readonly lines: number[] = [];
  private lineHead = 0;
  /** The last line run walked, held back in case the next one shares its nodes, and where it starts in the text. */
  private held: Text[] | null = null;
  private heldFrom = 0;
  /** The first chunk of the rest's text that shows a Client Portal sign ([start, end)): the lines after it are told so. */
  private cpapiChunk: [number, number] | null = null;
  /** Text nodes handed over in runs (a mark's line already handed over is not walked again). */
  private readonly handed = new Set<Text>();
  /** The first text nodes of the block's marks, once the candidates' lines are handed over. */
  private marked: Text[] | null = null;
  private markedHead = 0;
  private readonly range: Range;
  private checkHead = 0;
  done = false;
  /** Read to its end: the page did not change the block meanwhile. */
  complete = false;
  /** Found not plain: its rest must be walked node by node. */
  refused = false;

  constructor(
    readonly block: Element,
    /** The node before the rest (it ends a line). */
    private readonly last: Node,
    private readonly frames: Frame[],
    /** The tests that the block is plain, one native query each (plainChecks below). */
    private readonly checks: (() => boolean)[],
    private readonly matcher: Matcher,
    private readonly dom: DomInfo,
    private readonly hooks: HugeBlockHooks,
    private readonly emit: (run: Run) => void,
    /** The children this reading sampled, numbered in the text's order (lib/annotate/text-order.ts); those of the part walked before the rest come sampled. */
    private readonly samples: ReadingSamples,
    /** The elements whose children it samples. */
    private readonly sampledParents: Set<Node>,
    /** The walk's pass over the block: the candidates' lines are handed over in the text's order, after the walk's runs. */
    readonly pass?: object,
  ) {
    this.range = block.ownerDocument.createRange();
  }

  step(): void {
    if (!this.block.isConnected || this.hooks.isQueued(this.block)) return this.finish();
    if (this.checkHead < this.checks.length) {
      if (this.checks[this.checkHead++]()) return;
      this.refused = true;
      return this.finish();
    }
    if (this.frames.length > 0) {
      this.measure();
      if (this.frames.length === 0 && !this.done) readingDone(this.samples, this.sampledParents);
      return;
    }
    this.text ??= this.parts.splice(0).join('');
    if (this.cursor < this.text.length) return this.findCandidates(this.text);
    if (this.lineHead < this.lines.length) return this.walkLines(this.text);
    this.release();
    this.marked ??= this.hooks.markedIn(this.block, this.pass);
    if (this.markedHead < this.marked.length) return this.walkMarkedLines(this.marked);
    this.complete = true;
    this.finish();
  }

  private finish(): void {
    this.done = true;
    this.range.detach();
  }

  /** Measures the next buckets; a big one is measured a child at a time, a big child as an element of its own. */
  private measure(): void {
    const range = this.range;
    for (let k = 0; k < BUCKETS_PER_STEP && this.frames.length > 0; k++) {
      const frame = this.frames[this.frames.length - 1];
      if (frame.next >= frame.to) {
        this.frames.pop();
        continue;
      }
      const children = frame.parent.childNodes;
      const from = frame.next;
      const to = Math.min(from + frame.stride, frame.to);
      const first = children[from];
      if (!first) return this.finish(); // the page changed the block: it is walked again
      range.setStart(first, 0);
      const end = to < frame.to ? children[to] : null;
      if (end) range.setEnd(end, 0);
      else {
        const lastChild = children[to - 1];
        range.setEnd(lastChild, endOffset(lastChild));
      }
      const text = range.toString();
      frame.next = to;
      if (text.length > BIG_BUCKET && to - from > 1) {
        // Measured again a child at a time, before the rest of this frame.
        this.frames.push({ parent: frame.parent, next: from, to, stride: 1 });
        continue;
      }
      if (text.length > BIG_BUCKET && first.nodeType === 1 && first.firstChild !== null) {
        // Sampled too, so that its siblings' order is told (its children are the next buckets).
        this.samples.set(first, this.buckets.length);
        this.sampledParents.add(first);
        this.frames.push({ parent: first, next: 0, to: first.childNodes.length, stride: BUCKET_CHILDREN });
        continue;
      }
      // Its place in the text, for the order of markers sharing a point (lib/annotate/text-order.ts).
      this.samples.set(first, this.buckets.length);
      this.buckets.push({ first, start: this.length });
      this.parts.push(text);
      this.length += text.length;
    }
  }

  /** Matches the next chunk with every rule allowed; each candidate's lines are kept. */
  private findCandidates(text: string): void {
    const start = this.cursor;
    const end = chunkEnd(text, start, CHUNK);
    this.cursor = end;
    const chunk = text.slice(start, end);
    if (this.cpapiChunk === null && hasCpapiContext(chunk)) this.cpapiChunk = [start, end];
    const lines = this.lines;
    for (const m of this.matcher.find(chunk, { context: true, cpapiContext: true, anyReading: true })) {
      const from = text.lastIndexOf('\n', start + m.start - 1) + 1;
      const nl = text.indexOf('\n', start + Math.max(m.start, m.end - 1));
      const to = nl < 0 ? text.length : nl + 1;
      if (lines.length > 0 && from < lines[lines.length - 1]) lines[lines.length - 1] = Math.max(to, lines[lines.length - 1]);
      else lines.push(from, to);
    }
  }

  /** Walks the next candidates' lines into runs. */
  private walkLines(text: string): void {
    const lines = this.lines;
    for (let k = 0; k < LINES_PER_STEP && this.lineHead < lines.length; k++) {
      const from = lines[this.lineHead++];
      const to = lines[this.lineHead++];
      const items = this.lineAt(from, to, text);
      if (items === null) return this.finish();
      const held = this.held;
      // Lines that share a node (a line end inside a text node) are one run, as in a walk.
      const at = held ? items.indexOf(held[held.length - 1]) : -1;
      if (held && at >= 0) this.held = held.concat(items.slice(at + 1));
      else {
        this.release();
        this.held = items;
        this.heldFrom = from;
      }
    }
  }

  /** Hands the run held back over (`inOrder`: after every run handed over before it in the block). */
  private release(inOrder = true): void {
    const items = this.held;
    this.held = null;
    if (!items || items.length === 0) return;
    for (const t of items) this.handed.add(t);
    const info = this.dom.infoAt(items[0]);
    this.emit({ items: items as RunItem[], block: info.block, info, open: true, pass: inOrder ? this.pass : undefined, cpapiBefore: inOrder && this.cpapiBefore(this.heldFrom) });
  }

  /** Whether a Client Portal sign starts in the rest's text before `offset` (its first chunk with one was noted; within it, read from its start). */
  private cpapiBefore(offset: number): boolean {
    const chunk = this.cpapiChunk;
    if (chunk === null || offset <= chunk[0]) return false;
    return offset >= chunk[1] || lastSignStart(this.text!, 'cpapi', chunk[0], offset) >= 0;
  }

  /**
   * The text nodes of the run holding the text from `from` to `to`: walked from the bucket
   * holding the line end before it (or an earlier one, when that line end is inside a node).
   * Null when the page changed the block meanwhile.
   */
  private lineAt(from: number, to: number, text: string): Text[] | null {
    let b = this.bucketAt(Math.max(0, from - 1));
    for (let back = 0; ; back++) {
      const found = this.walkFrom(b, from, to, text);
      if (found === null) return null;
      if (found.started || b === 0 || back === MAX_BACK) return found.items;
      b--;
    }
  }

  private bucketAt(offset: number): number {
    const buckets = this.buckets;
    let lo = 0;
    let hi = buckets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (buckets[mid].start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Walks from bucket `b`'s first node in document order: the text nodes from the one after the
   * last node ending with a line end before `from` (`started`: one was met, or the rest starts
   * there) to the first node ending with a line end at or after `to`.
   */
  private walkFrom(b: number, from: number, to: number, text: string): { items: Text[]; started: boolean } | null {
    const { block } = this;
    let offset = this.buckets[b].start;
    let started = b === 0;
    let items: Text[] = [];
    let n: Node | null = this.buckets[b].first;
    while (n) {
      let descend = false;
      if (n.nodeType === 3) {
        const data = (n as Text).data;
        const end = offset + data.length;
        // The page changed the text since it was read: the block is walked again.
        if (end > text.length || text.startsWith(data, offset) === false) return null;
        offset = end;
        const lineEnd = data.endsWith('\n');
        if (end <= from) {
          if (lineEnd) {
            started = true;
            items = [];
          } else if (data.length > 0) items.push(n as Text);
        } else {
          items.push(n as Text);
          if ((lineEnd && end >= to) || items.length >= MAX_LINE_ITEMS) break;
        }
      } else if (n.nodeType === 1) descend = !this.hooks.isOwn(n);
      n = nextInBlock(n, block, descend);
    }
    return { items, started };
  }

  /**
   * The next lines of the block's marks not handed over yet: a mark whose line changed is matched
   * again. The marks of the part walked before the rest are not among them: every run of that walk
   * was taken in before this job's steps (the work queue takes runs in first), and taking a run in
   * gives its marks its pass, or takes them away (lib/annotate/run-matching.ts).
   */
  private walkMarkedLines(marked: Text[]): void {
    const { block, last } = this;
    for (let walked = 0; walked < LINES_PER_STEP && this.markedHead < marked.length; ) {
      const first = marked[this.markedHead++];
      if (this.handed.has(first) || !first.isConnected || !block.contains(first)) continue;
      this.held = lineAround(first, block, last, this.hooks.isOwn);
      // Not in the text's order: these lines come after the candidates' lines, wherever they are.
      this.release(false);
      walked++;
    }
  }
}

/** The next node after `n` in document order within `block` (into `n`'s children when `descend`). */
export function nextInBlock(n: Node, block: Node, descend: boolean): Node | null {
  if (descend) {
    const child = n.firstChild;
    if (child) return child;
  }
  let cur: Node | null = n;
  while (cur && cur !== block) {
    const next: Node | null = cur.nextSibling;
    if (next) return next;
    cur = cur.parentNode;
  }
  return null;
}

/** The previous node before `n` in document order within `block` (the deepest last descendant of its previous sibling). */
function previousInBlock(n: Node, block: Node, isOwn: (node: Node) => boolean): Node | null {
  let prev = n.previousSibling;
  if (!prev) {
    const parent = n.parentNode;
    return parent === block ? null : parent;
  }
  while (prev.nodeType === 1 && !isOwn(prev) && prev.lastChild) prev = prev.lastChild;
  return prev;
}

/**
 * The text nodes of `n`'s line before it, in document order: back to the last node ending with a
 * line end (or to `stop`, or the block's start), at most MAX_LINE_ITEMS.
 */
export function lineStartBefore(n: Node, block: Node, isOwn: (node: Node) => boolean, stop: Node | null = null): Text[] {
  const before: Text[] = [];
  for (let p = previousInBlock(n, block, isOwn); p && p !== stop && before.length < MAX_LINE_ITEMS; p = previousInBlock(p, block, isOwn)) {
    if (p.nodeType !== 3) continue;
    if ((p as Text).data.endsWith('\n')) break;
    if ((p as Text).data.length > 0) before.push(p as Text);
  }
  return before.reverse();
}

/** The run holding text node `t` when runs are cut after every node ending with a line end. */
function lineAround(t: Text, block: Node, last: Node, isOwn: (node: Node) => boolean): Text[] {
  const items = lineStartBefore(t, block, isOwn, last);
  for (let n: Node | null = t; n && items.length < MAX_LINE_ITEMS; ) {
    if (n.nodeType === 3) {
      items.push(n as Text);
      if ((n as Text).data.endsWith('\n')) break;
    }
    n = nextInBlock(n, block, n.nodeType === 1 && !isOwn(n));
  }
  return items;
}

/** The huge blocks handed over by walks, one job at a time. */
export class HugeBlocks {
  private readonly jobs: HugeBlockJob[] = [];
  /** Blocks found not plain: walked node by node from then on. */
  private readonly refused = new WeakSet<Element>();

  constructor(
    private readonly matcher: Matcher,
    private readonly dom: DomInfo,
    private readonly hooks: HugeBlockHooks,
    private readonly emit: (run: Run) => void,
    /** Elements in a block from which its rest is read this way (tests set it lower). */
    private readonly minElements = HUGE_BLOCK_ELEMENTS,
  ) {}

  get pending(): boolean {
    return this.jobs.length > 0;
  }

  /**
   * Offered the rest of `block` after `last` (a text node ending a line, where a walk cut a run
   * for its length): true when it takes it over (a block of many elements, all plain inline).
   */
  take(block: Element, last: Node, pass?: object): boolean {
    if (this.refused.has(block)) return false;
    // Counted natively, without a wrapper for any of them.
    const elements = block.getElementsByTagName('*').length;
    if (elements < this.minElements) return false;
    const frames: Frame[] = [];
    /** Per level, from the deepest up: the parent and the index of its child that holds `last` (or is it). */
    const walked: { parent: Node; at: number }[] = [];
    const range = block.ownerDocument.createRange();
    // From the deepest level up: the children after `last`, after its parent, … up to the block's.
    for (let n: Node = last; n !== block; ) {
      const parent = n.parentNode;
      if (!parent) return false;
      range.setStartAfter(n);
      const to = parent.childNodes.length;
      walked.push({ parent, at: range.startOffset - 1 });
      if (range.startOffset < to) frames.push({ parent, next: range.startOffset, to, stride: BUCKET_CHILDREN });
      n = parent;
    }
    range.detach();
    const samples: ReadingSamples = new WeakMap();
    const parents = new Set<Node>(frames.map((f) => f.parent));
    sampleWalkedPart(walked, samples, parents);
    readingStarted(samples, parents);
    // The deepest level is read first: it comes first in the text.
    const checks = plainChecks(block, elements, this.hooks.isOwn);
    this.hooks.reading?.(block);
    this.jobs.push(new HugeBlockJob(block, last, frames.reverse(), checks, this.matcher, this.dom, this.hooks, this.emit, samples, parents, pass));
    return true;
  }

  /** One step of the first job (there must be one). */
  step(): void {
    const job = this.jobs[0];
    job.step();
    if (!job.done) return;
    this.jobs.shift();
    if (job.refused) {
      this.refused.add(job.block);
      this.hooks.walkAgain(job.block);
    } else if (job.complete) this.hooks.readInFull?.(job.block, job.pass);
  }

  clear(): void {
    this.jobs.length = 0;
  }
}

/**
 * Samples the part of the block a walk went through before its rest (lib/annotate/text-order.ts):
 * at each level from the block's down, one child in BUCKET_CHILDREN before the one holding the
 * rest's start, and that one, numbered below the rest's samples in the text's order. The walk
 * made these nodes' wrappers already; each level's children are stepped through natively.
 */
function sampleWalkedPart(levels: readonly { parent: Node; at: number }[], samples: ReadingSamples, parents: Set<Node>): void {
  let rank = -(2 ** 40);
  for (let l = levels.length - 1; l >= 0; l--) {
    const { parent, at } = levels[l];
    const children = parent.childNodes;
    for (let i = 0; i < at; i += BUCKET_CHILDREN) samples.set(children[i], rank++);
    samples.set(children[at], rank++);
    parents.add(parent);
  }
}

/** The plain tags met most in highlighted logs. */
const MOST_USED_PLAIN = ['span', 'code', 'a', 'b', 'i', 'em', 'strong'];
/** The plain tags, the most frequent first: counting stops once every element is accounted for. */
const PLAIN_TAGS_BY_USE = [...MOST_USED_PLAIN, ...PLAIN_INLINE_TAGS.filter((t) => !MOST_USED_PLAIN.includes(t))];
/** A selector that is one class name. */
const CLASS_SELECTOR = /^\.[\w-]+$/;

/**
 * The tests that a block's text is exactly that of its runs (as for blocks read whole: only plain
 * inline elements, no nested block, line break, skipped or custom element), and markers of ours,
 * which hold no text: its `total` elements are all markers of ours or of plain tags, and none is
 * skipped. One native query each, run a step at a time: one selector list over 200,000 elements
 * is a single call of 90 to 170 ms (page world, load average 6 to 10), a count by tag 3 to 30 ms.
 */
function plainChecks(block: Element, total: number, isOwn: (node: Node) => boolean): (() => boolean)[] {
  let counted = 0;
  const checks = [
    () => {
      const markers = block.getElementsByTagName(MARKER_TAG);
      for (const marker of markers) if (!isOwn(marker) || marker.firstChild !== null) return false;
      counted += markers.length;
      return true;
    },
  ];
  for (const tag of PLAIN_TAGS_BY_USE) {
    checks.push(() => {
      if (counted < total) counted += block.getElementsByTagName(tag).length;
      return true;
    });
  }
  checks.push(() => counted === total);
  for (const selector of SKIPPED_PLAIN) {
    checks.push(CLASS_SELECTOR.test(selector) ? () => block.getElementsByClassName(selector.slice(1)).length === 0 : () => block.querySelector(selector) === null);
  }
  return checks;
}
