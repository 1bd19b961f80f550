// @vitest-environment happy-dom
/**
 * A box scrolling inside an open shadow root brings its far blocks near: the annotator hears that
 * scroll (scroll events are not composed: the window never hears it) and places the markers that
 * came near (lib/annotate/marker-geometry.ts). Layout is faked (tests/unit/helpers/fake-layout.ts):
 * each block has a place in the scrolling box.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { fakeLayout, rect } from './helpers/fake-layout';

const matcher = createMatcher(knowledge.entries);
const ERROR = 'Error 326, reqId -1: Unable to connect as the client id is already in use';

/** Where each block is in its box's content (px from the box's top, which is the viewport's). */
const tops = new Map<Element, number>();
let box: HTMLElement;

/** A block's top on screen: its place in the box, less the box's scroll. */
const screenTop = (block: Element) => tops.get(block)! - box.scrollTop;

/** A paragraph of the log at `top` in the box. */
function line(id: string, top: number, text: string): HTMLElement {
  const p = document.createElement('p');
  p.id = id;
  p.textContent = text;
  p.getBoundingClientRect = () => rect(screenTop(p), 20);
  tops.set(p, top);
  box.append(p);
  return p;
}

let annotator: Annotator | undefined;

beforeEach(() => {
  fakeLayout(screenTop);
  document.body.replaceChildren();
  tops.clear();
});

afterEach(() => {
  annotator?.destroy();
  annotator = undefined;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('a box scrolling in an open shadow root', () => {
  it('places the marker of a block far down the box once the box scrolls to it', async () => {
    const host = document.createElement('log-view');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    box = document.createElement('div');
    let scrollTop = 0;
    Object.defineProperty(box, 'scrollTop', { get: () => scrollTop, set: (v: number) => (scrollTop = v) });
    Object.defineProperty(box, 'scrollLeft', { get: () => 0 });
    root.append(box);
    line('top', 100, `My bot logs ${ERROR}`);
    line('far', 6000, `Later again: ${ERROR}`);

    annotator = createAnnotator({ doc: document, matcher, schedule: (work) => void setTimeout(() => work({ timeRemaining: () => 50 }), 0) });
    annotator.start();
    const marker = (id: string) => root.querySelector(`#${id} [${MARKER_ATTR}]`)!;
    await vi.waitFor(() => expect(annotator!.settled).toBe(true));
    // Near the viewport: placed at its mention (the marker's own box is at 0, 0 here).
    expect(marker('top').getAttribute('style')).toContain('--ibkr-translate:10px 100px');
    // Pages down the box: waiting, unplaced.
    expect(marker('far').getAttribute(MARKER_ATTR)).toBe('ibkr-326');
    expect(marker('far').getAttribute('style') ?? '').not.toContain('--ibkr-translate');

    // Only the box inside the shadow root scrolls: its scroll event never leaves the shadow root.
    box.scrollTop = 5800;
    box.dispatchEvent(new Event('scroll'));
    await vi.waitFor(() => expect(marker('far').getAttribute('style') ?? '').toContain('--ibkr-translate:10px 200px'));
    await vi.waitFor(() => expect(annotator!.settled).toBe(true));
  });
});
