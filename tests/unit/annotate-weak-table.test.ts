import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { WeakNodeSet, WeakTable } from '../../lib/annotate/weak-table';

// A real full collection, so that keys let go are gone as in a page that drops its nodes.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
/** Collects once the current job is over (a WeakRef keeps its target alive until then). */
const collect = async () => {
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
};
const TABLE = 16_384;

describe('WeakTable (a WeakMap in bounded tables)', () => {
  it('keeps every entry across many tables, gives the latest value of a key and forgets deleted keys', () => {
    const table = new WeakTable<object, number>();
    const keys = Array.from({ length: 40_000 }, () => ({}));
    keys.forEach((k, i) => table.set(k, i));
    expect(table.get(keys[0])).toBe(0);
    expect(table.get(keys[20_000])).toBe(20_000);
    expect(table.get(keys[39_999])).toBe(39_999);
    expect(table.get({})).toBeUndefined();
    // A key from the first table set again: the new value shadows the old one, and a delete forgets both.
    table.set(keys[5], -5);
    expect(table.get(keys[5])).toBe(-5);
    table.delete(keys[5]);
    expect(table.has(keys[5])).toBe(false);
    expect(table.has(keys[6])).toBe(true);
  });

  it('WeakNodeSet: membership over many tables', () => {
    const set = new WeakNodeSet<object>();
    const keys = Array.from({ length: 20_000 }, () => ({}));
    keys.forEach((k, i) => i % 2 === 0 && set.add(k));
    expect(keys.filter((k) => set.has(k)).length).toBe(10_000);
    set.delete(keys[0]);
    expect(set.has(keys[0])).toBe(false);
    expect(set.has(keys[2])).toBe(true);
  });

  it('holds a bounded number of tables however many keys pass through it: the oldest go, the newest stay', () => {
    // A log page appending lines all day: each line's node is a new key, and the old lines are gone.
    const table = new WeakTable<object, number>();
    let last: object = {};
    for (let i = 0; i < 40 * 16_384; i++) table.set((last = {}), i);
    expect(table.tableCount).toBeLessThanOrEqual(16);
    expect(table.get(last)).toBe(40 * 16_384 - 1);
  });

  it('a log page that keeps its last 2,000 lines: tables of lines it dropped go, the lines it keeps stay found', async () => {
    const table = new WeakTable<object, number>();
    const present: object[] = [];
    // Like a log's container or a streamed text node: set again now and then, kept all along.
    const container = {};
    for (let i = 0; i < 40 * TABLE; i++) {
      const line = {};
      table.set(line, i);
      present.push(line);
      if (present.length > 2_000) present.shift();
      if (i % 1_000 === 0) table.set(container, i);
      if (i % TABLE === TABLE - 1) await collect();
    }
    expect(table.tableCount).toBeLessThanOrEqual(3);
    expect(present.every((line) => table.has(line))).toBe(true);
  });

  it('a big page whose nodes all stay keeps every table: all 212,992 keys are still found after collections', async () => {
    const table = new WeakTable<object, number>();
    const keys = Array.from({ length: 13 * TABLE }, () => ({}));
    for (let i = 0; i < keys.length; i++) {
      table.set(keys[i], i);
      if (i % TABLE === TABLE - 1) await collect();
    }
    // One key more starts a 14th table: the 13 full ones are looked at, and all stay.
    table.set({}, -1);
    expect(table.tableCount).toBe(14);
    expect(keys.every((k, i) => table.get(k) === i)).toBe(true);
  });
});
