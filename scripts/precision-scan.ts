/**
 * Precision on text that is not about IBKR: matches every documentation file (Markdown, text,
 * reStructuredText, HTML, READMEs and changelogs) under the folders given, once as a page without
 * IBKR context and once as if IBKR and Client Portal context were given (a page about the API
 * quoting someone else's docs), and prints each mark with its file and surroundings. Every mark
 * it prints is a look-alike to weigh (`npx tsx scripts/precision-scan.ts node_modules /usr/share/doc`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadKnowledge } from '../knowledge/load';
import { createMatcher, type MatchOptions } from '../lib/matcher';

const DOC_FILE = /\.(md|markdown|txt|rst|html?)$|^(README|CHANGELOG|CHANGES|NEWS|HISTORY)(\.(md|txt|rst))?$/i;
// Folders of IBKR libraries would be real mentions, not look-alikes.
const IBKR_FOLDER = /ibkr|ib_insync|ib_async|ibapi|ibind|ibeam/i;
const MAX_FILE = 3_000_000;

function docFiles(folder: string, out: string[] = []): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!IBKR_FOLDER.test(entry.name)) docFiles(path, out);
    } else if (entry.isFile() && DOC_FILE.test(entry.name) && statSync(path).size <= MAX_FILE) {
      out.push(path);
    }
  }
  return out;
}

const folders = process.argv.slice(2);
if (folders.length === 0) {
  console.error('usage: npx tsx scripts/precision-scan.ts <folder> [folder ...]');
  process.exit(2);
}
const matcher = createMatcher(loadKnowledge().entries);
const files = folders.flatMap((folder) => docFiles(folder));
const modes: [string, MatchOptions][] = [
  ['no context', {}],
  ['IBKR and Client Portal context given', { context: true, cpapiContext: true }],
];
let characters = 0;
const texts = files.map((file) => {
  const text = readFileSync(file, 'utf8');
  characters += text.length;
  return text;
});
for (const [mode, options] of modes) {
  let marks = 0;
  texts.forEach((text, i) => {
    for (const m of matcher.find(text, options)) {
      marks++;
      const around = text.slice(Math.max(0, m.start - 60), m.end + 40).replace(/\s+/g, ' ');
      console.log(`  ${m.entryId}  ${JSON.stringify(text.slice(m.start, m.end))}  ${files[i]}\n      …${around}…`);
    }
  });
  console.log(`${mode}: ${marks} marks in ${files.length} files, ${(characters / 1e6).toFixed(1)} M characters`);
}
