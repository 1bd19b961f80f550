/**
 * Marker geometry: each marker's box is made a thin bar over the start of its mention's first line
 * (assets/marker.css), so that hovering, clicking or focusing the marker element is hovering,
 * clicking or focusing the mention. The marker stands after the mention's run of text
 * (lib/annotate/marker-elements.ts), out of the text's flow, its margin box empty; the distance
 * from its own place to the mention's first character becomes a translation.
 *
 * Reading that distance needs layout, so it is read in a task of ours right after a frame, when
 * layout is clean and reading forces none. None of our script runs inside the browser's rendering
 * task: on a big page that task is long (a whole-page pre-paint), and a call of ours inside it
 * makes it a long task of ours. A ResizeObserver notices the frame (a block that changed size, or
 * the document element observed afresh to ask for "after the next layout"), but its callback is the
 * browser's own `postMessage` of a MessageChannel, bound: the frame only posts a message, and the
 * pass runs in that message's task, after the frame is painted. Which blocks a frame reported is
 * told by a second one on the same blocks, whose callback is an array's own `push`, bound: read in
 * that task (no layout), whether or not its pass is put off. Layout is clean there only if the
 * page changed nothing since that layout: each page change the annotator hears posts a message on
 * the same port, and a port delivers in the order posted, so a change whose message is still on
 * its way was made after the frame's layout. The pass then waits for the next frame, however many
 * it takes: a page that changes in its own frame callbacks (a clock) changes before layout and is
 * read at once; a log appending lines between frames has its markers placed when it pauses (its
 * marks are painted, and hovered, all along). A pass reads for READ_MS at most
 * and goes on in the next task while layout is still clean; once nothing waits to be read, every
 * place read is written at once. Writing changes only transforms (the bar's box has its size from
 * the start and is scaled, assets/marker.css), so it costs no layout, but each frame with a write
 * repaints (the block, and with highlights registered the whole page): so one write for all the
 * marks read, not one per block or per frame. A pass is asked for when marks are made, again for
 * a block's marks when the block changes size (a resize, a rewrap) or the page edits it, and for
 * all marks when fonts finish loading or the window is resized. docs/page-integrity.md has figures.
 *
 * Only the marks whose block is near the viewport are read: only those can be hovered or seen, and
 * on a long page most of the reading (about 25 ms on the 4.7 MB thread of bench:pages) is for marks
 * pages away. A pass first looks at each block with marks waiting (one rectangle, not one per
 * mark); a block far away keeps its marks waiting, at their own place (their box unscaled where
 * the marker stands, assets/marker.css, so a tool can still scroll to it), and is looked at
 * again after the view may have moved: a scroll of the page or of a box in it (a passive capture
 * listener that only asks for a pass, on the window and on each open shadow root the annotator
 * reads, since a scroll event does not leave its shadow root; a focus that scrolls does too), a
 * resize, a frame that resized an observed element, a page change, the end of a CSS transition
 * or animation that may have moved boxes (a panel slid into view: no scroll, no resize, no DOM
 * change; the same listener, on the window and on each open shadow root) (lib/annotate/near-blocks.ts).
 * A page change that leaves the document's size as it was (a section above removed and as much
 * appended at the end) asks for that look too, after the next frame, at most one per CHANGE_LOOK_MS,
 * and so does a change of the attributes CSS most often moves boxes by, heard while blocks wait
 * (a class that hides the section above, in an app shell whose document never changes size:
 * lib/annotate/attribute-moves.ts).
 */
import type { Mark } from './mark-store';
import { isAbsoluteMarker, markerStyle, type MarkerAt } from './marker-elements';
import { CSS_MOTION_ENDS, isShown, mayMoveBoxes, NearBlocks } from './near-blocks';
import { AttributeMoves } from './attribute-moves';
import { listenOnPage } from '../page-listeners';

/**
 * Reading per pass, in ms. The clock is looked at after every mark: one read costs from a few
 * microseconds to a few milliseconds (in a text node of thousands of lines the browser walks all
 * its lines to find the mention's).
 */
const READ_MS = 6;
/**
 * While the page scrolls, the blocks waiting are looked at once per LOOK_MS at most (a look is a
 * task of ours; one per frame was most of what scrolling cost us). At a brisk 3,000 px a second
 * the page moves 300 px meanwhile, well inside the viewport's worth that marks are placed ahead.
 */
const LOOK_MS = 100;
/**
 * While the page keeps changing with far blocks waiting, they are all read again once per
 * CHANGE_LOOK_MS at most: a look reads every waiting block, and a page change that brings one
 * near is a jump, not a glide (its text is painted and takes hover meanwhile). Each such look in a
 * row that finds none near doubles the wait for the next, up to CHANGE_LOOK_MAX_MS (a clock, a
 * spinner's class toggled every frame: changes that never move them); one that finds one sets it
 * back. Figures in docs/performance.md.
 */
const CHANGE_LOOK_MS = 250;
const CHANGE_LOOK_MAX_MS = 1000;
/**
 * How near the viewport a container left unread is read, in viewport heights: more below than
 * above (a reader mostly scrolls down), far enough ahead that its marks are there before the
 * reader is (it is walked, matched and marked, then its markers placed after a frame).
 */
const UNIT_MARGINS = { above: 2, below: 3 };
/** Moves smaller than this (CSS pixels) are not written: a pass that finds nothing new writes nothing. */
const TOLERANCE = 0.25;
/**
 * The messages a frame posts (through a ResizeObserver): blocks with marks changed size; the
 * document element was observed afresh (to ask for a pass after the next layout) or changed size.
 * The one a pass posts to go on. And the one each page change posts: messages on a port arrive in
 * the order they were posted, so the page changes whose message arrives after a frame's were made
 * after that frame's layout (see `onMessage`).
 */
const RESIZED = 1;
const AFTER_FRAME = 2;
const GO_ON = 3;
const PAGE_CHANGED = 4;
/** Capture: a scrolling box's scroll events do not bubble. Passive: we never cancel a scroll. */
const SCROLL_LISTENER: AddEventListenerOptions = { passive: true, capture: true };

interface Placement {
  /** The element observed for the mark: its block. */
  block: Element;
  absolute: boolean;
  /** What was written, once placed. */
  at: MarkerAt | null;
  /** The marker's parent where it is not `block` (a log's end): a change there moves the marker's own place. */
  markerParent: Element | null;
}

type GeometryWindow = Window & typeof globalThis;

export class MarkerGeometry {
  /** Observes the blocks with marks. */
  private readonly observer: ResizeObserver | null;
  /**
   * Observes the same blocks, to be told which a frame reported: its callback is the browser's own
   * `push` of `reports`, bound (no script of ours in the frame either).
   */
  private readonly reporter: ResizeObserver | null;
  /** What the reporter was called with since the last frame message: each frame's entries (and the observer). */
  private readonly reports: unknown[] = [];
  /** The blocks reported since sizes were last compared, and whether one of them had been reported before. */
  private readonly reported = new Set<Element>();
  private reportedAgain = false;
  /**
   * Blocks observed whose first report has not come. A frame that reports only such blocks (each
   * container read brings its blocks' first report) changed no block measured before: only those
   * reported are compared, not every block measured (which made reading a thread by scrolling
   * through it quadratic in its blocks).
   */
  private readonly unreported = new Set<Element>();
  /** Blocks whose marks were not rendered when read (their size HIDDEN): looked at after every frame that resized blocks. */
  private readonly hidden = new Set<Element>();
  /** Observes the document element, afresh to ask for "after the next layout". */
  private readonly frames: ResizeObserver | null;
  private readonly channel: MessageChannel | null;
  /** Takes the window's resize and scroll listeners away. */
  private unlisten: () => void = () => undefined;
  private readonly placements = new Map<Mark, Placement>();
  private readonly byBlock = new Map<Element, Set<Mark>>();
  /** Marks by their marker's parent, where that is not their block (lib/annotate/marker-elements.ts). */
  private readonly byMarkerParent = new Map<Element, Set<Mark>>();
  /** Blocks whose marks wait to be read until the block is near the viewport, and those marks. */
  private readonly waiting: NearBlocks<Mark>;
  /**
   * The page's containers left unread while far from the viewport (lib/annotate/far-units.ts),
   * looked at by the same looks as the blocks waiting; each one found near is handed to `unitsNear`.
   */
  private readonly units: NearBlocks<Element>;
  private unitsNear: (units: Element[]) => void = () => undefined;
  /** A look was asked for since the last pass began, for containers left unread. */
  private unitLookAsked = false;
  /** Marks to read in the next pass (their block is near the viewport). */
  private readonly pending = new Set<Mark>();
  /** Where each mark read must go, until all are written together. */
  private readonly planned = new Map<Mark, MarkerAt>();
  /** Each block's layout size when its marks were last read: a frame that changed it calls for a new read. */
  private readonly sizes = new Map<Element, string>();
  /** Layout is not clean (our markers went in, places were written, the page changed): wait for a frame. */
  private awaitingFrame = false;
  /** A GO_ON message is on its way. */
  private goingOn = false;
  private range: Range | null = null;
  private busy = false;
  /** The window was resized: a pass is due after the next layout (what moved is known only then). */
  private resized = false;
  /**
   * Layout may have moved the blocks waiting (the page changed, the window was resized, fonts
   * loaded): after the next frame each is looked at again. Our own writes and scrolls do not.
   */
  private relayoutDue = false;
  /**
   * The same for the containers waiting, but not after a frame that only reported blocks observed
   * afresh (each container read brings its blocks' first report): one whose size changed, yes.
   */
  private unitsRelayoutDue = false;
  /** The document element's size at the last frame (a page that grew or shrank moved what waits). */
  private rootSize = '';
  /** When the last pass began, and the timer of a look put off after a scroll or a page change. */
  private lastPass = -Infinity;
  private lookTimer = 0;
  /** When the timer's look is due (a scroll's look, due sooner, brings a page change's forward). */
  private lookDueAt = Infinity;
  /** A page change asked for a look not yet taken; when the last one was taken, and the wait for the next. */
  private changeLookAsked = false;
  private lastChangeLook = -Infinity;
  private changeLookWait = CHANGE_LOOK_MS;
  /** Open shadow roots whose scrolls and CSS motion ends are heard: neither event inside one reaches the window. */
  private readonly scrollRoots = new Set<ShadowRoot>();
  /** The page's changes of the attributes that most often move boxes, heard while blocks wait. */
  private readonly attributeMoves: AttributeMoves;
  /** PAGE_CHANGED messages posted and arrived; `changesPosted` when layout was last known clean. */
  private changesPosted = 0;
  private changesArrived = 0;
  private cleanAtChange = 0;
  /** A frame that resized blocks was put off (the page changed after it): sizes are compared at the next. */
  private resizePutOff = false;

  constructor(
    private readonly doc: Document,
    private readonly now: () => number,
    /** Told when the geometry goes from having work to having none, and back. */
    private readonly onBusyChange?: () => void,
  ) {
    const win = doc.defaultView as GeometryWindow | null;
    this.waiting = new NearBlocks(win);
    this.units = new NearBlocks(win, UNIT_MARGINS);
    this.attributeMoves = new AttributeMoves(win, doc, this.onAttributeMove);
    if (typeof win?.ResizeObserver !== 'function' || typeof win.MessageChannel !== 'function') {
      this.observer = this.reporter = this.frames = this.channel = null;
      return;
    }
    const channel = (this.channel = new win.MessageChannel());
    channel.port1.onmessage = this.onMessage;
    // The browser's own function, called with (entries, observer) after the frame's layout: both
    // land past postMessage's (message, transfer) and are ignored. No script of ours in the frame.
    const port = channel.port2;
    const post = port.postMessage as (message: unknown, transfer: Transferable[]) => void;
    this.observer = new win.ResizeObserver(post.bind(port, RESIZED, []));
    this.reporter = new win.ResizeObserver(this.reports.push.bind(this.reports) as ResizeObserverCallback);
    this.frames = new win.ResizeObserver(post.bind(port, AFTER_FRAME, []));
    doc.fonts?.addEventListener('loadingdone', this.onFonts);
    this.unlisten = listenOnPage(doc, [
      [win, 'resize', this.onWindowResize, { passive: true }],
      [win, 'scroll', this.onScroll, SCROLL_LISTENER],
      ...CSS_MOTION_ENDS.map((type) => [win, type, this.onCssMotionEnd, SCROLL_LISTENER] as const),
      [doc, 'visibilitychange', this.onVisibilityChange],
    ]);
  }

  /**
   * Hears the scrolls and the ends of CSS motions inside an open shadow root (the annotator reads
   * it): neither event is composed, so the window's listeners never hear them. The same O(1) listeners.
   */
  listenInShadowRoot(root: ShadowRoot): void {
    if (!this.observer || this.scrollRoots.has(root)) return;
    this.scrollRoots.add(root);
    this.attributeMoves.addRoot(root);
    root.addEventListener('scroll', this.onScroll, SCROLL_LISTENER);
    for (const type of CSS_MOTION_ENDS) root.addEventListener(type, this.onCssMotionEnd, SCROLL_LISTENER);
  }

  /** No longer hears a shadow root (the annotator dropped it). */
  stopListeningInShadowRoot(root: ShadowRoot): void {
    if (!this.scrollRoots.delete(root)) return;
    this.attributeMoves.removeRoot(root);
    root.removeEventListener('scroll', this.onScroll, true);
    for (const type of CSS_MOTION_ENDS) root.removeEventListener(type, this.onCssMotionEnd, true);
  }

  /** True when no mark near the viewport waits to be measured or placed, and no container near it to be read. */
  get isSettled(): boolean {
    return this.pending.size === 0 && this.planned.size === 0 && !this.resized && !this.resizePutOff && this.waiting.settled && this.units.settled;
  }

  /** Whether this window can tell near from far (it is laid out, and frames tell when layout is clean). */
  get canWaitForUnits(): boolean {
    return this.observer !== null;
  }

  /** Who is handed the containers found near (lib/annotate/far-units.ts). */
  onUnitsNear(take: (units: Element[]) => void): void {
    this.unitsNear = take;
  }

  /** A container left unread: handed over when a look (after the next frame, then as the page moves) finds it near. */
  waitUntilNear(unit: Element): void {
    this.units.add(unit, unit);
    if (this.unitLookAsked) return;
    this.unitLookAsked = true;
    this.attributeMoves.set(true);
    this.awaitingFrame = true;
    this.pulse();
  }

  /** Whether a container waits to come near. */
  isUnitWaiting(unit: Element): boolean {
    return this.units.has(unit);
  }

  /** Hands over every container waiting, near or not (a page nobody looks at: lib/annotate/far-units.ts). */
  releaseUnits(): void {
    if (this.units.size === 0) return;
    // A container left later asks for a look of its own (none may come while the page is hidden).
    this.unitLookAsked = false;
    this.unitsNear(this.units.takeAll());
    this.attributeMoves.set(this.waiting.size > 0);
    this.tell();
  }

  /** Marks just put in the page: measured after the next layout. */
  add(marks: readonly Mark[]): void {
    if (!this.observer || marks.length === 0) return;
    for (const mark of marks) {
      // The block of the mention's text (its marker may stand at the end of a bigger block: a log's).
      const block = mark.block ?? mark.pieces[0].node.parentElement;
      if (!block) continue;
      const parent = mark.marker.parentElement;
      const markerParent = parent !== block ? parent : null;
      this.placements.set(mark, { block, absolute: isAbsoluteMarker(mark.marker), at: null, markerParent });
      if (markerParent) {
        let moved = this.byMarkerParent.get(markerParent);
        if (!moved) this.byMarkerParent.set(markerParent, (moved = new Set()));
        moved.add(mark);
      }
      let marks = this.byBlock.get(block);
      if (!marks) {
        this.byBlock.set(block, (marks = new Set()));
        this.observer.observe(block);
        this.reporter!.observe(block);
        this.unreported.add(block);
      }
      marks.add(mark);
      this.waiting.add(block, mark);
    }
    this.attributeMoves.set(true);
    // Our markers changed layout as a page change does: a frame whose message is still on its way
    // was laid out before them, and reading after it would lay the page out in our task.
    this.changesPosted++;
    this.channel?.port2.postMessage(PAGE_CHANGED);
    this.awaitingFrame = true;
    this.pulse();
  }

  /** Marks taken away. */
  forget(marks: Iterable<Mark>): void {
    for (const mark of marks) {
      const placement = this.placements.get(mark);
      if (!placement) continue;
      const { block, markerParent } = placement;
      if (markerParent) {
        const moved = this.byMarkerParent.get(markerParent);
        moved?.delete(mark);
        if (moved?.size === 0) this.byMarkerParent.delete(markerParent);
      }
      this.pending.delete(mark);
      this.placements.delete(mark);
      this.planned.delete(mark);
      this.waiting.delete(block, mark);
      const inBlock = this.byBlock.get(block);
      inBlock?.delete(mark);
      if (inBlock?.size === 0) {
        this.byBlock.delete(block);
        this.sizes.delete(block);
        this.hidden.delete(block);
        this.unreported.delete(block);
        this.reported.delete(block);
        this.observer?.unobserve(block);
        this.reporter?.unobserve(block);
      }
    }
    this.attributeMoves.set(this.anyWaiting);
    this.tell();
  }

  /** Blocks with marks or containers wait to come near. */
  private get anyWaiting(): boolean {
    return this.waiting.size > 0 || this.units.size > 0;
  }

  /**
   * The page changed these nodes: the marks of the blocks holding them are measured again, and
   * the blocks waiting are looked at again (the change may have moved them).
   */
  pageChanged(nodes: Iterable<Node>): void {
    if (this.byBlock.size === 0 && this.units.size === 0) return;
    this.changesPosted++;
    this.channel!.port2.postMessage(PAGE_CHANGED);
    const seen = new Set<Node>();
    let edited = false;
    for (const node of nodes) {
      for (let n: Node | null = node; n && !seen.has(n); n = n.parentNode) {
        seen.add(n);
        if (this.dirty(n as Element)) edited = true;
        const moved = this.byMarkerParent.get(n as Element);
        if (moved) for (const mark of moved) (this.waiting.add(this.placements.get(mark)!.block, mark), (edited = true));
      }
    }
    if (!edited && !this.anyWaiting) return;
    this.relayoutDue = this.unitsRelayoutDue = true;
    this.awaitingFrame = true;
    // Far blocks may have moved: a frame that resizes nothing of ours (the document kept its
    // size) brings no look at them, so one is asked for, at most one per CHANGE_LOOK_MS on a page
    // that keeps changing (spaced out while such looks find none near). Blocks with marks edited
    // are read after the next frame, as before.
    const unitsMayMove = this.units.changed();
    const farMayMove = this.waiting.changed() || unitsMayMove;
    if (edited) this.pulse();
    else if (farMayMove) {
      this.changeLookAsked = true;
      this.lookSoon(Math.max(CHANGE_LOOK_MS, this.lastChangeLook + this.changeLookWait - this.lastPass));
    } else if (!this.lookTimer) this.pulse();
  }

  /** Stops measuring: observers off, nothing pending (the markers leave the page). */
  disconnect(): void {
    this.observer?.disconnect();
    this.reporter?.disconnect();
    this.frames?.disconnect();
    this.attributeMoves.set(false);
    if (this.channel) this.channel.port1.onmessage = null;
    this.doc.fonts?.removeEventListener('loadingdone', this.onFonts);
    this.unlisten();
    for (const root of this.scrollRoots) this.stopListeningInShadowRoot(root);
    if (this.lookTimer) this.doc.defaultView?.clearTimeout(this.lookTimer);
    this.lookTimer = 0;
    this.resized = false;
    this.placements.clear();
    this.byBlock.clear();
    this.byMarkerParent.clear();
    this.waiting.clear();
    this.units.clear();
    this.pending.clear();
    this.planned.clear();
    this.sizes.clear();
    this.hidden.clear();
    this.unreported.clear();
    this.reports.length = 0;
    this.reported.clear();
    this.range = null;
    this.tell();
  }

  private readonly onWindowResize = (): void => {
    if (this.byBlock.size === 0 && this.units.size === 0) return;
    this.resized = this.relayoutDue = this.unitsRelayoutDue = true;
    this.awaitingFrame = true;
    this.pulse();
  };

  /**
   * A scroll (of the page, of a box in it, or of a box in an open shadow root): the blocks waiting
   * may have come near. O(1): the pass (in a task of its own, after this frame) works out which.
   */
  private readonly onScroll = (e: Event): void => {
    // Both told (a box's offsets are kept by each).
    const unitsMoved = this.units.scrolledAt(e.target);
    if (this.waiting.scrolledAt(e.target) || unitsMoved) this.lookSoon(LOOK_MS);
  };

  /** Asks for a look at the blocks waiting, at once or once `interval` ms have passed since the last pass. */
  private lookSoon(interval: number): void {
    const due = this.lastPass + interval;
    if (due <= this.now()) return this.pulse();
    this.tell();
    if (this.lookTimer && this.lookDueAt <= due) return;
    const win = this.doc.defaultView!;
    win.clearTimeout(this.lookTimer);
    this.lookDueAt = due;
    this.lookTimer = win.setTimeout(this.onLookDue, due - this.now());
  }

  /**
   * A CSS transition or animation ended: it may have moved the blocks waiting (a panel slid or
   * dropped into view) with nothing else to tell. They are looked at again after the next frame,
   * as after a page change; one look for every motion ending in a frame, none during a motion.
   */
  private readonly onCssMotionEnd = (e: Event): void => {
    if (!this.anyWaiting || !mayMoveBoxes(e)) return;
    this.waiting.relayout();
    this.units.relayout();
    this.awaitingFrame = true;
    this.pulse();
  };

  /**
   * The page changed an attribute that may move boxes (heard only while blocks wait): far blocks
   * may have moved with nothing else to tell, as after a change of its nodes. While the look it
   * asks for is put off, nothing more is heard (a spinner's class toggled every frame would be a
   * record and a message of ours per frame): that look reads every waiting block, whatever changed.
   */
  private readonly onAttributeMove = (): void => {
    this.pageChanged(NO_NODES);
    if (this.lookTimer && this.changeLookAsked) this.attributeMoves.set(false);
  };

  private readonly onLookDue = (): void => {
    this.lookTimer = 0;
    this.attributeMoves.set(this.anyWaiting);
    this.pulse();
  };

  /** A page gone hidden (a tab in the background) is read whole while nobody looks: no frame comes to tell near from far. */
  private readonly onVisibilityChange = (): void => {
    if (this.doc.visibilityState === 'hidden') this.releaseUnits();
  };

  private readonly onFonts = (): void => {
    for (const block of this.byBlock.keys()) this.dirty(block);
    this.relayoutDue = this.unitsRelayoutDue = this.awaitingFrame = true;
    this.pulse();
  };

  /**
   * After a frame (posted by a ResizeObserver after the frame's layout), or a pass going on. Layout
   * is clean only if the page changed nothing since: a page change whose message is still on its
   * way was made after that layout (a log page appending lines in the tasks between the frame and
   * this one), and reading now would lay the page out in our task. The pass then waits for the
   * next frame, however many it takes: a page changing in its own frame callbacks changes before
   * layout and is read at once. A frame may have resized blocks: those whose size is not what it
   * was when their marks were read are read again, and the blocks waiting are looked at again, as
   * after any change that may have moved them.
   */
  private readonly onMessage = (event: MessageEvent): void => {
    if (event.data === PAGE_CHANGED) {
      this.changesArrived++;
      return;
    }
    if (event.data === GO_ON) {
      this.goingOn = false;
      if (this.awaitingFrame) return;
      if (this.changesPosted !== this.cleanAtChange) return this.waitForFrame();
    } else {
      // Read at every frame's message, put off or not: the list stays as short as the blocks.
      this.collectReports();
      if (this.changesArrived !== this.changesPosted) {
        if (event.data === RESIZED) this.resizePutOff = true;
        return this.waitForFrame();
      }
      this.cleanAtChange = this.changesPosted;
      this.awaitingFrame = false;
      if (event.data === RESIZED || this.resizePutOff) {
        this.resizePutOff = false;
        this.compareSizes();
        this.relayoutDue = true;
      }
      const rootSize = sizeOf(this.doc.documentElement);
      if (this.relayoutDue || rootSize !== this.rootSize) this.waiting.relayout();
      if (this.unitsRelayoutDue || rootSize !== this.rootSize) this.units.relayout();
      this.relayoutDue = this.unitsRelayoutDue = false;
      this.rootSize = rootSize;
    }
    if (!this.isSettled) this.pass();
  };

  /** Takes what the reporter was told: the blocks reported, and whether one had been reported before. */
  private collectReports(): void {
    for (const item of this.reports) {
      if (typeof (item as ArrayLike<unknown>).length !== 'number') continue;
      for (const { target } of item as ResizeObserverEntry[]) {
        if (!this.byBlock.has(target)) continue;
        if (!this.unreported.delete(target)) this.reportedAgain = true;
        this.reported.add(target);
      }
    }
    this.reports.length = 0;
  }

  /**
   * After a frame that resized blocks: the blocks whose size is not what it was when their marks
   * were read have them read again. Where a block reported before was reported again (a rewrap, a
   * resize), every block measured is compared, as a block whose size the observer does not report
   * (an inline element's) may have changed with it; where only blocks observed afresh were, those.
   */
  private compareSizes(): void {
    const blocks = this.reportedAgain ? this.sizes.keys() : [...this.reported, ...this.hidden];
    this.reported.clear();
    this.reportedAgain = false;
    for (const block of blocks) this.compareSize(block);
  }

  /** Queues a block's marks to be read again if its size is not what it was when they were read. */
  private compareSize(block: Element): void {
    const size = this.sizes.get(block);
    if (size === undefined || (size === HIDDEN ? !isShown(block) : sizeOf(block) === size)) return;
    this.unitsRelayoutDue = this.dirty(block) || this.unitsRelayoutDue;
  }

  /** Queues a block's marks to be read again; false when it holds none. */
  private dirty(block: Element): boolean {
    const marks = this.byBlock.get(block);
    if (!marks) return false;
    for (const mark of marks) this.waiting.add(block, mark);
    return true;
  }

  /** Asks for a pass after the next frame's layout. */
  private waitForFrame(): void {
    this.awaitingFrame = true;
    this.pulse();
  }

  /**
   * Asks for a pass: after the next frame when layout is not clean (the document element is
   * observed afresh: a ResizeObserver reports a new target once, after layout; that costs no frame
   * of its own, the change that made layout dirty brings one anyway), else in a task of its own
   * at once.
   */
  private pulse(): void {
    this.tell();
    if (this.isSettled || !this.frames) return;
    if (this.awaitingFrame) {
      const root = this.doc.documentElement;
      this.frames.unobserve(root);
      this.frames.observe(root);
    } else if (!this.goingOn) {
      this.goingOn = true;
      this.channel!.port2.postMessage(GO_ON);
    }
  }

  /**
   * The look a page change asked for was taken (the first complete look after it: the change
   * made every waiting block one to read again). The next one waits twice as long if it found no
   * far block near, CHANGE_LOOK_MS again if it found one.
   */
  private changeLookTaken(at: number): void {
    this.changeLookAsked = false;
    this.lastChangeLook = at;
    this.changeLookWait = this.waiting.lastLookFoundNear || this.units.lastLookFoundNear ? CHANGE_LOOK_MS : Math.min(CHANGE_LOOK_MAX_MS, this.changeLookWait * 2);
  }

  /**
   * Reads pending marks until READ_MS have passed and goes on in the next task (layout is still
   * clean then: a change that dirties it makes the next pass wait for a frame); once none is left
   * to read, writes every place read, together.
   */
  private pass(): void {
    this.resized = false;
    const start = (this.lastPass = this.now());
    const timeUp = () => this.now() - start >= READ_MS;
    this.unitLookAsked = false;
    const near = new Set<Element>();
    const unitsLooked = this.units.take(near, timeUp);
    if (near.size > 0) this.unitsNear([...near]);
    if (!unitsLooked || !this.waiting.take(this.pending, timeUp)) return this.pulse();
    if (this.changeLookAsked) this.changeLookTaken(start);
    const boxes = new Map<Element, BlockBox>();
    for (const mark of this.pending) {
      const placement = this.placements.get(mark)!;
      this.pending.delete(mark);
      const at = this.measure(mark, placement, boxes);
      if (at) this.planned.set(mark, at);
      if (this.now() - start >= READ_MS) break;
    }
    this.range?.collapse(true);
    for (const [block, box] of boxes) (this.sizes.set(block, box.size), this.hidden.delete(block));
    if (this.pending.size > 0) return this.pulse();
    let wrote = false;
    for (const [mark, at] of this.planned) wrote = this.write(mark, at) || wrote;
    this.planned.clear();
    // Our places are not page changes; with no block left waiting, no change can move one.
    this.attributeMoves.dropOwn();
    this.attributeMoves.set(this.anyWaiting);
    // Our transforms make style dirty: a read now would recompute it.
    if (wrote) this.awaitingFrame = true;
    if (this.isSettled) this.tell();
    else this.pulse();
  }

  /**
   * Where a mark's marker must go: its left edge on the mention's first character, its top and
   * height those of the first line of text. The translation written before moved the marker's box
   * from its own place, which is where the box is now less that translation, in screen pixels.
   */
  private measure(mark: Mark, placement: Placement, boxes: Map<Element, BlockBox>): MarkerAt | null {
    const { marker } = mark;
    const first = mark.pieces[0];
    // (A stopped annotator no longer hears of the page's edits: its text may have changed.)
    if (!marker.isConnected || !first.node.isConnected || first.to > first.node.length) return null;
    // Not rendered, or in a subtree the browser skips for now (content-visibility): reading it
    // would lay it out. Its block is measured again once it is shown.
    if (!isShown(marker)) {
      if (!boxes.has(placement.block)) (this.sizes.set(placement.block, HIDDEN), this.hidden.add(placement.block));
      return null;
    }
    const range = (this.range ??= this.doc.createRange());
    range.setStart(first.node, first.from);
    range.setEnd(first.node, first.to);
    const line = firstLineBox(range.getClientRects());
    if (!line) return null;
    const box = marker.getBoundingClientRect();
    let block = boxes.get(placement.block);
    if (!block) boxes.set(placement.block, (block = blockBox(placement.block)));
    const { scale } = block;
    const was = placement.at;
    const ownX = box.left - (was ? was.x * scale : 0);
    const ownY = box.top - (was ? was.y * scale : 0);
    return { x: round((line.left - ownX) / scale), y: round((line.top - ownY) / scale), height: round(line.height / scale) };
  }

  /** Writes a marker's place, unless it is where it was; true when written. */
  private write(mark: Mark, at: MarkerAt): boolean {
    const placement = this.placements.get(mark);
    if (!placement) return false;
    const was = placement.at;
    if (was && Math.abs(at.x - was.x) < TOLERANCE && Math.abs(at.y - was.y) < TOLERANCE && Math.abs(at.height - was.height) < TOLERANCE) return false;
    placement.at = at;
    mark.marker.setAttribute('style', markerStyle(placement.absolute, at));
    return true;
  }

  private tell(): void {
    const busy = !this.isSettled;
    if (busy === this.busy) return;
    this.busy = busy;
    this.onBusyChange?.();
  }
}

/** The first line box of a text range: the first rectangle with a height. */
function firstLineBox(rects: DOMRectList): DOMRect | null {
  for (let i = 0; i < rects.length; i++) if (rects[i].height > 0) return rects[i];
  return null;
}

/** What a pass reads of a block once: its layout size, and its scale. */
interface BlockBox {
  size: string;
  /** How many screen pixels a CSS pixel of the block is (a scaled or zoomed ancestor); 1 when it cannot tell. */
  scale: number;
}

function blockBox(block: Element): BlockBox {
  const { offsetWidth, offsetHeight } = block as HTMLElement;
  const screenWidth = block.getBoundingClientRect().width;
  return { size: `${offsetWidth}x${offsetHeight}`, scale: offsetWidth > 0 && screenWidth > 0 ? screenWidth / offsetWidth : 1 };
}

const NO_NODES: readonly Node[] = [];

/** The size of a block whose marks are not rendered (read no layout of it: it may be skipped content). */
const HIDDEN = 'hidden';

/** A block's layout size, as `blockBox` gives it. */
function sizeOf(block: Element): string {
  const { offsetWidth, offsetHeight } = block as HTMLElement;
  return `${offsetWidth}x${offsetHeight}`;
}

const round = (n: number) => Math.round(n * 100) / 100;
