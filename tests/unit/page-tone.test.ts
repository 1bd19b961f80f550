// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { pageTone, toneOfColor } from '../../lib/page-tone';

describe('toneOfColor', () => {
  it('reads computed rgb() and rgba() backgrounds by their luminance', () => {
    expect(toneOfColor('rgb(13, 17, 23)')).toBe('dark');
    expect(toneOfColor('rgb(255, 255, 255)')).toBe('light');
    // Either side of the grey where black and white text contrast alike.
    expect(toneOfColor('rgb(119, 119, 119)')).toBe('light');
    expect(toneOfColor('rgb(110, 110, 110)')).toBe('dark');
    expect(toneOfColor('rgba(30, 30, 30, 0.9)')).toBe('dark');
  });

  it('says nothing of a transparent background or a form it does not read', () => {
    expect(toneOfColor('rgba(0, 0, 0, 0)')).toBeNull();
    expect(toneOfColor('rgba(0, 0, 0, 0.2)')).toBeNull();
    expect(toneOfColor('oklch(0.2 0 0)')).toBeNull();
  });
});

describe('pageTone', () => {
  it('is the theme the site declares, else the body background, else light', () => {
    document.documentElement.removeAttribute('data-theme');
    document.body.removeAttribute('style');
    expect(pageTone(document)).toBe('light');
    document.body.style.backgroundColor = 'rgb(20, 20, 20)';
    expect(pageTone(document)).toBe('dark');
    document.documentElement.setAttribute('data-theme', 'light');
    expect(pageTone(document)).toBe('light');
    document.documentElement.removeAttribute('data-theme');
    document.body.removeAttribute('style');
  });
});
