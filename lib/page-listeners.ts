/**
 * Listeners on a page's document and window that outlive `document.open()`. A page that writes
 * itself anew (`document.open(); document.write(html); document.close()`: old sites, some notebook
 * exports) keeps its Document and window, but the browser erases every listener on them and on
 * their nodes, a content script's included (HTML's "document open steps"). Kept here, they are
 * added again when the document's element goes; adding a listener that is still there does nothing.
 */

/** A listener as `addEventListener` takes it. */
export type PageListener = readonly [target: EventTarget, type: string, listener: EventListener, options?: AddEventListenerOptions | boolean];

/**
 * Calls `reopened` each time the page takes its document's element away (`document.open()`, or a
 * page that replaces `<html>`); returns the function that stops watching. Only the document's own
 * children are observed: a page's everyday changes cost nothing here.
 */
export function onDocumentReopened(doc: Document, reopened: () => void): () => void {
  const Observer = doc.defaultView?.MutationObserver;
  if (!Observer) return () => undefined;
  const observer = new Observer((records) => {
    if (records.some((r) => r.removedNodes.length > 0)) reopened();
  });
  observer.observe(doc, { childList: true });
  return () => observer.disconnect();
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
