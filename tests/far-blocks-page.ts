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
