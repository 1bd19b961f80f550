/** The bundled knowledge base, compiled from knowledge/*.yaml at build time. */
import knowledge, { stems } from 'virtual:ibkr-knowledge';

export type { Category, ContextKind, ContextPattern, Example, KnowledgeBase, KnowledgeEntry, Notices, Severity, Side, Variant } from './schema';
export { CATEGORIES, CONTEXT_KINDS, SEVERITIES } from './schema';
export default knowledge;
/** Precomputed message stems: pass to createMatcher so a page does not work them out again. */
export { stems };
