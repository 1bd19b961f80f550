import { fakeBrowser } from '@webext-core/fake-browser';
import { describe, expect, it } from 'vitest';

// The messenger sits on webextension-polyfill, which insists on an extension's globals.
(globalThis as { chrome?: unknown }).chrome = fakeBrowser;
const { senderChecks } = await import('../../lib/messages');

const ID = 'abcdefghijklmnop';
const ORIGIN = `chrome-extension://${ID}/`;

describe('senderChecks', () => {
  it('lets only a tab’s top frame speak for the page (the badge)', () => {
    expect(senderChecks.topFrame({ id: ID, tab: { id: 7 }, frameId: 0 }, ID)).toBe(true);
    expect(senderChecks.topFrame({ id: ID, tab: { id: 7 } }, ID)).toBe(true);
    expect(senderChecks.topFrame({ id: ID, tab: { id: 7 }, frameId: 3 }, ID)).toBe(false);
    expect(senderChecks.topFrame({ id: ID }, ID)).toBe(false);
    expect(senderChecks.topFrame({ id: 'other', tab: { id: 7 }, frameId: 0 }, ID)).toBe(false);
  });

  it('lets only the extension’s own pages change its sites, not a content script', () => {
    expect(senderChecks.ownPage({ id: ID, url: `${ORIGIN}options.html` }, ID, ORIGIN)).toBe(true);
    expect(senderChecks.ownPage({ id: ID, url: `${ORIGIN}popup.html`, tab: { id: 3 } }, ID, ORIGIN)).toBe(true);
    expect(senderChecks.ownPage({ id: ID, url: 'https://github.com/a/b/issues/1', tab: { id: 3 }, frameId: 0 }, ID, ORIGIN)).toBe(false);
    expect(senderChecks.ownPage({ id: ID }, ID, ORIGIN)).toBe(false);
    expect(senderChecks.ownPage({ id: 'other', url: `${ORIGIN}options.html` }, ID, ORIGIN)).toBe(false);
  });
});
