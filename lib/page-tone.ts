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
 * The ground under `near` where <body> and <html> paint nothing (a single-page app whose wrapper
 * `div` or `main` paints the page): the outermost opaque background among its first GROUND_DEPTH
 * ancestors under <body>, stopping at a box of its own (a code block, a table, a quote). At most
 * GROUND_DEPTH computed-style reads.
 */
function groundTone(doc: Document, win: Window, near: Node): PageTone | null {
  if (!doc.body) return null;
  const chain = ancestorsUnderBody(near, doc.body);
  for (const el of chain.slice(0, GROUND_DEPTH)) {
    if (LOCAL_BOXES.has(el.localName)) return null;
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
 * Calls `changed` when the page may have changed its tone: the OS setting (for pages that follow
 * it), a class, style or theme attribute on <html> or <body> (how pages switch themes). Changes
 * are read at most once a frame, in a task right after the frame that drew them: its style is
 * computed then, so the read costs no style computation of ours (inside the frame's own
 * callbacks, a page's theme switch would have its whole restyle counted in our call). Other
 * attributes are not read at all. Returns the function that stops watching.
 */
export function watchPageTone(doc: Document, changed: () => void): () => void {
  const win = doc.defaultView;
  if (!win) return () => undefined;
  let pending = false;
  let stopped = false;
  const run = () => {
    pending = false;
    if (!stopped) changed();
  };
  const soon = () => {
    if (pending) return;
    pending = true;
    if (win.requestAnimationFrame) win.requestAnimationFrame(() => win.setTimeout(run, 0));
    else win.setTimeout(run, 16);
  };
  const observer = new win.MutationObserver((records) => {
    if (records.some((r) => canChangeTone(r.attributeName))) soon();
  });
  observer.observe(doc.documentElement, { attributes: true });
  if (doc.body) observer.observe(doc.body, { attributes: true });
  const media = win.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', soon);
  return () => {
    stopped = true;
    observer.disconnect();
    media?.removeEventListener('change', soon);
  };
}
