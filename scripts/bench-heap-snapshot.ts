/**
 * A V8 heap snapshot (`.heapsnapshot` JSON) cut down to what the content script's isolated world
 * holds, for scripts/bench-heap.ts: dominators over the whole graph (weak edges left out), then
 * the objects dominated by one of ours, grouped by what they are.
 */

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

export interface Snapshot {
  count: number;
  type: (n: number) => string;
  name: (n: number) => string;
  size: (n: number) => number;
  /** Edges of node n: [type, name (or index as a string), to node]. */
  edges: (n: number) => Iterable<[string, string, number]>;
}

export function parseSnapshot(text: string): Snapshot {
  const raw = JSON.parse(text) as RawSnapshot;
  const meta = raw.snapshot.meta;
  const nf = meta.node_fields.length;
  const ef = meta.edge_fields.length;
  const [typeOf, nameOf, sizeOf, edgeCountOf] = ['type', 'name', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f));
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const count = raw.nodes.length / nf;
  const first = new Uint32Array(count + 1);
  for (let n = 0; n < count; n++) first[n + 1] = first[n] + raw.nodes[n * nf + edgeCountOf] * ef;
  return {
    count,
    type: (n) => nodeTypes[raw.nodes[n * nf + typeOf]],
    name: (n) => raw.strings[raw.nodes[n * nf + nameOf]],
    size: (n) => raw.nodes[n * nf + sizeOf],
    *edges(n) {
      for (let e = first[n]; e < first[n + 1]; e += ef) {
        const type = edgeTypes[raw.edges[e]];
        const nameOrIndex = raw.edges[e + 1];
        const name = type === 'element' || type === 'hidden' ? String(nameOrIndex) : raw.strings[nameOrIndex];
        yield [type, name, raw.edges[e + 2] / nf];
      }
    },
  };
}

/** Immediate dominators from node 0 (Cooper, Harvey and Kennedy), weak edges left out; -1: unreachable. */
export function dominators(s: Snapshot): { idom: Int32Array; post: number[] } {
  const n = s.count;
  const succStart = new Uint32Array(n + 1);
  const succList: number[] = [];
  for (let v = 0; v < n; v++) {
    for (const [type, , to] of s.edges(v)) if (type !== 'weak') succList.push(to);
    succStart[v + 1] = succList.length;
  }
  // Postorder by an explicit stack.
  const order = new Int32Array(n).fill(-1);
  const post: number[] = [];
  const stack: number[] = [0];
  const next = new Uint32Array(n);
  order[0] = -2;
  for (let v = 0; v < n; v++) next[v] = succStart[v];
  while (stack.length) {
    const v = stack[stack.length - 1];
    if (next[v] < succStart[v + 1]) {
      const w = succList[next[v]++];
      if (order[w] === -1) {
        order[w] = -2;
        stack.push(w);
      }
    } else {
      stack.pop();
      order[v] = post.length;
      post.push(v);
    }
  }
  const predStart = new Uint32Array(n + 1);
  for (const w of succList) predStart[w + 1]++;
  for (let v = 0; v < n; v++) predStart[v + 1] += predStart[v];
  const fill = predStart.slice(0, n);
  const preds = new Uint32Array(succList.length);
  for (let v = 0; v < n; v++) for (let i = succStart[v]; i < succStart[v + 1]; i++) preds[fill[succList[i]]++] = v;
  const idom = new Int32Array(n).fill(-1);
  idom[0] = 0;
  const intersect = (a: number, b: number) => {
    while (a !== b) {
      while (order[a] < order[b]) a = idom[a];
      while (order[b] < order[a]) b = idom[b];
    }
    return a;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = post.length - 2; i >= 0; i--) {
      const v = post[i];
      let d = -1;
      for (let k = predStart[v]; k < predStart[v + 1]; k++) {
        const p = preds[k];
        if (idom[p] === -1 || order[p] < 0) continue;
        d = d === -1 ? p : intersect(p, d);
      }
      if (d !== idom[v]) {
        idom[v] = d;
        changed = true;
      }
    }
  }
  return { idom, post };
}

/** Which objects are the content script's: see scripts/bench-heap.ts. */
function ourObjects(s: Snapshot, idom: Int32Array, post: number[]): { ours: Uint8Array; origin: string } {
  let global = -1;
  for (let v = 0; v < s.count && global < 0; v++) for (const [, name] of s.edges(v)) if (name === '__ibkrErrorLookup') global = v;
  if (global < 0) throw new Error('no isolated world with __ibkrErrorLookup in this snapshot');
  const origin = s.name(global).replace(/^.* \/ /, '');
  const tagged = (v: number) => s.name(v).endsWith(` / ${origin}`);
  const edge = (v: number, name: string) => {
    for (const [, n, to] of s.edges(v)) if (n === name) return to;
    return -1;
  };
  const anchor = new Uint8Array(s.count);
  for (let v = 0; v < s.count; v++) {
    const type = s.type(v);
    if (tagged(v)) anchor[v] = 1;
    else if (type === 'closure') {
      const shared = edge(v, 'shared');
      const script = shared >= 0 ? edge(shared, 'script') : -1;
      if (script >= 0 && s.name(script).includes('/content-scripts/content.js')) anchor[v] = 1;
    } else if (type === 'object' || type === 'regexp') {
      // An instance of a class of ours, a Map, a wrapper: its prototype chain reaches one of the world's prototypes.
      let proto = v;
      for (let depth = 0; depth < 6 && proto >= 0 && !anchor[v]; depth++) {
        const map = edge(proto, 'map');
        proto = map >= 0 ? edge(map, 'prototype') : -1;
        if (proto >= 0 && tagged(proto)) anchor[v] = 1;
      }
    } else if (type === 'code' && s.name(v).includes('/content-scripts/content.js')) anchor[v] = 1;
  }
  // Function scopes (contexts) whose chain ends in the isolated world's native context.
  const inWorld = (v: number): boolean => {
    for (let depth = 0; v >= 0 && depth < 100; depth++) {
      if (anchor[v] && s.name(v).startsWith('system / NativeContext')) return true;
      if (!s.name(v).startsWith('system / Context')) return false;
      v = edge(v, 'previous');
    }
    return false;
  };
  for (let v = 0; v < s.count; v++) if (s.name(v).startsWith('system / Context') && inWorld(v)) anchor[v] = 1;
  const ours = new Uint8Array(s.count);
  // Reverse postorder: a node's dominator comes before it.
  for (let i = post.length - 1; i >= 0; i--) {
    const v = post[i];
    ours[v] = anchor[v] || (v !== 0 && idom[v] !== 0 && ours[idom[v]]) ? 1 : 0;
  }
  return { ours, origin };
}

/** What an object is, for the breakdown. */
function kindOf(s: Snapshot, v: number, origin: string): string {
  const type = s.type(v);
  const name = s.name(v).replace(` / ${origin}`, '');
  if (type === 'string' || type === 'sliced string' || type === 'concatenated string') return s.size(v) >= 4096 ? 'strings of 4 KB or more' : 'strings under 4 KB';
  if (type === 'code') {
    const m = /^system \/ (\w+)/.exec(name);
    return `code: ${m ? m[1] : name.slice(0, 40)}`;
  }
  if (type === 'regexp') return 'regexp objects';
  if (type === 'closure') return 'closures';
  if (type === 'array') return `arrays: ${name.slice(0, 40)}`;
  if (type === 'object shape') return 'object shapes (maps, descriptors)';
  if (type === 'hidden' || type === 'native') return `${type}: ${name.slice(0, 40)}`;
  if (type === 'object') return /^(HTML|SVG|Text$|Range$|StaticRange$|Highlight$|Comment$|ShadowRoot$|Document|CSSStyleDeclaration|DOMTokenList)/.test(name) ? `DOM wrappers: ${name}` : `objects: ${name.slice(0, 40)}`;
  return type;
}

/** Data outside V8's heap (Runtime.getHeapUsage leaves it out): an external string's characters, an array buffer's bytes. */
const OFF_HEAP = new Set(['system / ExternalStringData', 'system / JSArrayBufferData']);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1).padStart(7)} KB`;

/** The content script's share of the snapshot: total, by kind, and the largest subtrees by what holds them. */
export function heapSummary(s: Snapshot, withOurs = true): string {
  const { idom, post } = dominators(s);
  const { ours, origin } = withOurs ? ourObjects(s, idom, post) : { ours: new Uint8Array(s.count), origin: '' };
  const retained = new Float64Array(s.count);
  for (const v of post) {
    retained[v] += s.size(v);
    if (v !== 0 && idom[v] >= 0) retained[idom[v]] += retained[v];
  }
  let v8 = 0;
  let total = 0;
  const kinds = new Map<string, [number, number]>();
  for (let v = 0; v < s.count; v++) {
    const type = s.type(v);
    if (type === 'synthetic' || (type === 'native' && !s.name(v).startsWith('system /')) || OFF_HEAP.has(s.name(v))) continue;
    v8 += s.size(v);
    if (!ours[v]) continue;
    total += s.size(v);
    const k = kindOf(s, v, origin);
    const t = kinds.get(k) ?? [0, 0];
    t[0]++;
    t[1] += s.size(v);
    kinds.set(k, t);
  }
  const label = (v: number) => `${s.type(v)} ${s.name(v).replace(` / ${origin}`, '').slice(0, 70)}`;
  const edgeName = (from: number, to: number) => {
    for (const [type, name, t] of s.edges(from)) if (t === to) return `${type} ${name}`;
    return `(not directly) ${label(to)}`;
  };
  const lines = [`V8 objects in the snapshot ${kb(v8)}; the content script's ${kb(total)}`, '', 'By kind (self sizes):'];
  for (const [k, [n, size]] of [...kinds].sort((a, b) => b[1][1] - a[1][1]).slice(0, 30)) lines.push(`  ${kb(size)}  ${String(n).padStart(7)}  ${k}`);
  lines.push('', ...regexpLines(s, ours));
  lines.push('', 'Largest holders (retained size below the forest of ours, by the edge that holds each subtree):');
  const holders = new Map<string, number>();
  for (let v = 0; v < s.count; v++) {
    if (!ours[v] || !(idom[v] > 0 && ours[idom[v]])) continue;
    const parent = idom[v];
    if (ours[idom[parent]] && idom[parent] > 0) continue;
    const key = `${label(parent).slice(0, 40)} . ${edgeName(parent, v)}`;
    holders.set(key, (holders.get(key) ?? 0) + retained[v]);
  }
  for (const [k, size] of [...holders].sort((a, b) => b[1] - a[1]).slice(0, 40)) lines.push(`  ${kb(size)}  ${k}`);
  lines.push('', 'Largest subtrees of ours (retained size; what holds them):');
  const tops = [];
  for (let v = 0; v < s.count; v++) if (ours[v] && !(idom[v] > 0 && ours[idom[v]])) tops.push(v);
  tops.sort((a, b) => retained[b] - retained[a]);
  for (const v of tops.slice(0, 20)) {
    lines.push(`  ${kb(retained[v])}  ${label(v)}  (held by ${label(idom[v])}, ${edgeName(idom[v], v)})`);
    descend(s, v, idom, retained, ours, 1, lines, label, edgeName);
  }
  return lines.join('\n');
}

/** The children of `v` in the dominator tree worth listing (over 20 KB), two levels down. */
function descend(s: Snapshot, v: number, idom: Int32Array, retained: Float64Array, ours: Uint8Array, depth: number, lines: string[], label: (v: number) => string, edgeName: (a: number, b: number) => string): void {
  if (depth > 4 || retained[v] < 30 * 1024) return;
  const kids: number[] = [];
  for (const [type, , to] of s.edges(v)) if (type !== 'weak' && idom[to] === v && ours[to] && !kids.includes(to)) kids.push(to);
  kids.sort((a, b) => retained[b] - retained[a]);
  for (const k of kids.slice(0, 10)) {
    if (retained[k] < 10 * 1024) break;
    lines.push(`  ${' '.repeat(depth * 2)}${kb(retained[k])}  ${edgeName(v, k)} -> ${label(k)}`);
    descend(s, k, idom, retained, ours, depth + 1, lines, label, edgeName);
  }
}

/** Our regular expressions by what V8 keeps for each: its data, bytecode and native code (shared by copies of one source and flags). */
function regexpLines(s: Snapshot, ours: Uint8Array): string[] {
  const compiledPart = /^(system \/ (Code|InstructionStream|TrustedByteArray|IrRegExpData|CodeWrapper|RegExpDataWrapper)|\(constant)/;
  const sizeOf = (v: number, seen: Set<number>, depth: number): number => {
    if (seen.has(v) || depth > 4) return 0;
    seen.add(v);
    let total = s.size(v);
    for (const [type, , to] of s.edges(v)) if (type !== 'weak' && compiledPart.test(s.name(to))) total += sizeOf(to, seen, depth + 1);
    return total;
  };
  const byData = new Map<number, { source: string; size: number }>();
  for (let v = 0; v < s.count; v++) {
    if (!ours[v] || s.type(v) !== 'regexp') continue;
    for (const [, , to] of s.edges(v)) if (s.name(to).endsWith('RegExpData') && !byData.has(to)) byData.set(to, { source: s.name(v), size: sizeOf(to, new Set(), 0) });
  }
  const rows = [...byData.values()].sort((a, b) => b.size - a.size);
  const total = rows.reduce((n, r) => n + r.size, 0);
  return [`Regular expressions: ${rows.length} compiled, ${kb(total)} (data, bytecode, native code); the largest:`, ...rows.slice(0, 12).map((r) => `  ${kb(r.size)}  ${r.source.slice(0, 100)}`)];
}
