/**
 * Tag names as `tagName` may give them, to test what the walk reads without lower-casing it:
 * upper-case for HTML elements, as written (lower-case) in an XHTML document.
 */
export function tagNameSet(tags: Iterable<string>): Set<string> {
  return new Set([...tags].flatMap((t) => [t.toUpperCase(), t.toLowerCase()]));
}

/** Whether a selector is a bare tag name (`svg`, `article`). */
export const isBareTag = (selector: string) => /^[a-z][a-z0-9-]*$/.test(selector);
