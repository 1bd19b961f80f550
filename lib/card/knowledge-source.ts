/**
 * The entries' text as the card gets it: given at once (tests, extension pages) or asked of the
 * background by entry, the first time a card needs an entry (the content script carries only
 * match data; lib/knowledge-request.ts).
 */
import type { KnowledgeBase, KnowledgeEntry, Notices } from '../../knowledge/schema';

/** Asks for the entries `ids` name; resolves with every entry here so far and the notices. */
export type EntriesLoader = (ids: readonly string[]) => Promise<KnowledgeBase>;

export interface KnowledgeSource {
  /** The notices every card ends with, once an answer is here, else null. */
  readonly notices: Notices | null;
  entry(id: string): KnowledgeEntry | undefined;
  /** Whether the answer about each of `ids` is here (an entry, or that there is none), and the notices. */
  isReady(ids: readonly string[]): boolean;
  /** Runs `then` once `isReady(ids)` (at once when it is already; never when the ask fails). */
  whenReady(ids: readonly string[], then: () => void): void;
}

export function knowledgeSource(given: KnowledgeBase | EntriesLoader): KnowledgeSource {
  const byId = new Map<string, KnowledgeEntry>();
  /** Ids whose answer is here, entry or not. */
  const answered = new Set<string>();
  let notices: Notices | null = null;
  const take = (kb: KnowledgeBase) => {
    notices = kb.notices;
    for (const e of kb.entries) byId.set(e.id, e);
  };
  if (typeof given !== 'function') take(given);
  const isReady = (ids: readonly string[]) => notices !== null && (typeof given !== 'function' || ids.every((id) => answered.has(id)));
  return {
    get notices() {
      return notices;
    },
    entry: (id) => byId.get(id),
    isReady,
    whenReady(ids, then) {
      if (isReady(ids) || typeof given !== 'function') return then();
      given(ids).then(
        (kb) => {
          take(kb);
          for (const id of ids) answered.add(id);
          then();
        },
        // Orphaned by an update of the extension: there is nothing to show.
        () => undefined,
      );
    },
  };
}
