/** Messages between the background and the content script. */
export const EXPLAIN_SELECTION = 'ibkr-explain-selection';
export const MENU_ID = 'ibkr-explain-selection';
export const MENU_TITLE = 'Explain selection';

export interface ExplainSelectionMessage {
  type: typeof EXPLAIN_SELECTION;
  text: string;
}

/** A message `{ type, text }` of the given type. */
function isTextMessage(value: unknown, type: string): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === type &&
    typeof (value as { text?: unknown }).text === 'string'
  );
}

export function isExplainSelectionMessage(value: unknown): value is ExplainSelectionMessage {
  return isTextMessage(value, EXPLAIN_SELECTION);
}

/** The content script asks the background for the whole knowledge base (JSON text). */
export const KNOWLEDGE_REQUEST = 'ibkr-knowledge-request';

export interface KnowledgeRequestMessage {
  type: typeof KNOWLEDGE_REQUEST;
}

export function isKnowledgeRequestMessage(value: unknown): value is KnowledgeRequestMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === KNOWLEDGE_REQUEST;
}

/** The content script asks the background for the match data (JSON text) as it starts. */
export const MATCH_DATA_REQUEST = 'ibkr-match-data-request';

export interface MatchDataRequestMessage {
  type: typeof MATCH_DATA_REQUEST;
}

export function isMatchDataRequestMessage(value: unknown): value is MatchDataRequestMessage {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === MATCH_DATA_REQUEST;
}

/**
 * The content script asks the background to explain a text ("Explain selection"): the search
 * that backs it (fuse.js and the search index) lives in the background, not in every page.
 */
export const EXPLAIN_REQUEST = 'ibkr-explain-request';

export interface ExplainRequestMessage {
  type: typeof EXPLAIN_REQUEST;
  text: string;
}

export function isExplainRequestMessage(value: unknown): value is ExplainRequestMessage {
  return isTextMessage(value, EXPLAIN_REQUEST);
}
