/**
 * "Copy as Markdown": an entry or a log report as Markdown to paste into an issue or a chat, and
 * the small button that copies it with a visible "Copied" confirmation. The text functions are
 * pure; `copyButton` and `docsLink` take the Document they build in.
 *
 * Every string from a page, a log or the user lands escaped: as inline code (file names, quoted
 * lines, the page's reason), where nothing is a link, an image or HTML and backslashes stay as
 * they are; knowledge text escaped character by character. Bidi controls are shown as `⟨RLO⟩`.
 */
import type { KnowledgeEntry, Notices } from '../knowledge/schema';
import { MAX_LINE_CHARS, type LogAnalysis, type LogFinding } from './analyze';
import { showBidiText } from './bidi';
import { caseShown, type PageReason } from './page-reason';
import { codeLabel, INFO_NOTICE, OFFICIAL_DOCS_URL, officialDocsOf, sectionTitle, SEVERITY_LABELS, TWS_CODES_DOCS } from './render';
import { onTwsCodesPage } from './tws-codes-page';

/** IBKR's own documentation of the TWS API message codes (one address, shared with the entry view). */
export const IBKR_CODES_DOC_URL = OFFICIAL_DOCS_URL;
/** The link's text, as the entry view names the page. */
export const DOCS_LINK_TEXT = TWS_CODES_DOCS.label;
export const COPY_LABEL = 'Copy as Markdown';
export const COPIED_LABEL = 'Copied';

/** Markdown-safe inline text: no accidental emphasis, links, images, tables, entities or HTML. */
export function mdInline(text: string): string {
  return showBidiText(text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>|#&~!])/g, '\\$1');
}

/**
 * A quoted piece of page or log text as inline code, taken literally by every Markdown renderer:
 * the fence is longer than any run of backticks inside, and a space pads text that starts or ends
 * with a backtick (CommonMark strips one such space on each side).
 */
export function mdCode(text: string): string {
  const clean = showBidiText(text).replace(/\s+/g, ' ').trim();
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((run: string) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

/**
 * Inline code inside a GFM table cell: a pipe must be written `\|` even there (the table is cut
 * into cells before code spans are read); GitHub turns it back into `|`.
 */
function mdCodeCell(text: string): string {
  return mdCode(text).replace(/\|/g, '\\|');
}

export interface EntryMarkdownOptions {
  /** Id of the matched variant (from the matcher): its cause and fix come first. */
  variant?: string | null;
  /** The page's own reason text, quoted. */
  reason?: string | null;
  /** The heading's word, as the card's header says it (lib/render.ts kindWord: `Warning` for a line saying `Warning 2104`). */
  word?: string;
}

type ListKey = 'causes' | 'checks' | 'resolution';

/** The page's own words for a case (lib/page-reason.ts): `**Farm:** `usfarm``, or quoted as code. */
function pageReasonMarkdown(words: PageReason): string {
  return `**${words.label}:** ${words.kind === 'farm' ? words.names.map((name) => mdCode(name)).join(', ') : mdCode(words.text)}`;
}

/** The matched case, first: its label, the page's own words, its cause and fix; a farm's name alone is one line. */
function caseMarkdown(entry: KnowledgeEntry, variant: string | null | undefined, reason: string | null | undefined): string[] {
  const shown = caseShown(entry, variant, reason);
  if (shown.kind === 'none') return [];
  if (shown.kind === 'farm') return [pageReasonMarkdown(shown.words), ''];
  const { variant: matched, words } = shown;
  const lines = [matched ? `**This case: ${mdInline(matched.label)}**` : '**This case**', ''];
  if (words) lines.push(`- ${pageReasonMarkdown(words)}`);
  if (matched) lines.push(`- **Cause:** ${mdInline(matched.cause)}`, `- **Fix:** ${mdInline(matched.fix)}`);
  return [...lines, ''];
}

/**
 * The whole explanation as Markdown: the heading by kind (`Notice 2104`, `Error 162`), the
 * matched case's cause and fix, the summary, code and severity, the lists, IBKR's message-code
 * page (socket-API codes only) and the boundary.
 */
export function entryMarkdown(entry: KnowledgeEntry, notices: Notices, { variant, reason, word }: EntryMarkdownOptions = {}): string {
  const lines: string[] = [`### ${mdInline(codeLabel(entry, word))}: ${mdInline(entry.title)}`, ''];
  if (entry.severity === 'info') lines.push(`**${INFO_NOTICE}**`, '');
  lines.push(...caseMarkdown(entry, variant, reason));
  lines.push(mdInline(entry.summary), '', `- **Code:** ${mdCode(entry.code)}`, `- **Severity:** ${SEVERITY_LABELS[entry.severity]}`);
  const list = (key: ListKey, ordered = false) => {
    if (entry[key].length === 0) return;
    lines.push('', `**${sectionTitle(entry, key)}**`, '', ...entry[key].map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${mdInline(item)}`));
  };
  list('causes');
  list('checks');
  list('resolution', true);
  // The documentation that covers the entry, as the entry view links it.
  const docs = officialDocsOf(entry);
  if (docs) lines.push('', `${docs.name}: ${docs.url}`);
  lines.push('', `_${mdInline(boundaryLine(notices))}_`);
  return `${lines.join('\n')}\n`;
}

/** The educational boundary as one line. */
export function boundaryLine(notices: Notices): string {
  return `${notices.boundary.title}: ${notices.boundary.text.replace(/\s+/g, ' ').trim()}`;
}

export interface ReportOptions {
  /** The name of the file the log came from; a pasted log has none. */
  fileName?: string;
  /** Include informational notices (they are listed after the errors). */
  includeInfo?: boolean;
  /** The educational boundary line (boundaryLine). */
  boundary?: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** The title of a finding's row: the entry's title, and the case when one matched. */
export function findingTitle(entry: KnowledgeEntry | undefined, finding: Pick<LogFinding, 'entryId' | 'variant'>): { title: string; caseLabel: string | null } {
  const caseLabel = (finding.variant && entry?.variants.find((v) => v.id === finding.variant)?.label) || null;
  return { title: entry?.title ?? finding.entryId, caseLabel };
}

/** The note for lines cut at MAX_LINE_CHARS, or null. */
export function cutLinesNote(analysis: LogAnalysis): string | null {
  const cut = analysis.cutLines;
  if (!cut) return null;
  const which = cut.count === 1 ? `Line ${cut.firstLine.toLocaleString('en-US')} is` : `${plural(cut.count, 'line')} (the first: line ${cut.firstLine.toLocaleString('en-US')}) are`;
  return `${which} longer than ${plural(MAX_LINE_CHARS, 'character')} (the longest: ${plural(cut.longest, 'character')}): only the first ${MAX_LINE_CHARS.toLocaleString('en-US')} characters of each were searched.`;
}

/** The analysis as a Markdown summary table, one row per entry and case, to paste into an issue. */
export function reportMarkdown(analysis: LogAnalysis, entries: readonly KnowledgeEntry[], options: ReportOptions = {}): string {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const shown = analysis.findings.filter((f) => options.includeInfo !== false || f.severity !== 'info');
  const info = analysis.findings.filter((f) => f.severity === 'info').length;
  const errors = analysis.findings.length - info;
  const source = options.fileName !== undefined ? mdCode(options.fileName || 'unnamed file') : 'a pasted log';
  const out: string[] = [
    `### IBKR API messages in ${source}`,
    '',
    `${plural(analysis.lines, 'line')} read: ${plural(errors, 'distinct error')}, ${plural(info, 'informational notice')}.`,
    '',
  ];
  const cut = cutLinesNote(analysis);
  if (cut) out.push(`> ${mdInline(cut)}`, '');
  if (shown.length > 0) {
    out.push('| Code | Title | Severity | Count | First line | Last line | First occurrence |', '| --- | --- | --- | ---: | ---: | ---: | --- |');
    for (const f of shown) {
      const entry = byId.get(f.entryId);
      const { title, caseLabel } = findingTitle(entry, f);
      const cells = [
        mdInline(entry ? codeLabel(entry) : f.entryId),
        mdInline(caseLabel ? `${title}: ${caseLabel}` : title),
        mdInline(SEVERITY_LABELS[f.severity]),
        f.count.toLocaleString('en-US'),
        String(f.firstLine),
        String(f.lastLine),
        mdCodeCell(f.firstText),
      ];
      out.push(`| ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  const socketCodes = shown.some((f) => {
    const entry = byId.get(f.entryId);
    return entry !== undefined && onTwsCodesPage(entry);
  });
  if (socketCodes) out.push(`Official message codes (TWS API): ${IBKR_CODES_DOC_URL}`, '');
  if (options.boundary) out.push(`_${mdInline(options.boundary)}_`, '');
  return out.join('\n');
}

/**
 * A "Copy as Markdown" button. A click (or Enter/Space: it is a real button) copies `getText()`
 * and shows "Copied" on the button and in a polite live region for two seconds.
 */
export function copyButton(doc: Document, getText: () => string, label = COPY_LABEL): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'copy-markdown';
  button.textContent = label;
  button.setAttribute('aria-live', 'polite');
  let timer: number | undefined;
  // Space and Enter belong to the button: hosts that treat typing as "go back" must not see them.
  button.addEventListener('keydown', (event) => {
    if (event.key === ' ' || event.key === 'Enter') event.stopPropagation();
  });
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    void copyText(doc, getText(), button).then((ok) => {
      button.textContent = ok ? COPIED_LABEL : 'Copy failed: select the text and copy it';
      button.dataset.copied = String(ok);
      const win = doc.defaultView;
      if (timer !== undefined) win?.clearTimeout(timer);
      timer = win?.setTimeout(() => {
        button.textContent = label;
        delete button.dataset.copied;
      }, 2000);
    });
  });
  return button;
}

/**
 * Writes text to the clipboard; falls back to a hidden textarea where the async API is refused.
 * The textarea goes beside `near` (in the card's shadow root, not into the page) and focus goes
 * back to `near` afterwards.
 */
export async function copyText(doc: Document, text: string, near?: HTMLElement): Promise<boolean> {
  const clipboard = doc.defaultView?.navigator.clipboard;
  if (clipboard?.writeText) {
    try {
      await clipboard.writeText(text);
      return true;
    } catch {
      // Not focused or not allowed: the old way below still works in a click handler.
    }
  }
  const area = doc.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('style', 'position:fixed;top:0;left:0;opacity:0;pointer-events:none;');
  (near?.parentNode ?? doc.body ?? doc.documentElement).appendChild(area);
  const active = near ?? (doc.activeElement as HTMLElement | null);
  area.select();
  let ok = false;
  try {
    ok = doc.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  active?.focus?.();
  return ok;
}

/** A link to IBKR's documentation of message codes (opens in a new tab). */
export function docsLink(doc: Document): HTMLAnchorElement {
  const a = doc.createElement('a');
  a.href = IBKR_CODES_DOC_URL;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.className = 'docs-link';
  a.textContent = DOCS_LINK_TEXT;
  return a;
}

/**
 * The actions under an explanation: "Copy as Markdown". (The link to IBKR's documentation is part
 * of the entry view itself, lib/render.ts, so every explanation has exactly one.)
 */
export function entryActions(doc: Document, getText: () => string): HTMLElement {
  const bar = doc.createElement('div');
  bar.className = 'entry-actions';
  bar.append(copyButton(doc, getText));
  return bar;
}
