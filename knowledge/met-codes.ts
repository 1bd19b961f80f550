/**
 * The codes people meet, as measured in public threads (`knowledge/met-codes.tsv`; how it was
 * measured is in knowledge/README.md): each row is an entry, the code it was counted under, and
 * every distinct thread counted. Node only (scripts and tests), never in the extension.
 */
import { readFileSync } from 'node:fs';
import type { KnowledgeEntry } from './schema';

export const MET_CODES_TSV = new URL('./met-codes.tsv', import.meta.url).pathname;

export interface MetCode {
  /** The entry the mentions land on: `ibkr-162`, or a text entry such as `api-connection-failed`. */
  entry: string;
  /** The numeric code counted, or `-` for a text-only error. */
  code: string;
  /** Distinct threads counted. */
  threads: number;
  /** Every counted thread, once. */
  urls: string[];
}

export function readMetCodes(path: string = MET_CODES_TSV): MetCode[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n');
  if (header.trim() !== 'entry\tcode\tthreads\turls') throw new Error(`${path}: unexpected header "${header}"`);
  return lines
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const [entry, code, threads, urls] = line.split('\t');
      if (!/^[a-z0-9-]+$/.test(entry) || !/^\d+$/.test(threads) || urls === undefined) {
        throw new Error(`${path}:${i + 2}: malformed row "${line.slice(0, 80)}"`);
      }
      return { entry, code, threads: Number(threads), urls: urls.split(' ').filter(Boolean) };
    });
}

/** A full entry: what it means (the summary every entry has) plus symptoms, causes, checks and resolution. */
export function isFullEntry(e: KnowledgeEntry): boolean {
  return e.symptoms.length > 0 && e.causes.length > 0 && e.checks.length > 0 && e.resolution.length > 0;
}

/** The share of counted mentions that land on a full entry (0 to 1). */
export function fullEntryShare(met: readonly MetCode[], entries: readonly KnowledgeEntry[]): number {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const total = met.reduce((n, m) => n + m.threads, 0);
  const full = met.filter((m) => byId.has(m.entry) && isFullEntry(byId.get(m.entry)!)).reduce((n, m) => n + m.threads, 0);
  return total === 0 ? 0 : full / total;
}
