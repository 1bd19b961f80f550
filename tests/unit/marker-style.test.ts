/**
 * The markers' style sheet for a content script the background injected: the mark that says so,
 * and the sheet added to that frame only.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { browser } from 'wxt/browser';
import { highlightName, toneName } from '../../lib/annotate/mark-paint';
import { insertMarkerStyle, MARKER_CSS_FILE, markInjected, markInjectedArgs, takeInjectedMark } from '../../lib/marker-style';

describe('the injected mark', () => {
  it('is read once, by the copy the background injected right after writing it', () => {
    const world = {};
    expect(takeInjectedMark(world)).toBe(false);
    markInjected(...markInjectedArgs);
    // markInjected writes to its own global (the frame's content-script world).
    expect(takeInjectedMark(globalThis)).toBe(true);
    expect(takeInjectedMark(globalThis)).toBe(false);
  });
});

describe('insertMarkerStyle', () => {
  const fakeApi = () => {
    const inserted: unknown[] = [];
    const api = { runtime: { id: 'ours' }, scripting: { insertCSS: async (details: unknown) => void inserted.push(details) } };
    return { api: api as unknown as typeof browser, inserted };
  };

  it("adds the built sheet to the asking script's frame", async () => {
    const { api, inserted } = fakeApi();
    await insertMarkerStyle(api, { id: 'ours', tab: { id: 7 }, frameId: 3 });
    expect(inserted).toEqual([{ target: { tabId: 7, frameIds: [3] }, files: [MARKER_CSS_FILE] }]);
  });

  it('adds nothing for another extension or a sender without a tab', async () => {
    const { api, inserted } = fakeApi();
    await insertMarkerStyle(api, { id: 'someone-else', tab: { id: 7 }, frameId: 0 });
    await insertMarkerStyle(api, { id: 'ours', frameId: 0 });
    expect(inserted).toEqual([]);
  });
});

describe('assets/marker.css on paper', () => {
  const css = readFileSync(new URL('../../assets/marker.css', import.meta.url), 'utf8');
  const names = (text: string) => new Set([...text.matchAll(/::highlight\(([\w-]+)\)/g)].map((m) => m[1]));

  it('takes every highlight it paints off the printed page', () => {
    const print = css.slice(css.indexOf('@media print'));
    expect(print.startsWith('@media print')).toBe(true);
    const painted = names(css);
    expect(painted.size).toBeGreaterThanOrEqual(9);
    expect([...painted].filter((n) => !names(print).has(n))).toEqual([]);
    expect(print).toMatch(/background-color: transparent;\s*text-decoration: none;/);
  });

  it('paints each name the marks use', () => {
    const used = ['error', 'warning', 'system', 'info'].flatMap((severity) => [highlightName({ severity }, 'mark'), highlightName({ severity }, 'active')]);
    used.push(highlightName({ severity: 'error' }, 'focus'));
    const both = used.flatMap((n) => [toneName(n, 'light'), toneName(n, 'dark')]);
    expect(both.filter((n) => !names(css).has(n))).toEqual([]);
    expect(new Set(both).size).toBe(18);
  });
});
