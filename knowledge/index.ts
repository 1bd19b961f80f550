/** The bundled knowledge base, compiled from knowledge/*.yaml at build time. */
import knowledge from 'virtual:ibkr-knowledge';

export type { ContextPattern, KnowledgeBase, KnowledgeEntry, Notices } from './schema';
export default knowledge;
