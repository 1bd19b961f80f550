/**
 * The text's order of mentions whose markers share one point (a block's end: the lines of a log
 * whose markers all stand after its `<code>`), at a cost bounded per marker. The markers there
 * must stand in the text's order, which is the keyboard's (docs/page-integrity.md). The browser's
 * `compareDocumentPosition` finds two siblings' order by walking their parent's children: the
 * mentions of a highlighted log are in spans among 400,000 children of one `<code>`, and a walk
 * per marker made some loads' tasks of ours hundreds of milliseconds long.
 *
 * So the order is mostly known, not looked for: the runs of one pass over a block (one walk of
 * it, the rest of it read after the walk, lines the page appended at its end since) are found in
 * the text's order, and each is numbered as it is handed to matching (`RunOrder`); a mention is
 * its run's number and its offset in the run's text (`MentionOrder`). A run the pass finds
 * unchanged keeps its marks and gives them its new number, so after any walk of a block all its
 * marks compare. Otherwise (a mention of a node the page streams into, marks of two passes):
 * mentions in one text node compare by offset, and others by a walk of at most NEAR siblings from
 * each; then, among the children of the elements a huge block's last reading sampled
 * (lib/annotate/huge-blocks.ts: one in SAMPLE_STRIDE, in the part walked before its rest as in the
 * rest, numbered in the text's order), by the nearest sample at or before each. The browser is
 * asked only of other elements' children.
 */

/** Where a run stands in the text: numbered in the order its pass found it. */
export interface RunOrder {
  /** One pass over one block: runs of different passes do not compare by number. */
  pass: object;
  seq: number;
}

/** Where a mention stands: its run's place and its offset in the run's text. */
export interface MentionOrder extends RunOrder {
  at: number;
}

/** What the order of two mentions is read from: the first piece of each, and its order when known. */
export interface Mention {
  pieces: readonly { node: Text; from: number }[];
  order?: MentionOrder;
}

/** Siblings walked from each of two nodes, each way, to find their order. */
const NEAR = 32;
/** Children between two that a huge block's reading samples, at most: a walk back this far from a child meets one. */
export const SAMPLE_STRIDE = 64;
/**
 * Siblings walked back at most to meet a sample of the last reading, when none is SAMPLE_STRIDE
 * back: children the page put in since that reading (lines appended at a followed block's end).
 */
const FAR = 1_024;

/**
 * What one reading of a huge block sampled: the first child of each bucket it measured, and of the
 * part walked before its rest, each with its number in the text's order (numbers grow in that
 * order among one parent's children). A reading's own table: samples of an older one go with it.
 */
export type ReadingSamples = WeakMap<Node, number>;

/**
 * Per parent, the samples of the last reading that measured all its children. A reading under way
 * does not count yet: the marks made meanwhile (a line the page edited, marked before the rest is
 * measured again) compare by the reading before it, which saw all the block. The page's later
 * insertions leave the samples' order as it was; a node it moves is sampled afresh by the reading
 * that follows its change.
 */
const readings = new WeakMap<Node, ReadingSamples>();

/** A reading starts: its samples count where no reading came before it (the rest measured so far is told). */
export function readingStarted(samples: ReadingSamples, parents: Iterable<Node>): void {
  for (const parent of parents) if (!readings.has(parent)) readings.set(parent, samples);
}

/** A reading measured the children of `parents` in full: its samples are theirs from now on. */
export function readingDone(samples: ReadingSamples, parents: Iterable<Node>): void {
  for (const parent of parents) readings.set(parent, samples);
}

/** The nearest sibling at or before `n`, at most `reach` back (most are within SAMPLE_STRIDE), that `samples` holds, and how far back it is. */
function sampleBefore(n: Node, samples: ReadingSamples, reach: number): { rank: number; back: number } | null {
  let c: Node | null = n;
  for (let back = 0; c !== null && back <= reach; back++, c = c.previousSibling) {
    const rank = samples.get(c);
    if (rank !== undefined) return { rank, back };
  }
  return null;
}

/** Two siblings' order not told by the walks nor the samples, among the children of a huge block's element: the browser is not asked. */
const UNTOLD_HUGE = 2;

/**
 * The order of two siblings from the last reading of their parent's children, by the sample at or
 * before each: -1 when `a` comes first, 1 when `b` does; 0 when their parent was never read so,
 * UNTOLD_HUGE when it was and no sample is near enough.
 */
function sampledOrder(a: Node, b: Node): number {
  const parent = a.parentNode;
  const samples = parent && readings.get(parent);
  if (!samples) return 0;
  const sa = sampleBefore(a, samples, FAR);
  const sb = sa && sampleBefore(b, samples, FAR);
  if (!sa || !sb) return UNTOLD_HUGE;
  if (sa.rank !== sb.rank) return sa.rank < sb.rank ? -1 : 1;
  return sa.back < sb.back ? -1 : 1;
}
/** Ancestors climbed to find two nodes' common one. */
const DEPTH = 256;

/** Whether mention `a` comes after mention `b` in the text. */
export function mentionAfter(a: Mention, b: Mention): boolean {
  const pa = a.pieces[0];
  const pb = b.pieces[0];
  if (pa.node === pb.node) return pa.from > pb.from;
  const oa = a.order;
  const ob = b.order;
  if (oa && ob && oa.pass === ob.pass) return oa.seq !== ob.seq ? oa.seq > ob.seq : oa.at > ob.at;
  // Asked of `b`, the new mention: where the browser walks, Chromium walks back from it, to `a`
  // when `a` comes first.
  return nodeBefore(pb.node, pa.node);
}

/**
 * Whether `a` comes before `b`, neither holding the other: `nodeOrder`, and only when that does
 * not tell (far apart among many siblings of an element no huge block's reading sampled) the
 * browser, which walks the siblings between them. Among a huge block's children the browser is
 * never asked: untold there (children the page put in far from any sample since the last reading,
 * which is read again for that change), `a` is taken to come after, which puts a new marker after
 * those standing at its point, as for a line appended.
 */
export function nodeBefore(a: Node, b: Node): boolean {
  const order = orderOf(a, b);
  if (order === UNTOLD_HUGE) return false;
  return order !== 0 ? order < 0 : (a.compareDocumentPosition(b) & 4) /* FOLLOWING */ !== 0;
}

/**
 * The order of two nodes, none holding the other, when a walk of at most NEAR siblings from the
 * two children of their common ancestor that hold them finds it, or else a huge block's samples
 * among those children: -1 when `a` comes first, 1 when `b` does, 0 when not found so.
 */
export function nodeOrder(a: Node, b: Node): number {
  const order = orderOf(a, b);
  return order === UNTOLD_HUGE ? 0 : order;
}

/**
 * `nodeOrder`, or UNTOLD_HUGE. A walk meeting the other node, or the end of the list, tells (a
 * walk forward from the later one meets the end).
 */
function orderOf(a: Node, b: Node): number {
  const branches = branchesOf(a, b);
  if (!branches) return 0;
  const [ca, cb] = branches;
  let fa = ca.nextSibling;
  let ba = ca.previousSibling;
  let fb = cb.nextSibling;
  let bb = cb.previousSibling;
  for (let k = 0; k < NEAR; k++) {
    if (fa === cb || bb === ca || fb === null || ba === null) return -1;
    if (fb === ca || ba === cb || fa === null || bb === null) return 1;
    fa = fa.nextSibling;
    ba = ba.previousSibling;
    fb = fb.nextSibling;
    bb = bb.previousSibling;
  }
  return sampledOrder(ca, cb);
}

/** The children of `a` and `b`'s common ancestor that hold them (or are them); null when not found within DEPTH. */
function branchesOf(a: Node, b: Node): [Node, Node] | null {
  const above = new Map<Node, Node>();
  let child: Node = a;
  for (let n = a.parentNode, depth = 0; n && depth < DEPTH; n = n.parentNode, depth++) {
    above.set(n, child);
    child = n;
  }
  child = b;
  for (let n = b.parentNode, depth = 0; n && depth < DEPTH; n = n.parentNode, depth++) {
    const ca = above.get(n);
    if (ca !== undefined) return ca === child ? null : [ca, child];
    child = n;
  }
  return null;
}
