/**
 * Whether a page shows light or dark, as the user sees it, for the highlights' tints and the card's
 * palette: the theme the site declares (lib/sites), else the background of <body> or <html>, else
 * the colour scheme of the page's canvas. The OS setting counts only where the page follows it
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

/** Whether `doc` shows light or dark now. */
export function pageTone(doc: Document): PageTone {
  const declared = pageTheme(doc);
  if (declared) return declared;
  const win = doc.defaultView;
  if (!win) return 'light';
  for (const el of [doc.body, doc.documentElement]) {
    const tone = el ? toneOfColor(win.getComputedStyle(el).backgroundColor) : null;
    if (tone) return tone;
  }
  return canvasTone(doc, win);
}

/**
 * Calls `changed` when the page may have changed its tone: the OS setting (for pages that follow
 * it), a class, style or theme attribute on <html> or <body> (how pages switch themes). Several
 * changes in a row are read once, a moment later. Returns the function that stops watching.
 */
export function watchPageTone(doc: Document, changed: () => void): () => void {
  const win = doc.defaultView;
  if (!win) return () => undefined;
  let timer: number | undefined;
  const soon = () => {
    win.clearTimeout(timer);
    timer = win.setTimeout(changed, 50);
  };
  // Not our own attributes (the test build's scan state is on <html>).
  const observer = new win.MutationObserver((records) => {
    if (records.some((r) => !r.attributeName?.startsWith('data-ibkr'))) soon();
  });
  observer.observe(doc.documentElement, { attributes: true });
  if (doc.body) observer.observe(doc.body, { attributes: true });
  const media = win.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener('change', soon);
  return () => {
    win.clearTimeout(timer);
    observer.disconnect();
    media?.removeEventListener('change', soon);
  };
}
