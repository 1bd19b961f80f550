// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { pageTheme } from '../../lib/sites';

function page(html: string, body = ''): Document {
  document.documentElement.getAttributeNames().forEach((n) => n !== 'lang' && document.documentElement.removeAttribute(n));
  document.documentElement.className = '';
  document.head.innerHTML = '';
  document.body.className = '';
  document.body.getAttributeNames().forEach((n) => document.body.removeAttribute(n));
  const set = (el: Element, spec: string) => {
    for (const part of spec.split(' ').filter(Boolean)) {
      if (part.startsWith('.')) el.classList.add(part.slice(1));
      else if (part.startsWith('<meta')) continue;
      else {
        const [k, v] = part.split('=');
        el.setAttribute(k, v ?? '');
      }
    }
  };
  set(document.documentElement, html);
  set(document.body, body);
  return document;
}

describe('pageTheme', () => {
  beforeEach(() => page(''));

  it.each([
    ['GitHub dark', 'data-color-mode=dark', '', 'dark'],
    ['GitHub light', 'data-color-mode=light', '', 'light'],
    ['GitHub auto follows the system', 'data-color-mode=auto', '', null],
    ['Stack Overflow dark', '', '.theme-dark', 'dark'],
    ['Stack Overflow system', '', '.theme-system', null],
    ['Reddit dark', '.theme-dark', '', 'dark'],
    ['Reddit light', '.theme-light', '', 'light'],
    ['JupyterLab dark', '', 'data-jp-theme-light=false', 'dark'],
    ['JupyterLab light', '', 'data-jp-theme-light=true', 'light'],
    ['Bootstrap dark', 'data-bs-theme=dark', '', 'dark'],
    ['Tailwind dark', '.dark', '', 'dark'],
    ['nothing declared', '', '', null],
  ])('%s', (_name, html, body, expected) => {
    expect(pageTheme(page(html, body))).toBe(expected);
  });

  it('reads a single-scheme color-scheme meta tag, not "light dark"', () => {
    const doc = page('');
    const meta = doc.createElement('meta');
    meta.name = 'color-scheme';
    meta.content = 'dark';
    doc.head.appendChild(meta);
    expect(pageTheme(doc)).toBe('dark');
    meta.content = 'light dark';
    expect(pageTheme(doc)).toBeNull();
  });
});
