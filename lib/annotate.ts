/**
 * Finds IBKR API errors in a page's text and wraps each in a marker element carrying
 * `data-ibkr-error="<entry id>"` (a public contract).
 *
 * Cheap by design:
 * - text nodes are scanned in idle time, in small batches, from a queue fed by a MutationObserver;
 * - a text node is scanned once; the annotator's own DOM changes are taken off the observer's
 *   record queue, so they never trigger a re-scan; only text the page itself changes is scanned again;
 * - whole subtrees that must not be touched are rejected at their root (form fields, scripts,
 *   styles, contenteditable regions, code editors' hidden layers, the extension's own UI);
 * - a match is wrapped by splitting the page's text node in place, so the page keeps its nodes.
 * Page text is moved, never re-parsed: nothing is ever inserted as HTML.
 */
import { hasIbkrContext, type Matcher } from './matcher';

export const MARKER_TAG = 'ibkr-error-mark';
export const MARKER_ATTR = 'data-ibkr-error';
/** The element that hosts the extension's shadow-DOM UI (tooltips, panels). */
export const UI_HOST_TAG = 'ibkr-error-lookup-ui';

/** Subtrees never scanned. Checked per element, so a rejected root skips its whole subtree. */
export const SKIP_SELECTOR = [
  'script',
  'style',
  'noscript',
  'template',
  'textarea',
  'input',
  'select',
  'option',
  'button',
  'iframe',
  'object',
  'svg',
  'math',
  'canvas',
  'head',
  'title',
  '[contenteditable=""]',
  '[contenteditable="true"]',
  '[contenteditable="plaintext-only"]',
  // Code editors: their visible lines are layers over hidden inputs and must stay untouched.
  '.CodeMirror',
  '.cm-editor',
  '.monaco-editor',
  '.ace_editor',
  '.jp-InputArea-editor',
  MARKER_TAG,
  UI_HOST_TAG,
].join(',');

/**
 * Context for generic messages ("Not connected") comes from three places, nearest first:
 * the text node itself, its block (the paragraph, list item or log block it sits in), and the
 * post it belongs to (a GitHub comment, a Stack Overflow question or answer, a notebook).
 * Page-wide, only strong signals count: the site, the URL, the title and the main heading.
 * One stray "TWS" in a long page does not turn every "Not connected" on it into an IBKR error.
 */
const BLOCK_SELECTOR = 'pre,p,li,td,th,dd,dt,blockquote,figure,details,tr,h1,h2,h3,h4,h5,h6';
const POST_SELECTOR = [
  'article',
  '.comment-body',
  '.js-comment-body',
  '.markdown-body',
  '.s-prose',
  '.js-post-body',
  '[itemprop="text"]',
  '.md',
  '.jp-OutputArea-output',
  '.jp-Notebook',
  '#notebook-container',
].join(',');
const BLOCK_TEXT_LIMIT = 20_000;
/** Text nodes shorter than the shortest thing worth marking ("Error 326" minus a bit). */
const MIN_TEXT_LENGTH = 8;
/** How many text nodes wait for page context at most (a contextual candidate seen too early). */
const MAX_WAITING = 500;

export interface IdleDeadlineLike {
  timeRemaining(): number;
  readonly didTimeout?: boolean;
}
export type Scheduler = (work: (deadline: IdleDeadlineLike) => void) => void;

export interface AnnotatorOptions {
  doc: Document;
  matcher: Matcher;
  /**
   * Page-level IBKR context known up front (for example from the site). Otherwise it is derived
   * from the URL, the title and the main heading, and checked again when those change (single-page
   * apps): text that waited for it is then scanned again.
   */
  pageContext?: boolean;
  /** Runs a batch of work; defaults to requestIdleCallback. */
  schedule?: Scheduler;
  /** Called with each marker created. */
  onMarker?: (marker: HTMLElement) => void;
}

export interface Annotator {
  /** Queues the body for scanning and starts observing changes. */
  start(): void;
  stop(): void;
  /** Queues a subtree (or text node) for scanning. */
  enqueue(node: Node): void;
  /** Scans everything queued now, ignoring idle deadlines (tests, explicit requests). */
  flush(): void;
  /** Number of markers created so far. */
  readonly markerCount: number;
  /** Number of text nodes scanned so far. */
  readonly scannedCount: number;
}

export function defaultScheduler(win: Window & typeof globalThis): Scheduler {
  if (typeof win.requestIdleCallback === 'function') {
    return (work) => win.requestIdleCallback(work, { timeout: 1000 });
  }
  return (work) => win.setTimeout(() => work({ timeRemaining: () => 10, didTimeout: true }), 30);
}

export function createAnnotator({ doc, matcher, pageContext, schedule, onMarker }: AnnotatorOptions): Annotator {
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  const run: Scheduler = schedule ?? (win ? defaultScheduler(win) : (work) => work({ timeRemaining: () => 10 }));
  const NF = win?.NodeFilter ?? { SHOW_ELEMENT: 1, SHOW_TEXT: 4, FILTER_ACCEPT: 1, FILTER_REJECT: 2, FILTER_SKIP: 3 };

  const scanned = new WeakSet<Text>();
  const roots: Node[] = [];
  /** Text nodes waiting to be scanned; `head` is the next one (no O(n) shift on big pages). */
  let texts: Text[] = [];
  let head = 0;
  let waiting: Text[] = [];
  let scheduled = false;
  let observer: MutationObserver | null = null;
  let markerCount = 0;
  let scannedCount = 0;
  let context = pageContext === true;
  let blockCache = new Map<Element, boolean>();

  const isSkipped = (el: Element | null) => el !== null && el.closest(SKIP_SELECTOR) !== null;

  /** Strong page-wide signals only: URL, title, main heading. */
  const pageSignalsContext = (): boolean => {
    const heading = doc.querySelector('h1')?.textContent ?? '';
    return hasIbkrContext(`${win?.location?.href ?? ''}\n${doc.title}\n${heading.slice(0, 1000)}`);
  };

  const elementHasContext = (el: Element | null | undefined): boolean => {
    if (!el) return false;
    let known = blockCache.get(el);
    if (known === undefined) {
      known = hasIbkrContext((el.textContent ?? '').slice(0, BLOCK_TEXT_LIMIT));
      blockCache.set(el, known);
    }
    return known;
  };

  /** The text's block or its post carries IBKR context (the matcher checks the text itself). */
  const localContext = (text: Text): boolean => {
    const parent = text.parentElement;
    return elementHasContext(parent?.closest(BLOCK_SELECTOR)) || elementHasContext(parent?.closest(POST_SELECTOR));
  };

  /** The tree walk in progress: big subtrees are walked a slice at a time, between deadlines. */
  let walker: TreeWalker | null = null;
  const WALK_SLICE = 200;

  /** Starts walking a queued root, rejecting skipped subtrees whole; a text node is queued directly. */
  const expandRoot = (root: Node) => {
    if (!root.isConnected) return;
    if (root.nodeType === 3) {
      if (!isSkipped(root.parentElement)) texts.push(root as Text);
      return;
    }
    if (root.nodeType !== 1 && root.nodeType !== 9 && root.nodeType !== 11) return;
    if (root.nodeType === 1 && isSkipped(root as Element)) return;
    if (root.nodeType === 1 && isSkipped((root as Element).parentElement)) return;
    walker = doc.createTreeWalker(root, NF.SHOW_ELEMENT | NF.SHOW_TEXT, {
      acceptNode: (n: Node) =>
        n.nodeType === 1 && (n as Element).matches(SKIP_SELECTOR) ? NF.FILTER_REJECT : NF.FILTER_ACCEPT,
    });
  };

  /** Moves the next slice of the current walk's text nodes into the text queue. */
  const walkSlice = () => {
    for (let i = 0; i < WALK_SLICE; i++) {
      const n = walker!.nextNode();
      if (!n) {
        walker = null;
        return;
      }
      if (n.nodeType === 3) texts.push(n as Text);
    }
  };

  const wrap = (text: Text, matches: ReturnType<Matcher['find']>) => {
    let rest = text;
    let offset = 0;
    for (const m of matches) {
      const middle = rest.splitText(m.start - offset);
      const after = middle.splitText(m.end - m.start);
      const marker = doc.createElement(MARKER_TAG);
      marker.setAttribute(MARKER_ATTR, m.entryId);
      marker.setAttribute('tabindex', '0');
      marker.setAttribute('role', 'button');
      marker.setAttribute('aria-haspopup', 'dialog');
      marker.setAttribute('aria-expanded', 'false');
      middle.parentNode!.insertBefore(marker, middle);
      marker.appendChild(middle);
      scanned.add(after);
      rest = after;
      offset = m.end;
      markerCount++;
      onMarker?.(marker);
    }
  };

  const scanText = (text: Text) => {
    if (scanned.has(text) || !text.isConnected) return;
    scanned.add(text);
    scannedCount++;
    const value = text.data;
    if (value.length < MIN_TEXT_LENGTH || !/[A-Za-z]/.test(value)) return;
    let wanted = false;
    const matches = matcher.find(value, {
      context: () => {
        wanted = true;
        return context || localContext(text);
      },
    });
    // A generic message seen before the page showed its context: looked at again if it does.
    if (wanted && matches.length === 0 && !context && waiting.length < MAX_WAITING) waiting.push(text);
    if (matches.length > 0) wrap(text, matches);
  };

  const work = (deadline: IdleDeadlineLike, unbounded = false) => {
    scheduled = false;
    blockCache = new Map();
    if (!context && (waiting.length > 0 || roots.length > 0) && pageSignalsContext()) {
      context = true;
      for (const t of waiting) {
        scanned.delete(t);
        texts.push(t);
      }
      waiting = [];
    }
    const pending = () => roots.length > 0 || walker !== null || head < texts.length;
    while (pending()) {
      if (!unbounded && deadline.timeRemaining() < 1 && !deadline.didTimeout) break;
      if (head < texts.length) {
        // A batch between deadline checks: cheap enough to stay well inside an idle period.
        for (let i = 0; i < 25 && head < texts.length; i++) scanText(texts[head++]);
        if (head === texts.length) {
          texts = [];
          head = 0;
        }
      } else if (walker) {
        walkSlice();
      } else {
        expandRoot(roots.shift()!);
      }
    }
    // Our own splits and wraps are not page changes: drop their records.
    observer?.takeRecords();
    if (pending()) request();
  };

  const request = () => {
    if (scheduled) return;
    scheduled = true;
    run((deadline) => work(deadline));
  };

  const enqueue = (node: Node) => {
    roots.push(node);
    request();
  };

  const onMutations = (records: MutationRecord[]) => {
    for (const r of records) {
      if (r.type === 'characterData') {
        const t = r.target as Text;
        if (t.parentElement?.closest(MARKER_TAG)) continue;
        scanned.delete(t);
        enqueue(t);
      } else {
        r.addedNodes.forEach((n) => {
          if (n.nodeType === 3 ? !scanned.has(n as Text) : n.nodeType === 1) enqueue(n);
        });
      }
    }
  };

  return {
    start() {
      if (doc.body) enqueue(doc.body);
      if (!observer && win?.MutationObserver) {
        observer = new win.MutationObserver(onMutations);
        observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
      }
    },
    stop() {
      observer?.disconnect();
      observer = null;
      roots.length = 0;
      walker = null;
      texts = [];
      head = 0;
    },
    enqueue,
    flush() {
      if (observer) onMutations(observer.takeRecords());
      work({ timeRemaining: () => Infinity }, true);
    },
    get markerCount() {
      return markerCount;
    },
    get scannedCount() {
      return scannedCount;
    },
  };
}
