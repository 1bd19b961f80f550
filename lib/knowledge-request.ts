/**
 * The content script's copy of the whole knowledge base, asked of the background the first
 * time a card needs an entry's text. Pages compile the content script on every load, and the
 * entries' text made that compile alone take 40–60 ms (see README, "Where the knowledge lives");
 * the match data it carries is enough to find and mark errors.
 */
import type { KnowledgeBase } from '../knowledge/schema';

/**
 * A loader that asks once and keeps the answer; a failed ask (the extension was updated and this
 * script is orphaned, say) is not kept, so a later call asks again. `ask` returns the JSON text.
 */
export function knowledgeLoader(ask: () => Promise<unknown>): () => Promise<KnowledgeBase> {
  let loading: Promise<KnowledgeBase> | null = null;
  return () =>
    (loading ??= ask().then(parseKnowledge).catch((err: unknown) => {
      loading = null;
      throw err;
    }));
}

/** The knowledge base in the background's answer, or an error that says what was wrong. */
export function parseKnowledge(answer: unknown): KnowledgeBase {
  if (typeof answer !== 'string') throw new Error('IBKR Error Lookup: the background sent no knowledge base');
  const kb = JSON.parse(answer) as KnowledgeBase;
  if (!Array.isArray(kb?.entries) || typeof kb.notices !== 'object') throw new Error('IBKR Error Lookup: the knowledge base the background sent has no entries');
  return kb;
}
