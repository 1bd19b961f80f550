// @vitest-environment happy-dom
/**
 * A log page left open all day (bench:pages --soak, docs/performance.md): the page appends lines
 * and drops the oldest, for hours. Every error line present stays marked, and what the annotator
 * holds follows the lines present, not the lines ever seen.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import type { Annotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { annotateFlushed, destroyAnnotators, installHighlights, markerElements, settle } from './helpers/marks';

const matcher = createMatcher(knowledge.entries);
const ERROR = 'ERROR -1 504 Not connected';

const annotate = (): Annotator => annotateFlushed(matcher);

beforeEach(() => {
  document.title = 'ib_insync gateway log';
  installHighlights();
});
afterEach(destroyAnnotators);

/** A log view of `keep` lines, a <div> each; `line(i)` is the text of the i-th. */
function logView(keep: number, line: (i: number) => string) {
  document.body.innerHTML = '<div id="log"></div>';
  const log = document.getElementById('log')!;
  let n = 0;
  const append = () => {
    const div = document.createElement('div');
    div.textContent = line(n++);
    log.appendChild(div);
    while (log.children.length > keep) log.firstElementChild!.remove();
  };
  for (let i = 0; i < keep; i++) append();
  return { log, append };
}

/** Error lines present that hold no marker, and lines that hold one but are no error. */
function unmarked(log: Element): { errorsUnmarked: number; quietMarked: number; errors: number } {
  let errorsUnmarked = 0;
  let quietMarked = 0;
  let errors = 0;
  for (const div of log.children) {
    const marked = div.querySelector('[data-ibkr-error]') !== null;
    if (/ERROR|Error 326/.test(div.textContent!)) {
      errors++;
      if (!marked) errorsUnmarked++;
    } else if (marked) quietMarked++;
  }
  return { errorsUnmarked, quietMarked, errors };
}

describe('a log view that drops its oldest lines', () => {
  it('dropping a marked line right after we marked is not the page undoing our markers: every error line present stays marked', async () => {
    // Every line an error, so that each line dropped holds a marker.
    const { log, append } = logView(5, (i) => `t=${i} ${ERROR}`);
    const a = annotate();
    expect(markerElements()).toHaveLength(5);
    for (let i = 0; i < 12; i++) {
      // In the task right after our markers went in: a busy log's next line comes then.
      append();
      await settle(a);
    }
    expect(unmarked(log)).toEqual({ errorsUnmarked: 0, quietMarked: 0, errors: 5 });
    expect(markerElements()).toHaveLength(5);
  });

  it('after thousands of lines appended and dropped, marks exactly the error lines present, and counts no entry that is gone', async () => {
    const { log, append } = logView(50, (i) => (i % 5 === 2 ? `t=${i} Error 326, reqId -1: Unable to connect as the client id is already in use.` : i % 5 === 4 ? `t=${i} ${ERROR}` : `t=${i} heartbeat ok`));
    const a = annotate();
    for (let i = 0; i < 3_000; i++) {
      append();
      if (i % 7 === 0) await settle(a);
    }
    await settle(a);
    expect(unmarked(log)).toEqual({ errorsUnmarked: 0, quietMarked: 0, errors: 20 });
    expect(markerElements()).toHaveLength(20);
    expect(a.entryIds().sort()).toEqual(['ibkr-326', 'ibkr-504']);
    // Only quiet lines from here: every error line goes, and with it every entry the badge counts.
    for (let i = 0; i < 50; i++) {
      const div = document.createElement('div');
      div.textContent = `heartbeat ok ${i}`;
      log.appendChild(div);
      log.firstElementChild!.remove();
    }
    await settle(a);
    expect(markerElements()).toHaveLength(0);
    expect(a.entryIds()).toEqual([]);
    // 3,000 appends: a loaded machine must not fail this on time; what the soak costs is bench:pages --soak's to tell.
  }, 30_000);
});
