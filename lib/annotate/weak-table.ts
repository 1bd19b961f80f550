/**
 * A WeakMap (and WeakSet) that never grows one table past SHARD_SIZE entries, for caches only:
 * a table whose keys are (almost) all gone is dropped, and past MAX_SHARDS tables the oldest is
 * dropped, with whatever it still held.
 *
 * A single WeakMap or WeakSet keyed by every node of a 200,000-node page rehashes its whole table
 * each time it doubles: one `set` then takes 50 to 300 ms (V8, measured), a long task in the
 * middle of an 8 ms slice. Here keys go into a new table once the current one is full, so a
 * rehash copies at most SHARD_SIZE entries; a lookup asks the tables newest first, a write goes
 * to the newest.
 *
 * Why tables are dropped: a full table whose keys the page has let go keeps its size after they
 * are collected (V8 shrinks a table only on a delete: a table of 16,384 collected keys holds
 * 259 KB in Chromium, 490 KB in Node). A log page appending lines all day fills a table every
 * minute or so with nodes it drops seconds later: kept, such tables grew the heap with the time
 * the page stayed open (docs/performance.md, "A trading day on one page"). So each table keeps a
 * weak reference to one key in SAMPLE_EVERY, and when a new table is started, a full table with
 * at most one sampled key in RETIRE_ALIVE still alive goes. A big page whose nodes stay keeps all
 * its tables. What goes with a dropped table is only recomputed, and a key may then show an
 * older value from a table kept: both users take that (lib/annotate/matched-runs.ts, dom-info.ts).
 */
const SHARD_SIZE = 16_384;
/** 262,144 entries: more than a 200,000-node page's runs or looked-up elements. */
const MAX_SHARDS = 16;
/** One key in this many is sampled: 256 weak references per full table. */
const SAMPLE_EVERY = 64;
/**
 * A full table goes when at most 1 in this many of its sampled keys is alive: a few keys the page
 * keeps (a log's container, a streamed text node set again in each table) do not hold it.
 */
const RETIRE_ALIVE = 16;

interface Shard<K extends object, V> {
  map: WeakMap<K, V>;
  /** Insertions: entries of collected keys still count, so no table grows past SHARD_SIZE. */
  size: number;
  /** Every SAMPLE_EVERY-th key put in: how many of the table's keys the page still holds. */
  samples: WeakRef<K>[];
}

/** Whether a full table's keys are all but gone (its sampled keys were collected). */
function isSpent(shard: Shard<object, unknown>): boolean {
  if (shard.size < SHARD_SIZE) return false;
  let alive = 0;
  for (const ref of shard.samples) if (ref.deref() !== undefined) alive++;
  return alive * RETIRE_ALIVE <= shard.samples.length;
}

export class WeakTable<K extends object, V> {
  private shards: Shard<K, V>[] = [];

  get(key: K): V | undefined {
    for (let i = this.shards.length - 1; i >= 0; i--) {
      const v = this.shards[i].map.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  /**
   * Writes to the newest table only: `get` asks the newest first, so an older entry for the same
   * key is shadowed (and `delete` clears them all). Asking every table on every `set` was a
   * dozen lookups per node on a 200,000-node page.
   */
  set(key: K, value: V): void {
    let last = this.shards[this.shards.length - 1];
    if (!last || last.size >= SHARD_SIZE) {
      this.shards = this.shards.filter((s) => !isSpent(s));
      this.shards.push((last = { map: new WeakMap(), size: 0, samples: [] }));
      if (this.shards.length > MAX_SHARDS) this.shards.shift();
    }
    if (!last.map.has(key)) {
      if (last.size % SAMPLE_EVERY === 0) last.samples.push(new WeakRef(key));
      last.size++;
    }
    last.map.set(key, value);
  }

  delete(key: K): void {
    for (const s of this.shards) s.map.delete(key);
  }

  clear(): void {
    this.shards = [];
  }

  /** Tables held now (tests). */
  get tableCount(): number {
    return this.shards.length;
  }
}

/** A WeakSet over WeakTable: membership without one huge table. */
export class WeakNodeSet<K extends object> {
  private table = new WeakTable<K, true>();

  has(key: K): boolean {
    return this.table.has(key);
  }

  add(key: K): void {
    this.table.set(key, true);
  }

  delete(key: K): void {
    this.table.delete(key);
  }

  clear(): void {
    this.table.clear();
  }
}
