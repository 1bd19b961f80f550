declare module 'virtual:ibkr-knowledge' {
  const knowledge: import('./schema').KnowledgeBase;
  export default knowledge;
  /** Each official message's stems, worked out at build time (lib/message-stems.ts). */
  export const stems: Record<string, import('../lib/message-stems').StemSpec[]>;
}
