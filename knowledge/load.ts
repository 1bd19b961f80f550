/**
 * Build-time loader: reads knowledge/entries/*.yaml and knowledge/notices.yaml, validates them,
 * and returns the typed knowledge base. Runs in Node (WXT/Vite build, vitest, bench), never in
 * the extension.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import { KnowledgeError, type KnowledgeBase } from './schema';
import { validateEntry, validateKnowledgeBase, validateNotices } from './validate';

/** The knowledge folder shipped with the extension. */
export const KNOWLEDGE_DIR = new URL('.', import.meta.url).pathname;

function readYaml(path: string, shown: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new KnowledgeError(shown, null, `cannot be read: ${(err as Error).message}`);
  }
  try {
    return parse(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new KnowledgeError(shown, null, `is not valid YAML: ${(err as Error).message}`);
  }
}

/** The entry file names in an entries folder, sorted. */
function entryFileNames(entriesDir: string): string[] {
  return readdirSync(entriesDir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();
}

/**
 * Loads a knowledge folder (`entries/` plus `notices.yaml`). Throws a KnowledgeError naming the
 * file and the field on the first file with a problem (every problem of that file). Paths in messages are relative to `cwd`.
 */
export function loadKnowledge(dir: string = KNOWLEDGE_DIR, cwd: string = process.cwd()): KnowledgeBase {
  const shown = (path: string) => relative(cwd, path) || path;
  const entriesDir = join(dir, 'entries');
  let names: string[];
  try {
    names = entryFileNames(entriesDir);
  } catch (err) {
    throw new KnowledgeError(shown(entriesDir), null, `cannot be read: ${(err as Error).message}`);
  }
  const files = names.map((name) => {
    const path = join(entriesDir, name);
    return { file: shown(path), entry: validateEntry(readYaml(path, shown(path)), shown(path)) };
  });
  const noticesPath = join(dir, 'notices.yaml');
  const notices = validateNotices(readYaml(noticesPath, shown(noticesPath)), shown(noticesPath));
  return validateKnowledgeBase(files, notices);
}

/** Every file the knowledge base is built from, for watch mode. */
export function knowledgeFiles(dir: string = KNOWLEDGE_DIR): string[] {
  const entriesDir = join(dir, 'entries');
  return [join(dir, 'notices.yaml'), ...entryFileNames(entriesDir).map((n) => join(entriesDir, n))];
}
