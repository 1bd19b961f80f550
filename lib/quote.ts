/**
 * A user's text inside a message: in quotation marks, white space folded, cut short (with …) so a
 * message never repeats a whole paste. `max` counts characters (code points, so an emoji is never
 * cut in half), the ellipsis included.
 */
export function quoted(text: string, max = 60): string {
  const flat = text.replace(/\s+/g, ' ');
  // Enough of the start to tell whether there are more than `max` code points (at most two units each).
  const chars = Array.from(flat.slice(0, 2 * max + 2));
  return `“${chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('')}”`;
}
