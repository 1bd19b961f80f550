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
import { createLogAnalyzer, reportMarkdown, type LogAnalysis, type LogFinding } from '../../lib/analyze';
import { replaceChildren, toDom } from '../../lib/dom';
import { blobPieces, runAnalysis, textPieces, type Piece } from '../../lib/log-source';
import { boundaryLine, copyButton, docsLink, entryActions, entryMarkdown, IBKR_CODES_DOC_URL } from '../../lib/markdown';
import { createMatcher } from '../../lib/matcher';
import { codeLabel, renderEntry, renderNotices } from '../../lib/render';

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#input');
const textarea = $<HTMLTextAreaElement>('#log');
const fileInput = $<HTMLInputElement>('#file');
const progressLine = $<HTMLDivElement>('#progress-line');
const progress = $<HTMLProgressElement>('#progress');
const status = $<HTMLParagraphElement>('#status');
const report = $<HTMLElement>('#report');
const errorsBody = $<HTMLTableSectionElement>('#errors tbody');
const infoBody = $<HTMLTableSectionElement>('#info tbody');
const infoNotices = $<HTMLDetailsElement>('#info-notices');
const infoSummary = $<HTMLElement>('#info-summary');
const drop = $<HTMLDivElement>('#drop');

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

let run = 0;
let last: { analysis: LogAnalysis; source: string } | null = null;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

async function analyze(pieces: Iterable<Piece> | AsyncIterable<Piece>, source: string): Promise<void> {
  const id = ++run;
  const started = performance.now();
  progressLine.hidden = false;
  progress.value = 0;
  status.textContent = `Analyzing ${source}…`;
  const result = await runAnalysis(createLogAnalyzer(knowledge.entries, matcher), pieces, {
    yieldNow,
    cancelled: () => id !== run,
    onProgress: (value, partial) => {
      progress.value = value;
      status.textContent = `Analyzing ${source}… ${Math.floor(value * 100)} % (${plural(partial.lines, 'line')})`;
    },
  }).catch((err: unknown) => {
    status.textContent = `Could not read ${source}: ${err instanceof Error ? err.message : String(err)}`;
    return null;
  });
  if (id !== run) return;
  progressLine.hidden = true;
  if (!result) return;
  last = { analysis: result, source };
  show(result, source, performance.now() - started);
}

function show(analysis: LogAnalysis, source: string, ms: number): void {
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
  status.textContent =
    analysis.findings.length === 0
      ? `No known IBKR API message in ${source} (${plural(analysis.lines, 'line')}).`
      : `${plural(analysis.lines, 'line')} read from ${source} in ${(ms / 1000).toFixed(1)} s: ${plural(errors.length, 'distinct error')}, ${plural(info.length, 'informational notice')}.`;
}

function appendRow(body: HTMLTableSectionElement, f: LogFinding): void {
  const entry = byId.get(f.entryId);
  const tr = document.createElement('tr');
  tr.dataset.entryId = f.entryId;
  tr.dataset.count = String(f.count);
  const cell = (text: string, cls = '') => {
    const td = document.createElement('td');
    if (cls) td.className = cls;
    td.textContent = text;
    tr.appendChild(td);
    return td;
  };
  const codeCell = cell('');
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'expand';
  toggle.textContent = entry ? codeLabel(entry) : f.entryId;
  toggle.setAttribute('aria-expanded', 'false');
  toggle.title = 'Show the full entry';
  codeCell.appendChild(toggle);
  cell(entry?.title ?? f.entryId);
  cell(f.severity, `sev-${f.severity}`);
  cell(f.count.toLocaleString('en-US'), 'num count');
  cell(String(f.firstLine), 'num first-line');
  cell(String(f.lastLine), 'num last-line');
  const quote = cell('', 'quote');
  const code = document.createElement('code');
  code.textContent = f.firstText; // page text: always as text, never as HTML
  quote.appendChild(code);
  body.appendChild(tr);
  if (entry) toggle.addEventListener('click', () => toggleEntry(tr, toggle, entry));
}

/** Opens (or closes) the full entry in a row under the finding. */
function toggleEntry(tr: HTMLTableRowElement, toggle: HTMLButtonElement, entry: KnowledgeEntry): void {
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
  const article = toDom(renderEntry(entry, { level: 3 }), document) as HTMLElement;
  // One element per finding carries data-entry-id (the row): the entry inside does not repeat it.
  article.removeAttribute('data-entry-id');
  td.append(article, entryActions(document, () => entryMarkdown(entry, knowledge.notices)));
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
            source: last.source,
            includeInfo: true,
            boundary: boundaryLine(knowledge.notices),
            docsUrl: IBKR_CODES_DOC_URL,
          })
        : '',
    'Copy report as Markdown',
  ),
  docsLink(document),
);

form.addEventListener('submit', (e) => {
  e.preventDefault();
  const text = textarea.value;
  if (text.trim() === '') {
    status.textContent = 'Paste a log first, or choose or drop a file.';
    textarea.focus();
    return;
  }
  void analyze(textPieces(text), 'the pasted log');
});

$('#cancel').addEventListener('click', () => {
  run++;
  progressLine.hidden = true;
  status.textContent = 'Analysis cancelled.';
});

function analyzeFile(file: File): void {
  void analyze(blobPieces(file), file.name || 'the file');
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
  const file = e.dataTransfer?.files[0];
  if (file) analyzeFile(file);
});

// Ctrl+Enter in the text area analyses too.
textarea.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) form.requestSubmit();
});
textarea.focus();
