/**
 * Listeners on a page's document and window that outlive `document.open()`. A page that writes
 * itself anew (`document.open(); document.write(html); document.close()`: old sites, some notebook
 * exports) keeps its Document and window, but the browser erases every listener on them and on
 * their nodes, a content script's included (HTML's "document open steps"). Kept here, they are
 * added again when the document's element goes; adding a listener that is still there does nothing.
 */

/** A listener as `addEventListener` takes it. */
export type PageListener = readonly [target: EventTarget, type: string, listener: EventListener, options?: AddEventListenerOptions | boolean];

/** The callers watching one document, and the one observer that calls them. */
interface ReopenWatch {
  readonly observer: MutationObserver;
  readonly callers: Set<() => void>;
}

/** One observer per document, however many parts of the extension watch it. */
const watches = new WeakMap<Document, ReopenWatch>();

/**
 * Calls `reopened` each time the page takes its document's element away (`document.open()`, or a
 * page that replaces `<html>`); returns the function that stops watching. Only the document's own
 * children are observed: a page's everyday changes cost nothing here. Every caller shares one
 * observer per document, disconnected when the last caller stops.
 */
export function onDocumentReopened(doc: Document, reopened: () => void): () => void {
  const watch = watches.get(doc) ?? startWatching(doc);
  if (!watch) return () => undefined;
  // A function of its own per call, so that one callback given twice is two callers.
  const caller = () => reopened();
  watch.callers.add(caller);
  return () => {
    if (!watch.callers.delete(caller) || watch.callers.size > 0) return;
    watch.observer.disconnect();
    watches.delete(doc);
  };
}

function startWatching(doc: Document): ReopenWatch | undefined {
  const Observer = doc.defaultView?.MutationObserver;
  if (!Observer) return undefined;
  const callers = new Set<() => void>();
  const observer = new Observer((records) => {
    if (!records.some((r) => r.removedNodes.length > 0)) return;
    // A caller added by another's callback hears the next change, not this one; a caller stopped by
    // another's callback is not called; one that throws does not keep the others from being called,
    // and its error is still reported (as when each had an observer of its own).
    let failure: { error: unknown } | undefined;
    for (const caller of [...callers]) {
      if (!callers.has(caller)) continue;
      try {
        caller();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  });
  observer.observe(doc, { childList: true });
  const watch = { observer, callers };
  watches.set(doc, watch);
  return watch;
}

/** Adds `listeners` now and again after each `document.open()`; returns the function that removes them for good. */
export function listenOnPage(doc: Document, listeners: readonly PageListener[]): () => void {
  const add = () => {
    for (const [target, type, listener, options] of listeners) target.addEventListener(type, listener, options);
  };
  add();
  const stopWatching = onDocumentReopened(doc, add);
  return () => {
    stopWatching();
    for (const [target, type, listener, options] of listeners) target.removeEventListener(type, listener, options);
  };
}
