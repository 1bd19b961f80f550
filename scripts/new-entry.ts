/**
 * Scaffolds knowledge entries from the reference catalog (ibkr-codes.tsv):
 *
 *   npm run new-entry -- 10197          one code
 *   npm run new-entry -- --missing      every code that has no entry yet
 *
 * The scaffold carries the facts (code, side, severity, every official message verbatim, an
 * example line per message) and a guessed category; the title and summary are left as TODO for
 * an author to write in our own words (the knowledge tests reject TODO text). An existing entry
 * is never overwritten.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import { KNOWLEDGE_DIR } from '../knowledge/load';
import { referenceByCode, severityOf, type ReferenceRow } from '../knowledge/reference';
import type { Category } from '../knowledge/schema';

const CONNECTIVITY = new Set([326, 502, 504, 1100, 1101, 1102, 1300, 2103, 2104, 2105, 2106, 2107, 2108, 2110, 2119, 2157, 2158]);

/** A first guess at the catalog group; authors correct it. */
export function guessCategory(code: number, messages: string[]): Category {
  const text = messages.join(' ').toLowerCase();
  if (CONNECTIVITY.has(code) || /farm|connectivity|socket port/.test(text)) return 'connectivity';
  if (code >= 501 && code <= 593) return 'client-library';
  if (/historical|hmds|head time stamp/.test(text)) return 'historical-data';
  if (/market data|ticker|tick-by-tick|market depth|scanner/.test(text)) return 'market-data';
  if (/\bfa\b|financial advisor|allocation|account/.test(text)) return 'account-fa';
  if (/contract|security definition|conid|symbol|exchange|expir/.test(text)) return 'contracts';
  if (/order|price|quantity|tif|\blimit\b/.test(text)) return 'orders';
  return 'configuration';
}

/** The line ib_insync / ib_async would log for this message (the most pasted format). */
function exampleLine(code: number, message: string): string {
  return `Error ${code}, reqId ${code >= 501 && code <= 593 ? -1 : 1}: ${message}`;
}

export function scaffold(code: number, rows: ReferenceRow[]): string {
  const messages = [...new Set(rows.map((r) => r.message).filter((m) => m.trim() !== ''))];
  const doc = new Document({
    id: `ibkr-${code}`,
    category: guessCategory(code, messages),
    severity: severityOf(code, rows),
    side: rows[0].side,
    code,
    title: 'TODO title',
    summary: 'TODO summary: what it means and what to do first',
    match: { messages },
    examples: messages.map((m) => exampleLine(code, m)),
  });
  doc.commentBefore = ` Knowledge entry. Schema: knowledge/schema.ts. Guide: knowledge/README.md.\n Scaffolded from ibkr-codes.tsv by npm run new-entry.`;
  return doc.toString({ lineWidth: 0 });
}

function main(args: string[]): void {
  const byCode = referenceByCode();
  const codes = args.includes('--missing') ? [...byCode.keys()] : args.filter((a) => !a.startsWith('--')).map(Number);
  if (codes.length === 0) {
    console.error('usage: npm run new-entry -- <code> [<code> ...] | --missing');
    process.exit(2);
  }
  let written = 0;
  for (const code of codes) {
    const rows = byCode.get(code);
    if (!rows) {
      console.error(`${code}: not a code in ibkr-codes.tsv or knowledge/runtime-codes.tsv`);
      process.exitCode = 1;
      continue;
    }
    const file = join(KNOWLEDGE_DIR, 'entries', `ibkr-${code}.yaml`);
    if (existsSync(file)) {
      if (!args.includes('--missing')) console.error(`${file}: exists already; left as it is`);
      continue;
    }
    writeFileSync(file, scaffold(code, rows));
    written++;
    console.log(`wrote ${file}`);
  }
  console.log(`${written} entr${written === 1 ? 'y' : 'ies'} scaffolded`);
}

main(process.argv.slice(2));
