/**
 * Turns a lib/render.ts tree into DOM nodes: createElement, setAttribute and text nodes only,
 * never innerHTML, so neither page text nor knowledge text is ever parsed as HTML. Also where an
 * event happened, for the annotator and the card alike.
 */
import type { Child } from './render';

export function toDom(node: Child, doc: Document): Node {
  if (typeof node === 'string') return doc.createTextNode(node);
  const el = doc.createElement(node.tag);
  for (const [name, value] of Object.entries(node.attrs)) el.setAttribute(name, value);
  for (const child of node.children) el.appendChild(toDom(child, doc));
  return el;
}

/** Replaces the children of `parent` with the given trees. */
export function replaceChildren(parent: Element | ShadowRoot, doc: Document, ...nodes: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  for (const n of nodes) parent.appendChild(toDom(n, doc));
}

/** The node an event happened at, inside open shadow roots too (out here, `target` is their host). */
export function innermostTarget(e: Event): EventTarget | null {
  return e.composedPath()[0] ?? e.target;
}
