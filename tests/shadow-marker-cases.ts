/**
 * For the end-to-end tests (Chromium and Firefox): the mentions of
 * tests/e2e/pages/github-shadow-marker-text.html, each in reach of a shadow boundary (slotted into
 * a web component's shadow tree, or in a shadow root's text with only inline elements up to it),
 * and the page's in-place edits of their text nodes. Each case's text is read as the page wrote
 * it: every text node, and `innerText` of the body, of the case and of every element in it, light
 * and shadow (docs/page-integrity.md, "Where the marker goes").
 */

/** The cases: `id` is the case's `<div>` (`<id>-case`); `node` finds the mention's text node in the page. */
export const SHADOW_CASES = ['slotted', 'framed', 'under-root', 'under-root-block'] as const;
export type ShadowCase = (typeof SHADOW_CASES)[number];

const E321 = 'Error 321, reqId 5: Error validating request';

export interface ShadowEdit {
  name: string;
  /** Runs in the page: `node` is the mention's text node, `el` its parent (the host, or the shadow tree's element). */
  edit: string;
  /** An error remains in the text written: each case is marked again. */
  marked: boolean;
}

/** The in-place edits of point 1 of issue 14, on the mention's own text node. */
export const SHADOW_EDITS: ShadowEdit[] = [
  { name: 'appendData', edit: "node.appendData(' +tail')", marked: true },
  { name: 'insertData', edit: "node.insertData(0, '[12:00:01] ')", marked: true },
  { name: 'deleteData', edit: 'node.deleteData(0, 10)', marked: true },
  { name: 'replaceData', edit: `node.replaceData(0, node.length, '${E321}')`, marked: true },
  { name: 'data written', edit: "node.data = 'all good now'", marked: false },
  { name: 'data += …', edit: "node.data += ' (retry 2)'", marked: true },
  { name: 'nodeValue written', edit: "node.nodeValue = 'ERROR -1 504 Not connected'", marked: true },
  { name: "the node's textContent", edit: `node.textContent = '${E321}'`, marked: true },
  { name: "the element's textContent", edit: `el.textContent = '${E321}.'`, marked: true },
  { name: 'normalize() after adding text', edit: "node.after(document.createTextNode(' +x')); el.normalize()", marked: true },
  { name: 'splitText', edit: 'node.splitText(12)', marked: true },
];

/** What a case reads: its text nodes, innerText of the body, the case and each element in it, and its markers. */
export interface ShadowCaseText {
  texts: string[];
  innerTexts: string[];
  markers: number;
}

/**
 * Runs in the page (passed to evaluate, as a string with the case's id and the edit's code): the
 * page's edit, then the case read in the same task, once its microtasks (the MutationObservers'
 * callbacks) have run.
 */
export function editShadowCase(id: ShadowCase, edit: string): string {
  return `(async () => {
    const host = document.getElementById(${JSON.stringify(id)});
    const root = window.rootOf(host);
    const node = root.querySelector('span') ? root.querySelector('span').firstChild : host.firstChild;
    const el = node.parentNode;
    new Function('node', 'el', ${JSON.stringify(edit)})(node, el);
    await new Promise((resolve) => queueMicrotask(resolve));
    return (${readShadowCase.toString()})(${JSON.stringify(id)});
  })()`;
}

/** Runs in the page (passed to evaluate): what a case reads (our markers are left out, and counted). */
export function readShadowCase(id: string): ShadowCaseText {
  const block = document.getElementById(`${id}-case`)!;
  const texts: string[] = [];
  const innerTexts = [document.body.innerText, block.innerText];
  let markers = 0;
  const walk = (tree: Node) => {
    const walker = document.createTreeWalker(tree, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeType === 3) {
        texts.push((n as Text).data);
        continue;
      }
      const el = n as HTMLElement;
      if (el.localName === 'ibkr-error-mark') {
        if (el.hasAttribute('data-ibkr-error')) markers++;
        continue;
      }
      innerTexts.push(`${el.localName}: ${el.innerText}`);
      // The page's own reference to its components' roots (closed ones too).
      const root = (window as unknown as { rootOf(host: Element): ShadowRoot | null }).rootOf(el);
      if (root) walk(root);
    }
  };
  walk(block);
  return { texts, innerTexts, markers };
}

/**
 * The page appends to the framed log's block, right past where its marker stands (run in the
 * page): its `innerText` and last child's name, after a microtask (the marker moved on by then).
 */
export const APPEND_PAST_FRAMED_MARKER = `(async () => {
  const frame = window.rootOf(document.getElementById('framed')).querySelector('.frame');
  frame.append(' (more)');
  await new Promise((resolve) => queueMicrotask(resolve));
  return [frame.innerText, frame.lastChild.nodeName];
})()`;
