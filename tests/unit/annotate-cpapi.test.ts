// @vitest-environment happy-dom
/**
 * Client Portal context on a page: from the page (the gateway's own address, an IBeam or ibind
 * thread), from the post a text is in, never from IBKR (TWS) context alone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);
const happyDOM = (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM;

function annotate(html: string) {
  document.body.innerHTML = html; // test fixture, our own markup
  const annotator = createAnnotator({ doc: document, matcher, schedule: () => undefined });
  annotator.enqueue(document.body);
  annotator.flush();
  return annotator;
}

/** [marked text, entry id] of each marker (a marker holds no text: its accessible name is the marked text). */
const markers = () => [...document.querySelectorAll(`[${MARKER_ATTR}]`)].map((m) => [m.getAttribute('aria-label'), m.getAttribute(MARKER_ATTR)]);

beforeEach(() => {
  document.title = '';
  happyDOM.setURL('https://example.com/');
});
afterEach(() => {
  document.body.innerHTML = '';
});

describe('Client Portal context on a page', () => {
  it("explains the gateway's own JSON answers by their address alone", () => {
    happyDOM.setURL('https://localhost:5000/v1/api/iserver/accounts');
    annotate('<pre>{"error":"Bad Request: no bridge","statusCode":400}</pre>');
    expect(markers()).toEqual([['"error":"Bad Request: no bridge"', 'cpapi-no-bridge']]);
  });

  it('leaves a bare no-bridge body alone on another local server', () => {
    happyDOM.setURL('http://localhost:8080/api/accounts');
    annotate('<pre>{"error":"no bridge"}</pre><p>Access Denied</p>');
    expect(markers()).toEqual([]);
  });

  it("marks the gateway's whole no-bridge body in a socket-API log: that official text is Client Portal context itself", () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/1');
    annotate(
      '<div class="comment-body"><p>My ib_insync script logs this, then the REST call fails:</p>' +
        '<pre>Warning 2104, reqId -1: Market data farm connection is OK:usfarm\nGET accounts -> {"error":"Bad Request: no bridge","statusCode":400}</pre>' +
        '<p>and the page also says Access Denied</p></div>' +
        '<div class="comment-body"><p>Our nginx says Access Denied too.</p></div>',
    );
    expect(markers()).toEqual([
      ['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'ibkr-2104'],
      ['"error":"Bad Request: no bridge"', 'cpapi-no-bridge'],
      ['Access Denied', 'cpapi-access-denied'],
    ]);
  });

  it('leaves the same page alone with a bare no-bridge body (a bridge of another product)', () => {
    happyDOM.setURL('https://github.com/erdewit/ib_insync/issues/1');
    annotate('<pre>Warning 2104, reqId -1: Market data farm connection is OK:usfarm\nhue: {"error":"no bridge"}</pre>');
    expect(markers()).toEqual([['Warning 2104, reqId -1: Market data farm connection is OK:usfarm', 'ibkr-2104']]);
  });

  it('takes Client Portal context from the post: an IBeam thread with a JSON body and Access Denied', () => {
    annotate(
      '<div class="comment-body"><p>Running IBeam in docker, the gateway answers:</p>' +
        "<pre><code>{'error': 'Init session first', 'statusCode': 400}</code></pre><p>and from the host: Access Denied</p></div>" +
        '<div class="comment-body"><p>Our nginx says Access Denied too.</p></div>',
    );
    expect(markers()).toEqual([
      ['Init session first', 'cpapi-init-session-first'],
      ['Access Denied', 'cpapi-access-denied'],
    ]);
  });

  it('does not take IBKR (TWS) context for Client Portal context', () => {
    annotate('<p>TWS says Access Denied</p><p>ib_insync: not authenticated</p>');
    expect(markers()).toEqual([]);
  });

  it('takes it from the page title of an ibind thread', () => {
    document.title = 'HTTP 400 - Bad Request: no bridge · Issue #44 · Voyz/ibind';
    annotate('<p>Every call answers 401 Unauthorized since this morning.</p>');
    expect(markers()).toEqual([['401 Unauthorized', 'cpapi-http-401']]);
  });
});
