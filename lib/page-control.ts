/**
 * What the content script does with the user's settings: annotate only where the site is
 * switched on, leave informational notices unmarked when asked, follow changes without a reload,
 * and report the page's distinct errors for the toolbar badge. Takes a Document and the pieces it
 * drives (annotator factory, settings source, reporter), so it runs in happy-dom tests too.
 */
import type { Severity } from '../knowledge/schema';
import type { Annotator, AnnotatorOptions } from './annotate';
import type { Matcher } from './matcher';
import { defaultSettings, siteState, type Settings } from './settings';

/** A matcher that drops informational notices while `hide()` is true. */
export function withoutInfo(matcher: Matcher, isInfo: (entryId: string) => boolean, hide: () => boolean): Matcher {
  return {
    ...matcher,
    find(text, options) {
      const found = matcher.find(text, options);
      return hide() ? found.filter((m) => !isInfo(m.entryId)) : found;
    },
  };
}

/** What page control reads of an entry. */
export interface SeverityOf {
  id: string;
  severity: Severity;
}

/** Entries that count on the toolbar badge: errors, not informational notices. */
export function badgeEntryIds(ids: readonly string[], entries: ReadonlyMap<string, SeverityOf>): string[] {
  return ids.filter((id) => {
    const entry = entries.get(id);
    return entry !== undefined && entry.severity !== 'info';
  });
}

export interface PageControlOptions {
  doc: Document;
  /** The entries' severities, or a getter for them (read on first need, not at start). */
  entries: readonly SeverityOf[] | (() => readonly SeverityOf[]);
  matcher: Matcher;
  /**
   * Creates an annotator over `matcher` (a fresh one each time: it scans the page anew) that tells
   * `events` of the markers it makes and takes away, and when its work starts and ends.
   */
  createAnnotator(matcher: Matcher, events: AnnotatorEvents): Annotator;
  /** Sends the distinct error ids on the page to the background (for the badge). */
  report(ids: string[]): void;
  /** How long marker changes settle before a report (ms). */
  reportDelayMs?: number;
  /** Called when marking stops on this page (site switched off): close any open tooltip. */
  onStop?: () => void;
  /**
   * Told when the page's work is all done (settings applied, the annotator idle, the badge
   * report sent) and when there is work again: the test build's "scan settled" signal.
   */
  onSettled?: (settled: boolean) => void;
}

/** What page control wants to hear from the annotator. */
export type AnnotatorEvents = Required<Pick<AnnotatorOptions, 'onMarker' | 'onMarkersRemoved' | 'onSettled'>>;

export interface PageControl {
  /** Applies settings: the first call starts annotating (if the site is on), later calls adjust. */
  apply(settings: Settings): void;
  /**
   * The page's address changed without a new document (a hash change, pushState), or the page was
   * shown anew (a prerendered page activated): the badge is reported again, also when its count
   * stays the same (the browser may have reset it).
   */
  locationChanged(): void;
  /** Stops for good (the content script ends): the annotator's marks go, no timer is left. */
  destroy(): void;
  /** Current state, for tests. */
  readonly running: boolean;
  /** The settings last applied (defaults before the first): e.g. the overlay's hover delay. */
  readonly settings: Settings;
  /** An entry's severity (what markers carry as `data-ibkr-severity`). */
  severityOf(entryId: string): Severity | undefined;
}

/**
 * The badge report: the distinct error ids on the page, sent a little after the marks change
 * (debounced), and only when they changed (or when asked to send them again whatever they are).
 */
class BadgeReport {
  private timer: number | undefined;
  /** The ids last sent (null: send whatever they are next). */
  private last: string | null = null;

  constructor(
    private readonly win: Window,
    private readonly delayMs: number,
    /** The ids to report now. */
    private readonly ids: () => string[],
    private readonly send: (ids: string[]) => void,
    /** Told when a report becomes pending or is sent. */
    private readonly changed: () => void,
  ) {}

  get pending(): boolean {
    return this.timer !== undefined;
  }

  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = this.win.setTimeout(() => this.flush(), this.delayMs);
    this.changed();
  }

  /** Sends the next report even if its ids are the same as the last. */
  again(): void {
    this.last = null;
    this.schedule();
  }

  cancel(): void {
    this.win.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    this.timer = undefined;
    const ids = this.ids();
    const key = ids.join(' ');
    if (key !== this.last) {
      this.last = key;
      this.send(ids);
    }
    this.changed();
  }
}

/**
 * The annotator's life on the page: started through the filtered matcher, stopped, and the
 * "settled" signal once its work and the badge report are done (`applied`: settings have been applied).
 */
function annotatorLifecycle(filtered: Matcher, byId: () => Map<string, SeverityOf>, applied: () => boolean, options: PageControlOptions) {
  const { createAnnotator, report, reportDelayMs = 250, onSettled } = options;
  let annotator: Annotator | null = null;
  let annotatorSettled = true;
  /** What `onSettled` was last told (nothing before the settings are first applied). */
  let settled: boolean | null = null;
  const tellSettled = () => {
    const now = applied() && !badge.pending && (annotator === null || annotatorSettled);
    if (now === settled) return;
    settled = now;
    onSettled?.(now);
  };
  // From the annotator's own record: a page can forge a marker or rewrite its attribute, not this.
  const badge = new BadgeReport(options.doc.defaultView!, reportDelayMs, () => badgeEntryIds(annotator?.entryIds() ?? [], byId()), report, tellSettled);
  const start = () => {
    annotatorSettled = true;
    // Marks made or taken away (also those leaving with the page's own content: a single-page app
    // showing another page, a comment collapsed) change the badge: a (debounced) recount.
    const made = createAnnotator(filtered, {
      onMarker: () => badge.schedule(),
      onMarkersRemoved: () => badge.schedule(),
      onSettled: (s) => {
        if (annotator !== made) return;
        annotatorSettled = s;
        tellSettled();
      },
    });
    annotator = made;
    made.start();
  };
  /** Stops marking: the annotator takes its marks away (markers and paint; the page's text was never changed). */
  const stop = () => {
    const made = annotator;
    annotator = null;
    made?.destroy();
  };
  return { start, stop, tellSettled, badge, running: () => annotator !== null };
}

export function createPageControl(options: PageControlOptions): PageControl {
  const { doc, entries, matcher, onStop } = options;
  const win = doc.defaultView!;
  let known: Map<string, SeverityOf> | null = null;
  const byId = () => (known ??= new Map((typeof entries === 'function' ? entries() : entries).map((e) => [e.id, e])));
  const isInfo = (id: string) => byId().get(id)?.severity === 'info';
  let hideInfo = false;
  let applied: Settings | null = null;
  /** A site the user added and then removed stops being marked; an "Explain selection" page keeps going. */
  let wasCustom = false;
  const filtered = withoutInfo(matcher, isInfo, () => hideInfo);
  const { start, stop, tellSettled, badge, running } = annotatorLifecycle(filtered, byId, () => applied !== null, options);

  return {
    severityOf: (entryId) => byId().get(entryId)?.severity,
    locationChanged: () => badge.again(),
    destroy() {
      stop();
      badge.cancel();
      tellSettled();
    },
    apply(settings) {
      const state = siteState(settings, win.location.href);
      if (state.kind === 'custom') wasCustom = true;
      const on = state.kind === 'other' ? !wasCustom : state.on;
      const hideChanged = applied !== null && settings.hideInfo !== hideInfo;
      hideInfo = settings.hideInfo;
      applied = settings;
      if (!on) {
        if (running()) {
          stop();
          badge.schedule();
          onStop?.();
        }
      } else if (!running()) start();
      else if (hideChanged) {
        // Hiding or showing the notices: a fresh annotator scans the page again through the
        // (now differently) filtered matcher.
        stop();
        start();
      }
      tellSettled();
    },
    get running() {
      return running();
    },
    get settings() {
      return applied ?? defaultSettings();
    },
  };
}
