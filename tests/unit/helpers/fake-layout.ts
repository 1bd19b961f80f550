/**
 * Layout for the tests of marker placement in happy-dom, which lays nothing out: blocks are given
 * tops by the test, the mention's first line is its block's line, and a ResizeObserver reports a
 * new target after a "frame" (a task later), as a browser does.
 */
import { vi } from 'vitest';

/** Reports each target it is asked to observe once, a task later (after the "frame"). */
class FrameResizeObserver {
  constructor(private readonly callback: ResizeObserverCallback) {}
  observe(): void {
    setTimeout(() => this.callback([], this as unknown as ResizeObserver), 0);
  }
  unobserve(): void {}
  disconnect(): void {}
}

/** A rectangle on screen at `top`, 500 px wide from x 10. */
export function rect(top: number, height: number): DOMRect {
  return { top, bottom: top + height, left: 10, right: 510, width: 500, height, x: 10, y: top } as DOMRect;
}

/**
 * Fakes layout until `vi.restoreAllMocks()` and `vi.unstubAllGlobals()`: the ResizeObserver, and
 * each mention's first line box, 20 px high at its block's `screenTop`.
 */
export function fakeLayout(screenTop: (block: Element) => number): void {
  vi.stubGlobal('ResizeObserver', FrameResizeObserver);
  vi.spyOn(Range.prototype, 'getClientRects').mockImplementation(function (this: Range) {
    const block = this.startContainer.parentElement!;
    return Object.assign([rect(screenTop(block), 20)], { item: () => null }) as unknown as DOMRectList;
  });
}
