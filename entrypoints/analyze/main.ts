/**
 * The log analyzer page (analyze.html): paste, drop or pick a log; every IBKR API message in it
 * is listed once per entry. Thin wiring: the analysis is lib/analyze.ts, the feeding
 * lib/log-source.ts, the Markdown lib/markdown.ts. Nothing leaves the browser.
 */
import '../../assets/entry.css';
import '../../assets/entry-actions.css';
import '../../assets/page-controls.css';
import './style.css';
import knowledge, { stemIndex } from '../../knowledge';
import type { KnowledgeEntry } from '../../knowledge/schema';
import { createLogAnalyzer, type LogAnalysis, type LogFinding } from '../../lib/analyze';
import { showBidi, showBidiText } from '../../lib/bidi';
import { replaceChildren, toDom } from '../../lib/dom';
import { blobPieces, runAnalysis, textPieces, type Piece } from '../../lib/log-source';
import { boundaryLine, copyButton, cutLinesNote, docsLink, entryActions, entryMarkdown, findingTitle, reportMarkdown } from '../../lib/markdown';
import { createMatcher } from '../../lib/matcher';
import { codeLabel, renderEntry, renderNotices, SEVERITY_LABELS } from '../../lib/render';
import { onTwsCodesPage } from '../../lib/tws-codes-page';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#input');
const textarea = $<HTMLTextAreaElement>('#log');
const fileInput = $<HTMLInputElement>('#file');
const progressLine = $<HTMLDivElement>('#progress-line');
const progress = $<HTMLProgressElement>('#progress');
const status = $<HTMLParagraphElement>('#status');
const cutNote = $<HTMLParagraphElement>('#cut-note');
const report = $<HTMLElement>('#report');
const errorsBody = $<HTMLTableSectionElement>('#errors tbody');
const infoBody = $<HTMLTableSectionElement>('#info tbody');
const infoNotices = $<HTMLDetailsElement>('#info-notices');
const infoSummary = $<HTMLElement>('#info-summary');
const drop = $<HTMLDivElement>('#drop');
/** IBKR's TWS API message-code page: shown when the report holds a socket-API code. */
const docs = docsLink(document);

const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
const matcher = createMatcher(knowledge.entries, { stemIndex });
replaceChildren($('#notices'), document, renderNotices(knowledge.notices));

/** A zero-delay turn of the event loop (setTimeout(0) is clamped to 4 ms after a few nestings). */
const channel = new MessageChannel();
const waiting: (() => void)[] = [];
channel.port1.onmessage = () => waiting.shift()?.();
const yieldNow = () =>
  new Promise<void>((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });

/** Where the log came from: a file (its name) or the text area. */
interface Source {
  fileName?: string;
  /** As shown in the page's sentences: the file name with bidi controls made visible. */
  label: string;
}
const pastedLog: Source = { label: 'the pasted log' };

let run = 0;
let last: { analysis: LogAnalysis; source: Source } | null = null;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
/** How long the analysis took, as a person reads it: `40 ms`, `2.3 s` (never `0.0 s`). */
const duration = (ms: number) => (ms < 1000 ? `${Math.max(1, Math.round(ms))} ms` : `${(ms / 1000).toFixed(1)} s`);

/** Takes the last report away: a new log is being read, and the report and its copy would be the old one's. */
function clearReport(): void {
  last = null;
  report.hidden = true;
  cutNote.hidden = true;
}

async function analyze(pieces: Iterable<Piece> | AsyncIterable<Piece>, source: Source): Promise<void> {
  const id = ++run;
  const started = performance.now();
  clearReport();
  progressLine.hidden = false;
  progress.value = 0;
  status.textContent = `Analyzing ${source.label}…`;
  const result = await runAnalysis(createLogAnalyzer(knowledge.entries, matcher), pieces, {
    yieldNow,
    cancelled: () => id !== run,
    onProgress: (value, partial) => {
      if (id !== run) return;
      progress.value = value;
      status.textContent = `Analyzing ${source.label}… ${Math.floor(value * 100)} % (${plural(partial.lines, 'line')})`;
    },
  }).catch((err: unknown) => {
    if (id === run) status.textContent = `Could not read ${source.label}: ${err instanceof Error ? err.message : String(err)}`;
    return null;
  });
  if (id !== run) return;
  progressLine.hidden = true;
  if (!result) return;
  last = { analysis: result, source };
  show(result, source, performance.now() - started);
}

function show(analysis: LogAnalysis, source: Source, ms: number): void {
  const errors = analysis.findings.filter((f) => f.severity !== 'info');
  const info = analysis.findings.filter((f) => f.severity === 'info');
  replaceChildren(errorsBody, document);
  replaceChildren(infoBody, document);
  for (const f of errors) appendRow(errorsBody, f);
  for (const f of info) appendRow(infoBody, f);
  $('#errors').hidden = errors.length === 0;
  infoNotices.hidden = info.length === 0;
  infoSummary.textContent = `${plural(info.length, 'informational notice')} (not errors: nothing to fix), ${plural(
    info.reduce((n, f) => n + f.count, 0),
    'mention',
  )}`;
  report.hidden = analysis.findings.length === 0;
  docs.hidden = !analysis.findings.some((f) => {
    const entry = byId.get(f.entryId);
    return entry !== undefined && onTwsCodesPage(entry);
  });
  const cut = cutLinesNote(analysis);
  cutNote.textContent = cut ?? '';
  cutNote.hidden = cut === null;
  status.textContent =
    analysis.findings.length === 0
      ? `No known IBKR API message in ${source.label} (${plural(analysis.lines, 'line')}).`
      : `${plural(analysis.lines, 'line')} read from ${source.label} in ${duration(ms)}: ${plural(errors.length, 'distinct error')}, ${plural(info.length, 'informational notice')}.`;
}

/**
 * Text that wraps at its spaces only: each run of other characters stays on one line, so a log
 * line's dates, paths and ids are never split at a hyphen or a slash (the cell scrolls instead).
 * Bidi controls in it are shown as marked `⟨RLO⟩` tokens, never applied. Always text, never HTML.
 */
function appendWords(parent: HTMLElement, text: string): void {
  for (const token of text.split(/(\s+)/)) {
    if (token === '') continue;
    if (/^\s/.test(token)) {
      parent.append(token);
      continue;
    }
    const word = document.createElement('span');
    word.className = 'word';
    for (const part of showBidi(token)) word.append(toDom(part, document));
    parent.append(word);
  }
}

function appendRow(body: HTMLTableSectionElement, f: LogFinding): void {
  const entry = byId.get(f.entryId);
  const tr = document.createElement('tr');
  tr.dataset.entryId = f.entryId;
  if (f.variant) tr.dataset.variant = f.variant;
  tr.dataset.count = String(f.count);
  const cell = (cls: string, ...content: (string | Node)[]) => {
    const td = document.createElement('td');
    td.className = cls;
    td.append(...content);
    tr.appendChild(td);
    return td;
  };
  const toggle = document.createElement('button');
  toggle.type = 'button';
  // Coloured by severity as the card's header code is.
  toggle.className = `expand severity severity-${f.severity}${entry?.numericCode !== null ? ' numbered' : ''}`;
  toggle.textContent = entry ? codeLabel(entry) : f.entryId;
  toggle.setAttribute('aria-expanded', 'false');
  toggle.title = 'Show the full entry';
  cell('code', toggle);
  const { title, caseLabel } = findingTitle(entry, f);
  const titleCell = cell('title');
  appendWords(titleCell, title);
  if (caseLabel) {
    const label = document.createElement('span');
    label.className = 'case';
    appendWords(label, caseLabel);
    titleCell.append(' ', label);
  }
  const severity = document.createElement('span');
  severity.className = `severity severity-${f.severity}`;
  severity.dataset.severity = f.severity;
  severity.textContent = SEVERITY_LABELS[f.severity];
  cell('sev', severity);
  cell('num count', f.count.toLocaleString('en-US'));
  cell('num first-line', String(f.firstLine));
  cell('num last-line', String(f.lastLine));
  const code = document.createElement('code');
  appendWords(code, f.firstText);
  cell('quote', code);
  body.appendChild(tr);
  if (entry) toggle.addEventListener('click', () => toggleEntry(tr, toggle, entry, f.variant));
}

/**
 * A quoted line scrolls sideways where one of its words is wider than its column, and a table in
 * its region where the window is narrower than the table: each such one is a stop of the Tab
 * order, so that the keyboard can scroll it; one that fits is not. Checked again whenever the
 * report's size changes (a new report, the window, a section or an entry opened).
 */
function letWideQuotesTakeFocus(): void {
  for (const box of report.querySelectorAll<HTMLElement>('td.quote code, .table-scroll')) {
    if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
    else box.removeAttribute('tabindex');
  }
}
new ResizeObserver(letWideQuotesTakeFocus).observe(report);

/** Opens (or closes) the full entry, with the row's case first, in a row under the finding. */
function toggleEntry(tr: HTMLTableRowElement, toggle: HTMLButtonElement, entry: KnowledgeEntry, variant: string | null): void {
  const open = tr.nextElementSibling?.classList.contains('entry-row') ? (tr.nextElementSibling as HTMLTableRowElement) : null;
  if (open) {
    open.remove();
    toggle.setAttribute('aria-expanded', 'false');
    return;
  }
  const row = document.createElement('tr');
  row.className = 'entry-row';
  const td = document.createElement('td');
  td.colSpan = 7;
  // The page's only other heading is its h1: the entry's title is an h2, its sections h3.
  const article = toDom(renderEntry(entry, { level: 2, variant }), document) as HTMLElement;
  // One element per finding carries data-entry-id (the row): the entry inside does not repeat it.
  article.removeAttribute('data-entry-id');
  td.append(article, entryActions(document, () => entryMarkdown(entry, knowledge.notices, { variant })));
  row.appendChild(td);
  tr.after(row);
  toggle.setAttribute('aria-expanded', 'true');
}

$('#report-actions').append(
  copyButton(
    document,
    () =>
      last
        ? reportMarkdown(last.analysis, knowledge.entries, {
            fileName: last.source.fileName,
            includeInfo: true,
            boundary: boundaryLine(knowledge.notices),
          })
        : '',
    'Copy report as Markdown',
  ),
  docs,
);

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = textarea.value;
  if (text.trim() === '') {
    status.textContent = 'Paste a log first, or choose or drop a file.';
    textarea.focus();
    return;
  }
  void analyze(textPieces(text), pastedLog);
});

/** Stops the running analysis: the driver sees a newer run id before its next slice. */
function cancel(): void {
  const hadFocus = progressLine.contains(document.activeElement);
  run++;
  progressLine.hidden = true;
  status.textContent = 'Analysis cancelled.';
  if (hadFocus) textarea.focus();
}
$('#cancel').addEventListener('click', cancel);
// Esc cancels too, while an analysis runs.
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && !progressLine.hidden) cancel();
});

/** `of`: how many files came with it (a drop of several): only this first one is read, and the page says so. */
function analyzeFile(file: File, of = 1): void {
  const name = file.name ? showBidiText(file.name) : 'the file';
  const source: Source = { fileName: file.name, label: of > 1 ? `${name} (the first of ${of} files dropped: drop the others one at a time)` : name };
  if (file.size === 0) {
    run++;
    clearReport();
    progressLine.hidden = true;
    status.textContent = `${source.label} is empty: there is nothing to analyze.`;
    return;
  }
  void analyze(blobPieces(file), source);
}

fileInput.addEventListener('change', () => {
  const file = fileInput.files?.[0];
  if (file) analyzeFile(file);
  fileInput.value = '';
});

// Drop anywhere on the page. A drop onto the text area is a file too, never its text pasted.
let dragDepth = 0;
const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
document.addEventListener('dragenter', (e) => {
  if (!hasFiles(e)) return;
  dragDepth++;
  drop.hidden = false;
});
document.addEventListener('dragleave', () => {
  if (--dragDepth <= 0) {
    dragDepth = 0;
    drop.hidden = true;
  }
});
document.addEventListener('dragover', (e) => {
  if (hasFiles(e)) e.preventDefault();
});
document.addEventListener('drop', (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  drop.hidden = true;
  const files = e.dataTransfer?.files;
  if (files?.[0]) analyzeFile(files[0], files.length);
});

// Ctrl+Enter in the text area analyses too.
textarea.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
});
textarea.focus();
