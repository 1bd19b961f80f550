/**
 * Painting marks: the CSS Custom Highlight API draws each mark's background and underline over
 * the page's own text, which is never split or written (docs/page-integrity.md). One highlight per
 * severity, one per severity for the mark whose card is open, and one for a focused marker; their
 * styles are `::highlight(ibkr-error-lookup-…)` rules in assets/marker.css, which reach the text of
 * open shadow roots through a style sheet adopted there. Where the API is missing (happy-dom) marks
 * still have their markers and nothing is painted.
 *
 * The tints suit the page, not the OS: on a page that shows dark (lib/page-tone.ts) the same
 * highlights are registered under their `-dark-` names, whose rules carry the dark tints. The page's
 * tone is read at the first paint and again when it may have changed (watchPageTone).
 */
import { pageTone, watchPageTone, type PageTone } from '../page-tone';
import type { Mark } from './mark-store';

/**
 * Highlight names: `${HIGHLIGHT_PREFIX}-error`, `-error-active`, …, `-focus` on a light page,
 * `${HIGHLIGHT_PREFIX}-dark-error` … on a dark one (see assets/marker.css).
 */
export const HIGHLIGHT_PREFIX = 'ibkr-error-lookup';
const SEVERITIES = new Set(['error', 'warning', 'system', 'info']);

interface HighlightLike {
  add(range: AbstractRange): unknown;
  delete(range: AbstractRange): boolean;
  priority: number;
}
interface Registry {
  get(name: string): HighlightLike | undefined;
  set(name: string, highlight: HighlightLike): unknown;
  delete(name: string): boolean;
}
type PaintWindow = Window & {
  CSS?: { highlights?: Registry };
  Highlight?: new () => HighlightLike;
  StaticRange?: new (init: StaticRangeInit) => StaticRange;
  CSSStyleSheet?: typeof CSSStyleSheet;
};

/** The name of the highlight a mark is painted in. */
export function highlightName(mark: Pick<Mark, 'severity'>, kind: 'mark' | 'active' | 'focus'): string {
  if (kind === 'focus') return `${HIGHLIGHT_PREFIX}-focus`;
  const severity = mark.severity && SEVERITIES.has(mark.severity) ? mark.severity : 'error';
  return kind === 'active' ? `${HIGHLIGHT_PREFIX}-${severity}-active` : `${HIGHLIGHT_PREFIX}-${severity}`;
}

/** The name a highlight is registered under on a page of `tone`. */
export function toneName(name: string, tone: PageTone): string {
  return tone === 'dark' ? name.replace(HIGHLIGHT_PREFIX, `${HIGHLIGHT_PREFIX}-dark`) : name;
}

export class MarkPaint {
  private readonly win: PaintWindow | null;
  private readonly registry: Registry | null;
  private readonly highlights = new Map<string, HighlightLike>();
  private readonly ranges = new WeakMap<Mark, AbstractRange>();
  /** Shadow roots given the highlight styles (the sheet is taken back on teardown). */
  private readonly styled = new Set<ShadowRoot>();
  private sheet: CSSStyleSheet | null = null;
  /** The page's tone, read at the first paint; null before. */
  private tone: PageTone | null = null;
  private unwatchTone: (() => void) | null = null;
  /** Where the first marks were when the tone was read: their ground counts where <body> paints nothing. */
  private toneNear: Node | null = null;

  constructor(
    private readonly doc: Document,
    /** The markers' style and the `::highlight()` rules, for open shadow roots (the document gets them from the content script). */
    private readonly shadowCss = '',
  ) {
    const win = doc.defaultView as PaintWindow | null;
    this.win = win;
    this.registry = win?.Highlight && win.CSS?.highlights ? win.CSS.highlights : null;
  }

  /** Paints marks just put in the page (and gives their shadow roots the markers' style). */
  paint(marks: readonly Mark[]): void {
    this.readTone(marks[0]?.pieces[0].node);
    // A re-read of the tone (a theme switch) looks under marks the page still shows.
    if (marks.length > 0 && !this.toneNear?.isConnected) this.toneNear = marks[0].pieces[0].node;
    for (const mark of marks) {
      const root = mark.pieces[0].node.getRootNode();
      if (root !== this.doc && (root as ShadowRoot).host) this.styleShadowRoot(root as ShadowRoot);
      // A slotted mention's marker stands in its host's shadow tree (lib/annotate/marker-elements.ts).
      const markerRoot = mark.marker.getRootNode();
      if (markerRoot !== root && (markerRoot as ShadowRoot).host) this.styleShadowRoot(markerRoot as ShadowRoot);
      if (!this.registry) continue;
      const range = this.rangeOf(mark);
      this.ranges.set(mark, range);
      this.highlight(highlightName(mark, 'mark')).add(range);
    }
  }

  /** Takes marks' paint away (active and focus included). */
  unpaint(marks: Iterable<Mark>): void {
    if (!this.registry) return;
    for (const mark of marks) {
      const range = this.ranges.get(mark);
      if (!range) continue;
      this.ranges.delete(mark);
      for (const kind of ['mark', 'active', 'focus'] as const) this.highlights.get(highlightName(mark, kind))?.delete(range);
    }
  }

  /**
   * Marks whose text moved in its node (a streamed node cut at its start, lib/annotate/text-streams.ts):
   * a static range does not follow, so each gets a new one, in the highlights the old one was in.
   */
  move(marks: Iterable<Mark>): void {
    if (!this.registry) return;
    for (const mark of marks) {
      const old = this.ranges.get(mark);
      if (!old) continue;
      const range = this.rangeOf(mark);
      this.ranges.set(mark, range);
      for (const kind of ['mark', 'active', 'focus'] as const) {
        const h = this.highlights.get(highlightName(mark, kind));
        if (h?.delete(old)) h.add(range);
      }
    }
  }

  /** The mark whose card is open is painted stronger. */
  setActive(mark: Mark, active: boolean): void {
    this.toggle(mark, 'active', active);
  }

  /** A focused marker's mark gets a focus ring of its own (the marker itself has no size to draw one). */
  setFocused(mark: Mark, focused: boolean): void {
    this.toggle(mark, 'focus', focused);
  }

  /** Removes every highlight of ours from the page, and our sheet from shadow roots. */
  clear(): void {
    // Only ours: a newer copy of the content script may have put its own under the same name.
    for (const [name, h] of this.highlights) if (this.registry?.get(this.registered(name)) === h) this.registry.delete(this.registered(name));
    this.highlights.clear();
    this.unwatchTone?.();
    this.unwatchTone = null;
    this.tone = null;
    this.toneNear = null;
    const sheet = this.sheet;
    for (const root of this.styled) {
      try {
        if (sheet && root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = root.adoptedStyleSheets.filter((s) => s !== sheet);
      } catch {
        // Nothing of ours to take back there.
      }
    }
    this.styled.clear();
  }

  /** A live range over the mark's text, to measure it (its first line places the card). */
  liveRange(mark: Mark): Range {
    const first = mark.pieces[0];
    const last = mark.pieces[mark.pieces.length - 1];
    const range = this.doc.createRange();
    range.setStart(first.node, first.from);
    range.setEnd(last.node, last.to);
    return range;
  }

  private toggle(mark: Mark, kind: 'active' | 'focus', on: boolean): void {
    const range = this.ranges.get(mark);
    if (!range) return;
    if (on) this.highlight(highlightName(mark, kind)).add(range);
    else this.highlights.get(highlightName(mark, kind))?.delete(range);
  }

  private highlight(name: string): HighlightLike {
    let h = this.highlights.get(name);
    if (!h) {
      h = new this.win!.Highlight!();
      // Above the page's own highlights; an open card's and a focused marker's above the rest.
      h.priority = name.endsWith('-active') || name.endsWith('-focus') ? 2 : 1;
      this.highlights.set(name, h);
      this.registry!.set(this.registered(name), h);
    }
    return h;
  }

  private registered(name: string): string {
    return toneName(name, this.tone ?? 'light');
  }

  /**
   * Reads the page's tone once (a computed style read) and follows it. The mark queue calls it
   * before its first markers go in, while the page's style is clean: read after them, it made the
   * browser compute the style our markers changed inside our task. `near`: the text about to be marked.
   */
  readTone(near?: Node): void {
    if (!this.registry || this.tone !== null) return;
    this.toneNear = near ?? null;
    this.followTone();
  }

  /** Reads the page's tone and follows it: a change moves every highlight to its name for the new tone. */
  private followTone(): void {
    this.tone = pageTone(this.doc, this.toneNear);
    this.unwatchTone = watchPageTone(this.doc, () => {
      const tone = pageTone(this.doc, this.toneNear);
      if (tone === this.tone || !this.registry) return;
      for (const [name, h] of this.highlights) {
        if (this.registry.get(this.registered(name)) === h) this.registry.delete(this.registered(name));
      }
      this.tone = tone;
      for (const [name, h] of this.highlights) this.registry.set(this.registered(name), h);
    }, this.toneNear);
  }

  /**
   * A static range (the browser does not keep it up to date as the page changes, which would cost
   * at every change of the page): the page watcher drops a mark as soon as its text changes, before
   * the next paint.
   */
  private rangeOf(mark: Mark): AbstractRange {
    const first = mark.pieces[0];
    const last = mark.pieces[mark.pieces.length - 1];
    const init = { startContainer: first.node, startOffset: first.from, endContainer: last.node, endOffset: last.to };
    return this.win?.StaticRange ? new this.win.StaticRange(init) : this.liveRange(mark);
  }

  /** Rules in the document do not reach a shadow tree's text: the root adopts a sheet of them. */
  private styleShadowRoot(root: ShadowRoot): void {
    if (this.styled.has(root) || !this.shadowCss || !this.win?.CSSStyleSheet) return;
    this.styled.add(root);
    try {
      this.sheet ??= new this.win.CSSStyleSheet();
      if (this.sheet.cssRules.length === 0) this.sheet.replaceSync(this.shadowCss);
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, this.sheet];
    } catch {
      // A root that refuses the sheet keeps its text unpainted and its markers unplaced; they still take focus.
    }
  }
}
