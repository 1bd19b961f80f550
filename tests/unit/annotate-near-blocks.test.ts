// @vitest-environment happy-dom
/**
 * Which blocks with marks waiting are near the viewport (lib/annotate/near-blocks.ts): only those
 * give up their marks; a far block is read once, and while only scrolling happens it is found
 * again from the scroll offsets, by the window's own scroll or a scrolling box's, and read again
 * only once it is near. Layout is faked: each block has a place on the page, inside a box or not.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { mayMoveBoxes, NearBlocks } from '../../lib/annotate/near-blocks';

/** The viewport is 1000 x 800: near means within 800 px above or below it (and 1000 px aside). */
const win = { innerWidth: 1000, innerHeight: 800, scrollX: 0, scrollY: 0 };
let reads: Element[] = [];

/**
 * A block whose page top is `top` (inside `box`, moved up by its scrollTop), 40 px high; put in
 * `parent` (a shadow root inside the box, a host whose children the box's shadow tree slots in).
 */
function block(top: number, box?: HTMLElement, parent: Node = box ?? document.body): HTMLElement {
  const el = document.createElement('p');
  parent.appendChild(el);
  el.getBoundingClientRect = () => {
    reads.push(el);
    const y = top - win.scrollY - (box?.scrollTop ?? 0);
    return { top: y, bottom: y + 40, left: 10, right: 500, width: 490, height: 40, x: 10, y } as DOMRect;
  };
  return el;
}

/** A scrolling box (in `parent`): its scrollTop is the test's to set. */
function scrollingBox(parent: Node = document.body): HTMLElement {
  const box = document.createElement('div');
  parent.appendChild(box);
  let top = 0;
  Object.defineProperty(box, 'scrollTop', { get: () => top, set: (v: number) => (top = v) });
  Object.defineProperty(box, 'scrollLeft', { get: () => 0 });
  return box;
}

function take(near: NearBlocks<string>): string[] {
  reads = [];
  const into = new Set<string>();
  expect(near.take(into, () => false)).toBe(true);
  return [...into].sort();
}

beforeEach(() => {
  document.body.replaceChildren();
  win.scrollY = 0;
});

describe('NearBlocks', () => {
  it('gives up the marks of the blocks within a viewport of the viewport, and keeps the others waiting', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    const [top, below, far] = [block(100), block(1500), block(5000)];
    near.add(top, 'top');
    near.add(below, 'below');
    near.add(far, 'far-1');
    near.add(far, 'far-2');
    expect(near.settled).toBe(false);
    expect(take(near)).toEqual(['below', 'top']);
    expect(reads).toHaveLength(3);
    expect(near.settled).toBe(true);
    expect(near.size).toBe(1);
    // Nothing moved: nothing to read again.
    expect(take(near)).toEqual([]);
    expect(reads).toHaveLength(0);
  });

  it('the window scrolls: a far block is read again only once it is near', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    const blocks = [3000, 6000, 9000].map((top) => block(top));
    blocks.forEach((b, i) => near.add(b, `b${i}`));
    expect(take(near)).toEqual([]);
    win.scrollY = 1000;
    expect(near.scrolledAt(document)).toBe(true);
    expect(near.settled).toBe(false);
    // A second scroll event before the look asks for nothing more.
    expect(near.scrolledAt(document)).toBe(false);
    expect(take(near)).toEqual([]);
    expect(reads).toHaveLength(0);
    win.scrollY = 2500;
    near.scrolledAt(document);
    expect(take(near)).toEqual(['b0']);
    expect(reads).toEqual([blocks[0]]);
    expect(near.settled).toBe(true);
    win.scrollY = 5000;
    near.scrolledAt(document);
    expect(take(near)).toEqual(['b1']);
    expect(reads).toEqual([blocks[1]]);
    expect(near.size).toBe(1);
  });

  it('a box scrolls: the blocks in it are read again the first time, then followed by its scroll offset', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    const box = scrollingBox();
    const inBox = [4000, 8000].map((top) => block(top, box));
    const outside = block(20_000);
    inBox.forEach((b, i) => near.add(b, `in${i}`));
    near.add(outside, 'out');
    expect(take(near)).toEqual([]);
    box.scrollTop = 500;
    near.scrolledAt(box);
    expect(take(near)).toEqual([]);
    // Never seen to scroll before: its blocks are read again, the others not.
    expect(reads).toEqual(inBox);
    box.scrollTop = 3000;
    near.scrolledAt(box);
    expect(take(near)).toEqual(['in0']);
    expect(reads).toEqual([inBox[0]]);
    box.scrollTop = 6500;
    near.scrolledAt(box);
    expect(take(near)).toEqual(['in1']);
    expect(reads).toEqual([inBox[1]]);
    expect(near.size).toBe(1);
  });

  it('a box scrolls: the blocks in open shadow roots hosted in it, and those slotted into it, scroll with it', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    // A box of the page holding a web component whose shadow root holds a block.
    const box = scrollingBox();
    const inComponent = block(4000, box, box.appendChild(document.createElement('log-line')).attachShadow({ mode: 'open' }));
    // A web component whose shadow root scrolls the page's children it slots in.
    const pane = document.body.appendChild(document.createElement('scroll-pane'));
    const paneRoot = pane.attachShadow({ mode: 'open' });
    const scroller = scrollingBox(paneRoot);
    const slot = scroller.appendChild(document.createElement('slot'));
    const slotted = block(9000, scroller, pane);
    // (happy-dom assigns no slots: the browser's assignment, as layout is.)
    Object.defineProperty(slotted, 'assignedSlot', { get: () => slot });
    near.add(inComponent, 'in-component');
    near.add(slotted, 'slotted');
    expect(take(near)).toEqual([]);
    box.scrollTop = 10;
    scroller.scrollTop = 10;
    near.scrolledAt(box);
    near.scrolledAt(scroller);
    expect(take(near)).toEqual([]);
    expect(new Set(reads)).toEqual(new Set([inComponent, slotted]));
    box.scrollTop = 3500;
    near.scrolledAt(box);
    expect(take(near)).toEqual(['in-component']);
    scroller.scrollTop = 8500;
    near.scrolledAt(scroller);
    expect(take(near)).toEqual(['slotted']);
    expect(reads).toEqual([slotted]);
  });

  it('after a relayout every waiting block is read again; a block whose marks all went is forgotten', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    const [a, b] = [block(3000), block(4000)];
    near.add(a, 'a');
    near.add(b, 'b');
    take(near);
    near.relayout();
    expect(near.settled).toBe(false);
    expect(take(near)).toEqual([]);
    expect(reads).toEqual([a, b]);
    near.delete(a, 'a');
    expect(near.size).toBe(1);
    near.relayout();
    take(near);
    expect(reads).toEqual([b]);
  });

  it('a page change with far blocks waiting asks for a look once, and at it every waiting block is read again', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    const [a, b] = [block(3000), block(4000)];
    near.add(a, 'a');
    near.add(b, 'b');
    // Nothing far yet: the blocks are to be read anyway.
    expect(near.changed()).toBe(false);
    take(near);
    expect(near.settled).toBe(true);
    expect(near.changed()).toBe(true);
    expect(near.settled).toBe(false);
    // More changes before the look ask for nothing more.
    expect(near.changed()).toBe(false);
    // The page moved b near with no scroll (a section above removed, as much appended below).
    b.getBoundingClientRect = () => {
      reads.push(b);
      return { top: 300, bottom: 340, left: 10, right: 500, width: 490, height: 40, x: 10, y: 300 } as DOMRect;
    };
    expect(take(near)).toEqual(['b']);
    expect(reads).toEqual([a, b]);
    expect(near.settled).toBe(true);
    // A relayout covers a change made before it.
    expect(near.changed()).toBe(true);
    near.relayout();
    take(near);
    expect(reads).toEqual([a]);
    expect(near.settled).toBe(true);
  });

  it('tells whether the last complete look found a block near (a look sliced in two is one look)', () => {
    const near = new NearBlocks<string>(win as unknown as Window);
    const [a, b, c] = [block(3000), block(4000), block(6000)];
    near.add(a, 'a');
    near.add(b, 'b');
    near.add(c, 'c');
    expect(near.lastLookFoundNear).toBe(false);
    take(near);
    expect(near.lastLookFoundNear).toBe(false);
    win.scrollY = 2000;
    near.scrolledAt(document);
    expect(take(near)).toEqual(['a']);
    expect(near.lastLookFoundNear).toBe(true);
    // Time runs out after the first block read (b): the look is not over until c is read.
    near.changed();
    const into = new Set<string>();
    expect(near.take(into, () => true)).toBe(false);
    expect(near.lastLookFoundNear).toBe(true);
    expect(near.take(into, () => true)).toBe(true);
    expect(near.lastLookFoundNear).toBe(false);
    // Nothing to look at: no look.
    take(near);
    expect(near.lastLookFoundNear).toBe(false);
  });
});

describe('mayMoveBoxes', () => {
  // happy-dom has no TransitionEvent of its own: an event with the property a browser's has.
  const transition = (propertyName: string) => Object.assign(new Event('transitionend'), { propertyName });
  it('a transition of a property that only paints moves no box; one of a geometric property may', () => {
    for (const p of ['color', 'background-color', 'background-position', 'opacity', 'box-shadow', 'border-top-color', 'outline-offset', 'fill', 'filter', 'visibility'])
      expect(mayMoveBoxes(transition(p)), p).toBe(false);
    for (const p of ['transform', 'translate', 'top', 'inset-inline-start', 'margin-top', 'max-height', 'width', 'padding-left', 'border-top-width', 'font-size', 'grid-template-rows'])
      expect(mayMoveBoxes(transition(p)), p).toBe(true);
  });

  it('an animation may move boxes (its event does not tell its properties)', () => {
    expect(mayMoveBoxes(new AnimationEvent('animationend', { animationName: 'fade' }))).toBe(true);
  });
});
