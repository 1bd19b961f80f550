/**
 * A cheap test of what an element must show for a selector of a list to match it, so that
 * `matches` is called only where one could: `el.matches` with a long list for every element with
 * attributes was the walk's largest single cost, and it grows with the number of selectors and
 * their attribute values. Worked out from the selectors when the script starts (no hand-kept
 * list that could drift): each selector is keyed on one feature of its subject (the part right of
 * its last combinator): a class, else the name of its first id or attribute selector, else its
 * tag (with a look at the sibling or parent a `+` or `>` names). It tells which lists may match,
 * and may let an element through that no selector matches (the callers match the lists then),
 * never the other way round. A selector it cannot read is matched on every element.
 */
import { isBareTag, tagNameSet } from './tag-names';

/** One compound selector's parts (`h1`, `.a.b`, `[x="y"]#z`). */
interface Compound {
  tag: string | null;
  classes: string[];
  /** Ids and attribute selectors, as written. */
  others: string[];
}

/** A complex selector: its compounds, and the combinator before each but the first. */
interface Parsed {
  compounds: Compound[];
  combinators: string[];
}

const SIMPLE = /^(?:([a-zA-Z][\w-]*)|\.(-?[_a-zA-Z][\w-]*)|(#-?[_a-zA-Z][\w-]*|\[[a-zA-Z_][\w-]*(?:=(?:"[^"\\]*"|[_a-zA-Z][\w-]*))?\]))/;
const COMBINATOR = /^\s*([>+~])\s*|^\s+/;

/** The selector's parts, or null when it uses anything else (pseudo-classes, `*`, escapes, namespaces…). */
export function parseSelector(selector: string): Parsed | null {
  const compounds: Compound[] = [];
  const combinators: string[] = [];
  let rest = selector.trim();
  let current: Compound = { tag: null, classes: [], others: [] };
  let empty = true;
  while (rest) {
    const simple = SIMPLE.exec(rest);
    if (simple) {
      if (simple[1]) {
        if (!empty) return null; // a type selector comes first in a compound
        current.tag = simple[1].toLowerCase();
      } else if (simple[2]) current.classes.push(simple[2]);
      else current.others.push(simple[3]);
      empty = false;
      rest = rest.slice(simple[0].length);
      continue;
    }
    const combinator = COMBINATOR.exec(rest);
    if (!combinator || empty) return null;
    compounds.push(current);
    combinators.push(combinator[1] ?? ' ');
    current = { tag: null, classes: [], others: [] };
    empty = true;
    rest = rest.slice(combinator[0].length);
  }
  if (empty) return null;
  compounds.push(current);
  return { compounds, combinators };
}

/** A test an element passes when it may match a compound (never fails one that does). */
type Check = (el: Element) => boolean;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Class names as one test of an element's `class` attribute: case-insensitive, and any white
 * space as a separator, so it also lets through what a quirks-mode page matches.
 */
function classRegExp(names: Iterable<string>): RegExp | null {
  const list = [...new Set(names)];
  return list.length ? new RegExp(`(?:^|\\s)(?:${list.map(escapeRegExp).join('|')})(?![^\\s])`, 'i') : null;
}

/** What a compound asks of an element, for a look at a neighbour: its class, else its other parts, else its tag. */
function compoundCheck(compound: Compound): Check {
  if (compound.classes.length) {
    const re = classRegExp(compound.classes.slice(0, 1))!;
    return (el) => re.test(el.getAttribute('class') ?? '');
  }
  if (compound.others.length) {
    const selector = compound.others.join('');
    return (el) => el.matches(selector);
  }
  const tags = tagNameSet([compound.tag!]);
  return (el) => tags.has(el.localName);
}

/** A tag-keyed selector's check, and the list it is in (its bit). */
interface Gated {
  check: Check;
  bit: number;
}

/** A check for a tag-keyed selector: its neighbour's (a `+` or `>` names it), then the selector itself. */
function tagGatedCheck(selector: string, parsed: Parsed): Check {
  const n = parsed.compounds.length;
  const combinator = parsed.combinators[n - 2];
  const neighbour = compoundCheck(parsed.compounds[n - 2]);
  if (combinator === '+') {
    return (el) => {
      const prev = el.previousElementSibling;
      return prev !== null && neighbour(prev) && el.matches(selector);
    };
  }
  if (combinator === '>') {
    return (el) => {
      const parent = el.parentElement;
      return parent !== null && neighbour(parent) && el.matches(selector);
    };
  }
  return (el) => el.matches(selector);
}

/**
 * An id or attribute selector reduced to what it names (`[contenteditable="true"]` to
 * `[contenteditable]`): `matches` takes longer over attribute values, and one list of names
 * serves several selectors.
 */
const namedBy = (simple: string) => (simple.startsWith('#') ? simple : `[${/^\[([\w-]+)/.exec(simple)![1]}]`);

export interface SelectorPrefilter {
  /**
   * Which lists may match `el`, a bit each (list i: bit 1 << i), leaving out the lists' bare tag
   * names (the caller tells them by the tag name it has): a bit is clear only when no selector of
   * that list matches.
   */
  lists(el: Element, tagName: string): number;
  /** The selectors no key was found for (matched on every element): none for the built-in lists. */
  readonly unkeyed: readonly string[];
}

/** One list's keys: its subjects' class names, ids (`#x`) and attribute names, its selectors without a key. */
interface ListKeys {
  classes: Set<string>;
  names: Set<string>;
  unkeyed: string[];
}

/** Sorts a list's selectors by their subject's key; tag-keyed ones go to `gated`. */
function keysOf(selectors: readonly string[], bit: number, gated: Map<string, Gated[]>): ListKeys {
  const keys: ListKeys = { classes: new Set(), names: new Set(), unkeyed: [] };
  for (const selector of selectors) {
    const parsed = parseSelector(selector);
    const subject = parsed?.compounds.at(-1);
    if (!parsed || !subject) keys.unkeyed.push(selector);
    else if (subject.classes.length) keys.classes.add(subject.classes[0]);
    else if (subject.others.length) keys.names.add(namedBy(subject.others[0]));
    else {
      const check = tagGatedCheck(selector, parsed);
      for (const tag of tagNameSet([subject.tag!])) gated.set(tag, [...(gated.get(tag) ?? []), { check, bit }]);
    }
  }
  return keys;
}

/** A list's tests, as run for an element. */
interface ListTests {
  classes: RegExp | null;
  /** Its ids and attribute names as one selector (empty: none). */
  names: string;
  /** Its selectors without a key, as one (empty: none). */
  unkeyed: string;
}

const listTests = (keys: ListKeys): ListTests => ({ classes: classRegExp(keys.classes), names: [...keys.names].join(','), unkeyed: keys.unkeyed.join(',') });

/** The prefilter for lists of selectors, bare tag names left out (they are the caller's). */
export function selectorPrefilter(lists: readonly (readonly string[])[]): SelectorPrefilter {
  const gated = new Map<string, Gated[]>();
  const keys = lists.map((selectors, i) => keysOf(selectors.filter((s) => !isBareTag(s)), 1 << i, gated));
  const tests = keys.map(listTests);
  // One test of each kind for all lists first: most elements pass none.
  const { classes: anyClass, names: anyName, unkeyed: anyUnkeyed } = listTests({
    classes: new Set(keys.flatMap((k) => [...k.classes])),
    names: new Set(keys.flatMap((k) => [...k.names])),
    unkeyed: keys.flatMap((k) => k.unkeyed),
  });
  return {
    unkeyed: keys.flatMap((k) => k.unkeyed),
    lists(el, tagName) {
      let bits = 0;
      // As few calls into the page's DOM as can be (each costs about what a short `matches` does):
      // the class is read first, and only an element without one is asked whether it has attributes.
      const cls = el.getAttribute('class');
      if (cls !== null && anyClass !== null && anyClass.test(cls)) bits |= listBits(tests, (t) => t.classes !== null && t.classes.test(cls));
      if (anyName !== '' && (cls !== null || el.hasAttributes()) && el.matches(anyName)) bits |= listBits(tests, (t) => t.names !== '' && el.matches(t.names));
      const checks = gated.get(tagName) ?? (tagName.includes(':') ? gated.get(el.localName) : undefined);
      if (checks) for (const { check, bit } of checks) if ((bits & bit) === 0 && check(el)) bits |= bit;
      if (anyUnkeyed && el.matches(anyUnkeyed)) bits |= listBits(tests, (t) => t.unkeyed !== '' && el.matches(t.unkeyed));
      return bits;
    },
  };
}

/** The bits of the lists whose test passes. */
function listBits(tests: readonly ListTests[], passes: (t: ListTests) => boolean): number {
  let bits = 0;
  for (let i = 0; i < tests.length; i++) if (passes(tests[i])) bits |= 1 << i;
  return bits;
}
