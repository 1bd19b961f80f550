/**
 * The reference catalog of IBKR API message codes (`ibkr-codes.tsv`): every official message
 * variant with its side and severity. Node only (scripts and tests), never in the extension.
 *
 * Read from `../shared/reference/` when that folder sits beside the repository, else from the
 * committed copy in `tests/fixtures/reference/` (a unit test keeps the two identical).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Severity, Side } from './schema';

export const SHARED_TSV = new URL('../../shared/reference/ibkr-codes.tsv', import.meta.url).pathname;
export const COPY_TSV = new URL('../tests/fixtures/reference/ibkr-codes.tsv', import.meta.url).pathname;

export interface ReferenceRow {
  code: number;
  message: string;
  side: Side;
  /** As the TSV gives it: `?` where the sources state none. */
  severity: Severity | '?';
  source: string;
}

export function referencePath(): string {
  return existsSync(SHARED_TSV) ? SHARED_TSV : COPY_TSV;
}

export function readReference(path: string = referencePath()): ReferenceRow[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n');
  if (header.trim() !== 'code\tmessage\tside\tseverity\tsource') throw new Error(`${path}: unexpected header "${header}"`);
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

/** Rows grouped by code, in the TSV's order. */
export function referenceByCode(rows: ReferenceRow[] = readReference()): Map<number, ReferenceRow[]> {
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
