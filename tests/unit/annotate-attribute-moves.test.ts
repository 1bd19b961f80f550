// @vitest-environment happy-dom
/**
 * A far block that an attribute change alone brings near gets its marker placed
 * (lib/annotate/attribute-moves.ts, lib/annotate/marker-geometry.ts), the places we write ourselves
 * ask for no look, and a page that keeps changing to no effect has its looks spaced out. Layout is
 * faked (tests/unit/helpers/fake-layout.ts): in an app shell the size of the viewport, each block
 * has a top; the class `moved` on the shell hides the 3,000 px section above the far blocks, which
 * moves them up by as much.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { fakeLayout, rect } from './helpers/fake-layout';

const matcher = createMatcher(knowledge.entries);
const ERROR = 'Error 326, reqId -1: Unable to connect as the client id is already in use';
const ABOVE = 3000;

let shell: HTMLElement;
/** Each block's top in the shell with the section above shown, and whether it is below that section. */
const tops = new Map<Element, { top: number; below: boolean }>();
/** How many times each block's rectangle was read. */
const reads = new Map<string, number>();

const screenTop = (block: Element) => {
  const { top, below } = tops.get(block)!;
  return below && shell.classList.contains('moved') ? top - ABOVE : top;
};

function block(id: string, top: number, text: string, below: boolean): HTMLElement {
  const p = document.createElement('p');
  p.id = id;
  p.textContent = text;
  p.getBoundingClientRect = () => {
    reads.set(id, (reads.get(id) ?? 0) + 1);
    return rect(screenTop(p), 20);
  };
  tops.set(p, { top, below });
  shell.append(p);
  return p;
}

let annotator: Annotator | undefined;
const marker = (id: string) => document.querySelector(`#${id} [${MARKER_ATTR}]`)!;
const placedAt = (id: string) => marker(id).getAttribute('style') ?? '';

beforeEach(() => {
  fakeLayout(screenTop);
  document.body.replaceChildren();
  tops.clear();
  reads.clear();
  shell = document.body.appendChild(document.createElement('div'));
});

/**
 * Starts the annotator on blocks `far` and `farther` (which no class but `moved` brings near), with
 * the test's clock: a look put off is a timer of the page's window, run at once with the clock
 * moved on by its delay (kept in `delays`). `change` toggles a class on the shell 10 ms on, at
 * 10 s and after, and waits for the look it asks for.
 */
async function startWithTestClock() {
  block('far', ABOVE + 100, `Later: ${ERROR}`, true);
  block('farther', ABOVE + 6000, `Later again: ${ERROR}`, true);
  const clock = { now: 0 };
  const realSetTimeout = setTimeout;
  const delays: number[] = [];
  vi.spyOn(window, 'setTimeout').mockImplementation(((run: () => void, delay = 0) => {
    if (delay > 0) delays.push(delay);
    clock.now += delay;
    return realSetTimeout(run, 0);
  }) as typeof setTimeout);
  annotator = createAnnotator({ doc: document, matcher, now: () => clock.now, schedule: (work) => void realSetTimeout(() => work({ timeRemaining: () => 50 }), 0) });
  annotator.start();
  await vi.waitFor(() => expect(annotator!.settled).toBe(true));
  clock.now = 10_000;
  const looks = () => reads.get('farther')!;
  const change = async (name: string) => {
    const before = looks();
    clock.now += 10;
    shell.classList.toggle(name);
    await vi.waitFor(() => expect(looks()).toBe(before + 1));
    await vi.waitFor(() => expect(annotator!.settled).toBe(true));
  };
  return { delays, change };
}

afterEach(() => {
  annotator?.destroy();
  annotator = undefined;
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('a far block an attribute change alone brings near', () => {
  it('gets its marker at its mention; the places written ask for no look of their own', async () => {
    block('top', 100, `My bot logs ${ERROR}`, false);
    block('far', ABOVE + 100, `Later: ${ERROR}`, true);
    block('farther', ABOVE + 6000, `Later again: ${ERROR}`, true);
    annotator = createAnnotator({ doc: document, matcher, schedule: (work) => void setTimeout(() => work({ timeRemaining: () => 50 }), 0) });
    annotator.start();
    await vi.waitFor(() => expect(annotator!.settled).toBe(true));
    expect(placedAt('top')).toContain('--ibkr-translate:10px 100px');
    expect(placedAt('far')).not.toContain('--ibkr-translate');
    const farther = reads.get('farther');

    // No node change, no scroll, no resize: only the shell's class.
    shell.classList.add('moved');
    await vi.waitFor(() => expect(placedAt('far')).toContain('--ibkr-translate:10px 100px'));
    // Settled once the place is written: our own style write made no record that asks for a look.
    expect(annotator.settled).toBe(true);
    // One look read the block still far once more.
    expect(reads.get('farther')).toBe(farther! + 1);
    expect(placedAt('farther')).not.toContain('--ibkr-translate');
  });


  it('a page that keeps changing to no effect on the far blocks has its looks spaced out, up to 1 s; one that finds a block near brings the wait back to 250 ms', async () => {
    const { delays, change } = await startWithTestClock();
    // A quiet page: the first change is looked at at once.
    await change('spinning');
    expect(delays).toEqual([]);
    // Each look found nothing near: the next waits twice as long, up to 1 s.
    for (let i = 0; i < 3; i++) await change('spinning');
    expect(delays).toEqual([490, 990, 990]);
    // This one brings `far` near: the next waits 250 ms again.
    await change('moved');
    expect(placedAt('far')).toContain('--ibkr-translate:10px 100px');
    await change('spinning');
    expect(delays).toEqual([490, 990, 990, 990, 240]);
  });

  it('a change made while the look a change asked for is put off is seen at that look', async () => {
    const { delays, change } = await startWithTestClock();
    await change('spinning');
    // The next change's look waits 500 ms (its timer is set once the record is delivered, a
    // microtask on); meanwhile the page brings `far` near. That look finds it: no other is asked for.
    shell.classList.toggle('spinning');
    await Promise.resolve();
    expect(delays).toEqual([500]);
    shell.classList.add('moved');
    await vi.waitFor(() => expect(placedAt('far')).toContain('--ibkr-translate:10px 100px'));
    expect(delays).toEqual([500]);
  });
});
