// @vitest-environment happy-dom
/**
 * What "Explain selection" from the shortcut reads (lib/selection-text.ts): a focused text field's
 * selected part (Firefox's getSelection() leaves it out; happy-dom's does too), never a password
 * field's, else the document's selection.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { selectedText } from '../../lib/selection-text';

const LINE = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';

beforeEach(() => {
  document.body.replaceChildren();
  getSelection()!.removeAllRanges();
});

function field<T extends HTMLInputElement | HTMLTextAreaElement>(el: T, value: string, start: number, end: number, host: ParentNode = document.body): T {
  el.value = value;
  host.append(el);
  el.focus();
  el.setSelectionRange(start, end);
  return el;
}

describe('selectedText', () => {
  it('reads the selected part of a focused textarea', () => {
    field(document.createElement('textarea'), `pasted log:\n${LINE}\nmore`, 12, 12 + LINE.length);
    expect(selectedText(document).text).toBe(LINE);
  });

  it('reads a focused text input inside an open shadow root', () => {
    const host = document.body.appendChild(document.createElement('div'));
    const root = host.attachShadow({ mode: 'open' });
    field(document.createElement('input'), `x ${LINE}`, 2, 2 + LINE.length, root);
    expect(selectedText(document).text).toBe(LINE);
  });

  it('never reads a password field', () => {
    const input = document.createElement('input');
    input.type = 'password';
    field(input, 'ERROR -1 504 Not connected', 0, 10);
    expect(selectedText(document).text).toBe('');
  });

  it('takes the document selection when the focused field has nothing selected', () => {
    const p = document.body.appendChild(document.createElement('p'));
    p.textContent = LINE;
    field(document.createElement('textarea'), 'draft', 2, 2);
    const range = document.createRange();
    range.selectNodeContents(p);
    getSelection()!.addRange(range);
    expect(selectedText(document).text).toBe(LINE);
  });

  it('gives an empty text when nothing is selected', () => {
    expect(selectedText(document)).toEqual({ text: '', rect: null });
  });
});
