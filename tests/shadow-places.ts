/**
 * For the end-to-end tests (Chromium and Firefox): where, in reach of a shadow boundary, an empty
 * block-level box (our marker's box: a float whose margin box is empty, assets/marker.css) can stand
 * without adding a line break to `innerText` or moving any box (docs/page-integrity.md, "Where the
 * marker goes"). Run on a plain page (no extension): each case is built, read, given the box at one
 * place, read again, and the box taken out.
 */

/** A light DOM case: `light` in a `<div>`; its `[data-host]` element gets an open shadow root holding `shadow`. */
export interface ShadowPlaceCase {
  id: string;
  light: string;
  shadow: string;
  /**
   * Where the box goes: in the shadow tree or the light DOM (`tree`), into `parent` (a selector in
   * that tree, `:root` for the shadow root itself) at its end, or right after the element `after`,
   * or right before the element `before`.
   */
  at: { tree: 'shadow' | 'light'; parent?: string; after?: string; before?: string };
}

const E326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use';
const BLOCK = ':host { display: block }';
const INLINE = ':host { display: inline }';
const SLOTTED = `<x-log data-host>${E326}<b>.</b> tail</x-log>`;
const UNDER = `<style>${INLINE}</style><span>${E326}<b>.</b> tail</span>`;

export const SHADOW_PLACE_CASES: ShadowPlaceCase[] = [
  // Slotted text (a web component's children), the host a block: after the last slot.
  { id: 'slot-end', light: SLOTTED, shadow: `<style>${BLOCK}</style><slot></slot>`, at: { tree: 'shadow', parent: ':root' } },
  { id: 'slot-in-div', light: `<p>Log: ${SLOTTED}</p>`, shadow: `<style>${INLINE}</style><div><slot></slot></div>`, at: { tree: 'shadow', parent: 'div' } },
  { id: 'slot-then-text:after-slot', light: SLOTTED, shadow: `<style>${BLOCK}</style><p><slot></slot> (x-log)</p>`, at: { tree: 'shadow', after: 'slot' } },
  { id: 'slot-then-text:p-end', light: SLOTTED, shadow: `<style>${BLOCK}</style><p><slot></slot> (x-log)</p>`, at: { tree: 'shadow', parent: 'p' } },
  // The place before this rule: among the host's children, right after the mention's text (it is slotted).
  { id: 'slot-end:light-after-run', light: SLOTTED, shadow: `<style>${BLOCK}</style><slot></slot>`, at: { tree: 'light', after: 'x-log > b' } },
  // No default slot: a light child of the host is not rendered.
  { id: 'named-slot:light-host-end', light: `<x-log data-host><span slot="line">${E326}.</span></x-log>`, shadow: `<style>${BLOCK}</style><slot name="line"></slot>`, at: { tree: 'light', parent: 'x-log' } },
  // Text right under a shadow root, inline elements only up to it.
  { id: 'under-root-block', light: '<x-msg data-host></x-msg>', shadow: `<style>${BLOCK}</style>${E326}<b>.</b> tail`, at: { tree: 'shadow', parent: ':root' } },
  { id: 'under-root-ends-p:root-end', light: '<p>Said: <x-msg data-host></x-msg></p>', shadow: UNDER, at: { tree: 'shadow', parent: ':root' } },
  { id: 'under-root-ends-p:p-end', light: '<p>Said: <x-msg data-host></x-msg></p>', shadow: UNDER, at: { tree: 'light', parent: 'p' } },
  { id: 'under-root-mid-p:root-end', light: '<p>Said: <x-msg data-host></x-msg> and more</p>', shadow: UNDER, at: { tree: 'shadow', parent: ':root' } },
  { id: 'under-root-mid-p:p-end', light: '<p>Said: <x-msg data-host></x-msg> and more</p>', shadow: UNDER, at: { tree: 'light', parent: 'p' } },
  { id: 'under-root-mid-p:after-host', light: '<p>Said: <x-msg data-host></x-msg> and more</p><p>next</p>', shadow: UNDER, at: { tree: 'light', after: 'p' } },
  // The place before this rule: right after the mention's text, in the shadow tree's inline element.
  { id: 'under-root-block:after-run', light: '<x-msg data-host></x-msg>', shadow: `<style>${BLOCK}</style><span>${E326}<b>.</b> tail</span>`, at: { tree: 'shadow', before: 'span > b' } },
];

/**
 * Each case's reading, the same in Chromium and Firefox ESR: [id, same innerText, same boxes,
 * rendered, slotchange events]. `innerText` reads each node tree alone (a host's not its shadow
 * tree, a shadow element's not what is slotted into it): a box in a shadow tree is never in the
 * light tree's innerText, and a shadow root's end is in no element's. The box among a host's
 * children is slotted (a slotchange), and where it is not slotted it is not rendered.
 */
export const SHADOW_PLACES_PROVEN: [string, boolean, boolean, boolean, number][] = [
  ['slot-end', true, true, true, 0],
  ['slot-in-div', true, true, true, 0],
  ['slot-then-text:after-slot', true, true, true, 0],
  ['slot-then-text:p-end', true, true, true, 0],
  ['slot-end:light-after-run', false, true, true, 1],
  ['named-slot:light-host-end', true, true, false, 0],
  ['under-root-block', true, true, true, 0],
  ['under-root-ends-p:root-end', true, true, true, 0],
  ['under-root-ends-p:p-end', true, true, true, 0],
  ['under-root-mid-p:root-end', true, true, true, 0],
  ['under-root-mid-p:p-end', true, true, true, 0],
  ['under-root-mid-p:after-host', true, true, true, 0],
  ['under-root-block:after-run', false, true, true, 0],
];

/** What one case reads with the box in, against without it. */
export interface ShadowPlaceReading {
  id: string;
  /** innerText of the body, the case's block and every element in it (light and shadow) is the same with the box in. */
  sameText: boolean;
  /** Every element box and text line box of the case (light and shadow) is where it was. */
  sameBoxes: boolean;
  /** The box itself has a box (a marker must be rendered to be hovered and focused). */
  rendered: boolean;
  /** slotchange events on the case's slots while the box went in. */
  slotchanges: number;
  /** innerText of the case's block with the box in (to see the extra line break). */
  innerText: string;
  /** innerText of the shadow tree's elements with the box in. */
  shadowTexts: string[];
}

/** Runs in the page (passed to evaluate): builds every case, puts the box at its place, reads. */
export async function probeShadowPlaces(cases: ShadowPlaceCase[]): Promise<ShadowPlaceReading[]> {
  const out: ShadowPlaceReading[] = [];
  const fmt = (r: DOMRect) => `${r.x.toFixed(2)},${r.y.toFixed(2)},${r.width.toFixed(2)},${r.height.toFixed(2)}`;
  const boxes = (root: Element, box: Element | null): string[] => {
    const lines: string[] = [];
    const range = document.createRange();
    const walk = (tree: Node) => {
      const walker = document.createTreeWalker(tree, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n === box) continue;
        if (n.nodeType === 3) {
          range.selectNodeContents(n);
          lines.push(`text ${[...range.getClientRects()].map(fmt).join(' ')}`);
          continue;
        }
        lines.push(`${(n as Element).localName} ${fmt((n as Element).getBoundingClientRect())}`);
        if ((n as Element).shadowRoot) walk((n as Element).shadowRoot!);
      }
    };
    walk(root);
    return lines;
  };
  for (const c of cases) {
    const block = document.createElement('div');
    block.id = c.id;
    block.innerHTML = c.light;
    document.body.appendChild(block);
    const host = block.querySelector('[data-host]')!;
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = c.shadow;
    let slotchanges = 0;
    root.addEventListener('slotchange', () => slotchanges++);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    slotchanges = 0;
    const texts = (box: Element | null) => {
      const all = [document.body.innerText, block.innerText];
      for (const tree of [block, root]) for (const el of tree.querySelectorAll('*')) if (el !== box && el instanceof HTMLElement) all.push(el.innerText);
      return JSON.stringify(all);
    };
    const before = { texts: texts(null), boxes: boxes(block, null) };
    const box = document.createElement('i');
    box.setAttribute('style', 'display:block;float:left;width:2px;height:1px;margin:0 -2px -1px 0;padding:0;border:0');
    const tree: ParentNode = c.at.tree === 'shadow' ? root : block;
    if (c.at.after || c.at.before) {
      const el = tree.querySelector((c.at.after ?? c.at.before)!)!;
      el.parentNode!.insertBefore(box, c.at.after ? el.nextSibling : el);
    } else (c.at.parent === ':root' ? root : tree.querySelector(c.at.parent!)!).appendChild(box);
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const innerText = block.innerText;
    out.push({
      id: c.id,
      sameText: texts(box) === before.texts,
      sameBoxes: JSON.stringify(boxes(block, box)) === JSON.stringify(before.boxes),
      rendered: box.getClientRects().length > 0,
      slotchanges,
      innerText,
      shadowTexts: [...root.querySelectorAll('*')].filter((el) => el !== box && el instanceof HTMLElement).map((el) => (el as HTMLElement).innerText),
    });
    block.remove();
  }
  return out;
}
