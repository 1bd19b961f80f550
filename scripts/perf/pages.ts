/**
 * The two pages issue 14's cost figures are measured on, as served HTML (parsed by the browser,
 * like a saved page): a 4.7 MB GitHub-like issue thread and one block of 200,000 inline spans.
 */

/**
 * Sets `window.__setupAt` once the page is loaded (the content scripts start then, at
 * document_idle); `perf-setup-done` marks it in a trace.
 */
const SETUP = `<script>
  window.__setupAt = Infinity;
  addEventListener('load', () => setTimeout(() => { window.__setupAt = performance.now(); performance.mark('perf-setup-done'); window.__setupDone = true; }, 0));
</script>`;

/**
 * Records when markers appear, from the page's own world: `window.__markers` holds
 * [performance.now(), count] each time the count of `selector` elements grows. A MutationObserver
 * rather than polling, which would query a 400,000-node page twice a second.
 */
export const markerClock = (selector: string) => `<script>
  window.__markers = [];
  let count = 0;
  new MutationObserver((records) => {
    let added = 0;
    for (const r of records) for (const n of r.addedNodes) {
      if (n.nodeType !== 1) continue;
      if (n.matches(${JSON.stringify(selector)})) added++;
      else if (n.nodeName === '#document-fragment' || n.firstElementChild) added += n.querySelectorAll(${JSON.stringify(selector)}).length;
    }
    if (added) { count += added; window.__markers.push([performance.now(), count]); }
  }).observe(document.documentElement, { childList: true, subtree: true });
</script>`;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** IBKR errors as threads quote them: ib_insync, ibapi, TWS logs, Client Portal. */
export const ERRORS = [
  'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
  'ERROR -1 504 Not connected',
  "ib_insync.wrapper ERROR Error 200, reqId 12: No security definition has been found for the request, contract: Stock(symbol='XYZ', exchange='SMART', currency='USD')",
  'Error 1100, reqId -1: Connectivity between IB and Trader Workstation has been lost.',
  'ERROR -1 2104 Market data farm connection is OK:usfarm',
  'Error. Id: 3, Code: 201, Msg: Order rejected - reason: The contract is not available for trading.',
  "ib_insync.wrapper ERROR Error 354, reqId 7: Requested market data is not subscribed. Displaying delayed market data.",
  'ConnectionRefusedError: [Errno 111] Connect call failed',
  "TradeLogEntry(time=datetime.datetime(2024, 5, 1, 13, 29, 2), status='Cancelled', message='', errorCode=321)",
];
/** Lines that look like errors and must stay unmarked, and ordinary log lines. */
export const QUIET = [
  'nginx: 504 Gateway Timeout while reading response header from upstream',
  "Trade(contract=Stock(conId=265598, symbol='AAPL', exchange='SMART', currency='USD'), order=LimitOrder(orderId=12, clientId=1, action='BUY', totalQuantity=100, lmtPrice=172.5), orderStatus=OrderStatus(orderId=12, status='Submitted'))",
  '2024-05-01 09:29:01,123 ib_insync.client INFO Connecting to 127.0.0.1:7497 with clientId 1...',
  '2024-05-01 09:29:01,456 ib_insync.client INFO Logged on to server version 176',
  '2024-05-01 09:29:02,001 ib_insync.ib INFO Synchronization complete',
  'The order costs $504.00 and fixes #321 in the tracker.',
];
const PROSE = [
  'I am seeing this every morning right after the gateway restarts. The script reconnects on its own but the first requests fail, and my order router gives up after three tries.',
  'Same here on version 10.19. Restarting TWS did not help; switching the client id did. Could the old session still be holding the id after a crash?',
  'Thanks for the detailed report. Can you share the full log with the timestamps, and which version of the API you are running? The connection handling changed in the last release.',
  'For what it is worth, the market data subscriptions on the paper account are separate from the live ones, so the same request can behave differently there.',
  'Closing this as the fix is released. Please open a new issue if you still see it with the current version, with a minimal script that reproduces it.',
];
const PYTHON = [
  '<span class="pl-k">from</span> <span class="pl-s1">ib_insync</span> <span class="pl-k">import</span> <span class="pl-c1">*</span>',
  '<span class="pl-s1">ib</span> <span class="pl-c1">=</span> <span class="pl-en">IB</span>()',
  '<span class="pl-s1">ib</span>.<span class="pl-en">connect</span>(<span class="pl-s">\'127.0.0.1\'</span>, <span class="pl-c1">7497</span>, <span class="pl-s1">clientId</span><span class="pl-c1">=</span><span class="pl-c1">1</span>)',
  '<span class="pl-s1">contract</span> <span class="pl-c1">=</span> <span class="pl-en">Stock</span>(<span class="pl-s">\'AAPL\'</span>, <span class="pl-s">\'SMART\'</span>, <span class="pl-s">\'USD\'</span>)',
  '<span class="pl-s1">bars</span> <span class="pl-c1">=</span> <span class="pl-s1">ib</span>.<span class="pl-en">reqHistoricalData</span>(<span class="pl-s1">contract</span>, <span class="pl-s1">endDateTime</span><span class="pl-c1">=</span><span class="pl-s">\'\'</span>, <span class="pl-s1">durationStr</span><span class="pl-c1">=</span><span class="pl-s">\'30 D\'</span>)',
];

/** The markup GitHub puts around each comment: header, avatar, menus, reactions. */
function comment(i: number, body: string): string {
  const user = `user${i % 37}`;
  return `<div class="js-timeline-item js-timeline-progressive-focus-container" data-gid="IC_kwDO${i}">
<div class="TimelineItem js-comment-container" data-gid="IC_kwDO${i}" data-url="/_render_node/IC_kwDO${i}/timeline/issue_comment">
<div class="avatar-parent-child TimelineItem-avatar d-none d-md-block"><a class="d-inline-block" data-hovercard-type="user" data-hovercard-url="/users/${user}/hovercard" href="/${user}"><img class="avatar rounded-2 avatar-user" height="40" width="40" alt="@${user}" src="data:,"></a></div>
<div class="timeline-comment-group js-minimizable-comment-group js-targetable-element TimelineItem-body my-0" id="issuecomment-${100000 + i}">
<div class="ml-n3 timeline-comment unminimized-comment comment previewable-edit js-task-list-container js-comment timeline-comment--caret" data-body-version="${(i * 2654435761 % 1e9).toString(16)}">
<div class="timeline-comment-header clearfix d-flex" data-morpheus-enabled="false">
<div class="timeline-comment-actions flex-justify-end d-none d-md-flex flex-items-center"><details class="details-overlay details-reset position-relative d-inline-block"><summary class="timeline-comment-action Link--secondary btn-link" role="button" aria-haspopup="menu" aria-label="Show options"><svg aria-hidden="true" height="16" viewBox="0 0 16 16" width="16" class="octicon octicon-kebab-horizontal"><path d="M8 9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3ZM1.5 9a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Zm13 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3Z"></path></svg></summary><details-menu class="dropdown-menu dropdown-menu-sw show-more-popover color-fg-default" role="menu"><clipboard-copy class="dropdown-item btn-link" role="menuitem">Copy link</clipboard-copy><button type="button" class="dropdown-item btn-link js-comment-quote-reply" role="menuitem">Quote reply</button><a class="dropdown-item btn-link" role="menuitem" href="/perf/thread/issues/new">Reference in new issue</a></details-menu></details></div>
<h3 class="f5 text-normal" style="flex: 1 1 auto"><div class="d-flex"><strong class="css-truncate"><a class="author Link--primary text-bold css-overflow-wrap-anywhere" data-hovercard-type="user" href="/${user}">${user}</a></strong><span class="color-fg-muted"> commented <a href="#issuecomment-${100000 + i}" class="Link--secondary js-timestamp"><relative-time datetime="2024-05-${String(1 + (i % 28)).padStart(2, '0')}T09:29:0${i % 10}Z" class="no-wrap">May ${1 + (i % 28)}, 2024</relative-time></a></span></div></h3>
</div>
<div class="edit-comment-hide"><task-lists disabled sortable><table class="d-block user-select-contain" data-paste-markdown-skip><tbody class="d-block"><tr class="d-block"><td class="d-block comment-body markdown-body js-comment-body">
${body}
</td></tr></tbody></table></task-lists></div>
<div class="comment-reactions flex-items-center border-top js-reactions-container js-reaction-buttons-container social-reactions reactions-container"><div class="js-comment-reactions-options d-flex flex-items-center flex-row flex-wrap"><button class="social-reaction-summary-item btn-link d-flex no-underline color-fg-muted flex-items-baseline mr-2" type="submit" value="THUMBS_UP react" aria-pressed="false"><g-emoji class="social-button-emoji" alias="+1">👍</g-emoji><span class="js-discussion-reaction-group-count">${i % 9}</span></button><button class="social-reaction-summary-item btn-link d-flex no-underline color-fg-muted flex-items-baseline mr-2" type="submit" value="EYES react" aria-pressed="false"><g-emoji class="social-button-emoji" alias="eyes">👀</g-emoji><span class="js-discussion-reaction-group-count">${i % 4}</span></button></div></div>
</div></div></div></div>`;
}

/** A comment's body: prose, and every other comment a log or a code block (some quote IBKR errors). */
function commentBody(i: number): string {
  const parts = [`<p dir="auto">${esc(PROSE[i % PROSE.length])} See <a href="https://github.com/perf/thread/issues/${i}">#${i}</a> and <code class="notranslate">ib.connect()</code>.</p>`];
  if (i % 2 === 0) {
    const lines: string[] = [];
    for (let k = 0; k < 24; k++) lines.push(esc(k % 6 === 3 && i % 4 === 0 ? ERRORS[(i + k) % ERRORS.length] : QUIET[(i + k) % QUIET.length]));
    parts.push(`<div class="snippet-clipboard-content notranslate position-relative overflow-auto"><pre class="notranslate"><code class="notranslate">${lines.join('\n')}</code></pre></div>`);
  } else if (i % 3 === 0) {
    parts.push(`<div class="highlight highlight-source-python notranslate position-relative overflow-auto" dir="auto"><pre>${PYTHON.join('\n')}</pre></div>`);
  }
  parts.push(`<p dir="auto">${esc(PROSE[(i + 2) % PROSE.length])}</p>`);
  if (i % 5 === 0) parts.push(`<blockquote><p dir="auto">${esc(ERRORS[i % ERRORS.length])}</p></blockquote><p dir="auto">Is this the same thing?</p>`);
  return parts.join('\n');
}

/** A GitHub-like issue thread of about `bytes` of HTML (4.7 MB in the figures). */
export function threadPage(bytes = 4.7e6, head = ''): string {
  const top = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Error 326 on reconnect · Issue #1 · perf/thread · GitHub</title>${SETUP}${head}</head>
<body class="logged-in env-production page-responsive"><div class="application-main" data-commit-hovercards-enabled><main id="js-repo-pjax-container"><div id="repo-content-pjax-container" class="repository-content"><div class="js-issues-results"><div id="partial-discussion-header" class="gh-header mb-3 js-details-container Details js-socket-channel js-updatable-content issue"><h1 class="gh-header-title mb-2 lh-condensed f1 mr-0 flex-auto wb-break-word"><bdi class="js-issue-title markdown-title">Error 326 on reconnect after the gateway restarts</bdi> <span class="f1-light color-fg-muted">#1</span></h1></div><div class="js-discussion js-socket-channel ml-0 pl-0 ml-md-6 pl-md-3">`;
  const bottom = `</div></div></div></main></div></body></html>`;
  const comments: string[] = [];
  let size = top.length + bottom.length;
  for (let i = 0; size < bytes; i++) {
    const c = comment(i, commentBody(i));
    comments.push(c);
    size += Buffer.byteLength(c) + 1;
  }
  return top + comments.join('\n') + bottom;
}

/**
 * One `<pre>` of 20,000 highlighted log lines, 10 `<span>`s each, 200,000 in all; 200 lines hold an IBKR
 * error, its code and message split over several spans as a highlighter splits them.
 */
export function spansPage(head = ''): string {
  const lines: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const ts = `<span class="hljs-date">2024-05-01</span> <span class="hljs-time">09:${String(i % 60).padStart(2, '0')}:01,${String(i % 1000).padStart(3, '0')}</span>`;
    if (i % 100 === 50) {
      lines.push(`${ts} <span class="hljs-name">ib_insync.wrapper</span> <span class="hljs-level">ERROR</span> <span class="hljs-keyword">Error</span> <span class="hljs-number">326</span>, <span class="hljs-attr">reqId</span> <span class="hljs-number">-1</span>: <span class="hljs-string">Unable to connect as the client id is already in use.</span> <span class="hljs-string">Retry with a unique client id.</span>`);
    } else {
      lines.push(`${ts} <span class="hljs-name">ib_insync.client</span> <span class="hljs-level">INFO</span> <span class="hljs-string">heartbeat</span> <span class="hljs-attr">seq</span>=<span class="hljs-number">${i}</span> <span class="hljs-attr">latency</span>=<span class="hljs-number">${i % 17}ms</span> <span class="hljs-string">ok</span>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>perf: 200,000 spans in one block</title>${SETUP}${head}</head><body><pre id="log"><code class="hljs language-log">${lines.join('\n')}</code></pre></body></html>`;
}
