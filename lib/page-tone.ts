/**
 * Whether a page shows light or dark, as the user sees it, for the highlights' tints and the card's
 * palette: the theme the site declares (lib/sites), else the background of <body> or <html>, else
 * the ground under our marks (a full-page wrapper's background), else the colour scheme of the
 * page's canvas. The OS setting counts only where the page follows it
 * (`color-scheme: light dark`, or CSS of its own that the computed background shows): a page with
 * no background of its own is white in a dark OS too.
 */
import { pageTheme } from './sites';

export type PageTone = 'light' | 'dark';

/** Relative luminance at which black and white text have the same contrast (WCAG). */
const EVEN_CONTRAST = 0.179;

/** `rgb(…)` / `rgba(…)`, as computed styles give colours; null for any other form. */
function parseRgb(color: string): { r: number; g: number; b: number; a: number } | null {
  const m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(color.trim());
  if (!m) return null;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  return { r: +m[1], g: +m[2], b: +m[3], a: alpha };
}

/** WCAG relative luminance of an sRGB colour (0-255 channels). */
export function luminance({ r, g, b }: { r: number; g: number; b: number }): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** The tone of an opaque enough computed background colour, or null (transparent, or a form not read). */
export function toneOfColor(color: string): PageTone | null {
  const rgb = parseRgb(color);
  if (!rgb || rgb.a < 0.5) return null;
  return luminance(rgb) < EVEN_CONTRAST ? 'dark' : 'light';
}

/** The page's canvas where neither <body> nor <html> paints a background: its colour scheme. */
function canvasTone(doc: Document, win: Window): PageTone {
  const meta = doc.querySelector('meta[name="color-scheme"]')?.getAttribute('content') ?? '';
  const scheme = `${win.getComputedStyle(doc.documentElement).colorScheme ?? ''} ${meta}`.toLowerCase();
  const dark = /\bdark\b/.test(scheme);
  if (!dark) return 'light';
  // `light dark`: the browser picks the OS's.
  return !/\blight\b/.test(scheme) || win.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/**
 * Elements whose background is their own box's, not the page's ground: a dark code block on a light
 * page says nothing of the page. The ground is not looked for at or under them.
 */
const LOCAL_BOXES = new Set(['pre', 'code', 'samp', 'kbd', 'blockquote', 'table', 'figure', 'aside', 'dialog', 'details', 'mark']);
/** How many levels under <body> a full-page wrapper may sit (an SPA's root, its app shell, its main). */
const GROUND_DEPTH = 8;

/** `node`'s ancestors under <body>, outermost first (through shadow roots to their hosts). */
function ancestorsUnderBody(node: Node, body: Element): Element[] {
  const chain: Element[] = [];
  let el: Element | null = node.nodeType === 1 ? (node as Element) : node.parentElement;
  while (el && el !== body) {
    chain.push(el);
    el = el.parentElement ?? ((el.parentNode as ShadowRoot | null)?.host ?? null);
  }
  return el === body ? chain.reverse() : [];
}

/**
 * The elements whose background may be the ground under `near`: its first GROUND_DEPTH ancestors
 * under <body>, outermost first, up to a box of its own (a code block, a table, a quote), which
 * ends the list. Empty where `near` is not under <body>.
 */
function groundElements(doc: Document, near: Node): Element[] {
  if (!doc.body) return [];
  const chain = ancestorsUnderBody(near, doc.body).slice(0, GROUND_DEPTH);
  const local = chain.findIndex((el) => LOCAL_BOXES.has(el.localName));
  return local === -1 ? chain : chain.slice(0, local);
}

/**
 * The ground under `near` where <body> and <html> paint nothing (a single-page app whose wrapper
 * `div` or `main` paints the page): the outermost opaque background among its ground elements. At
 * most GROUND_DEPTH computed-style reads.
 */
function groundTone(doc: Document, win: Window, near: Node): PageTone | null {
  for (const el of groundElements(doc, near)) {
    const tone = toneOfColor(win.getComputedStyle(el).backgroundColor);
    if (tone) return tone;
  }
  return null;
}

/** Told of each read of the tone: the test build counts them (lib/test-hooks.ts); null elsewhere. */
let onRead: (() => void) | null = null;

/** Sets what is told of each read of the tone (the test build's counter; null for none). */
export function onToneRead(hook: (() => void) | null): void {
  onRead = hook;
}

/**
 * Whether `doc` shows light or dark now; `near` is where our marks are (the first marked text or
 * the card's mention), whose ground counts where <body> and <html> paint nothing.
 */
export function pageTone(doc: Document, near?: Node | null): PageTone {
  onRead?.();
  const declared = pageTheme(doc);
  if (declared) return declared;
  const win = doc.defaultView;
  if (!win) return 'light';
  for (const el of [doc.body, doc.documentElement]) {
    const tone = el ? toneOfColor(win.getComputedStyle(el).backgroundColor) : null;
    if (tone) return tone;
  }
  return (near?.isConnected && groundTone(doc, win, near)) || canvasTone(doc, win);
}

/**
 * The attributes on <html> and <body> by which pages switch their look: class, style, and theme-like
 * names (`data-theme`, `data-color-mode`, `data-bs-theme`, `data-jp-theme-light`, `color-scheme`…).
 * Others (`aria-*`, `data-*` state a page flips as it works, our own `data-ibkr-*`) change no tone.
 */
const TONE_ATTRIBUTE = /^(?!data-ibkr)(class|style|bgcolor|[\w-]*(theme|mode|scheme|dark|light|night|colou?r|appearance)[\w-]*)$/i;

/** Whether a change of this attribute on <html> or <body> may change the page's tone. */
export const canChangeTone = (name: string | null): boolean => name !== null && TONE_ATTRIBUTE.test(name);

/**
 * The attributes followed on the ground elements, where the observer is given a list of names
 * (`attributeFilter`): a wrapper's other attributes, which an app may flip at every step, wake
 * nothing. The usual theme switches, and any theme-like attribute the element has when it is
 * watched (`data-jp-theme-light`, an app's own `data-app-theme`), whose value then flips.
 */
const GROUND_TONE_ATTRIBUTES = ['class', 'style', 'bgcolor', 'theme', 'data-theme', 'data-bs-theme', 'data-color-mode', 'data-color-scheme', 'data-mode', 'data-dark', 'dark'];

function toneAttributesOf(elements: Element[]): string[] {
  const names = new Set(GROUND_TONE_ATTRIBUTES);
  for (const el of elements) for (const name of el.getAttributeNames()) if (canChangeTone(name)) names.add(name);
  return [...names];
}

/**
 * Calls `changed` when the page may have changed its tone: the OS setting (for pages that follow
 * it), a class, style or theme attribute on <html> or <body> (how pages switch themes), or, given
 * `near` (where our marks are), on the elements whose background may be the ground there and so
 * was read for the tone (a single-page app's wrapper that switches its theme with a class:
 * `<div id="app" class="theme-dark">`). Those are followed again as they are after each read (the
 * app may have replaced its wrapper). Changes are read at most once a frame, in a task right after
 * the frame that drew them: its style is computed then, so the read costs no style computation of
 * ours (inside the frame's own callbacks, a page's theme switch would have its whole restyle
 * counted in our call). Other attributes are not read at all. Returns the function that stops watching.
 */
export function watchPageTone(doc: Document, changed: () => void, near?: Node | null): () => void {
  const win = doc.defaultView;
  if (!win) return () => undefined;
  let pending = false;
  let stopped = false;
  const soon = () => {
    if (pending) return;
    pending = true;
    if (win.requestAnimationFrame) win.requestAnimationFrame(() => win.setTimeout(run, 0));
    else win.setTimeout(run, 16);
  };
  const observer = new win.MutationObserver((records) => {
    if (records.some((r) => canChangeTone(r.attributeName))) soon();
  });
  const observe = () => {
    observer.disconnect();
    observer.observe(doc.documentElement, { attributes: true });
    if (doc.body) observer.observe(doc.body, { attributes: true });
    const ground = near?.isConnected ? groundElements(doc, near) : [];
    const attributeFilter = ground.length > 0 ? toneAttributesOf(ground) : [];
    for (const el of ground) observer.observe(el, { attributeFilter });
  };
  const run = () => {
    pending = false;
    if (stopped) return;
    observe();
    changed();
  };
  observe();
  const media = win.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', soon);
  return () => {
    stopped = true;
    observer.disconnect();
    media?.removeEventListener('change', soon);
  };
}
