/**
 * The package's one bounded least-recently-used map (rate-limit buckets, the trigger's settings cache, rejection-log
 * throttle, parsed allowlists and rate limiters, the circuit breaker's built-in store).
 *
 * Hand-written on a `Map` (whose iteration order is insertion order: oldest first) rather than taken from `lru-cache`:
 * `lru-cache` allocates all `max` slots when it is built (about 217 KiB for an empty cache of 10,000, measured with
 * lru-cache 11.5.3 on Node 20), and the trigger keeps one rate limiter of up to 10,000 clients for each of up to 1,000
 * nodes, most of which see a handful of clients; a `Map` grows with what it holds (about 0.2 KiB when empty).
 *
 * The Dedupe node's built-in store does not use it: its order is the order keys were recorded (a look-up does not
 * refresh it), expired keys are evicted before live ones, and that order is persisted (see MemoryDedupeStore).
 */
export class LruMap<K, V> implements Iterable<[K, V]> {
	private readonly map = new Map<K, V>();

	/** @param max most entries kept (0 keeps none); beyond it the least recently used are dropped. RangeError when negative or NaN. */
	constructor(readonly max: number) {
		if (!(max >= 0)) throw new RangeError('max must be a number of entries, 0 or more');
	}

	get size(): number {
		return this.map.size;
	}

	/** The value, now the most recently used; undefined when absent. */
	get(key: K): V | undefined {
		if (!this.map.has(key)) return undefined;
		const value = this.map.get(key) as V;
		this.map.delete(key);
		this.map.set(key, value);
		return value;
	}

	/** The value without touching its place in the order; undefined when absent. */
	peek(key: K): V | undefined {
		return this.map.get(key);
	}

	has(key: K): boolean {
		return this.map.has(key);
	}

	/** Stores `value` as the most recently used entry, then drops the least recently used beyond `max`. */
	set(key: K, value: V): this {
		this.map.delete(key);
		this.map.set(key, value);
		while (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K);
		return this;
	}

	delete(key: K): boolean {
		return this.map.delete(key);
	}

	clear(): void {
		this.map.clear();
	}

	/** Drops entries from the least recently used end for as long as `drop` holds; returns how many went. */
	dropOldestWhile(drop: (value: V, key: K) => boolean): number {
		let dropped = 0;
		for (const [key, value] of this.map) {
			if (!drop(value, key)) break;
			this.map.delete(key);
			dropped++;
		}
		return dropped;
	}

	/** Entries, least recently used first. */
	[Symbol.iterator](): IterableIterator<[K, V]> {
		return this.map.entries();
	}
}
