/**
 * What the content script asks the background for: the match data as it starts, and the text of
 * the entries the page marks (when idle) or a card needs, entry by entry. Pages compile the content
 * script on every load, and data compiled with it made its first task take 40 to 60 ms and more
 * (see docs/architecture.md, "The knowledge base"); the whole knowledge base as JSON is 614 KB,
 * which a page would parse and keep for the few entries it shows.
 */
import type { KnowledgeBase, KnowledgeEntry, MatchData, Notices } from '../knowledge/schema';

/**
 * A loader that asks once and keeps the parsed answer; a failed ask (the extension was updated and
 * this script is orphaned, say) is not kept, so a later call asks again. `ask` returns JSON text.
 */
export function answerLoader<T>(ask: () => Promise<unknown>, parse: (answer: unknown) => T): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () =>
    (loading ??= ask().then(parse).catch((err: unknown) => {
      loading = null;
      throw err;
    }));
}

/**
 * A loader of entries' text: asks the background for the entries not asked for yet, at most once
 * each while an ask is on its way, and resolves with every entry here so far and the notices. An
 * id the catalog does not hold is answered too (no entry), and not asked again; a failed ask is
 * not kept, so a later call asks again. `ask` returns JSON text (`parseEntries`).
 */
export function entriesLoader(ask: (ids: string[]) => Promise<unknown>): (ids: readonly string[]) => Promise<KnowledgeBase> {
  const entries = new Map<string, KnowledgeEntry>();
  const answered = new Set<string>();
  const onTheirWay = new Map<string, Promise<void>>();
  let notices: Notices | null = null;
  const askFor = (ids: string[]): Promise<void> => {
    const asked = ask(ids)
      .then(parseEntries)
      .then((kb) => {
        notices = kb.notices;
        for (const e of kb.entries) entries.set(e.id, e);
        for (const id of ids) answered.add(id);
      })
      .finally(() => {
        for (const id of ids) if (onTheirWay.get(id) === asked) onTheirWay.delete(id);
      });
    for (const id of ids) onTheirWay.set(id, asked);
    return asked;
  };
  return (ids) => {
    const waits = new Set<Promise<void>>();
    const missing = new Set<string>();
    for (const id of ids) {
      if (answered.has(id)) continue;
      const waiting = onTheirWay.get(id);
      if (waiting) waits.add(waiting);
      else missing.add(id);
    }
    // The notices come with any answer: the first call asks even for no entry.
    if (missing.size > 0 || (notices === null && waits.size === 0)) waits.add(askFor([...missing]));
    return Promise.all(waits).then(() => ({ entries: [...entries.values()], notices: notices! }));
  };
}

/** The entries the background sent (JSON text), or an error that says what was wrong. */
export function parseEntries(answer: unknown): KnowledgeBase {
  if (typeof answer !== 'string') throw new Error('IBKR Error Lookup: the background sent no entries');
  const kb = JSON.parse(answer) as KnowledgeBase;
  if (!Array.isArray(kb?.entries) || typeof kb.notices !== 'object' || kb.notices === null) throw new Error('IBKR Error Lookup: the entries the background sent are not a list with the notices');
  return kb;
}

/** What the background answers for `ids`: their entries (those the catalog holds, at most MAX_ENTRIES_ASKED) and the notices, as JSON text. */
export function entriesAnswer(kb: KnowledgeBase, byId: ReadonlyMap<string, KnowledgeEntry>, ids: unknown): string {
  const list = Array.isArray(ids) ? ids.slice(0, MAX_ENTRIES_ASKED) : [];
  const entries = list.flatMap((id) => (typeof id === 'string' && byId.get(id)) || []);
  return JSON.stringify({ entries, notices: kb.notices });
}

/** Entries one ask names at most (a page's script can send the background anything). */
export const MAX_ENTRIES_ASKED = 1_000;

/** The match data in the background's answer, or an error that says what was wrong. */
export function parseMatchData(answer: unknown): MatchData {
  if (typeof answer !== 'string') throw new Error('IBKR Error Lookup: the background sent no match data');
  const data = JSON.parse(answer) as MatchData;
  if (!Array.isArray(data?.entries) || !Array.isArray(data.stemIndex?.stems)) throw new Error('IBKR Error Lookup: the match data the background sent has no entries');
  return data;
}

/** The knowledge base in the background's answer, or an error that says what was wrong. */
export function parseKnowledge(answer: unknown): KnowledgeBase {
  if (typeof answer !== 'string') throw new Error('IBKR Error Lookup: the background sent no knowledge base');
  const kb = JSON.parse(answer) as KnowledgeBase;
  if (!Array.isArray(kb?.entries) || typeof kb.notices !== 'object') throw new Error('IBKR Error Lookup: the knowledge base the background sent has no entries');
  return kb;
}
