declare module 'virtual:ibkr-knowledge' {
  const knowledge: import('./schema').KnowledgeBase;
  export default knowledge;
}
