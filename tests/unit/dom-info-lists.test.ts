// @vitest-environment happy-dom
/**
 * elementInfo tells the lists' tag names by tag name, matches elements with attributes against the
 * rest and elements without against the selectors whose subject is a tag after a combinator
 * (lib/annotate/dom-info.ts): every element's facts must be those the three selector lists give
 * by `matches`, on the saved pages and on random markup full of the selectors' classes, ids and
 * attributes, their near misses and their sibling patterns. The container an element is read
 * with (`unit`: the outermost site unit or post around it) too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DomInfo,
  isBlockElement,
  isContextBlockElement,
  NOTEBOOK_SELECTOR,
  POST_SELECTOR,
  SKIP_SELECTOR,
  type ElementInfo,
} from '../../lib/annotate/dom-info';
import { NOTEBOOK_SELECTORS, POST_SELECTORS, SKIP_SELECTORS, UNIT_SELECTORS } from '../../lib/sites';
import { threadPage } from '../../scripts/perf/pages';

type Facts = Pick<ElementInfo, 'skipped' | 'block' | 'contextBlock' | 'post' | 'notebook' | 'unit'>;

/** A container read when it comes near: a site's unit, or a post. */
const UNIT_OR_POST = [...UNIT_SELECTORS, POST_SELECTOR].join(',');

/** An element's facts from the full lists' `matches` and its ancestors' tags, nothing cached. */
function expectedFacts(el: Element): Facts {
  let block: Element | null = null;
  let contextBlock: Element | null = null;
  // The outermost one.
  let unit: Element | null = null;
  for (let cur: Element | null = el; cur; cur = cur.parentElement) {
    block ??= isBlockElement(cur) ? cur : null;
    contextBlock ??= isContextBlockElement(cur) ? cur : null;
    if (cur.matches(UNIT_OR_POST)) unit = cur;
  }
  return { skipped: el.closest(SKIP_SELECTOR) !== null, block, contextBlock, post: el.closest(POST_SELECTOR), notebook: el.closest(NOTEBOOK_SELECTOR), unit };
}

/** Every element of `doc` whose facts differ from the lists' (an empty list when all agree). */
function disagreements(doc: Document): string[] {
  const dom = new DomInfo();
  const out: string[] = [];
  for (const el of doc.querySelectorAll('*')) {
    const { skipped, block, contextBlock, post, notebook, unit } = dom.info(el);
    const expected = expectedFacts(el);
    const got: Facts = { skipped, block, contextBlock, post, notebook, unit };
    for (const key of Object.keys(expected) as (keyof Facts)[]) {
      if (got[key] !== expected[key]) out.push(`${key} of <${el.tagName.toLowerCase()} ${el.getAttributeNames().map((a) => `${a}="${el.getAttribute(a)}"`).join(' ')}>`);
    }
  }
  return out;
}

function parse(html: string): Document {
  // Frames become plain elements: happy-dom would load them, and the test reads the page, not what it embeds.
  return new DOMParser().parseFromString(html.replace(/<(\/?)iframe\b/g, '<$1x-frame'), 'text/html');
}

/** A small seeded generator, so a failure is found again. */
function random(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * n); // the high bits: an LCG's low bits repeat in short cycles
  };
}

const pick = <T>(rnd: (n: number) => number, list: readonly T[]): T => list[rnd(list.length)];

const TAGS = ['div', 'span', 'p', 'pre', 'code', 'h1', 'h2', 'bdi', 'article', 'li', 'ul', 'td', 'a', 'em', 'section', 'svg', 'textarea', 'button', 'x-widget'];
/** The lists' class names, ids and attributes with case, spacing and prefix variants and near misses. */
const CLASSES = [
  ...[...SKIP_SELECTORS, ...POST_SELECTORS, ...NOTEBOOK_SELECTORS, ...UNIT_SELECTORS].flatMap((s) => [...s.matchAll(/\.([\w-]+)/g)].map((m) => m[1])),
  'codemirror', 'MD', 'md-x', 'xmd', 'comment', 'body', 'markdown', 'js-issue', 'jp-cell', 'js-issue-title-x', 'f1-light', 'pl-k',
];
const ATTRIBUTES: [string, string][] = [
  ['contenteditable', ''], ['contenteditable', 'true'], ['contenteditable', 'false'], ['contenteditable', 'plaintext-only'], ['contenteditable', 'TRUE'],
  ['data-testid', 'comment-header'], ['data-testid', 'comment-header-x'], ['data-wrapper-timeline-id', 'IC_1'], ['data-wrapper-timeline-id', ''], ['data-testid', 'other'], ['itemprop', 'text'], ['itemprop', 'name'],
  ['data-ibkr-error-lookup-ui', ''], ['id', 'notebook-container'], ['id', 'Notebook-container'], ['id', 'other'], ['dir', 'auto'], ['title', 'md'],
];
const SPACES = [' ', '  ', '\t', '\n', ' \u00a0'];

function randomElement(doc: Document, rnd: (n: number) => number): Element {
  const el = doc.createElement(pick(rnd, TAGS));
  const classes = Array.from({ length: rnd(4) }, () => pick(rnd, CLASSES));
  if (classes.length || rnd(6) === 0) el.setAttribute('class', classes.join(pick(rnd, SPACES)) + (rnd(4) === 0 ? pick(rnd, SPACES) : ''));
  for (let i = rnd(3); i > 0; i--) {
    const [name, value] = pick(rnd, ATTRIBUTES);
    el.setAttribute(name, value);
  }
  return el;
}

/** Random nesting with the sibling patterns of the lists (`h1 > bdi + span`, `.js-issue-title + span`) in it, with and without attributes. */
function randomDocument(seed: number, count: number): Document {
  const rnd = random(seed);
  const doc = parse('<!doctype html><html><body></body></html>');
  const parents: Element[] = [doc.body];
  for (let i = 0; i < count; i++) {
    const parent = pick(rnd, parents);
    if (rnd(8) === 0) {
      const h1 = doc.createElement(pick(rnd, ['h1', 'h2', 'div']));
      const first = doc.createElement(pick(rnd, ['bdi', 'span', 'div']));
      if (rnd(2)) first.className = pick(rnd, ['js-issue-title markdown-title', 'markdown-title', 'JS-ISSUE-TITLE']);
      const span = doc.createElement(pick(rnd, ['span', 'em']));
      if (rnd(2)) span.className = 'f1-light';
      h1.append(first, doc.createTextNode(pick(rnd, [' ', '', 'text'])), ...(rnd(4) === 0 ? [doc.createElement('i')] : []), span, 'Error 326');
      parent.append(h1);
      parents.push(h1, first, span);
      continue;
    }
    const el = randomElement(doc, rnd);
    parent.append(el, rnd(2) ? 'Error 326' : '');
    parents.push(el);
  }
  return doc;
}

const FIXTURES = [join(__dirname, '../fixtures/threads'), join(__dirname, '../e2e/pages')];

describe('elementInfo and the sibling selectors', () => {
  it('skips the issue number after the title in any markup, with or without attributes (h1 > bdi + span, .js-issue-title + span)', () => {
    const doc = parse('<h1><bdi>Title</bdi> <span>#1</span></h1><h1><bdi>Title</bdi> <span class="n">#2</span></h1><div><b class="js-issue-title">T</b><span>#3</span></div><h1><span>#4</span></h1>');
    const dom = new DomInfo();
    expect([...doc.querySelectorAll('span')].map((s) => `${s.textContent} ${dom.info(s).skipped}`)).toEqual(['#1 true', '#2 true', '#3 true', '#4 false']);
  });
});

describe('elementInfo against the full lists', () => {
  for (const dir of FIXTURES) {
    it(`gives every element of the pages in ${dir.split('/').slice(-2).join('/')} the lists' facts`, () => {
      const files = readdirSync(dir).filter((f) => f.endsWith('.html'));
      expect(files.length).toBeGreaterThan(20);
      for (const file of files) expect(disagreements(parse(readFileSync(join(dir, file), 'utf8'))), file).toEqual([]);
    });
  }

  it("gives every element of the benches' GitHub-like thread the lists' facts", () => {
    const doc = parse(threadPage(300_000));
    expect(doc.querySelectorAll('*').length).toBeGreaterThan(2_000);
    expect(disagreements(doc)).toEqual([]);
  });

  it("gives every element of random markup with the selectors' features the lists' facts", () => {
    let matched = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const doc = randomDocument(seed, 150);
      matched += doc.querySelectorAll(`${SKIP_SELECTOR},${POST_SELECTOR},${NOTEBOOK_SELECTOR}`).length;
      expect(disagreements(doc), `seed ${seed}`).toEqual([]);
    }
    expect(matched).toBeGreaterThan(500);
  });
});
