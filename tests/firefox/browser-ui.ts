/**
 * Firefox's own UI, used as a user uses it, for the Firefox specs: the page's context menu (a real
 * right-click, then the item Firefox built from the add-on's `menus` entry), the keys Firefox bound
 * to the manifest's commands, the toolbar popup (a panel, not a tab) and the clipboard. All of it
 * lives in the browser window's privileged scope (`Firefox.evaluateInChrome`).
 *
 * The toolbar popup is no BiDi browsing context, so puppeteer cannot reach it: its document is read
 * from an extension tab of the same add-on (`extension.getViews()`, same process), and it is clicked
 * with native mouse events at its screen position, which Firefox handles as the user's input (a
 * click there may call `permissions.request`).
 */
import type { Frame, Page } from 'puppeteer-core';
import type { Firefox } from './harness';

/** Selects the text of `selector` in a page or frame and returns it. */
export function selectText(target: Page | Frame, selector: string): Promise<string> {
  return target.$eval(selector, (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    return selection.toString();
  });
}

const MENU = `document.getElementById('contentAreaContextMenu')`;
/** Firefox's id for the add-on's "Explain selection" item (`<widget id>-menuitem-_<menus id>`). */
const EXPLAIN_ITEM = `[id$="-menuitem-_ibkr-explain-selection"]`;

/**
 * Right-clicks `selector` (in the top page, near its top-left corner, or at `at`), waits for
 * Firefox's context menu and returns the labels of its visible items.
 */
export async function openContextMenu(firefox: Firefox, page: Page, selector: string, at?: { x: number; y: number }): Promise<string[]> {
  await closeContextMenu(firefox);
  const box = at ?? (await page.$eval(selector, (el) => ({ x: el.getBoundingClientRect().left + 8, y: el.getBoundingClientRect().top + 6 })));
  await page.mouse.click(box.x, box.y, { button: 'right' });
  for (let i = 0; i < 100; i++) {
    const labels = await firefox.evaluateInChrome<string[] | null>(
      `(() => { const m = ${MENU}; return m.state === 'open' ? [...m.querySelectorAll('menuitem')].filter((i) => !i.hidden).map((i) => i.label) : null; })()`,
    );
    if (labels) return labels;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('Firefox: the context menu did not open');
}

/** Closes Firefox's context menu if it is open, and waits until it is closed. */
export async function closeContextMenu(firefox: Firefox): Promise<void> {
  await firefox.evaluateInChrome(`(async () => {
    const m = ${MENU};
    if (m.state === 'closed') return;
    const closed = new Promise((resolve) => m.addEventListener('popuphidden', resolve, { once: true }));
    m.hidePopup();
    await closed;
  })()`);
}

/** Chooses the add-on's "Explain selection" in the open context menu, as a click on it does. */
export async function chooseExplainSelection(firefox: Firefox): Promise<void> {
  await firefox.evaluateInChrome(`(() => { const m = ${MENU}; m.activateItem(m.querySelector('${EXPLAIN_ITEM}')); })()`);
}

/** The key combinations Firefox bound to the add-on's commands, as `modifiers+key` (`alt,shift+K`). */
export function boundKeys(firefox: Firefox): Promise<string[]> {
  return firefox.evaluateInChrome<string[]>(
    `[...document.querySelectorAll('keyset[id^="ext-keyset-id-"] key')].map((k) => k.getAttribute('modifiers') + '+' + k.getAttribute('key'))`,
  );
}

/** Runs what Firefox runs when the add-on's key `modifiers+key` is pressed in the browser window. */
export async function pressBoundKey(firefox: Firefox, combination: string): Promise<void> {
  const [modifiers, key] = combination.split('+');
  await firefox.evaluateInChrome(`(() => {
    const key = [...document.querySelectorAll('keyset[id^="ext-keyset-id-"] key')].find((k) => k.getAttribute('modifiers') === ${JSON.stringify(modifiers)} && k.getAttribute('key') === ${JSON.stringify(key)});
    key.doCommand();
  })()`);
}

const POPUP_BROWSER = `document.querySelector('.webextension-popup-browser')`;

/**
 * Opens the add-on's toolbar popup over the window's selected tab, as its toolbar button does
 * (which also grants activeTab), and waits until the popup's document has loaded.
 */
export async function openToolbarPopup(firefox: Firefox): Promise<void> {
  const id = JSON.stringify(firefox.addonId);
  // Right after the add-on is installed again between two tests, Firefox may open the widget's
  // panel without the popup's page in it (ext-browserAction.js logs "this.extension is null"): the
  // empty panel is closed and the button used again, as a user clicks it again. Before, the spec
  // failed in every whole run with the withheld-site test before the JSON viewer's.
  for (let attempt = 0; attempt < 3; attempt++) {
    await closeToolbarPopup(firefox);
    await firefox.evaluateInChrome(`(async () => {
      const { ExtensionParent } = ChromeUtils.importESModule('resource://gre/modules/ExtensionParent.sys.mjs');
      await ExtensionParent.apiManager.global.browserActionFor(WebExtensionPolicy.getByID(${id}).extension).openPopup(window);
    })()`);
    for (let i = 0; i < 40 && !(await toolbarPopupBox(firefox))?.open; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    if ((await toolbarPopupBox(firefox))?.open) return;
    await firefox.evaluateInChrome(`(async () => {
      for (const panel of document.querySelectorAll('#customizationui-widget-panel')) {
        if (panel.state === 'closed') continue;
        const hidden = new Promise((resolve) => panel.addEventListener('popuphidden', resolve, { once: true }));
        panel.hidePopup();
        await hidden;
      }
    })()`);
  }
  throw new Error('Firefox: the toolbar popup did not open');
}

/** The toolbar popup's panel: whether it is open and the size of the page in it (CSS pixels). */
export function toolbarPopupBox(firefox: Firefox): Promise<{ open: boolean; width: number; height: number } | null> {
  return firefox.evaluateInChrome(`(() => {
    const b = ${POPUP_BROWSER};
    if (!b) return null;
    const r = b.getBoundingClientRect();
    return { open: b.closest('panel')?.state === 'open', width: Math.round(r.width), height: Math.round(r.height) };
  })()`);
}

/** Closes the toolbar popup if it is open, and waits until its page is gone. */
export async function closeToolbarPopup(firefox: Firefox): Promise<void> {
  await firefox.evaluateInChrome(`(async () => {
    const panel = ${POPUP_BROWSER}?.closest('panel');
    if (panel && panel.state !== 'closed') {
      const hidden = new Promise((resolve) => panel.addEventListener('popuphidden', resolve, { once: true }));
      panel.hidePopup();
      await hidden;
    }
    for (let i = 0; i < 100 && ${POPUP_BROWSER}; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  })()`);
}

/**
 * Evaluates `fn` (source text of `(window, document) => value`) in the toolbar popup's document,
 * from `viewer`, an extension tab of the add-on; undefined while no popup document is there.
 */
export function inToolbarPopup<T>(viewer: Page, fn: string): Promise<T | undefined> {
  return viewer.evaluate(`(() => {
    const popup = browser.extension.getViews().find((w) => w.location.pathname === '/popup.html' && w !== window);
    return popup && popup.document.readyState === 'complete' ? (${fn})(popup, popup.document) : undefined;
  })()`) as Promise<T | undefined>;
}

/** Clicks the middle of `selector` in the toolbar popup with native mouse events (the user's input). */
export async function clickInToolbarPopup(firefox: Firefox, viewer: Page, selector: string): Promise<void> {
  const at = await inToolbarPopup<{ x: number; y: number }>(
    viewer,
    `(w, d) => { const r = d.querySelector(${JSON.stringify(selector)}).getBoundingClientRect(); return { x: r.left + r.width / 2, y: r.top + r.height / 2 }; }`,
  );
  if (!at) throw new Error('Firefox: no toolbar popup to click in');
  await firefox.evaluateInChrome(`(() => {
    const b = ${POPUP_BROWSER};
    const scale = window.devicePixelRatio;
    const x = (b.screenX + ${at.x}) * scale;
    const y = (b.screenY + ${at.y}) * scale;
    const u = window.windowUtils;
    for (const message of [u.NATIVE_MOUSE_MESSAGE_MOVE, u.NATIVE_MOUSE_MESSAGE_BUTTON_DOWN, u.NATIVE_MOUSE_MESSAGE_BUTTON_UP]) u.sendNativeMouseEvent(x, y, message, 0, 0, b);
  })()`);
}

/** The text on the clipboard. */
export function clipboardText(firefox: Firefox): Promise<string> {
  return firefox.evaluateInChrome<string>('navigator.clipboard.readText()');
}

/** Sets a Firefox pref back to its default. */
export async function clearPref(firefox: Firefox, name: string): Promise<void> {
  await firefox.evaluateInChrome(`Services.prefs.clearUserPref(${JSON.stringify(name)})`);
}
