/**
 * The bench's mixed log and prose lines: IBKR errors in several formats, look-alikes that must stay
 * unmarked (HTTP 504, prices, issue numbers), and plain prose. `npm run bench` matches and annotates
 * them in Node; `npm run bench:pages` shows them as a long thread in the browser.
 */
export const BENCH_LINES = [
  'Error 326, reqId -1: Unable to connect as the client id is already in use. Retry with a unique client id.',
  'ERROR -1 504 Not connected',
  'nginx: 504 Gateway Timeout while reading response header from upstream',
  'The order costs $504.00 and fixes #321 in the tracker.',
  'ConnectionRefusedError: [Errno 111] Connection refused',
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.',
  "TradeLogEntry(time=datetime.datetime(2024, 5, 1), status='Cancelled', message='', errorCode=321)",
  'The dashboard says Not connected after the deploy; restarting the pod fixed it.',
];
