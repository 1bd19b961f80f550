/**
 * The reference catalog of IBKR API message codes: the official table (`ibkr-codes.tsv`, every
 * official message variant with its side and severity) and our supplement of codes met at
 * runtime that the official table lacks or gives no text for (`knowledge/runtime-codes.tsv`).
 * Node only (scripts and tests), never in the extension.
 *
 * The official table is read from `../shared/reference/` when that folder sits beside the
 * repository, else from the committed copy in `tests/fixtures/reference/` (a unit test keeps the
 * two identical). The supplement is ours and lives beside the entries.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Severity, Side } from './schema';

export const SHARED_TSV = new URL('../../shared/reference/ibkr-codes.tsv', import.meta.url).pathname;
export const COPY_TSV = new URL('../tests/fixtures/reference/ibkr-codes.tsv', import.meta.url).pathname;
export const RUNTIME_TSV = new URL('./runtime-codes.tsv', import.meta.url).pathname;

const OFFICIAL_HEADER = 'code\tmessage\tside\tseverity\tsource';
const RUNTIME_HEADER = 'code\tmessage\tside\tseverity\tseen';

export interface ReferenceRow {
  code: number;
  message: string;
  side: Side;
  /** As the TSV gives it: `?` where the sources state none. */
  severity: Severity | '?';
  /** Where the row comes from: the official table's source, or where a runtime text was seen. */
  source: string;
}

/** The official table's stand-in where it gives a code but no text (10091). */
export const NO_TEXT = /^\(no message text/;

/** Whether a row carries a real message text (not empty, not the no-text stand-in). */
export function hasText(row: ReferenceRow): boolean {
  return row.message.trim() !== '' && !NO_TEXT.test(row.message);
}

export function referencePath(): string {
  return existsSync(SHARED_TSV) ? SHARED_TSV : COPY_TSV;
}

function readTsv(path: string, header: string): ReferenceRow[] {
  const [first, ...lines] = readFileSync(path, 'utf8').split('\n');
  if (first.trim() !== header) throw new Error(`${path}: unexpected header "${first}"`);
  return lines
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const [code, message, side, severity, source] = line.split('\t');
      if (!/^-?\d+$/.test(code) || (side !== 'server' && side !== 'client')) {
        throw new Error(`${path}:${i + 2}: malformed row "${line.slice(0, 80)}"`);
      }
      return { code: Number(code), message, side, severity: severity as ReferenceRow['severity'], source };
    });
}

/** The official table. */
export function readReference(path: string = referencePath()): ReferenceRow[] {
  return readTsv(path, OFFICIAL_HEADER);
}

/**
 * Our supplement: codes seen at runtime (in public threads and client code) that the official
 * table lacks or gives no text for. Every row states its severity and where it was seen.
 */
export function readRuntimeCodes(path: string = RUNTIME_TSV): ReferenceRow[] {
  const rows = readTsv(path, RUNTIME_HEADER);
  for (const r of rows) {
    if (r.severity === '?' || r.source.trim() === '') throw new Error(`${path}: code ${r.code} needs a severity and where it was seen`);
  }
  return rows;
}

/** Rows grouped by code, in the TSVs' order: the official table first, then the supplement. */
export function referenceByCode(rows: ReferenceRow[] = [...readReference(), ...readRuntimeCodes()]): Map<number, ReferenceRow[]> {
  const byCode = new Map<number, ReferenceRow[]>();
  for (const r of rows) {
    const list = byCode.get(r.code) ?? [];
    list.push(r);
    byCode.set(r.code, list);
  }
  return byCode;
}

/** The connectivity notices the docs list as "system" codes. */
export const SYSTEM_CODES = new Set([1100, 1101, 1102, 1300]);

/**
 * Severity shown to users: the TSV's, with `?` on the system codes made `system`, and the
 * farm-status notices people keep mistaking for failures made `info`.
 */
export function severityOf(code: number, rows: ReferenceRow[]): Severity {
  if (SYSTEM_CODES.has(code)) return 'system';
  if (code === 2119) return 'info';
  const given = rows.find((r) => r.severity !== '?')?.severity;
  return (given as Severity | undefined) ?? 'error';
}
