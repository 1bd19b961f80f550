/**
 * Content script: marks IBKR API errors on the page and explains them in a shadow-DOM card.
 * Thin wiring only; the logic is in lib/ (annotate, overlay, matcher, explain).
 * Runs by itself on the sites in lib/sites.ts; elsewhere only when the user picks
 * "Explain selection" (the background injects it then, under activeTab).
 */
import { browser } from 'wxt/browser';
import { defineContentScript } from 'wxt/utils/define-content-script';
import knowledge from '../knowledge';
import entryCss from '../assets/entry.css?inline';
import overlayCss from '../assets/overlay.css?inline';
import markerCss from '../assets/marker.css?inline';
import entryActionsCss from '../assets/entry-actions.css?inline';
import { createAnnotator } from '../lib/annotate';
import { explainSelection } from '../lib/explain';
import { createMatcher, type Matcher } from '../lib/matcher';
import { isExplainSelectionMessage } from '../lib/messages';
import { createOverlay } from '../lib/overlay';
import { createSearch } from '../lib/search';
import { CONTENT_SCRIPT_MATCHES, hasSiteContext } from '../lib/sites';
import { isPageUrlRequest, PAGE_ERRORS } from '../lib/badge';
import { createPageControl } from '../lib/page-control';
import { normalizeSettings, readSettings, SETTINGS_KEY } from '../lib/settings';

declare global {
  interface Window {
    __ibkrErrorLookup?: boolean;
  }
}

export default defineContentScript({
  matches: CONTENT_SCRIPT_MATCHES,
  runAt: 'document_idle',
  main() {
    // Injected again by "Explain selection" on a page that already has it: one instance is enough.
    if (window.__ibkrErrorLookup) return;
    window.__ibkrErrorLookup = true;

    const matcher = createMatcher(knowledge.entries);
    // Markers this script made: a page can forge `data-ibkr-error` elements, not add to this set.
    const ownMarkers = new WeakSet<Element>();
    const overlay = createOverlay({
      doc: document,
      knowledge,
      css: `${entryCss}\n${overlayCss}\n${entryActionsCss}`,
      isOwnMarker: (el) => ownMarkers.has(el),
      showDelay: () => pageControl.settings.hoverDelayMs,
    });
    let markerStyle: HTMLStyleElement | null = null;
    const makeAnnotator = (siteMatcher: Matcher, onEachMarker: (marker: HTMLElement) => void) => createAnnotator({
      doc: document,
      matcher: siteMatcher,
      pageContext: hasSiteContext(location.href),
      // Pages with nothing to mark get nothing added, not even this style element.
      onMarker: (marker) => {
        ownMarkers.add(marker);
        // Inside a link the link is the control: no second tab stop, no nested button.
        if (marker.closest('a[href]')) {
          marker.removeAttribute('tabindex');
          marker.removeAttribute('role');
        }
        onEachMarker(marker);
        if (markerStyle?.isConnected) return;
        markerStyle = document.createElement('style');
        markerStyle.id = 'ibkr-error-lookup-markers';
        markerStyle.textContent = markerCss;
        (document.head ?? document.documentElement).appendChild(markerStyle);
      },
    });

    // --- toolkit: per-site switch, hidden info notices, badge count (lib/page-control.ts)
    const pageControl = createPageControl({
      doc: document,
      entries: knowledge.entries,
      matcher,
      createAnnotator: makeAnnotator,
      report: (ids) => void browser.runtime.sendMessage({ type: PAGE_ERRORS, ids }).catch(() => undefined),
      onStop: () => overlay.hide(),
    });
    void readSettings(browser.storage.sync).then((settings) => pageControl.apply(settings));
    browser.storage.onChanged.addListener((changes, area) => {
      if (area === 'sync' && changes[SETTINGS_KEY]) pageControl.apply(normalizeSettings(changes[SETTINGS_KEY].newValue));
    });
    browser.runtime.onMessage.addListener((message: unknown) =>
      isPageUrlRequest(message) && window === window.top ? Promise.resolve({ url: location.href }) : undefined,
    );

    let search: ReturnType<typeof createSearch> | undefined;
    browser.runtime.onMessage.addListener((message: unknown) => {
      if (!isExplainSelectionMessage(message)) return undefined;
      search ??= createSearch(knowledge.entries);
      const selection = window.getSelection();
      const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
      const rect = range?.getBoundingClientRect();
      const text = message.text || selection?.toString() || '';
      overlay.explain(text, explainSelection(text, knowledge.entries, matcher, search), rect && rect.width + rect.height > 0 ? rect : null);
      return Promise.resolve({ shown: true });
    });
  },
});
