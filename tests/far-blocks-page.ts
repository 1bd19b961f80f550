/**
 * For the end-to-end tests (Chromium and Firefox), on tests/e2e/pages/github-far-below.html. Runs
 * in the page (passed to evaluate): no imports, no closures.
 */

/**
 * Removes the section above the far mention (#filler) and appends as tall a block at the end of
 * the body, in one task: the far mention comes into view with no scroll, and the document keeps
 * its size. Returns the document's height before and after, the far mention's top and the viewport's height.
 */
export function bringFarMentionUp(): { before: number; after: number; farTop: number; viewport: number } {
  const root = document.documentElement;
  const before = root.getBoundingClientRect().height;
  document.getElementById('filler')!.remove();
  const tail = document.body.appendChild(document.createElement('div'));
  tail.style.height = `${before - root.getBoundingClientRect().height}px`;
  return { before, after: root.getBoundingClientRect().height, farTop: document.getElementById('far')!.getBoundingClientRect().top, viewport: innerHeight };
}

/** The attribute change that brings the far panel into view in `buildAttributeShell`'s shell. */
export type AttributeMove = 'class' | 'hidden' | 'style' | 'details';

/** Which attribute change, and whether the shell is in an open shadow root. */
export interface AttributeShell {
  how: AttributeMove;
  inShadow: boolean;
}

/**
 * An app shell the size of the viewport (fixed: the document's size is not its business), put in
 * the page or in an open shadow root (`inShadow`), with a panel holding an IBKR error 3,000 px down,
 * below a tall section (`#above`: a `<details>` open, for `details`). The shell scrolls (a
 * scrollbar always there, so that its content's height changes no block's width) or, for `details`,
 * does not scroll at all.
 */
export function buildAttributeShell({ how, inShadow }: AttributeShell): void {
  const parent = inShadow ? document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' }) : document.body;
  const shell = document.createElement('div');
  shell.id = 'shell';
  shell.style.cssText = `position: fixed; inset: 0; background: #fff; overflow-y: ${how === 'details' ? 'hidden' : 'scroll'}`;
  const above =
    how === 'details'
      ? '<details id="above" open><summary>Older comments</summary><div style="height: 3000px"></div></details>'
      : '<section id="above" style="height: 3000px"><p>The scanner wrote its results to the database.</p></section>';
  shell.innerHTML = `<style>#shell.moved #above { display: none; }</style>${above}<section id="panel"><p id="in-panel">The gateway said: Error 326, reqId -1: Unable to connect as the client id is already in use.</p></section>`;
  parent.append(shell);
}

/**
 * Brings the shell's far panel into view by one attribute change: the shell's class (which hides
 * the section above), the section's `hidden`, the panel's `style` (moved up by a transform), the
 * `<details>` above closed. No node changes, nothing scrolls, the document keeps its size. Returns
 * the document's height before and after, the panel's top, the viewport's height and the scroll offsets.
 */
export function moveByAttribute({ how, inShadow }: AttributeShell): { before: number; after: number; panelTop: number; viewport: number; scrolled: number } {
  const tree: ParentNode = inShadow ? document.body.lastElementChild!.shadowRoot! : document;
  const shell = tree.querySelector('#shell') as HTMLElement;
  const above = tree.querySelector('#above') as HTMLElement;
  const before = document.documentElement.getBoundingClientRect().height;
  if (how === 'class') shell.classList.add('moved');
  else if (how === 'hidden') above.hidden = true;
  else if (how === 'style') (tree.querySelector('#panel') as HTMLElement).style.transform = 'translateY(-3000px)';
  else (above as HTMLDetailsElement).open = false;
  const panelTop = tree.querySelector('#in-panel')!.getBoundingClientRect().top;
  return { before, after: document.documentElement.getBoundingClientRect().height, panelTop, viewport: innerHeight, scrolled: scrollY + shell.scrollTop };
}
