/** The bundled knowledge base, compiled from knowledge/*.yaml at build time. */
import knowledge, { stemIndex } from 'virtual:ibkr-knowledge';

export type { Category, ContextKind, ContextPattern, Example, KnowledgeBase, KnowledgeEntry, MatchDataEntry, Notices, Severity, Side, Variant } from './schema';
export { CATEGORIES, CONTEXT_KINDS, SEVERITIES } from './schema';
export default knowledge;
/** The official messages' stem index: pass to createMatcher so a page does not work it out again. */
export { stemIndex };
