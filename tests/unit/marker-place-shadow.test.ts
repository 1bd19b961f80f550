// @vitest-environment happy-dom
/**
 * Where a marker goes in reach of a shadow boundary (lib/annotate/marker-elements.ts,
 * docs/page-integrity.md "Where the marker goes", step 4), with the displays given: a shadow
 * root's end is a safe point, a host's child never takes the marker, and points across trees
 * compare in the text's order. (happy-dom slots nothing: `assignedSlot` is not there, so slotted
 * mentions of open roots are tested in the browsers, tests/e2e/shadow-edits.spec.ts; a closed
 * root's slot is found by its name, which is tested here.)
 */
import { describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator } from '../../lib/annotate';
import { markerPlace, safePointAfter, spotBefore, type MarkerSpot } from '../../lib/annotate/marker-elements';
import { createMatcher } from '../../lib/matcher';

const BLOCKS = new Set(['div', 'p', 'body', 'html', 'footer']);
const TABLE: Record<string, string> = { table: 'table', tbody: 'table-row-group', tr: 'table-row', td: 'table-cell' };
const displayOf = (el: Element) => TABLE[el.localName] ?? (BLOCKS.has(el.localName) ? 'block' : el.localName === 'slot' ? 'contents' : 'inline');

function host(light: string, shadow: string, tag = 'x-log', mode: ShadowRootMode = 'open'): { box: HTMLElement; host: HTMLElement; root: ShadowRoot } {
  const box = document.createElement('div');
  box.innerHTML = light;
  document.body.replaceChildren(box);
  const h = box.querySelector(tag) as HTMLElement;
  const root = h.attachShadow({ mode });
  root.innerHTML = shadow;
  return { box, host: h, root };
}

describe('safePointAfter in reach of a shadow boundary', () => {
  it('text right under a shadow root with only inline elements up to it: the root\'s end, or the innermost element ending it', () => {
    const { root } = host('<p>Said <x-msg></x-msg> and more</p>', '<span>Error 326<b>.</b> tail</span>', 'x-msg');
    const span = root.querySelector('span')!;
    expect(safePointAfter(span.firstChild!, displayOf)).toEqual({ parent: root, before: null, safe: true });
    const ending = host('<p>Said <x-msg></x-msg> and more</p>', '<span>tail <i>Error 326</i></span>', 'x-msg').root;
    const i = ending.querySelector('i')!;
    expect(safePointAfter(i.firstChild!, displayOf)).toEqual({ parent: i, before: null, safe: true });
  });

  it('a table right under a shadow root, the mention in a cell: right after the table, in the root', () => {
    const { root } = host('<x-grid></x-grid>', '<table><tr><td>Error 326<b>.</b> tail</td><td>x</td></tr></table><span>after</span>', 'x-grid');
    const td = root.querySelector('td')!;
    expect(safePointAfter(td.firstChild!, displayOf)).toEqual({ parent: root, before: root.querySelector('span'), safe: true });
  });

  it('a host\'s child that no slot takes is not rendered: no safe point', () => {
    const { host: h } = host('<x-log>Error 326</x-log>', '<slot name="line"></slot>');
    expect(safePointAfter(h.firstChild!, displayOf)).toBeNull();
  });
});

describe('spotBefore across shadow trees', () => {
  it('a point in a shadow tree counts as inside its host', () => {
    const { box, host: h, root } = host('<p>First <x-log>quoted</x-log> then</p>', '<q><slot></slot></q>');
    const p = box.querySelector('p')!;
    const q = root.querySelector('q')!;
    const pEnd: MarkerSpot = { parent: p, before: null };
    const qEnd: MarkerSpot = { parent: q, before: null };
    const beforeHost: MarkerSpot = { parent: p, before: h };
    expect(spotBefore(qEnd, pEnd)).toBe(true);
    expect(spotBefore(pEnd, qEnd)).toBe(false);
    expect(spotBefore(beforeHost, qEnd)).toBe(true);
    expect(spotBefore(qEnd, beforeHost)).toBe(false);
    expect(spotBefore({ parent: root, before: null }, pEnd)).toBe(true);
  });
});

describe('closed shadow roots, reached by the reader the annotator is given', () => {
  /** A host with a closed root, and the reader a content script has (the page's `shadowRoot` is null). */
  function closedHost(light: string, shadow: string, tag = 'x-log') {
    const made = host(light, shadow, tag, 'closed');
    const shadowRootOf = (el: Element) => (el === made.host ? made.root : el.shadowRoot);
    return { ...made, shadowRootOf };
  }

  it('a slotted mention climbs on from its slot in the closed root, found by its name; never among the host\'s children', () => {
    const { box, host: h, root, shadowRootOf } = closedHost('<x-log>Error 326<b>.</b> tail</x-log>', '<p class="frame">Log: <slot></slot> (x-log)</p><footer>end</footer>');
    expect(h.shadowRoot).toBeNull();
    expect(safePointAfter(h.firstChild!, displayOf, shadowRootOf)).toEqual({ parent: root.querySelector('p'), before: null, safe: true });
    // Without the reader the host looks plain: the end of the light block, among the host's tree.
    expect(safePointAfter(h.firstChild!, displayOf)).toEqual({ parent: box, before: null, safe: true });
    const named = closedHost('<x-log><span slot="line">Error 326</span> tail</x-log>', '<div><slot></slot></div><p><slot name="line"></slot></p>');
    const span = named.host.querySelector('span')!;
    expect(safePointAfter(span.firstChild!, displayOf, named.shadowRootOf)).toEqual({ parent: named.root.querySelector('p'), before: null, safe: true });
    // Not slotted (no slot of its name): not rendered, no safe point; with no layout, the end of the closed root.
    const unslotted = closedHost('<x-log>Error 326</x-log>', '<slot name="line"></slot>');
    expect(safePointAfter(unslotted.host.firstChild!, displayOf, unslotted.shadowRootOf)).toBeNull();
    expect(markerPlace(unslotted.host.firstChild as Text, null, unslotted.shadowRootOf)).toEqual({ parent: unslotted.root, before: null });
  });

  it('the walk reads a custom element\'s closed root through the reader, and marks its text there', () => {
    const { root, shadowRootOf } = closedHost('<p>Said: <x-msg></x-msg></p>', '<span>ERROR -1 504 Not connected</span>', 'x-msg');
    const matcher = createMatcher(knowledge.entries);
    const marked = (reader?: (el: Element) => ShadowRoot | null) => {
      const annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined, shadowRootOf: reader });
      annotator.start();
      annotator.flush();
      const found = [...root.querySelectorAll('[data-ibkr-error]')].map((m) => m.getAttribute('data-ibkr-error'));
      annotator.destroy();
      return found;
    };
    expect(marked()).toEqual([]);
    expect(marked(shadowRootOf)).toEqual(['ibkr-504']);
    expect(root.textContent).toBe('ERROR -1 504 Not connected');
  });
});
