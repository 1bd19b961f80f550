declare module 'virtual:ibkr-knowledge' {
  const knowledge: import('./schema').KnowledgeBase;
  export default knowledge;
  /** The official messages' stem index, worked out at build time (lib/message-stems.ts). */
  export const stemIndex: import('../lib/message-stems').StemIndexData;
}

declare module 'virtual:ibkr-match-data' {
  /** The match data (`MatchData`) as JSON. */
  const json: string;
  export default json;
}

declare module 'virtual:ibkr-knowledge-json' {
  /** The whole knowledge base as JSON. */
  const json: string;
  export default json;
}

declare module 'virtual:ibkr-notices' {
  /** The educational boundary and the trademark notice (knowledge/notices.yaml). */
  const notices: import('./schema').Notices;
  export default notices;
}
