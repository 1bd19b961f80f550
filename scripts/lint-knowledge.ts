/**
 * For authors: validates the knowledge base and lists every editorial problem at once.
 *   npm run lint:knowledge              all entries
 *   npm run lint:knowledge -- 100 449   only codes in that range (inclusive)
 */
import { loadKnowledge } from '../knowledge/load';
import { readMetCodes } from '../knowledge/met-codes';
import { qualityProblems } from '../knowledge/quality';

const [from, to] = process.argv.slice(2).map(Number);
const kb = loadKnowledge();
const inRange = (code: number | null) => from === undefined || (code !== null && code >= from && code <= (to ?? from));
const metEntryIds = new Set(readMetCodes().map((m) => m.entry));
const problems = qualityProblems(kb.entries, metEntryIds).filter((p) => {
  const id = p.slice(0, p.indexOf(':'));
  const e = kb.entries.find((x) => x.id === id);
  return inRange(e?.numericCode ?? null) || (from === undefined);
});
for (const p of problems) console.log(p);
console.log(`${kb.entries.length} entries, ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
process.exitCode = problems.length > 0 ? 1 : 0;
