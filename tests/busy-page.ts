/**
 * For the end-to-end tests (Chromium and Firefox): a page that keeps changing. Runs in the page
 * (passed to evaluate): no imports, no closures.
 */

/**
 * Starts a clock whose text the page rewrites in every frame's own callback (requestAnimationFrame)
 * and adds, above it, a paragraph holding an IBKR error with the id `id`.
 */
export function startClockWithError(id: string): void {
  const clock = document.createElement('p');
  document.body.prepend(clock);
  const tick = (t: number) => {
    clock.textContent = `Last tick ${t.toFixed(3)}`;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const p = Object.assign(document.createElement('p'), { id });
  p.textContent = 'The gateway said: Error 326, reqId -1: Unable to connect as the client id is already in use.';
  document.body.prepend(p);
}
