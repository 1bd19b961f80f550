// @vitest-environment happy-dom
/**
 * elementInfo tells the skip, post and notebook selectors' tag names by tag name and matches only
 * their classes, ids and attributes (lib/annotate/dom-info.ts): its answers must be those of the
 * three selector lists themselves, for an element of each selector and for look-alikes.
 */
import { describe, expect, it } from 'vitest';
import { elementInfo, NOTEBOOK_SELECTOR, POST_SELECTOR, SKIP_SELECTOR, TOP_INFO } from '../../lib/annotate/dom-info';

/** Elements that each selector of a list matches, and near misses. */
function elementsFor(selector: string): Element[] {
  const els: Element[] = [];
  const tag = /^[a-z][a-z0-9-]*$/.exec(selector)?.[0];
  const cls = /^\.([\w-]+)$/.exec(selector)?.[1];
  const id = /^#([\w-]+)$/.exec(selector)?.[1];
  const attr = /^\[([\w-]+)(?:="([^"]*)")?\]$/.exec(selector);
  if (tag) {
    els.push(document.createElement(tag), document.createElement(tag.toUpperCase()), document.createElementNS('http://www.w3.org/1999/xhtml', tag));
    const withClass = document.createElement(tag);
    withClass.className = 'unrelated';
    els.push(withClass, document.createElementNS('http://example.com/ns', `x:${tag}`), document.createElementNS('http://example.com/ns', tag));
    const holder = document.createElement('div');
    holder.innerHTML = `<${tag}></${tag}>`;
    if (holder.firstElementChild) els.push(holder.firstElementChild);
  }
  for (const name of ['div', 'span', 'p', 'pre', 'article', 'td']) {
    const el = document.createElement(name);
    if (cls) el.className = `before ${cls} after`;
    if (id) el.id = id;
    if (attr) el.setAttribute(attr[1], attr[2] ?? '');
    els.push(el);
    const near = document.createElement(name);
    if (cls) near.className = `${cls}-not`;
    if (id) near.id = `${id}-not`;
    if (attr) near.setAttribute(attr[1], `${attr[2] ?? ''}-not`);
    els.push(near, document.createElement(name));
  }
  return els;
}

describe('elementInfo', () => {
  const selectors = [SKIP_SELECTOR, POST_SELECTOR, NOTEBOOK_SELECTOR].flatMap((list) => list.split(','));

  it('covers every kind of selector the lists hold', () => {
    expect(selectors.filter((s) => /^[a-z]/.test(s)).length).toBeGreaterThan(10);
    expect(selectors.filter((s) => s.startsWith('.')).length).toBeGreaterThan(5);
    expect(selectors.filter((s) => s.startsWith('[')).length).toBeGreaterThan(2);
    expect(selectors.some((s) => s.startsWith('#'))).toBe(true);
  });

  for (const selector of selectors) {
    it(`answers as the selector lists do for elements of ${selector}`, () => {
      const els = elementsFor(selector);
      expect(els.length).toBeGreaterThan(0);
      for (const el of els) {
        const info = elementInfo(el, TOP_INFO);
        const expected = { skipped: el.matches(SKIP_SELECTOR), post: el.matches(POST_SELECTOR) ? el : null, notebook: el.matches(NOTEBOOK_SELECTOR) ? el : null };
        expect({ skipped: info.skipped, post: info.post, notebook: info.notebook }, `${el.tagName} ${el.getAttributeNames().join(' ')}`).toEqual(expected);
      }
      expect(els.some((el) => el.matches(`${SKIP_SELECTOR},${POST_SELECTOR},${NOTEBOOK_SELECTOR}`))).toBe(true);
    });
  }
});
