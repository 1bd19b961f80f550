/**
 * Compiles the YAML knowledge base into the typed module `virtual:ibkr-knowledge` at build time.
 * A malformed entry throws here, so `wxt build` (and vitest) fail with the file and field named.
 *
 * IBKR_KNOWLEDGE_DIR points the build at another knowledge folder (used by the tests that prove a
 * broken entry fails the build).
 */
import type { Plugin } from 'vite';
import { KNOWLEDGE_DIR, knowledgeFiles, loadKnowledge } from './load';
import { buildStemIndexData, wordAnchor, type StemIndexData } from '../lib/message-stems';
import type { KnowledgeBase, KnowledgeEntry, MatchDataEntry } from './schema';

/** The whole knowledge base: extension pages (popup, options, analyzer). */
export const KNOWLEDGE_MODULE_ID = 'virtual:ibkr-knowledge';
/** What the content script needs to find and mark errors (JSON text the background hands it). */
export const MATCH_DATA_MODULE_ID = 'virtual:ibkr-match-data';
/** The whole knowledge base as one JSON string: what the background hands to content scripts. */
export const KNOWLEDGE_JSON_MODULE_ID = 'virtual:ibkr-knowledge-json';
/** The educational boundary and the trademark notice alone: pages that show nothing else of the base. */
export const NOTICES_MODULE_ID = 'virtual:ibkr-notices';
const MODULE_IDS = [KNOWLEDGE_MODULE_ID, MATCH_DATA_MODULE_ID, KNOWLEDGE_JSON_MODULE_ID, NOTICES_MODULE_ID];

/**
 * An entry as the content script carries it: what the matcher reads, plus the severity that
 * styles a marker and decides the badge.
 */
export function matchDataEntry(e: KnowledgeEntry): MatchDataEntry {
  return {
    id: e.id,
    numericCode: e.numericCode,
    severity: e.severity,
    variants: e.variants.map((v) => ({ id: v.id, pattern: v.pattern })),
    match: { contextual: e.match.contextual.map((p) => ({ ...p, anchor: wordAnchor(p.source) })), ...(e.match.context ? { context: e.match.context } : {}) },
  };
}

export function knowledgePlugin(dir: string = process.env.IBKR_KNOWLEDGE_DIR || KNOWLEDGE_DIR): Plugin {
  let kb: KnowledgeBase | undefined;
  let index: StemIndexData | undefined;
  return {
    name: 'ibkr-knowledge',
    // Load and validate once up front so a broken entry stops the build before anything is
    // bundled; watch mode runs this again on every rebuild.
    buildStart() {
      kb = loadKnowledge(dir);
      index = undefined;
      for (const file of knowledgeFiles(dir)) this.addWatchFile(file);
    },
    resolveId(id) {
      return MODULE_IDS.includes(id) ? '\0' + id : undefined;
    },
    load(id) {
      if (!id.startsWith('\0') || !MODULE_IDS.includes(id.slice(1))) return undefined;
      kb ??= loadKnowledge(dir);
      // JSON strings parsed at run time, not object literals: V8 compiles a string and
      // JSON.parse far faster than the same data as JavaScript. Even so, compiling the knowledge
      // base took the content script's start past 50 ms on every page, so the content script
      // carries none of it: the background hands it the match data at start and the entries' text
      // when a card needs it (docs/architecture.md, "The knowledge base").
      // The official messages' stem index is worked out here, once, rather than on every page
      // (lib/message-stems.ts: working out stems is the costly part of building the matcher).
      const json = (value: unknown) => JSON.stringify(JSON.stringify(value));
      // Worked out once per build: both the whole base and the match data carry it.
      const stemIndex = () =>
        (index ??= buildStemIndexData(kb!.entries.flatMap((e) => e.match.messages.map((message) => ({ entryId: e.id, message })))));
      switch (id.slice(1)) {
        case KNOWLEDGE_MODULE_ID:
          return `export default JSON.parse(${json(kb)});\nexport const stemIndex = JSON.parse(${json(stemIndex())});\n`;
        case NOTICES_MODULE_ID:
          // A few hundred bytes: an object literal costs nothing to compile.
          return `export default ${JSON.stringify(kb.notices)};\n`;
        case MATCH_DATA_MODULE_ID:
          // JSON text: the background hands it to content scripts, which parse it when it arrives.
          return `export default ${json({ entries: kb.entries.map(matchDataEntry), stemIndex: stemIndex() })};\n`;
        default:
          return `export default ${json(kb)};\n`;
      }
    },
  };
}
