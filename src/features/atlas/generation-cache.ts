/**
 * Search answers kept in memory under the generation of the searchable data (migration 0020: a number bumped
 * in the transaction of every write to a searched table). An entry is served only while the database still
 * holds the generation read before the entry was computed, or by its first statement (same snapshot), so a
 * write is seen by the very next search, on this instance or any other sharing the database. Reading the
 * generation costs one small query; computing a search with its facets costs several scans.
 */
import { sql } from 'drizzle-orm';
import { preparedRows, type Db } from '../../db/database.ts';

export async function searchGeneration(db: Db): Promise<string> {
  // bigint travels as text: compared, never counted with. Prepared: a kept answer costs only this statement.
  const [row] = await preparedRows<{ generation: string }>(db, sql`select generation::text as generation from search_generation`);
  return row!.generation;
}

/** Values of one generation, the oldest dropped beyond a budget (entries weigh what `weigh` says). */
export class GenerationCache<V> {
  private generation: string | undefined;
  private entries = new Map<string, { value: V; weight: number }>();
  private weight = 0;

  constructor(
    private readonly budget: number,
    private readonly weigh: (value: V) => number = () => 1,
  ) {}

  get(generation: string, key: string): V | undefined {
    if (generation !== this.generation) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // Most recently used last, so that eviction drops the least used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Whether a value is kept under `key`, of whatever generation: without one, get would miss. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Keeps a value computed from `generation`; a value of an older generation than the cache's is dropped. */
  set(generation: string, key: string, value: V): void {
    if (generation !== this.generation) {
      if (this.generation !== undefined && BigInt(generation) < BigInt(this.generation)) return;
      this.clear();
      this.generation = generation;
    }
    const weight = this.weigh(value);
    if (weight > this.budget) return;
    const previous = this.entries.get(key);
    if (previous) this.weight -= previous.weight;
    this.entries.set(key, { value, weight });
    this.weight += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.weight <= this.budget) break;
      this.entries.delete(oldest);
      this.weight -= entry.weight;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.weight -= entry.weight;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** One cache per database and purpose (tests run several databases in one process). */
export function cachePerDatabase<V>(create: () => GenerationCache<V>): (db: Db) => GenerationCache<V> {
  const caches = new WeakMap<Db, GenerationCache<V>>();
  return (db) => {
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = create()));
    return cache;
  };
}
