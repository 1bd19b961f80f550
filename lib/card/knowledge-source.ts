/**
 * The entries' text as the card gets it: given at once (tests, extension pages) or asked of the
 * background the first time a card needs it (the content script carries only match data).
 */
import type { KnowledgeBase, KnowledgeEntry } from '../../knowledge/schema';

export interface KnowledgeSource {
  /** The knowledge base once it is here, else null. */
  readonly current: KnowledgeBase | null;
  entry(id: string): KnowledgeEntry | undefined;
  /** Runs `then` once the knowledge base is here (at once when it is already). */
  whenReady(then: () => void): void;
}

export function knowledgeSource(given: KnowledgeBase | (() => Promise<KnowledgeBase>)): KnowledgeSource {
  let current: KnowledgeBase | null = typeof given === 'function' ? null : given;
  let byId = new Map(current?.entries.map((e) => [e.id, e]));
  return {
    get current() {
      return current;
    },
    entry: (id) => byId.get(id),
    whenReady(then) {
      if (current !== null || typeof given !== 'function') return then();
      given().then(
        (kb) => {
          if (current === null) {
            current = kb;
            byId = new Map(kb.entries.map((e) => [e.id, e]));
          }
          then();
        },
        // Orphaned by an update of the extension: there is nothing to show.
        () => undefined,
      );
    },
  };
}
