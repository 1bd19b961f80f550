/**
 * The options page's "Keyboard shortcuts" section: the keys the browser has assigned now (read
 * with `commands.getAll()`, so a key the browser refused or the user changed shows as it is) and
 * where to change them. Kept apart from the settings on the same page.
 */
import { browser } from 'wxt/browser';

/** What each command does, in the words of this page (Chromium gives `_execute_action` no description). */
const COMMAND_LABELS: Record<string, string> = {
  _execute_action: 'Open the lookup popup',
  'explain-selection': 'Explain the selected text',
};

const isFirefox = () => location.protocol === 'moz-extension:';

/** Where the user changes the keys, in words, and a way to get there. */
function whereToChange(doc: Document): HTMLElement {
  const p = doc.createElement('p');
  p.className = 'hint';
  p.id = 'shortcuts-where';
  const open = doc.createElement('button');
  open.type = 'button';
  open.id = 'open-shortcuts';
  if (isFirefox()) {
    p.append('Change them in about:addons → ⚙ (Tools for all add-ons) → Manage Extension Shortcuts. ');
    open.textContent = 'Manage Extension Shortcuts';
    // Firefox 137 and later (the manifest asks for 140).
    const commands = browser.commands as typeof browser.commands & { openShortcutSettings?: () => Promise<void> };
    open.addEventListener('click', () => void commands.openShortcutSettings?.());
  } else {
    p.append('Change them at chrome://extensions/shortcuts (in Edge: edge://extensions/shortcuts). ');
    open.textContent = 'Open the shortcuts page';
    // A page may not link to chrome:// addresses; the extension may open one in a new tab.
    open.addEventListener('click', () => void browser.tabs.create({ url: 'chrome://extensions/shortcuts' }));
  }
  p.append(open);
  return p;
}

/** One key combination as `<kbd>` parts (`Alt`+`Shift`+`K`), or a plain "no key" note. */
function keysView(doc: Document, shortcut: string | undefined): Node[] {
  if (!shortcut) return [doc.createTextNode('No key set: the browser did not assign one. Set one on the shortcuts page.')];
  return shortcut.split('+').flatMap((part, i) => {
    const kbd = doc.createElement('kbd');
    kbd.textContent = part;
    return i === 0 ? [kbd] : [doc.createTextNode('+'), kbd];
  });
}

/** Fills `list` (a <dl>) with each command and its current keys, and adds where to change them after it. */
export async function mountShortcuts(list: HTMLElement): Promise<void> {
  const doc = list.ownerDocument;
  const commands = await browser.commands.getAll();
  list.replaceChildren(
    ...commands.flatMap((command) => {
      const name = doc.createElement('dt');
      name.textContent = COMMAND_LABELS[command.name ?? ''] ?? command.description ?? command.name ?? '';
      const keys = doc.createElement('dd');
      keys.dataset.command = command.name ?? '';
      keys.append(...keysView(doc, command.shortcut));
      return [name, keys];
    }),
  );
  list.after(whereToChange(doc));
}
