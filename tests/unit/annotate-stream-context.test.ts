// @vitest-environment happy-dom
/**
 * The context of a text node the page streams into (lib/annotate/text-streams.ts) is its text as
 * it is now: a short message that needs IBKR context ("Not connected", a prose `Error 504`) is
 * marked once the node shows context, wherever in it and whenever written, and not once the only
 * sign of it has been cut off, as the node's text matched whole would be. The page gives no
 * context of its own here (its title says nothing), nor does the `<div>` holding the long line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REMATCH_BEFORE } from '../../lib/annotate/text-streams';
import { installHighlights, mentions, paintedTexts } from './helpers/marks';
import { installFastRangeText } from './helpers/range-text';
import { annotateInSlices, countingMatcher, destroySliced, settleSlices } from './helpers/slices';

installFastRangeText();

const CONTEXT_LINE = 'ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1...';
const quietLine = (i: number) => `2024-05-01 09:29:${String(i % 60).padStart(2, '0')} worker seq=${i} heartbeat ok\n`;
/** Quiet lines, at least `length` characters of them. */
function quietLines(length: number, from = 0): string {
  let text = '';
  for (let i = from; text.length < length; i++) text += quietLine(i);
  return text;
}

beforeEach(() => {
  document.title = 'Console';
  installHighlights();
});
afterEach(destroySliced);

/** A `<tag>` holding one text node of `text`, annotated. */
function pane(text: string, tag = 'pre') {
  document.body.innerHTML = `<${tag} id="log"></${tag}>`;
  const block = document.getElementById('log')!;
  const node = block.appendChild(document.createTextNode(text));
  const matcher = countingMatcher();
  annotateInSlices(matcher);
  return { block, node, matcher };
}

describe('context written after a mention reaches back to it', () => {
  it('in a <pre>: a later line showing context marks the short messages above it', async () => {
    const { block, node } = pane(quietLines(2_500));
    node.appendData('2024-05-01 09:29:30 Not connected\n');
    await settleSlices();
    node.appendData('2024-05-01 09:29:31 Error 504 while placing the order\n');
    await settleSlices();
    expect(mentions(block)).toEqual([]);
    node.appendData(quietLines(300, 100));
    await settleSlices();
    node.appendData(`2024-05-01 09:29:32 ${CONTEXT_LINE}\n`);
    await settleSlices();
    expect(mentions(block)).toEqual([
      ['ibkr-504', 'Not connected'],
      ['ibkr-504', 'Error 504'],
    ]);
    expect(paintedTexts().error).toEqual(['Not connected', 'Error 504']);
  });

  it('in one long line: context written more than REMATCH_BEFORE characters after a mention marks it', async () => {
    const filler = (n: number) => ' worker heartbeat ok;'.repeat(Math.ceil(n / 21)).slice(0, n);
    const { block, node } = pane(filler(2_500), 'div');
    node.appendData('; Not connected; ');
    await settleSlices();
    for (let k = 0; k < 6; k++) {
      node.appendData(filler(REMATCH_BEFORE / 2));
      await settleSlices();
    }
    expect(mentions(block)).toEqual([]);
    node.appendData(`; ${CONTEXT_LINE}; `);
    await settleSlices();
    expect(mentions(block)).toEqual([['ibkr-504', 'Not connected']]);
  });

  it('marks the mention once the sign is whole, when the sign itself is written in two pieces', async () => {
    const { block, node } = pane(quietLines(2_500));
    node.appendData('2024-05-01 09:29:30 Not connected\n');
    await settleSlices();
    node.appendData('2024-05-01 09:29:31 connected to T');
    await settleSlices();
    expect(mentions(block)).toEqual([]);
    node.appendData('WS on port 7497\n');
    await settleSlices();
    expect(mentions(block)).toEqual([['ibkr-504', 'Not connected']]);
  });
});

describe('context cut off at the start takes away the marks that needed it', () => {
  const ERROR_326 = 'Error 326, reqId -1: Unable to connect as the client id is already in use.';
  /** Cuts the node's lines up to and including the first that holds `text`. */
  const cutThrough = (node: Text, text: string) => node.deleteData(0, node.data.indexOf('\n', node.data.indexOf(text)) + 1);

  it('in a <pre> whose signs of context are cut one by one: its short message stays marked while one is kept', async () => {
    const { block, node } = pane(`${CONTEXT_LINE}\n${quietLines(2_500)}`);
    node.appendData(`2024-05-01 09:29:31 ${ERROR_326}\n${quietLines(200, 300)}2024-05-01 09:29:30 Not connected\n`);
    await settleSlices();
    expect(mentions(block).map(([id]) => id)).toEqual(['ibkr-326', 'ibkr-504']);
    cutThrough(node, CONTEXT_LINE);
    await settleSlices();
    // The self-evident error line is context of its own.
    expect(mentions(block).map(([id]) => id)).toEqual(['ibkr-326', 'ibkr-504']);
    node.appendData(quietLines(200, 500));
    cutThrough(node, ERROR_326);
    await settleSlices();
    expect(mentions(block)).toEqual([]);
  });

  it('in one long line whose start showed its only context', async () => {
    const filler = (n: number) => ' worker heartbeat ok;'.repeat(Math.ceil(n / 21)).slice(0, n);
    const { block, node } = pane(`${CONTEXT_LINE}; ${filler(2_500)}`, 'div');
    node.appendData('; Not connected; ');
    node.appendData(filler(300));
    await settleSlices();
    expect(mentions(block)).toEqual([['ibkr-504', 'Not connected']]);
    node.deleteData(0, CONTEXT_LINE.length);
    await settleSlices();
    expect(mentions(block)).toEqual([]);
  });
});

describe('the cost of following context', () => {
  it('matches each character a bounded number of times, though context comes and goes as lines are appended and cut', { timeout: 30_000 }, async () => {
    // A sparse log: short messages, and a context line every 80 lines; the pane keeps about 45
    // lines, so its context is cut off and written again over and over.
    const line = (i: number) => (i % 80 === 0 ? `2024-05-01 09:29:00 ${CONTEXT_LINE}\n` : i % 5 === 2 ? '2024-05-01 09:29:01 Not connected\n' : quietLine(i));
    let text = '';
    let i = 0;
    while (text.length < 2_100) text += line(i++);
    const { block, node, matcher } = pane(text);
    const before = matcher.chars;
    let appended = 0;
    for (let k = 0; k < 1_000; k++) {
      const next = line(i++);
      node.appendData(next);
      appended += next.length;
      while (node.data.length > 2_100) node.deleteData(0, node.data.indexOf('\n') + 1);
      await settleSlices();
      // Marked exactly while a context line is kept.
      const shortMessages = node.data.split('Not connected').length - 1;
      expect(mentions(block).length).toBe(node.data.includes(CONTEXT_LINE) ? shortMessages : 0);
    }
    // The marks are those of the pane's text now matched whole.
    const streamed = mentions(block);
    expect(streamed.length).toBeGreaterThan(0);
    expect(streamed).toEqual(mentions(pane(node.data).block));
    // Each context line is matched whole at most twice more (when written, when cut) per pane of
    // text: about 2 x 2,100 x 12 context lines, under twice what was appended.
    expect(matcher.chars - before).toBeLessThan(4 * appended);
  });
});

describe("a followed node's signs of each API decide a refusal or short message written later, as its whole text would", () => {
  const REFUSAL = 'ConnectionRefusedError: [Errno 111] Connection refused';
  const GATEWAY_LINE = 'GET https://localhost:5000/v1/api/iserver/accounts 200';

  it('reads a refusal below a socket-API line that is far above it as the socket API, on a page that gives Client Portal context', async () => {
    document.title = 'IBeam: cannot connect';
    const { block, node } = pane(`${CONTEXT_LINE}\n${quietLines(2_500)}`);
    node.appendData(quietLines(3_000, 200));
    await settleSlices();
    node.appendData(`2024-05-01 09:30:00 ${REFUSAL}\n`);
    await settleSlices();
    expect(mentions(block)).toEqual([['connection-refused', REFUSAL]]);
  });

  it('reads it again when the socket API is written after it, and leaves it unmarked once the text shows both APIs', async () => {
    document.title = 'IBeam: cannot connect';
    const { block, node } = pane(quietLines(2_500));
    node.appendData(`2024-05-01 09:30:00 ${REFUSAL}\n2024-05-01 09:30:01 Not connected\n`);
    await settleSlices();
    expect(mentions(block)).toEqual([['cpapi-gateway-unreachable', REFUSAL]]);
    node.appendData(quietLines(1_500, 300));
    await settleSlices();
    node.appendData(`2024-05-01 09:30:02 ${CONTEXT_LINE}\n`);
    await settleSlices();
    expect(mentions(block)).toEqual([
      ['connection-refused', REFUSAL],
      ['ibkr-504', 'Not connected'],
    ]);
    node.appendData(`2024-05-01 09:30:03 ${GATEWAY_LINE}\n`);
    await settleSlices();
    expect(mentions(block)).toEqual([['ibkr-504', 'Not connected']]);
  });
});
