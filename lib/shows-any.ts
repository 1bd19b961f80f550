/** Whether `text` holds a match of any of `regexes` (a plain loop: asked of every run a page matches). */
export function showsAny(regexes: readonly RegExp[], text: string): boolean {
  for (let i = 0; i < regexes.length; i++) if (regexes[i].test(text)) return true;
  return false;
}
