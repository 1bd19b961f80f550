/**
 * A WeakMap (and WeakSet) that never grows one table past SHARD_SIZE entries, for caches only:
 * past MAX_SHARDS tables the oldest is dropped, with whatever it still held.
 *
 * A single WeakMap or WeakSet keyed by every node of a 200,000-node page rehashes its whole table
 * each time it doubles: one `set` then takes 50 to 300 ms (V8, measured), a long task in the
 * middle of an 8 ms slice. Here keys go into a new table once the current one is full, so a
 * rehash copies at most SHARD_SIZE entries; a lookup asks the tables newest first, a write goes
 * to the newest.
 *
 * Why a limit: a full table whose keys the page has let go keeps its size after they are collected
 * (V8 shrinks a table only on a delete: a table of 16,384 collected keys holds 259 KB in Chromium,
 * 490 KB in Node). A log page appending lines all day fills a table every few thousand lines:
 * without a limit the heap and every lookup of a key not in the tables (all tables asked) grew with
 * time (docs/performance.md, "A trading day on one page").
 */
const SHARD_SIZE = 16_384;
/** 262,144 entries: more than a 200,000-node page's runs or looked-up elements. */
const MAX_SHARDS = 16;

export class WeakTable<K extends object, V> {
  private shards: { map: WeakMap<K, V>; size: number }[] = [];

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
    // Sizes count insertions: entries of collected keys still count, so no table grows past it.
    if (!last || last.size >= SHARD_SIZE) {
      this.shards.push((last = { map: new WeakMap(), size: 0 }));
      if (this.shards.length > MAX_SHARDS) this.shards.shift();
    }
    if (!last.map.has(key)) last.size++;
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
