/**
 * A marker is a real box at its mention: Playwright's own hover() and click() (default
 * actionability: a box, stable, the element hit at its centre) reach it, a keyboard focus scrolls
 * the mention into view, and the page's layout and text selection are what they are without the
 * extension (docs/page-integrity.md, "How a mention is marked").
 */
import type { Locator, Page } from '@playwright/test';
import { bringFarMentionUp, buildAttributeShell, moveByAttribute } from '../far-blocks-page';
import { pageLayout, showMarkers } from '../marker-layout';
import { card, expect, expectAtMention, mentionRect, openFixture, PAGES, scanSettled, test } from './fixtures';

/** Playwright's own hover() on a marker: the card shows, headed with the mention's code. */
async function hoverShows(page: Page, marker: Locator, code: string): Promise<void> {
  await marker.hover();
  await expect(card(page)).toBeVisible();
  await expect(card(page).locator('.entry-code .code')).toContainText(code);
}

/** hover() shows the marker's card; the pointer then leaves for a corner, and the card hides. */
async function hoverShowsThenLeave(page: Page, marker: Locator, code: string): Promise<void> {
  await hoverShows(page, marker, code);
  await page.mouse.move(5, 5);
  await expect(card(page)).toBeHidden();
}

/** Shows or hides every marker of the page (see tests/marker-layout.ts). */
const setMarkersShown = (page: Page, shown: boolean) => page.evaluate(showMarkers, shown);

/** Drags the mouse from two characters before a mention to its last character; returns what was selected. */
async function dragAcross(page: Page, marker: Locator): Promise<string> {
  // No card from the drag before: a drag that ends on the card selects up to it.
  await page.mouse.move(5, 5);
  await scanSettled(page);
  await expect(card(page)).toBeHidden();
  const points = await marker.evaluate((m) => {
    // The mention's text: its marked text (the marker's accessible name), before the marker in its block.
    const label = m.getAttribute('aria-label')!;
    const block = m.parentElement!.closest('p,pre,div')!;
    const nodes: { node: Text; at: number }[] = [];
    let text = '';
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      nodes.push({ node: n as Text, at: text.length });
      text += (n as Text).data;
    }
    const start = text.indexOf(label);
    const range = document.createRange();
    const charAt = (i: number) => {
      const { node, at } = nodes.findLast((x) => x.at <= i)!;
      range.setStart(node, i - at);
      range.setEnd(node, i - at + 1);
      return range.getClientRects()[0];
    };
    const from = charAt(start - 2);
    const to = charAt(start + label.length - 1);
    // (Pressed at the exact middle of a glyph, Chromium sometimes starts no selection at all.)
    return { from: { x: from.left + from.width / 3, y: (from.top + from.bottom) / 2 }, to: { x: to.right - 1, y: (to.top + to.bottom) / 2 } };
  });
  await page.mouse.move(points.from.x, points.from.y);
  await page.mouse.down();
  await page.mouse.move((points.from.x + points.to.x) / 2, points.to.y, { steps: 4 });
  await page.mouse.move(points.to.x, points.to.y, { steps: 4 });
  await page.mouse.up();
  const selected = await page.evaluate(() => getSelection()!.toString());
  await page.evaluate(() => getSelection()!.removeAllRanges());
  return selected;
}

test.describe('a marker is a box at its mention', () => {
  test('hover() on a marker shows its card: mid-paragraph, in a link, in a flex and a grid container, next to a float', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    for (const [selector, title] of [
      ['#para [data-ibkr-error="ibkr-326"]', '326'],
      ['#linked [data-ibkr-error="ibkr-502"]', '502'],
      ['#flex [data-ibkr-error="ibkr-1100"]', '1100'],
      ['#grid [data-ibkr-error="ibkr-2110"]', '2110'],
      ['#floats [data-ibkr-error="ibkr-201"]', '201'],
      ['#aligned [data-ibkr-error="ibkr-162"]', '162'],
      ['#tail [data-ibkr-error="ibkr-1102"]', '1102'],
    ] as const) {
      const marker = page.locator(selector);
      await expectAtMention(marker, selector);
      const box = (await marker.boundingBox())!;
      expect(box.width, selector).toBe(2);
      await hoverShowsThenLeave(page, marker, title);
    }
    await page.close();
  });

  test('several mentions in one <pre> text node: each marker shows its own mention', async ({ context }) => {
    const page = await openFixture(context, 'githubIssue');
    await scanSettled(page);
    // One text node of the page's, two markers after it.
    expect(await page.locator('#comment-1 pre code').first().evaluate((c) => [...c.childNodes].map((n) => n.nodeName))).toEqual(['#text', 'IBKR-ERROR-MARK', 'IBKR-ERROR-MARK']);
    for (const [id, code] of [
      ['ibkr-326', '326'],
      ['api-connection-failed', 'API connection failed'],
      ['ibkr-326', '326'],
    ]) {
      // (The card opens under the first line, over the next one: off it first, as a user would.)
      await hoverShowsThenLeave(page, page.locator(`#comment-1 pre code [data-ibkr-error="${id}"]`), code);
    }
    await page.close();
  });

  test('a marker in a horizontally scrolled <pre> scrolls with its mention', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    const marker = page.locator('#wide [data-ibkr-error="ibkr-504"]');
    const pre = page.locator('#wide');
    // Off to the right, out of the box: the pre clips it as it clips the text.
    const preBox = (await pre.boundingBox())!;
    expect((await marker.boundingBox())!.x).toBeGreaterThan(preBox.x + preBox.width);
    await pre.evaluate((p) => (p.scrollLeft = p.scrollWidth));
    await expectAtMention(marker);
    const box = (await marker.boundingBox())!;
    expect(box.x).toBeGreaterThan(preBox.x);
    expect(box.x).toBeLessThan(preBox.x + preBox.width);
    await hoverShows(page, marker, '504');
    await page.close();
  });

  test('a marker in an open shadow root', async ({ context }) => {
    const page = await openFixture(context, 'redditShadow');
    await scanSettled(page);
    const marker = page.locator('#open [data-ibkr-error="ibkr-326"]');
    await expectAtMention(marker);
    await hoverShows(page, marker, '326');
    await page.close();
  });

  test('click() pins the card; hovering the marker and then its text keeps one card, leaving both hides it', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    const marker = page.locator('#para [data-ibkr-error="ibkr-326"]');
    await hoverShows(page, marker, '326');
    await expect(card(page)).toHaveAttribute('role', 'tooltip');
    // From the bar onto the painted text of the same mention: the same card stays.
    const r = await mentionRect(marker);
    await page.mouse.move(r.left + 30, (r.top + r.bottom) / 2, { steps: 3 });
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await expect(card(page).locator('.entry-code .code')).toContainText('326');
    // Off both: hidden after the delay.
    await page.mouse.move(5, 5);
    await expect(card(page)).toBeHidden();
    await marker.click();
    await expect(card(page)).toHaveAttribute('role', 'dialog');
    await expect(card(page).locator('.entry-code .code')).toContainText('326');
    await page.mouse.move(5, 5);
    await scanSettled(page);
    await expect(card(page)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(card(page)).toBeHidden();
    await page.close();
  });

  test('Tab to the marker of an error at the top of a 300-line log brings the error into view', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    const marker = page.locator('#log [data-ibkr-error="ibkr-10197"]');
    // The marker stands after the log's one text node; its box is at the error, line 2 of 300.
    expect(await page.locator('#log').evaluate((pre) => [...pre.childNodes].map((n) => n.nodeName))).toEqual(['#text', 'IBKR-ERROR-MARK']);
    // The focusable element before it, then Tab.
    await page.locator('#tail [data-ibkr-error="ibkr-1102"]').focus();
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.keyboard.press('Tab');
    await expect(marker).toBeFocused();
    const inView = await marker.evaluate((m) => {
      const node = m.previousSibling as Text;
      const start = node.data.indexOf('10197');
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, start + 11);
      const r = range.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, height: innerHeight };
    });
    expect(inView.top).toBeGreaterThanOrEqual(0);
    expect(inView.bottom).toBeLessThanOrEqual(inView.height);
    await expect(card(page).locator('.entry-code .code')).toContainText('10197');
    await page.close();
  });

  test('a mention marked while its block was hidden gets its marker at it once the page shows the block', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    await page.evaluate(() => {
      const hidden = Object.assign(document.createElement('div'), { id: 'later', hidden: true });
      hidden.innerHTML = '<p id="later-para">The gateway said: Error 326, reqId -1: Unable to connect as the client id is already in use.</p>';
      document.body.prepend(hidden);
    });
    const marker = page.locator('#later-para [data-ibkr-error="ibkr-326"]');
    await expect(marker).toBeAttached();
    await scanSettled(page);
    await page.evaluate(() => (document.getElementById('later')!.hidden = false));
    await scanSettled(page);
    await expectAtMention(marker);
    await hoverShows(page, marker, '326');
    await page.close();
  });

  test('after a resize that rewraps a paragraph the marker is still at its mention, and hover still shows its card', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    const marker = page.locator('#para [data-ibkr-error="ibkr-326"]');
    const before = await mentionRect(marker);
    await page.setViewportSize({ width: 620, height: 760 });
    await scanSettled(page);
    const after = await mentionRect(marker);
    // The paragraph rewrapped: the mention moved.
    expect(Math.abs(after.left - before.left) + Math.abs(after.top - before.top)).toBeGreaterThan(20);
    await expectAtMention(marker);
    await hoverShows(page, marker, '326');
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.close();
  });
});

/** Height of a marker's box: 1 (CSS px) while it is not placed and stands at its own place, after its mention's run of text. */
const boxHeight = (marker: Locator) => marker.evaluate((m) => m.getBoundingClientRect().height);

/** Waits for the next frame: the browser dispatches the scroll events of what a test scrolled before it. */
const nextFrame = (page: Page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(done)));

/**
 * A marker far down a scrolling box has no place yet; once only the box scrolls (from the page's
 * own script, the page stays where it is) to bring the marker's line 80 px below the box's top,
 * the marker is at its mention and hover() shows its card.
 */
async function placedOnceTheBoxScrolls(page: Page, box: Locator, marker: Locator, code: string): Promise<void> {
  expect(await boxHeight(marker)).toBe(1);
  const pageScroll = await page.evaluate(() => scrollY);
  const line = await marker.evaluateHandle((m) => m.parentElement!);
  await box.evaluate((b, l) => (b.scrollTop += l.getBoundingClientRect().top - b.getBoundingClientRect().top - 80), line);
  expect(await page.evaluate(() => scrollY)).toBe(pageScroll);
  await nextFrame(page);
  await scanSettled(page);
  await expectAtMention(marker);
  await hoverShows(page, marker, code);
}

test.describe('markers far from the viewport are placed when they come near', () => {
  test('a mention pages below the fold gets its marker once the page scrolls to it, and hover() shows its card', async ({ context }) => {
    const page = await openFixture(context, 'githubFarBelow');
    await scanSettled(page);
    const top = page.locator('#top [data-ibkr-error="ibkr-1100"]');
    const far = page.locator('#far [data-ibkr-error="ibkr-326"]');
    await expectAtMention(top);
    // Pages down: not placed yet.
    expect(await boxHeight(far)).toBe(1);
    await page.locator('#far').evaluate((p) => p.scrollIntoView({ block: 'center' }));
    // The scroll makes the page's work unsettled until the marks come near are placed.
    await nextFrame(page);
    await scanSettled(page);
    await expectAtMention(far);
    await hoverShows(page, far, '326');
    await page.close();
  });

  test("hover() on a far marker, with no scroll first, scrolls to it and shows its card at its mention", async ({ context }) => {
    const page = await openFixture(context, 'githubFarBelow');
    await scanSettled(page);
    const far = page.locator('#far [data-ibkr-error="ibkr-326"]');
    expect(await boxHeight(far)).toBe(1);
    // Playwright's own checks: a box, holding still, hit at its centre; it scrolls the box into view.
    await far.hover();
    await expect(card(page).locator('.entry-code .code')).toContainText('326');
    await nextFrame(page);
    await scanSettled(page);
    await expectAtMention(far);
    await page.close();
  });

  test('a mention deep in a scrolling <pre> of line blocks gets its marker once the <pre> scrolls to it', async ({ context }) => {
    const page = await openFixture(context, 'githubFarBelow');
    await scanSettled(page);
    await placedOnceTheBoxScrolls(page, page.locator('#console'), page.locator('#console [data-ibkr-error="ibkr-162"]'), '162');
    await page.close();
  });

  // Scroll events are not composed: a box's scroll inside a shadow root never reaches the window.
  test('a mention deep in a log scrolling inside an open shadow root gets its marker once the log scrolls to it', async ({ context }) => {
    const page = await openFixture(context, 'redditShadowLog');
    await scanSettled(page);
    await expectAtMention(page.locator('#viewer #first [data-ibkr-error="ibkr-1100"]'));
    await placedOnceTheBoxScrolls(page, page.locator('#viewer #log'), page.locator('#viewer #deep [data-ibkr-error="ibkr-162"]'), '162');
    await page.close();
  });

  test("a mention deep in the page's lines that a shadow root's box scrolls through a slot gets its marker once the box scrolls to it", async ({ context }) => {
    const page = await openFixture(context, 'redditShadowLog');
    await scanSettled(page);
    // The lines are the page's own elements; the box that scrolls them is in the component's shadow root.
    await placedOnceTheBoxScrolls(page, page.locator('#pane #scroller'), page.locator('#slotted-deep [data-ibkr-error="ibkr-326"]'), '326');
    await page.close();
  });

  // Nothing but CSS moves these panels: no scroll, no resize, no DOM change, no block resized. A
  // class change on an element that holds no mark starts them (heard, but when the motion starts,
  // with the panel still far). Neither event that ends a CSS motion leaves a shadow root.
  const TRANSITION = '#slide-in { transform: translateY(-3000px); transition: transform 150ms; } #switch.open ~ #slide-in { transform: none; }';
  const ANIMATION = '@keyframes drop-in { from { top: -3000px; } to { top: 80px; } } #switch.open ~ #slide-in { animation: drop-in 150ms forwards; }';
  for (const [how, css, where] of [
    ['a CSS transition of its transform', TRANSITION, 'page'],
    ['a CSS animation of its top', ANIMATION, 'page'],
    ['a CSS transition of its transform inside an open shadow root', TRANSITION, 'shadow'],
    ['a CSS animation of its top inside an open shadow root', ANIMATION, 'shadow'],
  ] as const) {
    test(`a mention in a fixed panel that ${how} brings from far off-screen into view gets its marker there`, async ({ context }) => {
      const page = await openFixture(context, 'githubFarBelow');
      await scanSettled(page);
      const panelRoot = await page.evaluateHandle(
        ([css, where]) => {
          const root = where === 'shadow' ? document.body.appendChild(document.createElement('div')).attachShadow({ mode: 'open' }) : document.body;
          const style = Object.assign(document.createElement('style'), { textContent: `#slide-in { position: fixed; top: -3000px; left: 40px; width: 640px; background: #fff; } #switch.open ~ #slide-in { top: 80px; } ${css}` });
          const panel = Object.assign(document.createElement('aside'), { id: 'slide-in' });
          panel.innerHTML = '<p id="slid">The gateway said: Error 326, reqId -1: Unable to connect as the client id is already in use.</p>';
          root.append(style, Object.assign(document.createElement('span'), { id: 'switch' }), panel);
          return root;
        },
        [css, where] as const,
      );
      const marker = page.locator('#slid [data-ibkr-error="ibkr-326"]');
      await expect(marker).toBeAttached();
      await scanSettled(page);
      expect(await boxHeight(marker)).toBe(1);
      await panelRoot.evaluate(
        (root) =>
          new Promise<void>((done) => {
            const panel = root.querySelector('#slide-in')!;
            panel.addEventListener('transitionend', () => done(), { once: true });
            panel.addEventListener('animationend', () => done(), { once: true });
            root.querySelector('#switch')!.classList.add('open');
          }),
      );
      await nextFrame(page);
      await scanSettled(page);
      await expectAtMention(marker);
      await hoverShows(page, marker, '326');
      await page.close();
    });
  }

  // The document keeps its size, nothing scrolls and no block with marks changes size: only the
  // page's change (heard by our MutationObserver) tells that the far block moved.
  // Right after a look (new marks near the top placed), the look the change asks for is put off.
  for (const when of ['', ' right after new marks were placed']) {
    test(`a mention pages below gets its marker at its mention when the page removes the section above it and appends as tall a one at the end${when}, with no scroll and no change of the document's size`, async ({ context }) => {
      const page = await openFixture(context, 'githubFarBelow');
      await scanSettled(page);
      const far = page.locator('#far [data-ibkr-error="ibkr-326"]');
      expect(await boxHeight(far)).toBe(1);
      if (when) {
        await page.evaluate(() => document.getElementById('top')!.insertAdjacentHTML('afterend', '<p id="late">Then: Error 1100, reqId -1: Connectivity between IBKR and Trader Workstation has been lost.</p>'));
        const late = page.locator('#late [data-ibkr-error="ibkr-1100"]');
        await expect(() => expectAtMention(late)).toPass({ timeout: 5_000 });
      }
      const sizes = await page.evaluate(bringFarMentionUp);
      expect(sizes.after).toBe(sizes.before);
      expect(sizes.farTop).toBeLessThan(sizes.viewport);
      await expect(() => expectAtMention(far)).toPass({ timeout: 5_000 });
      expect(await page.evaluate(() => scrollY)).toBe(0);
      await page.close();
    });
  }

  // In an app shell the size of the viewport, one attribute change brings a rendered far panel into
  // view: no node changes, nothing scrolls, neither the document nor any block with marks changes size.
  for (const [how, inShadow] of [
    ['class', false],
    ['hidden', false],
    ['style', false],
    ['details', false],
    ['class', true],
  ] as const) {
    const what = { class: "a class on the shell hides the tall section above it", hidden: "the tall section above it is made hidden", style: "a style moves it up", details: "the <details> above it is closed" }[how];
    test(`a mention in a far panel of a fixed-height app shell${inShadow ? ' inside an open shadow root' : ''} gets its marker at its mention when ${what}`, async ({ context }) => {
      const page = await openFixture(context, 'githubFarBelow');
      await page.evaluate(buildAttributeShell, { how, inShadow });
      const marker = page.locator('#in-panel [data-ibkr-error="ibkr-326"]');
      await expect(marker).toBeAttached();
      await scanSettled(page);
      expect(await boxHeight(marker)).toBe(1);
      const moved = await page.evaluate(moveByAttribute, { how, inShadow });
      expect(moved.after).toBe(moved.before);
      expect(moved.panelTop).toBeLessThan(moved.viewport);
      expect(moved.scrolled).toBe(0);
      await expect(() => expectAtMention(marker)).toPass({ timeout: 5_000 });
      await page.close();
    });
  }

  // An attribute change that shows the mention's block, not rendered before: a size change of a
  // block with marks.
  test('a mention in a hidden panel gets its marker at its mention when the page swaps which of two tall panels is shown', async ({ context }) => {
    const page = await openFixture(context, 'githubFarBelow');
    await page.evaluate(() => {
      const panels = document.createElement('div');
      panels.innerHTML =
        '<section id="panel-a" style="height: 3000px"><p>The scanner wrote its results to the database.</p></section>' +
        '<section id="panel-b" style="height: 3000px" hidden><p id="in-b">The gateway said: Error 326, reqId -1: Unable to connect as the client id is already in use.</p></section>';
      document.querySelector('main')!.prepend(panels);
    });
    const marker = page.locator('#in-b [data-ibkr-error="ibkr-326"]');
    await expect(marker).toBeAttached();
    await scanSettled(page);
    const height = await page.evaluate(() => document.documentElement.getBoundingClientRect().height);
    await page.evaluate(() => {
      document.getElementById('panel-a')!.hidden = true;
      document.getElementById('panel-b')!.hidden = false;
    });
    expect(await page.evaluate(() => document.documentElement.getBoundingClientRect().height)).toBe(height);
    await expect(() => expectAtMention(marker)).toPass({ timeout: 5_000 });
    expect(await page.evaluate(() => scrollY)).toBe(0);
    await page.close();
  });

  test('Tab to markers far away (deep in a scrolling <pre>, pages down): each comes into view at its mention with its card', async ({ context }) => {
    const page = await openFixture(context, 'githubFarBelow');
    await scanSettled(page);
    const deep = page.locator('#console [data-ibkr-error="ibkr-162"]');
    const far = page.locator('#far [data-ibkr-error="ibkr-326"]');
    expect(await boxHeight(deep)).toBe(1);
    expect(await boxHeight(far)).toBe(1);
    await page.locator('#top [data-ibkr-error="ibkr-1100"]').focus();
    for (const [marker, code] of [
      [deep, '162'],
      [far, '326'],
    ] as const) {
      await page.keyboard.press('Tab');
      await expect(marker).toBeFocused();
      await expect(card(page).locator('.entry-code .code')).toContainText(code);
      await nextFrame(page);
      await scanSettled(page);
      // In view as the focus left it (mentionRect scrolls the page to a mention out of view), and
      // inside the <pre>'s box: the focus scrolled its mention into view.
      const scrolled = await page.evaluate(() => scrollY);
      await expectAtMention(marker, code);
      expect(await page.evaluate(() => scrollY), code).toBe(scrolled);
      const clip = (await page.locator(code === '162' ? '#console' : 'main').boundingBox())!;
      const box = (await marker.boundingBox())!;
      expect(box.y, code).toBeGreaterThanOrEqual(clip.y);
      expect(box.y + box.height, code).toBeLessThanOrEqual(clip.y + clip.height);
    }
    await page.close();
  });
});

test.describe('markers change neither layout nor selection', () => {
  /** The fixture pages that stop changing once loaded, and what marks them as done. */
  const STATIC: [keyof typeof PAGES, string][] = [
    ['githubMarkers', '#log [data-ibkr-error]'],
    ['githubIssue', '#comment-3 [data-ibkr-error]'],
    ['stackOverflowIbkr', '[data-ibkr-error]'],
    ['githubHardening', '[data-ibkr-error]'],
    ['githubHighlighted', '[data-ibkr-error]'],
    ['jupyterLab', '[data-ibkr-error]'],
    ['redditShadow', '.reply [data-ibkr-error]'],
    ['githubCard', '[data-ibkr-error]'],
    ['githubLongLog', '#l5800 [data-ibkr-error]'],
  ];
  for (const [name, done] of STATIC) {
    test(`every box of ${name} is where it is with no marker`, async ({ context }) => {
      const page = await openFixture(context, name);
      await page.locator(done).first().waitFor({ state: 'attached' });
      await scanSettled(page);
      const withMarkers = await page.evaluate(pageLayout);
      await setMarkersShown(page, false);
      const without = await page.evaluate(pageLayout);
      expect(withMarkers.length).toBeGreaterThan(10);
      expect(withMarkers).toEqual(without);
      await page.close();
    });
  }

  test('dragging across a mention selects what it selects with no marker', async ({ context }) => {
    const page = await openFixture(context, 'githubMarkers');
    await scanSettled(page);
    const markers = ['#para [data-ibkr-error="ibkr-326"]', '#linked [data-ibkr-error="ibkr-502"]', '#aligned [data-ibkr-error="ibkr-162"]', '#tail [data-ibkr-error="ibkr-1102"]'];
    const withMarkers: string[] = [];
    for (const m of markers) withMarkers.push(await dragAcross(page, page.locator(m)));
    await setMarkersShown(page, false);
    const without: string[] = [];
    for (const m of markers) without.push(await dragAcross(page, page.locator(m)));
    expect(withMarkers).toEqual(without);
    expect(withMarkers[0]).toBe('h Error 326, reqId -1: Unable to connect as the client id is already in use');
    await page.close();
  });
});
