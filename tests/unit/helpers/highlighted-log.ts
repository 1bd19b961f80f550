/** Log lines of the huge-block tests, and a line as highlight.js writes it. */

export const errorLine = (i: number) => `09:30:${i} ib_insync.wrapper ERROR Error 326, reqId ${i}: Unable to connect as the client id is already in use.`;
export const quietLine = (i: number) => `09:30:${i} ib_insync.client INFO heartbeat seq=${i} ok`;

/** A line as highlight.js writes it: a span per word. */
export const html = (line: string) =>
  line
    .split(/(\s+)/)
    .map((w) => (/^\s+$/.test(w) || w === '' ? w : `<span class="hljs-string">${w}</span>`))
    .join('') + '\n';
