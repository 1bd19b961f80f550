/**
 * The reference list of Client Portal Web API messages (`cpapi-messages.tsv`): one row per message
 * users of the Web API meet, with its kind, status, endpoint, verbatim text and how often public
 * threads show it. Node only (tests and tools), never in the extension.
 *
 * Read from `../shared/reference/` when that folder sits beside the repository, else from the
 * committed copy in `tests/fixtures/reference/` (a unit test keeps the two identical).
 */
import { existsSync, readFileSync } from 'node:fs';

export const SHARED_CPAPI_TSV = new URL('../../shared/reference/cpapi-messages.tsv', import.meta.url).pathname;
export const COPY_CPAPI_TSV = new URL('../tests/fixtures/reference/cpapi-messages.tsv', import.meta.url).pathname;

export const CPAPI_KINDS = ['order-reply', 'http-error', 'auth', 'gateway-log', 'websocket', 'oauth', 'library'] as const;
export type CpapiKind = (typeof CPAPI_KINDS)[number];

export interface CpapiRow {
  /** The row's slug (`o163`, `cpapi-no-bridge`, `ibeam-…`): not always the entry id. */
  id: string;
  kind: CpapiKind;
  httpStatus: string;
  endpoint: string;
  /** Verbatim; `<...>` marks a variable part. `[IBKR description] …` and `(…)` rows carry no server text. */
  message: string;
  meaning: string;
  /** Distinct public threads it was seen in (0: documentation or source only). */
  timesSeen: number;
}

const HEADER = 'id_suggestion\tkind\thttp_status\tendpoint\tmessage_text\tmeaning\ttimes_seen';

export function cpapiReferencePath(): string {
  return existsSync(SHARED_CPAPI_TSV) ? SHARED_CPAPI_TSV : COPY_CPAPI_TSV;
}

export function readCpapiReference(path: string = cpapiReferencePath()): CpapiRow[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split('\n');
  if (header.trim() !== HEADER) throw new Error(`${path}: unexpected header "${header}"`);
  return lines
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      const [id, kind, httpStatus, endpoint, message, meaning, timesSeen] = line.split('\t');
      if (!(CPAPI_KINDS as readonly string[]).includes(kind) || !/^\d+$/.test(timesSeen ?? '')) {
        throw new Error(`${path}:${i + 2}: malformed row "${line.slice(0, 80)}"`);
      }
      return { id, kind: kind as CpapiKind, httpStatus, endpoint, message, meaning, timesSeen: Number(timesSeen) };
    });
}

/** A row whose text is a description rather than what the server or tool prints. */
export function isDescriptionOnly(row: CpapiRow): boolean {
  return row.message.startsWith('[IBKR description]') || /^\(.*\)$/.test(row.message);
}
