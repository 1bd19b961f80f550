/**
 * What the content script asks the background for: the match data as it starts, the whole
 * knowledge base the first time a card needs an entry's text. Pages compile the content script on
 * every load, and data compiled with it made its first task take 40 to 60 ms and more (see
 * docs/architecture.md, "The knowledge base").
 */
import type { KnowledgeBase, MatchData } from '../knowledge/schema';

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

/** A loader of the whole knowledge base. */
export function knowledgeLoader(ask: () => Promise<unknown>): () => Promise<KnowledgeBase> {
  return answerLoader(ask, parseKnowledge);
}

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
