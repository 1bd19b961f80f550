/**
 * For the end-to-end tests (Chromium and Firefox): what the content scripts' world reaches of a
 * closed shadow root, run in that world (injected with `scripting.executeScript`), and what the
 * page reads of its host meanwhile (docs/page-integrity.md, "Closed shadow roots").
 */

/** What the content scripts' world found. */
export interface ClosedRootProbe {
  /** `chrome.dom.openOrClosedShadowRoot` is a function (Chromium). */
  chromeDom: boolean;
  /** `browser.dom.openOrClosedShadowRoot` is a function. */
  browserDom: boolean;
  /** Elements have `openOrClosedShadowRoot` (Firefox: a property). */
  elementProperty: boolean;
  /** `host.shadowRoot` there: null, as for the page. */
  shadowRoot: null | string;
  /** The root reached, its mode and its text. */
  mode: string | null;
  text: string | null;
  /** An element with no shadow root: null. */
  plain: null | string;
  /** Microseconds per call over 20,000 elements with no shadow root (the walk's case). */
  microsPerCall: number;
  /** The same for the `shadowRoot` property, from the same world. */
  microsPerProperty: number;
}

/**
 * Runs in the content scripts' world (passed to executeScript as a function): reaches the
 * fixture's closed root by whichever reader the browser gives that world.
 */
export function probeClosedRoot(): ClosedRootProbe {
  const g = globalThis as unknown as {
    chrome?: { dom?: { openOrClosedShadowRoot?: (el: Element) => ShadowRoot | null } };
    browser?: { dom?: { openOrClosedShadowRoot?: (el: Element) => ShadowRoot | null } };
  };
  const chromeDom = typeof g.chrome?.dom?.openOrClosedShadowRoot === 'function';
  const browserDom = typeof g.browser?.dom?.openOrClosedShadowRoot === 'function';
  const elementProperty = 'openOrClosedShadowRoot' in document.documentElement;
  const read = chromeDom
    ? (el: Element) => g.chrome!.dom!.openOrClosedShadowRoot!(el)
    : (el: Element) => (el as Element & { openOrClosedShadowRoot?: ShadowRoot | null }).openOrClosedShadowRoot ?? null;
  const host = document.getElementById('closed-host')!;
  const root = read(host);
  const spans: Element[] = [];
  for (let i = 0; i < 20_000; i++) spans.push(document.createElement('span'));
  const start = performance.now();
  let found = 0;
  for (const s of spans) if (read(s)) found++;
  const micros = ((performance.now() - start) * 1000) / spans.length;
  const propertyStart = performance.now();
  for (const s of spans) if (s.shadowRoot) found++;
  const propertyMicros = ((performance.now() - propertyStart) * 1000) / spans.length;
  return {
    chromeDom,
    browserDom,
    elementProperty,
    shadowRoot: host.shadowRoot === null ? null : 'a root',
    mode: root?.mode ?? null,
    text: root?.textContent ?? null,
    plain: read(document.body) === null && found === 0 ? null : 'a root',
    microsPerCall: Math.round(micros * 100) / 100,
    microsPerProperty: Math.round(propertyMicros * 100) / 100,
  };
}

/** A page with a closed root that counts what happens at its host. */
export const CLOSED_ROOT_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>closed root</title></head><body>
<p>Plain text.</p>
<div id="closed-host">light child</div>
<script>
  window.heard = [];
  const host = document.getElementById('closed-host');
  const root = host.attachShadow({ mode: 'closed' });
  root.innerHTML = '<span>shadow text</span><slot></slot>';
  for (const type of ['slotchange', 'focus', 'focusin', 'mouseover', 'click', 'DOMNodeInserted']) {
    host.addEventListener(type, () => heard.push(type), true);
    root.addEventListener(type, () => heard.push(type), true);
  }
  const observer = new MutationObserver((records) => heard.push(...records.map((r) => r.type)));
  for (const tree of [host, root]) observer.observe(tree, { attributes: true, childList: true, subtree: true, characterData: true });
  window.readHost = () => ({ attributes: host.getAttributeNames(), innerText: host.innerText, textContent: host.textContent, shadowRoot: host.shadowRoot, heard: window.heard });
</script>
</body></html>`;
