// @vitest-environment happy-dom
/**
 * Every caller of onDocumentReopened shares one observer per document: each is called when the
 * page replaces `<html>`, stopping one leaves the others, and the last to stop ends the watching.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { listenOnPage, onDocumentReopened } from '../../lib/page-listeners';

/** Mutation records are delivered in a microtask: one await lets them through. */
const delivered = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** What a page that writes itself anew does to its document's children. */
function replaceHtml(): void {
  const html = document.createElement('html');
  html.appendChild(document.createElement('body'));
  document.documentElement.remove();
  document.appendChild(html);
}

const stops: Array<() => void> = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('onDocumentReopened', () => {
  it('calls every caller after <html> is replaced, stops one alone, and none once both stopped', async () => {
    const calls: string[] = [];
    const stopFirst = onDocumentReopened(document, () => calls.push('first'));
    const stopSecond = onDocumentReopened(document, () => calls.push('second'));
    stops.push(stopFirst, stopSecond);

    replaceHtml();
    await delivered();
    expect(calls).toEqual(['first', 'second']);

    stopFirst();
    replaceHtml();
    await delivered();
    expect(calls).toEqual(['first', 'second', 'second']);

    stopSecond();
    replaceHtml();
    await delivered();
    expect(calls).toEqual(['first', 'second', 'second']);
  });

  it('shares one observer per document, disconnected when the last caller stops', async () => {
    const Observer = window.MutationObserver;
    let created = 0;
    let disconnected = 0;
    class CountingObserver extends Observer {
      constructor(callback: MutationCallback) {
        super(callback);
        created++;
      }
      override disconnect(): void {
        disconnected++;
        super.disconnect();
      }
    }
    (window as unknown as { MutationObserver: typeof MutationObserver }).MutationObserver = CountingObserver;
    try {
      const stopA = onDocumentReopened(document, () => undefined);
      const stopB = onDocumentReopened(document, () => undefined);
      const stopC = listenOnPage(document, []);
      expect(created).toBe(1);
      stopA();
      stopB();
      expect(disconnected).toBe(0);
      stopC();
      expect(disconnected).toBe(1);
      // Watching again after the last stopped takes a new observer that works.
      const calls: number[] = [];
      stops.push(onDocumentReopened(document, () => calls.push(1)));
      expect(created).toBe(2);
      replaceHtml();
      await delivered();
      expect(calls).toEqual([1]);
    } finally {
      (window as unknown as { MutationObserver: typeof MutationObserver }).MutationObserver = Observer;
    }
  });

  it('skips a caller that another caller stopped, and calls a caller added meanwhile on the next change only', async () => {
    const calls: string[] = [];
    let stopSecond = () => undefined as void;
    stops.push(onDocumentReopened(document, () => {
      calls.push('first');
      stopSecond();
      if (calls.length === 1) stops.push(onDocumentReopened(document, () => calls.push('added')));
    }));
    stopSecond = onDocumentReopened(document, () => calls.push('second'));
    stops.push(onDocumentReopened(document, () => calls.push('third')));
    replaceHtml();
    await delivered();
    expect(calls).toEqual(['first', 'third']);
    replaceHtml();
    await delivered();
    expect(calls).toEqual(['first', 'third', 'first', 'third', 'added']);
  });

  it('adds page listeners again after <html> is replaced', async () => {
    let clicks = 0;
    const target = new EventTarget();
    stops.push(listenOnPage(document, [[target, 'ping', () => clicks++]]));
    replaceHtml();
    await delivered();
    target.dispatchEvent(new Event('ping'));
    expect(clicks).toBe(1);
  });
});
