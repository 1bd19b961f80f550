/** The bundled knowledge base, compiled from knowledge/*.yaml at build time. */
import knowledge from 'virtual:ibkr-knowledge';

export type { Category, ContextPattern, Example, KnowledgeBase, KnowledgeEntry, Notices, Severity, Side, Variant } from './schema';
export { CATEGORIES, SEVERITIES } from './schema';
export default knowledge;
