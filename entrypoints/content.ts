/**
 * Content script: marks IBKR API errors on the page and explains them in a shadow-DOM card.
 * Thin wiring only; the logic is in lib/ (annotate, overlay, matcher, explain, page-control).
 * Runs by itself on the sites of lib/sites/ (and sites the user added); elsewhere only when the
 * user asks for an explanation there (the background injects it then, under activeTab).
 */
import { ContentScriptContext } from 'wxt/utils/content-script-context';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { browser } from 'wxt/browser';
import entryCss from '../assets/entry.css?inline';
import overlayCss from '../assets/overlay.css?inline';
import markerCss from '../assets/marker.css?inline';
import entryActionsCss from '../assets/entry-actions.css?inline';
import { createAnnotator, MARKER_TAG, messageContinuation, type Annotator, type ShadowRootOf } from '../lib/annotate';
import { innermostTarget } from '../lib/dom';
import { explanationFromIds, explanationIdsOf } from '../lib/explain';
import { prepareMatcher, type Matcher } from '../lib/matcher';
import type { MatchData } from '../knowledge/schema';
import { answerLoader, entriesLoader, parseMatchData } from '../lib/knowledge-request';
import { takeInjectedMark } from '../lib/marker-style';
import { messenger } from '../lib/messages';
import { createOverlay, HIDE_DELAY_MS } from '../lib/overlay';
import { createPageControl, type AnnotatorEvents } from '../lib/page-control';
import { listenOnPage, onDocumentReopened } from '../lib/page-listeners';
import { capSelection, selectionNote } from '../lib/selection-limit';
import type { Settings } from '../lib/settings';
import { readSyncedSettings, watchSyncedSettings } from '../lib/settings-store';
import { CONTENT_SCRIPT_MATCHES, hasSiteContext } from '../lib/sites';
import { pageEntries, type PageEntry } from '../lib/start-page';
import { TEST_BUILD } from '../lib/test-build';
import { scanStateWriter, toneReadCounter } from '../lib/test-hooks';
import { onToneRead } from '../lib/page-tone';

declare global {
  interface Window {
    /** The copy of this script running in the page, in the content scripts' own world (the page cannot see it). */
    __ibkrErrorLookup?: { retire(): void };
  }
}

export default defineContentScript({
  matches: CONTENT_SCRIPT_MATCHES,
  runAt: 'document_idle',
  // WXT would otherwise window.postMessage a "content script started" message carrying the
  // extension's id to every page it runs on: any page script could see it. Its other signal, a
  // DOM event, is stopped before it can switch anything off (takeOver, below).
  noScriptStartedPostMessage: true,
  main(ctx) {
    takeOver(ctx);

    // The start is spread over several tasks so that none is long on a busy page. This one only
    // wires things up. The browser sets up each extension API the first time a script touches it
    // (up to 20 ms for `runtime` in Chromium 156 profiles): that, the ask for the match data (the
    // script carries none, see docs/architecture.md, "The knowledge base") and the listeners come
    // in the next task. The matcher (hundreds of patterns) is built in two idle callbacks once the
    // data is here, and only then is the page scanned (its patterns are compiled as the page's text
    // first needs each). Nothing matches before the data is here.
    const knowledge = createKnowledge(ctx);
    const page = createPageParts(knowledge, takeInjectedMark(globalThis));
    ctx.setTimeout(() => connect(ctx, knowledge, page), 0);

    // An update, a disable or a newer copy of this script ends this one: observers stop, timers
    // are cleared, the markers and their paint leave the page, the UI goes.
    ctx.onInvalidated(() => page.destroy());
    // An orphaned script is told nothing: the context notices when it looks (this timer does).
    ctx.setInterval(() => undefined, 5_000);
  },
});

/**
 * Makes this copy the one running in the page. A copy injected again (by "Explain selection", after
 * an update left an orphan behind, or before the first copy listened) retires the one before it
 * through the content scripts' own world, which no page script can reach. WXT's "a newer copy
 * started" DOM event would do the same, but a page can send that event too (its name is derived from
 * the extension id, which is public): it is stopped before WXT's listener sees it, from whoever it
 * comes. See docs/page-integrity.md.
 */
function takeOver(ctx: ContentScriptContext): void {
  // (A copy of an older version left `true` there: it has no blocker, so WXT's event retires it.)
  const previous: unknown = window.__ibkrErrorLookup;
  if (typeof (previous as { retire?: unknown } | undefined)?.retire === 'function') (previous as { retire(): void }).retire();
  const self = { retire: () => ctx.abort('A newer copy of the content script started') };
  window.__ibkrErrorLookup = self;
  ctx.onInvalidated(() => {
    if (window.__ibkrErrorLookup === self) delete window.__ibkrErrorLookup;
  });
  // Capture on window runs before WXT's listener on document, the event's target. (The name is a
  // private static of WXT's class: tests/e2e/integrity.spec.ts fails if it stops being that name.)
  const started = (ContentScriptContext as unknown as { SCRIPT_STARTED_MESSAGE_TYPE: string }).SCRIPT_STARTED_MESSAGE_TYPE;
  const block = (e: Event) => e.stopImmediatePropagation();
  ctx.onInvalidated(listenOnPage(document, [[window, started, block, { capture: true, signal: ctx.signal }]]));
}

/**
 * Messages to the background from a script that may be orphaned (the extension was updated or
 * disabled under it): then `browser.runtime` is gone, and a message is refused instead of throwing.
 */
function guardedSend(ctx: ContentScriptContext): typeof messenger.sendMessage {
  return ((...args: Parameters<typeof messenger.sendMessage>) => {
    try {
      if (ctx.isValid) return messenger.sendMessage(...args);
    } catch {
      // Fall through: the extension is gone.
    }
    return Promise.reject(new Error('IBKR Error Lookup: the extension was updated or disabled; reload the page'));
  }) as typeof messenger.sendMessage;
}

type Knowledge = ReturnType<typeof createKnowledge>;
type PageParts = ReturnType<typeof createPageParts>;

/** The knowledge the script works from, asked of the background: match data first, entries' text later. */
function createKnowledge(ctx: ContentScriptContext) {
  const send = guardedSend(ctx);
  // Idle callbacks that do nothing once the extension is updated or disabled (and the context has
  // noticed: its 5 s timer looks, see main). Not through ctx.requestIdleCallback: it adds an abort
  // listener per call that stays until the context ends, one per scan slice for as long as the page
  // lives. Not ctx.isValid either: it asks the extension API each time (a tenth of a millisecond
  // per scan slice).
  const live = () => !ctx.signal.aborted;
  const idle = (work: (deadline: IdleDeadline) => void, timeout: number) => {
    if (live()) requestIdleCallback((deadline) => live() && work(deadline), { timeout });
  };
  /** The rest of an idle period, in tasks of its own (lib/annotate/slices.ts). */
  const continueWork = messageContinuation(window, live);
  const whenIdle = (work: () => void) => idle(() => work(), 2000);
  // The loader keeps its answer for good: a box, emptied once the matcher is built. The built
  // matcher holds what it reads later (the entries, the stems); the rest of the match data (the
  // stem index's slots) then goes.
  const loadMatchData = answerLoader(() => send('matchData'), (answer) => ({ data: parseMatchData(answer) as MatchData | null }));
  let data: MatchData | null = null;
  let entries: MatchData['entries'] | null = null;
  let builtMatcher: Matcher | null = null;
  /** The second half of building the matcher, once the first is done. */
  let finishMatcher: (() => Matcher) | null = null;
  const prepare = () => (finishMatcher ??= prepareMatcher(data!.entries, { stemIndex: data!.stemIndex }));
  const matcherNow = (): Matcher => {
    if (builtMatcher === null) {
      builtMatcher = prepare()();
      data = finishMatcher = null;
    }
    return builtMatcher;
  };
  const matcher: Matcher = { find: (text, options) => matcherNow().find(text, options) };
  // The entries' text, from the background: those the page marks, asked for when idle (so a card
  // can show at once), and any a card or an explanation needs.
  const loadEntries = entriesLoader((ids) => send('knowledgeEntries', ids));
  /** Entries marked since the last idle ask. */
  const marked = new Set<string>();
  return {
    send,
    idle,
    continueWork,
    matcher,
    loadEntries,
    entries: () => entries!,
    /** Asks for an entry's text when idle (with every other entry marked meanwhile); one the page had already asked for costs nothing. */
    prefetchEntry(id: string) {
      if (marked.size === 0) whenIdle(() => void loadEntries(takeAll(marked)).catch(() => undefined));
      marked.add(id);
    },
    /** Asks for the match data and builds the matcher: resolves when it can match. */
    load(): Promise<void> {
      // A worker still starting may miss the first ask: ask once more a second later.
      const retried = () => loadMatchData().catch(() => new Promise<void>((wait) => ctx.setTimeout(() => wait(), 1000)).then(loadMatchData));
      return retried().then((loaded) => {
        if (loaded.data !== null) [data, entries] = [loaded.data, loaded.data.entries];
        loaded.data = null;
        // Each step in an idle callback of its own: the matcher is built in two halves. No
        // warm-up match: each pattern is compiled when the page's text first needs it, and a page
        // with nothing to mark never compiles most of them (docs/performance.md, "The cost model").
        const steps = builtMatcher === null ? [prepare, matcherNow] : [];
        return new Promise<void>((resolve) => {
          const next = () => {
            const step = steps.shift();
            if (!step) return resolve();
            step();
            whenIdle(next);
          };
          whenIdle(next);
        });
      });
    },
  };
}

/** What the card asks of the annotator at work (none while a site is switched off). */
function annotatorLookups(current: () => Annotator | null) {
  return {
    // The annotator's own record: a page can forge or rewrite `data-ibkr-error`, not this.
    matchOf: (marker: HTMLElement) => current()?.matchOf(marker),
    groupOf: (marker: HTMLElement) => current()?.groupOf(marker) ?? [marker],
    markerAt: (x: number, y: number, target: Node | null) => current()?.markerAt(x, y, target) ?? null,
    targetOf: (e: Event) => current()?.targetOf(e) ?? innermostTarget(e),
    markerInLink: (link: HTMLAnchorElement) => current()?.markerInLink(link) ?? null,
    linkOf: (marker: HTMLElement) => current()?.linkOf(marker) ?? null,
    rectOf: (marker: HTMLElement) => current()?.rectOf(marker) ?? marker.getBoundingClientRect(),
    onActive: (marker: HTMLElement, active: boolean) => current()?.setActive(marker, active),
  };
}

/**
 * How the annotator reads every page: the markers' paint rules for shadow roots, and the comments
 * many screens away read as they come near (docs/marking.md).
 */
const PAGE_READING = { highlightCss: markerCss, nearFirst: true } as const;

/**
 * What is marked on the page, for the popup's start page: the parts far from the viewport are
 * read now (the user asks what the page holds), and the popup asks again while they are.
 */
function pageEntriesAll(annotator: Annotator | null): { entries: PageEntry[]; reading: boolean } {
  annotator?.readAll();
  const entries = pageEntries(document.querySelectorAll(MARKER_TAG), (marker) => annotator?.matchOf(marker));
  return { entries, reading: annotator ? !annotator.settled : false };
}

/**
 * What the script puts on the page: the card, the annotator, page control. `injectedByBackground`:
 * this copy was injected by "Explain selection", so the page has no markers' style sheet.
 */
function createPageParts(knowledge: Knowledge, injectedByBackground: boolean) {
  // The test build says on <html> when the page's work is done and no card is about to show or
  // hide (lib/test-hooks.ts); the production build writes nothing there.
  const testState = TEST_BUILD ? scanStateWriter(document) : null;
  if (TEST_BUILD) onToneRead(toneReadCounter(document));
  /** The annotator at work; page control makes a fresh one when a site is switched back on. */
  let annotator: Annotator | null = null;
  const overlay = createOverlay({
    doc: document,
    knowledge: knowledge.loadEntries,
    css: `${entryCss}\n${overlayCss}\n${entryActionsCss}`,
    ...annotatorLookups(() => annotator),
    showDelay: () => testState?.cardTimer(pageControl.settings.hoverDelayMs) ?? pageControl.settings.hoverDelayMs,
    hideDelay: testState ? () => testState.cardTimer(HIDE_DELAY_MS) : undefined,
  });

  // The markers' style sheet is the browser's to add, before the page's DOM exists (lib/marker-style.ts).
  let styleAsked = !injectedByBackground;
  const askForMarkerStyle = () => {
    if (styleAsked) return;
    styleAsked = true;
    void knowledge.send('markerStyle').catch(() => undefined);
  };
  const makeAnnotator = (siteMatcher: Matcher, events: AnnotatorEvents): Annotator => {
    annotator = createAnnotator({
      doc: document,
      matcher: siteMatcher,
      pageContext: () => hasSiteContext(location.href),
      severityOf: (id) => pageControl.severityOf(id),
      schedule: (work) => knowledge.idle(work, 1000),
      continueWork: knowledge.continueWork,
      ...PAGE_READING,
      shadowRootOf: shadowRootReader(),
      onSettled: events.onSettled,
      onMarker: (marker) => {
        events.onMarker(marker);
        overlay.markerAdded(marker);
        askForMarkerStyle();
        const match = annotator?.matchOf(marker);
        if (match) knowledge.prefetchEntry(match.entryId);
      },
      onMarkersRemoved: (markers) => {
        events.onMarkersRemoved(markers);
        overlay.markersRemoved(markers);
      },
    });
    return annotator;
  };

  // Per-site switch, hidden informational notices and the badge count (lib/page-control.ts).
  const pageControl = createPageControl({
    doc: document,
    entries: knowledge.entries,
    matcher: knowledge.matcher,
    createAnnotator: makeAnnotator,
    report: (ids) => void knowledge.send('pageErrors', ids).catch(() => undefined),
    onStop: () => overlay.hide(),
    onSettled: testState?.pageSettled,
  });
  return {
    overlay,
    pageControl,
    entriesAll: () => pageEntriesAll(annotator),
    get annotator() {
      return annotator;
    },
    destroy() {
      // Page control stops its annotator and its badge timer: nothing of ours runs after this.
      pageControl.destroy();
      overlay.destroy();
    },
  };
}

/**
 * Reports the badge again (and resets the page context) when the page shows another address or is
 * shown anew; returns the function that stops watching for a document.open().
 */
function followNavigation(ctx: ContentScriptContext, page: PageParts): () => void {
  // Client-side navigation (pushState, popstate, a hash change, GitHub's and Reddit's in-app
  // links). The event's name is derived from the extension id, which a page can know: only WXT's
  // own event counts (it carries the new address, which a page's event cannot give us: its
  // properties stay in the page's world), and only for a new address. It may come before
  // `location` changes (the Navigation API's navigate event).
  let href = location.href;
  const onLocationChange = (e: Event) => {
    const next = (e as Event & { newUrl?: URL }).newUrl;
    if (!(next instanceof URL) || next.href === href) return;
    href = next.href;
    page.annotator?.resetContext();
    page.pageControl.locationChanged();
  };
  // A page shown again from the back/forward cache: the browser gave the tab a blank badge when
  // it navigated away, and nothing changed here since to report it again.
  const onPageShow = (e: PageTransitionEvent) => {
    if (e.isTrusted && e.persisted) page.pageControl.locationChanged();
  };
  // A prerendered page (Speculation Rules, the address bar's predictions) is marked before it is
  // shown, while it has no tab to badge (the background ignores its report): it reports once shown.
  const onPrerenderShown = (e: Event) => {
    if (e.isTrusted) page.pageControl.locationChanged();
  };
  // Added again after a document.open(), which erases them (lib/page-listeners.ts); WXT's own
  // navigation watcher listens on `navigation`, which keeps its listeners.
  const listenToPage = () => {
    ctx.addEventListener(window, 'wxt:locationchange', onLocationChange);
    ctx.addEventListener(window, 'pageshow', onPageShow);
    ctx.addEventListener(document, 'prerenderingchange', onPrerenderShown);
  };
  listenToPage();
  return onDocumentReopened(document, listenToPage);
}

/**
 * An element's shadow root, closed ones too, by the reader the browser gives content scripts and
 * no page script: Chromium's `dom.openOrClosedShadowRoot` (no permission; HTML elements only),
 * Firefox's `openOrClosedShadowRoot` property of elements. A page cannot tell it is read
 * (tests/e2e/shadow-closed.spec.ts). webextension-polyfill has no wrapper for `dom` (nothing there
 * returns a promise): the namespace is read as the browser gives it.
 */
function shadowRootReader(): ShadowRootOf {
  const dom = (globalThis as { chrome?: { dom?: { openOrClosedShadowRoot?(el: HTMLElement): ShadowRoot | null } } }).chrome?.dom;
  if (typeof dom?.openOrClosedShadowRoot === 'function') {
    return (el) => (el instanceof HTMLElement ? dom.openOrClosedShadowRoot!(el) : el.shadowRoot);
  }
  if ('openOrClosedShadowRoot' in document.documentElement) {
    return (el) => (el as Element & { openOrClosedShadowRoot: ShadowRoot | null }).openOrClosedShadowRoot;
  }
  return (el) => el.shadowRoot;
}

/** Talks to the extension: the match data, the settings, navigation, "Explain selection". */
function connect(ctx: ContentScriptContext, knowledge: Knowledge, page: PageParts): void {
  /** Settings arrive before the matcher is ready only on a change made meanwhile: kept until then. */
  let ready = false;
  let pendingSettings: Settings | null = null;
  const ready$ = knowledge.load();
  void ready$
    .then(() => readSyncedSettings(browser.storage.sync))
    .then(({ settings }) => {
      ready = true;
      if (ctx.isValid) page.pageControl.apply(pendingSettings ?? settings);
    })
    // Orphaned before the background answered (the extension was updated): nothing to do.
    .catch(() => undefined);
  const unwatchSettings = watchSyncedSettings(browser.storage.sync, ({ settings }) => {
    if (ready) page.pageControl.apply(settings);
    else pendingSettings = settings;
  });

  const stopListening = [
    unwatchSettings,
    followNavigation(ctx, page),
    messenger.onMessage('explainSelection', ({ data }) => {
      const selection = window.getSelection();
      const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
      const rect = range?.getBoundingClientRect();
      // A long selection is looked at up to about 10 KB (lib/selection-limit.ts); the card says so.
      const { text, cut } = capSelection((typeof data === 'string' && data) || selection?.toString() || '');
      // The background says what the text is about (the search lives there); the card shows it.
      const asked = knowledge.send('explainText', text);
      return asked
        .then((answer) => knowledge.loadEntries(explanationIdsOf(answer)).then((kb) => ({ answer, kb })))
        .then(({ answer, kb }) => {
          page.overlay.explain(text, explanationFromIds(answer, kb.entries), rect && rect.width + rect.height > 0 ? rect : null, selectionNote(cut));
          return { shown: true };
        });
    }),
  ];
  // The popup asks the page's address (it has no `tabs` permission): the top frame answers.
  // The popup's start page lists what is marked here first.
  if (window === window.top) {
    stopListening.push(
      messenger.onMessage('pageUrl', () => location.href),
      messenger.onMessage('pageEntries', () => page.entriesAll()),
    );
  }
  ctx.onInvalidated(() => {
    try {
      for (const stop of stopListening) stop();
    } catch {
      // The extension is gone: so are the listeners.
    }
  });
}

/** The items of a set, which is left empty. */
function takeAll<T>(set: Set<T>): T[] {
  const items = [...set];
  set.clear();
  return items;
}
