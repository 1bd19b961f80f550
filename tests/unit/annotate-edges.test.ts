// @vitest-environment happy-dom
/**
 * The annotator gives the matcher the element edges of a heading or paragraph, so that a reason
 * after a message never runs into the next element (issue 12): the issue number after a title,
 * the prose after a `<code>`. Code blocks give none: a highlighter's spans split lines anywhere.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';
import { mentions } from './helpers/marks';

const matcher = createMatcher(knowledge.entries);

function annotate(html: string) {
  document.body.innerHTML = html; // test fixture, our own markup
  const annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined });
  annotator.enqueue(document.body);
  annotator.flush();
}

/** The text each mention covers (a marker holds no text: its accessible name is the marked text). */
function marked(): string[] {
  return mentions().map(([, text]) => text);
}

beforeEach(() => {
  document.title = '';
  document.body.innerHTML = '';
});

describe('element edges', () => {
  it('leaves the issue number after a title out (<h1>… <span>#42</span></h1>)', () => {
    annotate('<h1><bdi>Error 354, reqId 4: Requested market data is not subscribed</bdi> <span>#42</span></h1>');
    expect(marked()).toEqual(['Error 354, reqId 4: Requested market data is not subscribed']);
  });

  it('ends a reason where its element ends in a heading', () => {
    annotate('<h2>Error 201, reqId 3: Order rejected - reason:Invalid account code <span class="label">bug</span></h2>');
    expect(marked()).toEqual(['Error 201, reqId 3: Order rejected - reason:Invalid account code']);
  });

  it('ends a reason where the <code> quoting it ends, in prose with and without context', () => {
    annotate('<p>I get <code>Error 201, reqId 3: Order rejected - reason:Invalid account code</code> on every bracket order</p>');
    expect(marked()).toEqual(['Error 201, reqId 3: Order rejected - reason:Invalid account code']);
    annotate('<p>With TWS I get <code>Error 201, reqId 3: Order rejected - reason:Invalid account code</code> on every bracket order</p>');
    expect(marked()).toEqual(['Error 201, reqId 3: Order rejected - reason:Invalid account code']);
  });

  it('keeps a reason whose words are formatted inside one element', () => {
    annotate('<p>Error 201, reqId 3: Order rejected - reason: <b>Invalid <i>account</i> code</b></p>');
    expect(marked()).toEqual(['Error 201, reqId 3: Order rejected - reason: Invalid account code']);
  });

  it('gives no edges in a code block, where a highlighter splits the reason', () => {
    annotate(
      '<pre><code><span class="hljs-keyword">Error</span> <span class="hljs-number">201</span>, reqId 3: Order rejected - reason:YOUR EQUITY WITH LOAN VALUE [<span class="hljs-number">1000.00</span> USD] MUST EXCEED THE INITIAL MARGIN [<span class="hljs-number">2000.00</span> USD]</code></pre>',
    );
    expect(marked()).toEqual([
      'Error 201, reqId 3: Order rejected - reason:YOUR EQUITY WITH LOAN VALUE [1000.00 USD] MUST EXCEED THE INITIAL MARGIN [2000.00 USD]',
    ]);
  });
});
