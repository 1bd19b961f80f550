/**
 * The yardstick for the content script's cost: a minimal MV3 extension, written to a temporary
 * folder and loaded the same way as ours. Its content script walks the page's text nodes once
 * (document_idle, one task, no slicing) and wraps each match of one regular expression in a
 * `<mark class="min-marker">`, splitting the page's text nodes to do it.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MINIMAL_MARKER_SELECTOR = 'mark.min-marker';

const CONTENT = `(() => {
  const re = /Error \\d+/g;
  const skip = new Set(['SCRIPT', 'STYLE', 'TEXTAREA', 'NOSCRIPT']);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const found = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    re.lastIndex = 0;
    if (re.test(n.data) && !skip.has(n.parentNode.nodeName)) found.push(n);
  }
  for (const node of found) {
    const text = node.data;
    const pieces = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(re)) {
      pieces.append(text.slice(last, m.index));
      const mark = document.createElement('mark');
      mark.className = 'min-marker';
      mark.textContent = m[0];
      pieces.append(mark);
      last = m.index + m[0].length;
    }
    pieces.append(text.slice(last));
    node.replaceWith(pieces);
  }
})();
`;

/** Writes the minimal extension for pages under `matches`; returns its folder. */
export function writeMinimalExtension(matches: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ibkr-perf-minimal-'));
  mkdirSync(dir, { recursive: true });
  const manifest = {
    manifest_version: 3,
    name: 'Minimal one-regex marker (bench:pages yardstick)',
    version: '1.0.0',
    // A service worker as ours has, so that both are loaded and started the same way.
    background: { service_worker: 'background.js' },
    content_scripts: [{ matches, js: ['content.js'], run_at: 'document_idle' }],
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  writeFileSync(join(dir, 'background.js'), '// nothing: the yardstick works in the page only\n');
  writeFileSync(join(dir, 'content.js'), CONTENT);
  return dir;
}
