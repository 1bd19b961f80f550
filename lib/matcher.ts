/**
 * Finds the spans of a text that refer to a knowledge entry. Pure: no DOM, no browser.
 *
 * Precision rules (see README, "What gets marked"):
 * - A numbered code counts only inside an IBKR error shape:
 *     `Error 326, reqId -1: …`            ib_insync / ib_async
 *     `ERROR -1 504 Not connected`         official ibapi (Python)
 *     `Error. Id: -1, Code: 504, Msg: …`   Java / C# samples
 *     `errorCode=321`                      ib_insync reprs (TradeLogEntry, Trade)
 *   or, where IBKR context is present, in `Error 326` / `errorCode: 321` / `code 326`.
 *   A bare number never counts.
 * - An entry's exact official messages (`match.messages`) count anywhere.
 * - An entry's generic messages (`match.contextual`) count only with IBKR context.
 */
import type { KnowledgeEntry } from '../knowledge/schema';

export type MatchRule = 'code' | 'message' | 'contextual';

export interface Match {
  start: number;
  end: number;
  entryId: string;
  /** How it was recognised; `contextual` spans needed IBKR context. */
  rule: MatchRule;
}

export interface MatchOptions {
  /**
   * Whether IBKR context surrounds the text (page, block). Rules that need context are tried only
   * when the text itself carries context or this is true. A function is called at most once, and
   * only when such a rule has a candidate, so callers can compute block context lazily.
   */
  context?: boolean | (() => boolean);
}

export interface Matcher {
  find(text: string, options?: MatchOptions): Match[];
}

interface Rule {
  regex: RegExp;
  rule: MatchRule;
  needsContext: boolean;
  /** Resolves the entry a hit refers to, or null to drop it. */
  entryOf(hit: RegExpExecArray): string | null;
}

/** Port numbers of TWS and IB Gateway (live/paper), as they appear in a connect call. */
const IBKR_PORT = '(?:7496|7497|4001|4002)';

/** Self-evident IBKR error shapes: a code in one of these counts without further context. */
const CODE_SHAPES: RegExp[] = [
  // ib_insync / ib_async: "Error 326, reqId -1: Unable to connect as the client id is already in use."
  /\bError (\d{1,5}), reqId -?\d+/g,
  // official ibapi (Python EWrapper.error default logging): "ERROR -1 504 Not connected";
  // newer releases put an epoch-millisecond time before the code.
  /\bERROR -?\d+ (?:\d{10,13} )?(\d{1,5})\b(?! ?[-/:.]\d)/g,
  // Java / C# samples: "Error. Id: -1, Code: 504, Msg: Not connected" (optionally more fields)
  /\bError\.? Id: ?-?\d+,(?: [A-Za-z]+: ?[^,\n]{0,40},){0,3} Code: ?(\d{1,5})\b/g,
  // ib_insync dataclass reprs: "TradeLogEntry(..., errorCode=321)"
  /\berrorCode=(\d{1,5})\b/g,
];

/** Non-global twins of CODE_SHAPES for `test()` (a global regex keeps state between calls). */
const CODE_SHAPE_TESTS = CODE_SHAPES.map((re) => new RegExp(re.source));

/** Code mentions that count only where IBKR context is present ("Error 326" in a TWS question). */
const CONTEXTUAL_CODE_SHAPES: RegExp[] = [
  // "Error 326", "error code 504", "Error: 321", "errorCode: 321", "error_code=321" — never an HTTP status.
  /\berror(?:[ _]?code)?"?(?: ?[:=#] ?| )"?(\d{3,5})\b(?!\.\d|,\d{3}|\s*(?:Gateway|Bad\b|Service|Internal|Not Found|Time-?out|Forbidden|Unauthori[sz]ed|HTTP))/gi,
];

/** Words that show a text is about the IBKR API. Acronyms are case-sensitive on purpose. */
const CONTEXT_WORDS_EXACT = /\b(?:TWS|IB ?Gateway|IBGW|IBApi|EClient(?:Socket)?|EWrapper|EReader)\b/;
const CONTEXT_WORDS_ANYCASE =
  /\b(?:ib[_-]insync|ib[_-]async|ibapi|ib_api|ibind|interactive[ -]?brokers|trader workstation|reqId|ibkr|tws ?api|tws ?gateway)\b/i;
const CONTEXT_PORTS = [
  // ib.connect('127.0.0.1', 7497, clientId=1), connectAsync(host, 4002), app.connect("127.0.0.1", 7496, 0)
  new RegExp(`\\bconnect(?:Async)?\\s*\\([^)\\n]{0,80}\\b${IBKR_PORT}\\b`, 'i'),
  // asyncio: "Connect call failed ('127.0.0.1', 7497)"
  new RegExp(`Connect call failed \\('[^']{1,60}', ${IBKR_PORT}\\)`),
  // 127.0.0.1:7497, localhost:4002, port=7497, port: 4001
  new RegExp(`\\b(?:127\\.0\\.0\\.1|localhost|0\\.0\\.0\\.0):${IBKR_PORT}\\b|\\bport\\s*[=:]\\s*${IBKR_PORT}\\b`, 'i'),
];

/** True when the text itself shows it is about the IBKR API. */
export function hasIbkrContext(text: string): boolean {
  if (CONTEXT_WORDS_EXACT.test(text) || CONTEXT_WORDS_ANYCASE.test(text)) return true;
  if (CONTEXT_PORTS.some((re) => re.test(text))) return true;
  return CODE_SHAPE_TESTS.some((re) => re.test(text));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A literal message as a regex: case-insensitive, any run of white space, word edges kept. */
function messageRegex(message: string): RegExp {
  const body = message.trim().split(/\s+/).map(escapeRegExp).join('\\s+');
  const head = /^\w/.test(message.trim()) ? '\\b' : '';
  const tail = /\w$/.test(message.trim()) ? '\\b' : '';
  return new RegExp(head + body + tail, 'gi');
}

/** Builds the matcher for a set of entries. Regexes are compiled once here. */
export function createMatcher(entries: readonly KnowledgeEntry[]): Matcher {
  const byCode = new Map<string, string>();
  for (const e of entries) if (e.numericCode !== null) byCode.set(String(e.numericCode), e.id);
  const codeEntry = (hit: RegExpExecArray) => byCode.get(String(Number(hit[1]))) ?? null;

  const rules: Rule[] = [
    ...CODE_SHAPES.map((regex) => ({ regex, rule: 'code' as const, needsContext: false, entryOf: codeEntry })),
    ...CONTEXTUAL_CODE_SHAPES.map((regex) => ({ regex, rule: 'code' as const, needsContext: true, entryOf: codeEntry })),
  ];
  for (const e of entries) {
    for (const message of e.match.messages) {
      // Short official texts ("Not connected") are everyday words: they need IBKR context.
      const distinctive = message.trim().split(/\s+/).length >= 4 && message.trim().length >= 24;
      rules.push({ regex: messageRegex(message), rule: distinctive ? 'message' : 'contextual', needsContext: !distinctive, entryOf: () => e.id });
    }
    for (const p of e.match.contextual) {
      rules.push({
        regex: new RegExp(p.source, p.caseSensitive ? 'g' : 'gi'),
        rule: 'contextual',
        needsContext: true,
        entryOf: () => e.id,
      });
    }
  }

  return {
    find(text: string, options: MatchOptions = {}): Match[] {
      const candidates: Match[] = [];
      let context: boolean | undefined;
      const inContext = () => {
        if (context === undefined) {
          const given = options.context;
          context = (typeof given === 'function' ? given() : given === true) || hasIbkrContext(text);
        }
        return context;
      };
      for (const r of rules) {
        r.regex.lastIndex = 0;
        let hit: RegExpExecArray | null;
        while ((hit = r.regex.exec(text)) !== null) {
          if (hit[0].length === 0) {
            r.regex.lastIndex++;
            continue;
          }
          const entryId = r.entryOf(hit);
          if (entryId === null) continue;
          if (r.needsContext && !inContext()) break;
          candidates.push({ start: hit.index, end: hit.index + hit[0].length, entryId, rule: r.rule });
        }
      }
      return resolveOverlaps(candidates, text);
    },
  };
}

/** What may sit between two spans of one error: punctuation, or the Java/C# ", Msg: " label. */
const JOINABLE_GAP = /^[ \t:,.\-–]*(?:Msg:[ \t]*)?$/;

const RULE_RANK: Record<MatchRule, number> = { code: 0, message: 1, contextual: 2 };

/**
 * Keeps non-overlapping spans (earliest first, then longest, then the most specific rule) and
 * joins neighbouring spans of the same entry ("ERROR -1 504" + "Not connected") into one.
 */
export function resolveOverlaps(candidates: Match[], text: string): Match[] {
  const sorted = [...candidates].sort(
    (a, b) => a.start - b.start || b.end - a.end || RULE_RANK[a.rule] - RULE_RANK[b.rule],
  );
  const kept: Match[] = [];
  for (const m of sorted) {
    const last = kept[kept.length - 1];
    if (last && m.start < last.end) continue;
    if (last && last.entryId === m.entryId && JOINABLE_GAP.test(text.slice(last.end, m.start))) {
      kept[kept.length - 1] = { ...last, end: m.end, rule: RULE_RANK[m.rule] < RULE_RANK[last.rule] ? m.rule : last.rule };
      continue;
    }
    kept.push({ ...m });
  }
  return kept;
}
