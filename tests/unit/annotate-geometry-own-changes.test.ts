// @vitest-environment happy-dom
/**
 * Markers are measured only when layout is clean (lib/annotate/marker-geometry.ts): after a frame,
 * with nothing changed since. Our own markers change layout as a page change does: markers put in
 * after a frame whose message is still on its way must not be read when that message arrives (on
 * a page of 200,000 spans that read laid the whole block out in our task, hundreds of ms).
 */
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { rect } from './helpers/fake-layout';

const matcher = createMatcher(knowledge.entries);
const ERROR = 'Error 326, reqId -1: Unable to connect as the client id is already in use';

/** DOM changes since the last frame (a frame lays out everything changed before it). */
let changedSinceFrame = 0;
/** Reads of a mention's line box: in all, and made while layout was not clean. */
let reads = 0;
let dirtyReads = 0;
/** Run once, right after the next frame's observers were told (before their message arrives). */
let afterNextFrame: (() => void) | null = null;

/** A ResizeObserver that reports a target a task later, after the "frame" that lays out all changes. */
class FrameResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(): void {
    setTimeout(() => {
      changedSinceFrame = 0;
      this.callback([], this as unknown as ResizeObserver);
      const then = afterNextFrame;
      afterNextFrame = null;
      then?.();
    }, 0);
  }
  unobserve(): void {}
  disconnect(): void {}
}

let annotator: Annotator | undefined;
let changes: MutationObserver | undefined;

beforeEach(() => {
  reads = dirtyReads = changedSinceFrame = 0;
  afterNextFrame = null;
  vi.stubGlobal('ResizeObserver', FrameResizeObserver);
  vi.spyOn(Range.prototype, 'getClientRects').mockImplementation(() => {
    reads++;
    if (changedSinceFrame > 0) dirtyReads++;
    return Object.assign([rect(100, 20)], { item: () => null }) as unknown as DOMRectList;
  });
  document.body.replaceChildren();
  changes = new MutationObserver((records) => (changedSinceFrame += records.length));
  changes.observe(document.body, { childList: true, subtree: true, characterData: true });
});

afterEach(() => {
  annotator?.destroy();
  annotator = undefined;
  changes?.disconnect();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

it('reads no marker after a frame when our markers went in after that frame', async () => {
  const first = document.body.appendChild(document.createElement('p'));
  first.textContent = `First: ${ERROR}`;
  /** The annotator's work asked for: run when the test says (in the tasks it chooses). */
  const asked: IdleRequestCallback[] = [];
  const runAsked = () => {
    for (let work = asked.shift(); work; work = asked.shift()) work({ timeRemaining: () => 50, didTimeout: false });
  };
  annotator = createAnnotator({ doc: document, matcher, schedule: (work) => void asked.push(work) });
  annotator.start();
  await vi.waitFor(() => {
    runAsked();
    expect(annotator!.settled).toBe(true);
  });
  expect(reads).toBeGreaterThan(0);
  expect(dirtyReads).toBe(0);

  // The page edits the marked line (its marker is to be read after the next frame) and adds one;
  // the new line's marker goes in right after that frame, in a task between the frame and its
  // message, as a slice of our work can.
  let markedAfterFrame = false;
  const second = document.createElement('p');
  second.textContent = `Second: ${ERROR}`;
  afterNextFrame = () => {
    runAsked();
    markedAfterFrame = second.querySelector(`[${MARKER_ATTR}]`) !== null;
  };
  first.append(' (seen again)');
  document.body.appendChild(second);
  await vi.waitFor(() => {
    expect(afterNextFrame).toBeNull();
    runAsked();
    expect(annotator!.settled).toBe(true);
  });
  expect(markedAfterFrame).toBe(true);
  expect(dirtyReads).toBe(0);
});
