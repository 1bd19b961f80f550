/**
 * Compiles the YAML knowledge base into the typed module `virtual:ibkr-knowledge` at build time.
 * A malformed entry throws here, so `wxt build` (and vitest) fail with the file and field named.
 *
 * IBKR_KNOWLEDGE_DIR points the build at another knowledge folder (used by the tests that prove a
 * broken entry fails the build).
 */
import type { Plugin } from 'vite';
import { KNOWLEDGE_DIR, knowledgeFiles, loadKnowledge } from './load';
import { stemsOf, type StemSpec } from '../lib/message-stems';
import type { KnowledgeBase } from './schema';

export const KNOWLEDGE_MODULE_ID = 'virtual:ibkr-knowledge';
const RESOLVED_ID = '\0' + KNOWLEDGE_MODULE_ID;

export function knowledgePlugin(dir: string = process.env.IBKR_KNOWLEDGE_DIR || KNOWLEDGE_DIR): Plugin {
  let kb: KnowledgeBase | undefined;
  return {
    name: 'ibkr-knowledge',
    // Load and validate once up front so a broken entry stops the build before anything is
    // bundled; watch mode runs this again on every rebuild.
    buildStart() {
      kb = loadKnowledge(dir);
      for (const file of knowledgeFiles(dir)) this.addWatchFile(file);
    },
    resolveId(id) {
      return id === KNOWLEDGE_MODULE_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      if (id !== RESOLVED_ID) return undefined;
      kb ??= loadKnowledge(dir);
      // A JSON string parsed at run time, not an object literal: V8 compiles a 400 KB string and
      // JSON.parse far faster than the same data as JavaScript, and the content script pays that
      // on every page it runs on (see README, "Where the knowledge lives").
      // The matcher's message stems are worked out here, once, rather than on every page the
      // content script starts on (lib/message-stems.ts: `stemsOf` is the costly part of building
      // the matcher).
      const stems: Record<string, StemSpec[]> = {};
      for (const e of kb.entries) for (const m of e.match.messages) stems[m] ??= stemsOf(m);
      return (
        `export default JSON.parse(${JSON.stringify(JSON.stringify(kb))});\n` +
        `export const stems = JSON.parse(${JSON.stringify(JSON.stringify(stems))});\n`
      );
    },
  };
}
