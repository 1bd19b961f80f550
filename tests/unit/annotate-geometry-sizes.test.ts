// @vitest-environment happy-dom
/**
 * After a frame that resized blocks, the marker geometry compares block sizes to tell whose marks
 * to read again (lib/annotate/marker-geometry.ts). A frame that reports only blocks observed
 * afresh (each container read as the reader scrolls brings its blocks' first report) reads the
 * size of those, not of every block measured before: on a long thread read by scrolling through
 * it, that made each frame's check grow with the blocks read so far. A block measured before that
 * is reported again is still compared, and its marker placed again. Layout is faked: a
 * ResizeObserver reports what it is told, a task later (the "frame"), with its entries.
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { fakeLayout } from './helpers/fake-layout';

const matcher = createMatcher(knowledge.entries);
const ERROR = 'Error 326, reqId -1: Unable to connect as the client id is already in use';

const observers = new Set<FrameResizeObserver>();
let frameDue = false;

/** The next "frame": every observer reports its targets due, in one callback each, as a browser does. */
function frameSoon(): void {
  if (frameDue) return;
  frameDue = true;
  setTimeout(() => {
    frameDue = false;
    for (const observer of [...observers]) observer.report();
  }, 0);
}

/** Reports a target once after it is observed, and again after each `resized` of it. */
class FrameResizeObserver {
  private readonly targets = new Set<Element>();
  private readonly due = new Set<Element>();
  constructor(private readonly callback: ResizeObserverCallback) {
    observers.add(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
    this.due.add(target);
    frameSoon();
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
    this.due.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
    this.due.clear();
    observers.delete(this);
  }
  resized(target: Element): void {
    if (!this.targets.has(target)) return;
    this.due.add(target);
    frameSoon();
  }
  report(): void {
    if (this.due.size === 0) return;
    const entries = [...this.due].map((target) => ({ target }) as ResizeObserverEntry);
    this.due.clear();
    this.callback(entries, this as unknown as ResizeObserver);
  }
}

/** Each block's faked layout: its height and its top on screen; and how many times its size was read. */
const heights = new Map<Element, number>();
const tops = new Map<Element, number>();
const sizeReads = new Map<Element, number>();

function block(text: string, top: number): HTMLElement {
  const p = document.body.appendChild(document.createElement('p'));
  p.textContent = text;
  heights.set(p, 20);
  tops.set(p, top);
  const read = (value: () => number) => () => (sizeReads.set(p, (sizeReads.get(p) ?? 0) + 1), value());
  Object.defineProperty(p, 'offsetWidth', { get: read(() => 500) });
  Object.defineProperty(p, 'offsetHeight', { get: read(() => heights.get(p)!) });
  return p;
}

/** A block resized by the page: a frame reports it. */
function resize(p: HTMLElement, height: number, top: number): void {
  heights.set(p, height);
  tops.set(p, top);
  for (const observer of observers) observer.resized(p);
}

let annotator: Annotator | undefined;

beforeEach(() => {
  fakeLayout((p) => tops.get(p) ?? 0);
  vi.stubGlobal('ResizeObserver', FrameResizeObserver);
  document.body.replaceChildren();
  heights.clear();
  tops.clear();
  sizeReads.clear();
});

afterEach(() => {
  annotator?.destroy();
  annotator = undefined;
  observers.clear();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

async function settled(): Promise<void> {
  await vi.waitFor(() => expect(annotator!.settled).toBe(true));
}

const marker = (p: Element) => p.querySelector(`[${MARKER_ATTR}]`)!;

async function startOn(count: number): Promise<HTMLElement[]> {
  const blocks = Array.from({ length: count }, (_, i) => block(`Comment ${i}: ${ERROR}`, 40 * i));
  annotator = createAnnotator({ doc: document, matcher, schedule: (work) => void setTimeout(() => work({ timeRemaining: () => 50, didTimeout: false }), 0) });
  annotator.start();
  await settled();
  for (const p of blocks) expect(marker(p).getAttribute('style')).toContain('translate');
  return blocks;
}

it('reads no size of the blocks measured before after a frame that reports only a block observed afresh', async () => {
  const blocks = await startOn(20);
  sizeReads.clear();
  const later = block(`A comment read later: ${ERROR}`, 900);
  await vi.waitFor(() => expect(marker(later)?.getAttribute('style')).toContain('translate'));
  await settled();
  expect(blocks.filter((p) => sizeReads.has(p))).toEqual([]);
  expect(sizeReads.get(later)).toBeGreaterThan(0);
});

it('places again the marker of a block measured before that a frame reports resized', async () => {
  const blocks = await startOn(20);
  const was = marker(blocks[5]).getAttribute('style');
  resize(blocks[5], 40, 500);
  await vi.waitFor(() => expect(marker(blocks[5]).getAttribute('style')).not.toBe(was));
  await settled();
  expect(marker(blocks[6]).getAttribute('style')).toContain('translate');
});

it('compares every block measured when a block measured before is reported again', async () => {
  const blocks = await startOn(5);
  const was = marker(blocks[3]).getAttribute('style');
  sizeReads.clear();
  // An inline element's size is never reported; the frame that rewrapped it reported its neighbour.
  heights.set(blocks[3], 60);
  tops.set(blocks[3], 700);
  resize(blocks[1], 40, 40);
  await vi.waitFor(() => expect(marker(blocks[3]).getAttribute('style')).not.toBe(was));
  expect(sizeReads.get(blocks[3])).toBeGreaterThan(0);
});
