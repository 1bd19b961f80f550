/**
 * What an entry is called where it is shown: `Notice 2104`, `Warning 2104`, `Error 162`, and
 * whether IBKR's TWS API message-code page covers it. Pure, shared by the card, the popup, the
 * analyzer and "Copy as Markdown" so that they all head an entry the same way.
 */
import type { KnowledgeEntry, Severity } from '../knowledge/schema';

/** The word that heads a numbered entry. */
export type KindWord = 'Error' | 'Warning' | 'Notice';

/** The word each severity is headed with when the line gives none (system: the connectivity notices 1100-1300). */
export const KIND_WORDS: Record<Severity, KindWord> = { error: 'Error', warning: 'Warning', info: 'Notice', system: 'Notice' };

type KindEntry = Pick<KnowledgeEntry, 'numericCode' | 'code' | 'severity'>;

/**
 * The kind word a matched text starts with (`Warning 2104, reqId -1: ...`, `Notice { code: 2104`,
 * `ERROR -1 2104 ...`, `[Error] 326`), or null (`errorCode=2104`, `TWS Message: 2 1 2104`).
 */
export function lineKindWord(matchedText: string): KindWord | null {
  const word = /^[\s[(<*]{0,3}(error|warning|warn|notice|info(?:rmation)?)\b/i.exec(matchedText)?.[1].toLowerCase();
  if (word === undefined) return null;
  return word === 'error' ? 'Error' : word.startsWith('warn') ? 'Warning' : 'Notice';
}

/**
 * The heading of an entry: the word the page's line itself uses, else the severity's word, then
 * the code (`Warning 2104`, `Notice 2104`, `Error 162`); the code alone for entries without an
 * IBKR number (`ConnectionRefusedError / WinError 10061`, Client Portal messages). A notice is
 * never headed "Error": the official Python client prints every notice with the word ERROR.
 */
export function kindLabel(entry: KindEntry, lineWord: KindWord | null = null): string {
  if (entry.numericCode === null) return entry.code;
  const word = lineWord === null || (lineWord === 'Error' && entry.severity === 'info') ? KIND_WORDS[entry.severity] : lineWord;
  return `${word} ${entry.numericCode}`;
}

/**
 * True when IBKR's TWS API message-code page lists the entry: numbered socket-API codes. Client
 * Portal entries, library exceptions (no IBKR number) and the C# client's generic -1 are not there.
 */
export function onTwsCodesPage(entry: Pick<KnowledgeEntry, 'numericCode' | 'category'>): boolean {
  return entry.numericCode !== null && entry.numericCode >= 0 && entry.category !== 'cpapi';
}

/** Section headings that fit a notice, where nothing failed: instead of "Likely causes" and "Resolution path". */
export const NOTICE_SECTION_TITLES = { causes: 'Why it appears', resolution: 'What to do' } as const;
