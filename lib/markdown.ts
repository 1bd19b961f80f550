/**
 * "Copy as Markdown": an entry (or a log report) as Markdown to paste into an issue or a chat,
 * and the small button that copies it with a visible "Copied" confirmation. The text functions
 * are pure; `copyButton` and `docsLink` take the Document they build in.
 */
import type { KnowledgeEntry, Notices } from '../knowledge/schema';
import { codeLabel, OFFICIAL_DOCS_URL, SECTION_TITLES } from './render';

/** IBKR's own documentation of the API message codes (one address, shared with the entry view). */
export const IBKR_CODES_DOC_URL = OFFICIAL_DOCS_URL;
export const DOCS_LINK_TEXT = 'IBKR documentation of message codes';
export const COPY_LABEL = 'Copy as Markdown';
export const COPIED_LABEL = 'Copied';

/** Markdown-safe inline text: no accidental emphasis, links, tables or HTML. */
export function mdInline(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/([\\`*_[\]<>|#])/g, '\\$1');
}

/** A quoted piece of page or log text, as inline code (backticks inside are fenced longer). */
export function mdCode(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

export interface EntryMarkdownOptions {
  /** Id of the matched variant (from the matcher), shown with its cause and fix. */
  variant?: string | null;
  /** The page's own reason text, quoted. */
  reason?: string | null;
}

const SEVERITY_LABELS: Record<KnowledgeEntry['severity'], string> = {
  error: 'Error',
  warning: 'Warning',
  info: 'Informational (not an error: nothing to fix)',
  system: 'System notice (connectivity)',
};

/** The whole explanation as Markdown: title, code, severity, summary, causes, checks, resolution, boundary. */
export function entryMarkdown(entry: KnowledgeEntry, notices: Notices, { variant, reason }: EntryMarkdownOptions = {}): string {
  const lines: string[] = [`### ${codeLabel(entry)}: ${mdInline(entry.title)}`, ''];
  lines.push(`- **Code:** ${mdCode(entry.code)}`, `- **Severity:** ${SEVERITY_LABELS[entry.severity]}`);
  const matched = variant ? entry.variants.find((v) => v.id === variant) : undefined;
  if (matched) lines.push(`- **Variant:** ${mdInline(matched.label)}`);
  if (reason && reason.trim()) lines.push(`- **Reason given:** ${mdCode(reason)}`);
  lines.push('', mdInline(entry.summary));
  if (matched) lines.push('', `**This case (${mdInline(matched.label)}).** ${mdInline(matched.cause)} ${mdInline(matched.fix)}`);
  const list = (title: string, items: string[], ordered = false) => {
    if (items.length === 0) return;
    lines.push('', `**${title}**`, '', ...items.map((item, i) => `${ordered ? `${i + 1}.` : '-'} ${mdInline(item)}`));
  };
  list(SECTION_TITLES.causes, entry.causes);
  list(SECTION_TITLES.checks, entry.checks);
  list(SECTION_TITLES.resolution, entry.resolution, true);
  lines.push('', `Official message codes: ${IBKR_CODES_DOC_URL}`, '', `_${boundaryLine(notices)}_`);
  return `${lines.join('\n')}\n`;
}

/** The educational boundary as one line. */
export function boundaryLine(notices: Notices): string {
  return `${notices.boundary.title}: ${notices.boundary.text.replace(/\s+/g, ' ').trim()}`;
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
