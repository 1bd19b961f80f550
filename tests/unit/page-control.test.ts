// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR, type Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { badgeEntryIds, createPageControl } from '../../lib/page-control';
import { defaultSettings, normalizeSettings } from '../../lib/settings';

const matcher = createMatcher(knowledge.entries);
const PAGE =
  '<div class="markdown-body"><p>Using ib_insync I get Error 326, reqId -1: Unable to connect as the client id is already in use. then</p>' +
  '<pre>Error 2104, reqId -1: Market data farm connection is OK:usfarm\nError 321, reqId 5: Error validating request. and more</pre></div>';

const ids = () => [...document.querySelectorAll(`[${MARKER_ATTR}]`)].map((m) => m.getAttribute(MARKER_ATTR));
/** How long a wait for a fact may take before the test fails (a loaded machine is slow, never this slow). */
const WAIT = { timeout: 4_000, interval: 5 };

/** Lets the MutationObserver deliver the page's changes (a microtask: done before any timer). */
const nextTurn = () => new Promise((r) => setTimeout(r, 0));

/** How long marker changes settle before a badge report, here. */
const REPORT_DELAY_MS = 5;

/** Every annotator a test created: stopped after it, so none watches the next test's page. */
const created: Annotator[] = [];

function setup() {
  const reports: string[][] = [];
  const stops: number[] = [];
  let settled: boolean | null = null;
  /**
   * Waits for page control's own "work done" signal (what the test build's scan-settled attribute
   * shows): the page's changes so far delivered, the page scanned, the badge report sent. A wait
   * for that fact, never for an amount of time.
   */
  const settle = async () => {
    await nextTurn();
    await vi.waitFor(() => expect(settled, 'page control says its work is done').toBe(true), WAIT);
  };
  const control = createPageControl({
    doc: document,
    entries: knowledge.entries,
    matcher,
    // Scans at once (no idle callbacks in tests); a fresh annotator each time, as in the content script.
    // happy-dom lays nothing out: no marker to place, nothing to wait for.
    createAnnotator: (m, events) => {
      const annotator = createAnnotator({ doc: document, matcher: m, schedule: (work) => work({ timeRemaining: () => Infinity }), measure: false, ...events });
      created.push(annotator);
      return annotator;
    },
    report: (list) => reports.push(list),
    reportDelayMs: REPORT_DELAY_MS,
    onStop: () => stops.push(1),
    onSettled: (now) => (settled = now),
  });
  return { control, reports, stops, settle };
}

afterEach(() => {
  for (const annotator of created.splice(0)) annotator.stop();
});

beforeEach(() => {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/1');
  document.body.innerHTML = PAGE; // test fixture, our own markup
});

describe('page control (settings applied to an open page)', () => {
  it('marks a page whose site group is on and reports its distinct errors, info notices not counted', async () => {
    const { control, reports, settle } = setup();
    control.apply(defaultSettings());
    expect(ids()).toEqual(['ibkr-326', 'ibkr-2104', 'ibkr-321']);
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
  });

  it('does not count a marker the page forged on the badge', async () => {
    document.body.insertAdjacentHTML('beforeend', '<p><ibkr-error-mark data-ibkr-error="ibkr-504">forged</ibkr-error-mark></p>');
    const { control, reports, settle } = setup();
    control.apply(defaultSettings());
    await settle();
    expect(ids()).toContain('ibkr-504');
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
  });

  it('takes markers off when the group is switched off (page text unchanged) and puts them back when on', async () => {
    const original = document.body.textContent;
    const { control, reports, stops, settle } = setup();
    control.apply(defaultSettings());
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
    control.apply(normalizeSettings({ groups: { github: false } }));
    expect(ids()).toEqual([]);
    expect(stops).toHaveLength(1);
    expect(control.running).toBe(false);
    expect(document.body.textContent).toBe(original);
    expect(document.querySelector('pre')!.childNodes).toHaveLength(1);
    await settle();
    expect(reports.at(-1)).toEqual([]);
    control.apply(defaultSettings());
    expect(ids()).toEqual(['ibkr-326', 'ibkr-2104', 'ibkr-321']);
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
  });

  it('counts the entries it marked, not what a marker\'s attribute says: a page rewriting it changes nothing', async () => {
    const { control, reports, settle } = setup();
    control.apply(defaultSettings());
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
    for (const m of document.querySelectorAll(`[${MARKER_ATTR}]`)) m.setAttribute(MARKER_ATTR, 'ibkr-504');
    // Something to recount for: a comment added (with no error of its own).
    document.body.insertAdjacentHTML('beforeend', '<p>thanks</p>');
    control.locationChanged();
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
  });

  it('reports the same count again after the address changed in place (the browser may have reset the badge)', async () => {
    const { control, reports, settle } = setup();
    control.apply(defaultSettings());
    await settle();
    const before = reports.length;
    control.locationChanged();
    await settle();
    expect(reports.length).toBe(before + 1);
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
    await settle();
    expect(reports.length).toBe(before + 1);
  });

  it('says when its work is done: settings applied, the page scanned, the badge reported', async () => {
    const states: boolean[] = [];
    const control = createPageControl({
      doc: document,
      entries: knowledge.entries,
      matcher,
      createAnnotator: (m, events) => {
        // Idle callbacks that run when the test says.
        // happy-dom lays nothing out: no marker to place, nothing to wait for.
        const annotator = createAnnotator({ doc: document, matcher: m, schedule: (work) => void setTimeout(() => work({ timeRemaining: () => 50 }), 1), measure: false, ...events });
        created.push(annotator);
        return annotator;
      },
      report: () => undefined,
      reportDelayMs: REPORT_DELAY_MS,
      onSettled: (s) => states.push(s),
    });
    expect(states).toEqual([]);
    control.apply(defaultSettings());
    expect(states).toEqual([false]);
    // The scan's slices and the report run on timers: waited for as the signal itself, however slow the machine.
    await vi.waitFor(() => expect(states).toEqual([false, true]), WAIT);
    expect(ids()).toEqual(['ibkr-326', 'ibkr-2104', 'ibkr-321']);
    document.querySelector('p')!.append(' ERROR -1 504 Not connected');
    await nextTurn();
    expect(states).toEqual([false, true, false]);
    await vi.waitFor(() => expect(states).toEqual([false, true, false, true]), WAIT);
    expect(ids()).toContain('ibkr-504');
  });

  it('leaves no timer and no mark behind when destroyed', async () => {
    const { control, reports } = setup();
    control.apply(defaultSettings());
    const before = reports.length;
    control.destroy();
    expect(ids()).toEqual([]);
    // Timers of one delay run in the order they were set: one of the report's delay set now runs
    // after any report timer left behind, so such a report would have been sent by then.
    await new Promise((r) => window.setTimeout(r, REPORT_DELAY_MS));
    expect(reports.length).toBe(before);
  });

  it('reports again when marked content leaves the page (a single-page app moving on)', async () => {
    const { control, reports, settle } = setup();
    control.apply(defaultSettings());
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326', 'ibkr-321']);
    document.querySelector('pre')!.remove();
    await settle();
    expect(reports.at(-1)).toEqual(['ibkr-326']);
  });

  it('does nothing on a page whose group starts switched off', () => {
    const { control } = setup();
    control.apply(normalizeSettings({ groups: { github: false } }));
    expect(ids()).toEqual([]);
    expect(control.running).toBe(false);
  });

  it('hides informational notices and shows them again', async () => {
    const { control, settle } = setup();
    control.apply(defaultSettings());
    control.apply(normalizeSettings({ hideInfo: true }));
    await settle(); // the annotator looks at the joined text again, through the filter
    expect(ids()).toEqual(['ibkr-326', 'ibkr-321']);
    control.apply(normalizeSettings({ hideInfo: false }));
    expect(ids()).toEqual(['ibkr-326', 'ibkr-2104', 'ibkr-321']);
  });

  it('leaves info notices unmarked from the start when hidden', () => {
    const { control } = setup();
    control.apply(normalizeSettings({ hideInfo: true, hoverDelayMs: 400 }));
    expect(ids()).toEqual(['ibkr-326', 'ibkr-321']);
    expect(control.settings.hoverDelayMs).toBe(400);
  });
});

describe('entries', () => {
  it('gives each entry its severity, for the markers', () => {
    const { control } = setup();
    expect(['ibkr-326', 'ibkr-2104', 'ibkr-1100', 'nope'].map((id) => control.severityOf(id))).toEqual(['error', 'info', 'system', undefined]);
  });

  it('counts errors, not notices, for the badge', () => {
    const byId = new Map(knowledge.entries.map((e) => [e.id, e]));
    expect(badgeEntryIds(['ibkr-326', 'ibkr-2104', 'ibkr-2106', 'ibkr-1100', 'nope'], byId)).toEqual(['ibkr-326', 'ibkr-1100']);
  });
});
