/**
 * What the user has selected, for "Explain selection" from the keyboard shortcut (the menu item
 * gets the selected text from the browser). A selection inside a text field is the field's own:
 * Firefox's `getSelection()` leaves it out, so a log pasted into a comment box and selected there
 * would explain nothing. A password field is never read. Takes the Document it reads.
 */

export interface SelectedText {
  text: string;
  /** Where the selection is, to place the card by; null when it has no box. */
  rect: DOMRect | null;
}

/** The focused element, inside open shadow roots too. */
function focusedElement(doc: Document): Element | null {
  let el = doc.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** The selected part of a focused text field (not a password field), or null. */
function fieldSelection(el: Element | null): string | null {
  const isField = el?.localName === 'textarea' || (el?.localName === 'input' && (el as HTMLInputElement).type !== 'password');
  if (!isField) return null;
  const field = el as HTMLInputElement | HTMLTextAreaElement;
  // Inputs without a text selection (checkbox, number, email…) have null here.
  const { selectionStart: start, selectionEnd: end } = field;
  if (start === null || end === null || start === end) return null;
  return field.value.slice(start, end);
}

const boxOf = (rect: DOMRect | undefined): DOMRect | null => (rect && rect.width + rect.height > 0 ? rect : null);

export function selectedText(doc: Document): SelectedText {
  const focused = focusedElement(doc);
  const inField = fieldSelection(focused);
  if (inField !== null) return { text: inField, rect: boxOf(focused!.getBoundingClientRect()) };
  const selection = doc.defaultView?.getSelection() ?? null;
  const range = selection && selection.rangeCount > 0 ? selection.getRangeAt(0) : null;
  return { text: selection?.toString() ?? '', rect: boxOf(range?.getBoundingClientRect()) };
}
