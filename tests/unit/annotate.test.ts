// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import knowledge from '../../knowledge';
import { createAnnotator, MARKER_ATTR } from '../../lib/annotate';
import { createMatcher } from '../../lib/matcher';

const matcher = createMatcher(knowledge.entries);

/** Builds the page with DOM calls (not innerHTML on live content), runs the annotator to completion. */
function annotate(html: string, pageContext?: boolean) {
  document.body.innerHTML = html; // test fixture, our own markup
  const annotator = createAnnotator({ doc: document, matcher, pageContext, schedule: () => undefined });
  annotator.enqueue(document.body);
  annotator.flush();
  return annotator;
}

/** [marked text, entry id] of each marker (a marker holds no text: its accessible name is the marked text). */
const markers = () =>
  [...document.querySelectorAll(`[${MARKER_ATTR}]`)].map((m) => [m.getAttribute('aria-label'), m.getAttribute(MARKER_ATTR)]);

beforeEach(() => {
  document.title = '';
  document.body.innerHTML = '';
});

describe('annotator', () => {
  it('marks IBKR errors with a marker carrying the entry id, the page text left as it is', () => {
    annotate('<p>After a rerun I get Error 326, reqId -1: Unable to connect as the client id is already in use. Help?</p>');
    expect(markers()).toEqual([['Error 326, reqId -1: Unable to connect as the client id is already in use', 'ibkr-326']]);
    expect(document.querySelector('p')!.textContent).toBe(
      'After a rerun I get Error 326, reqId -1: Unable to connect as the client id is already in use. Help?',
    );
    const m = document.querySelector(`[${MARKER_ATTR}]`)!;
    expect(m.getAttribute('tabindex')).toBe('0');
    expect(m.getAttribute('role')).toBe('button');
  });

  it('marks several errors in a <pre><code> log block', () => {
    annotate(
      '<pre><code>2024-05-01 ib_insync.wrapper ERROR Error 326, reqId -1: Unable to connect as the client id is already in use.\n' +
        'ERROR -1 504 Not connected\nError 321, reqId 5: Error validating request.</code></pre>',
    );
    expect(markers().map(([, id]) => id)).toEqual(['ibkr-326', 'ibkr-504', 'ibkr-321']);
  });

  it('marks generic messages only where the block or page has IBKR context', () => {
    annotate(
      '<p>ib.connect("127.0.0.1", 7497, clientId=1) fails with ConnectionRefusedError: [WinError 10061] No connection could be made because the target machine actively refused it</p>',
    );
    expect(markers().map(([, id]) => id)).toEqual(['connection-refused']);

    annotate('<p>redis-py: ConnectionRefusedError: [Errno 111] Connection refused</p>');
    expect(markers()).toEqual([]);
  });

  it('takes context from the post a message is in, not from anywhere on the page', () => {
    annotate('<div class="comment-body"><p>My script says Not connected after a while.</p><p>I use ib_insync with TWS.</p></div>');
    expect(markers()).toEqual([['Not connected', 'ibkr-504']]);

    annotate('<div><p>My dashboard says Not connected after a while.</p></div><div class="comment-body"><p>Unrelated: I use TWS.</p></div>');
    expect(markers()).toEqual([]);
  });

  it('takes page context from the title or main heading, also when it arrives later', () => {
    document.title = 'ib_insync: requests fail after reconnect';
    annotate('<p>My script says Not connected after a while.</p>');
    expect(markers()).toEqual([['Not connected', 'ibkr-504']]);

    document.title = 'Loading…';
    const a = annotate('<p>The status bar says Not connected.</p>');
    expect(markers()).toEqual([]);
    // A single-page app fills in its heading afterwards: the waiting text is looked at again.
    const h1 = document.createElement('h1');
    h1.textContent = 'IB Gateway drops the session';
    document.body.prepend(h1);
    a.enqueue(h1);
    a.flush();
    expect(markers()).toEqual([['Not connected', 'ibkr-504']]);
  });

  it('leaves an nginx "504 Gateway Timeout" page alone', () => {
    document.title = 'nginx 504 Gateway Timeout behind load balancer';
    annotate(
      '<h1>nginx returns 504 Gateway Timeout</h1><pre>HTTP/1.1 504 Gateway Timeout\nError 504: upstream timed out</pre><p>Error code: 504. Issue #504 costs $504.00</p>',
    );
    expect(markers()).toEqual([]);
  });

  it('never touches form fields, editable regions, scripts, styles or code editors', () => {
    annotate(
      '<textarea>Error 326, reqId -1: x</textarea><input value="ERROR -1 504 Not connected">' +
        '<div contenteditable="true">ERROR -1 504 Not connected</div>' +
        '<script>// ERROR -1 504 Not connected</script><style>/* ERROR -1 504 Not connected */</style>' +
        '<div class="cm-editor"><div class="cm-line">ERROR -1 504 Not connected</div></div>' +
        '<p>ERROR -1 504 Not connected</p>',
    );
    expect(markers()).toEqual([['ERROR -1 504 Not connected', 'ibkr-504']]);
    expect(document.querySelector('textarea')!.value).toBe('Error 326, reqId -1: x');
    expect(document.querySelector('div[contenteditable]')!.children).toHaveLength(0);
    expect(document.querySelector('div[contenteditable]')!.childNodes).toHaveLength(1);
  });

  it("never reads GitHub's chrome around a comment (author and time, menus, reactions, avatar), only the comment", () => {
    // Text an error could only reach there as a name or a label: the rule is what is tested.
    annotate(
      '<div class="TimelineItem"><div class="TimelineItem-avatar"><a href="/ERROR-1-504">ERROR -1 504 Not connected</a></div>' +
        '<div class="timeline-comment"><div class="timeline-comment-header"><strong>ERROR -1 504 Not connected</strong> commented</div>' +
        '<div class="comment-body"><p>ERROR -1 504 Not connected</p></div>' +
        '<div class="comment-reactions"><button>1</button><span>ERROR -1 504 Not connected</span></div></div></div>' +
        '<div class="react-issue-comment"><div data-testid="comment-header"><span>ERROR -1 504 Not connected</span></div>' +
        '<div class="markdown-body"><p>Error 326, reqId -1: Unable to connect as the client id is already in use.</p></div></div>',
    );
    expect(markers().map(([, id]) => id)).toEqual(['ibkr-504', 'ibkr-326']);
    expect(document.querySelector('.comment-body [data-ibkr-error], .markdown-body [data-ibkr-error]')).not.toBeNull();
  });

  it("never reads the number after a GitHub issue's title as the code of an error the title ends with", () => {
    // Classic (two generations), discussions and the React header; "TWS" is IBKR context for the title.
    annotate(
      '<h1 class="gh-header-title"><bdi class="js-issue-title markdown-title">TWS connection Error</bdi> <span class="f1-light color-fg-muted">#394</span></h1>' +
        '<h1 class="gh-header-title"><span class="js-issue-title">TWS historical data error</span> <span class="gh-header-number">#162</span></h1>' +
        '<h1 class="gh-header-title"><span class="js-issue-title markdown-title">TWS login Error</span> <span class="f1-light color-fg-muted">#1100</span></h1>' +
        '<h1 data-component="PH_Title"><bdi data-testid="issue-title" class="markdown-title">TWS API Error</bdi><span class="prc-Text">#502</span></h1>' +
        '<h1 class="gh-header-title"><bdi class="js-issue-title markdown-title">ERROR -1 504 Not connected</bdi> <span class="f1-light color-fg-muted">#80</span></h1>',
    );
    expect(markers()).toEqual([['ERROR -1 504 Not connected', 'ibkr-504']]);
  });

  it('does not re-scan or re-wrap what it already marked', () => {
    const a = annotate('<p>ERROR -1 504 Not connected</p>');
    const scanned = a.scannedCount;
    a.enqueue(document.body);
    a.flush();
    expect(markers()).toHaveLength(1);
    expect(a.markerCount).toBe(1);
    expect(a.scannedCount).toBe(scanned);
  });

  it('treats page text as text: markup in it is never parsed', () => {
    const p = document.createElement('p');
    p.textContent = 'ERROR -1 504 Not connected <img src=x onerror=alert(1)>';
    document.body.appendChild(p);
    const a = createAnnotator({ doc: document, matcher, schedule: () => undefined });
    a.enqueue(document.body);
    a.flush();
    expect(document.querySelector('img')).toBeNull();
    expect(p.textContent).toBe('ERROR -1 504 Not connected <img src=x onerror=alert(1)>');
    expect(markers()).toHaveLength(1);
  });

  it('annotates content added after load, in batches', async () => {
    const batches: (() => void)[] = [];
    const a = createAnnotator({
      doc: document,
      matcher,
      schedule: (work) => batches.push(() => work({ timeRemaining: () => 5 })),
    });
    a.start();
    while (batches.length) batches.shift()!();
    const comment = document.createElement('div');
    comment.className = 'comment-body';
    comment.textContent = 'Now I see Error 321, reqId 12: Error validating request.';
    document.body.appendChild(comment);
    await new Promise((r) => setTimeout(r, 0)); // let the MutationObserver deliver
    expect(batches.length).toBe(1);
    while (batches.length) batches.shift()!();
    expect(markers().map(([, id]) => id)).toEqual(['ibkr-321']);
    a.stop();
  });
});
