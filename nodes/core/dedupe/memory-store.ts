import { randomUUID } from 'node:crypto';

import type { DedupeOutcome, DedupeRequest, DedupeStore, EntryState } from './types';

interface Entry {
	state: EntryState;
	firstSeenAt: number;
	expiresAt: number;
	holder?: string;
}

export interface MemoryStoreOptions {
	/** Most keys kept; the oldest are evicted first beyond it. */
	maxKeys: number;
	/** Injectable clock (ms since epoch), for tests. */
	now?: () => number;
	/** Claim tokens; injectable for tests. */
	newToken?: () => string;
}

/** Serialised form kept in n8n's workflow static data: one string, so n8n does not wrap every entry in a proxy. */
export interface PersistedMemoryStore {
	v: 1;
	entries: string;
}

type PersistedEntry = [key: string, state: 'r' | 'c', firstSeenAt: number, expiresAt: number, holder?: string];

const SWEEP_INTERVAL_MS = 1000;

/**
 * In-process store. Every request is applied synchronously (no await between check and write), so in one
 * Node.js process a check-and-record is atomic even with many concurrent executions. Map order is insertion
 * order, so eviction drops the oldest keys first.
 *
 * Its own Map rather than the shared LruMap (core/lru-map) or an LRU library: the order here is the order keys were
 * recorded (a duplicate look-up does not refresh it: the README promises the oldest keys go first), a full store
 * drops expired keys before live ones, evicted live keys are counted for the node's warning, `maxKeys` can change
 * between executions, and the order is persisted into and merged back from workflow static data.
 */
export class MemoryDedupeStore implements DedupeStore {
	private readonly entries = new Map<string, Entry>();
	private readonly now: () => number;
	private readonly newToken: () => string;
	private lastSweep = 0;
	maxKeys: number;
	/** Live keys evicted because the store was full (not counting expiry). */
	evicted = 0;
	/** Bumped on every change, so callers can tell whether there is anything new to persist. */
	version = 0;

	constructor(options: MemoryStoreOptions) {
		if (!Number.isInteger(options.maxKeys) || options.maxKeys < 1) {
			throw new RangeError('maxKeys must be a positive integer');
		}
		this.maxKeys = options.maxKeys;
		this.now = options.now ?? Date.now;
		this.newToken = options.newToken ?? randomUUID;
	}

	get size(): number {
		return this.entries.size;
	}

	async apply(requests: readonly DedupeRequest[]): Promise<DedupeOutcome[]> {
		return this.applySync(requests);
	}

	/** The whole batch runs without yielding to the event loop. */
	applySync(requests: readonly DedupeRequest[]): DedupeOutcome[] {
		return requests.map((request) => this.applyOne(request));
	}

	private liveEntry(key: string, now: number): Entry | undefined {
		const entry = this.entries.get(key);
		if (entry === undefined) return undefined;
		if (entry.expiresAt <= now) {
			this.entries.delete(key);
			this.version++;
			return undefined;
		}
		return entry;
	}

	private applyOne(request: DedupeRequest): DedupeOutcome {
		const now = this.now();
		const existing = this.liveEntry(request.key, now);
		switch (request.op) {
			case 'checkAndRecord':
			case 'claim': {
				if (existing) return { status: 'duplicate', firstSeenAt: existing.firstSeenAt, state: existing.state };
				if (request.op === 'checkAndRecord') {
					const entry: Entry = { state: 'recorded', firstSeenAt: now, expiresAt: now + request.ttlMs };
					this.insert(request.key, entry, now);
					return { status: 'new', firstSeenAt: now, expiresAt: entry.expiresAt };
				}
				const holder = this.newToken();
				const entry: Entry = { state: 'claimed', firstSeenAt: now, expiresAt: now + request.leaseMs, holder };
				this.insert(request.key, entry, now);
				return { status: 'new', firstSeenAt: now, expiresAt: entry.expiresAt, claimToken: holder };
			}
			case 'confirm': {
				if (existing && existing.holder !== request.token) {
					return { status: 'refused', reason: 'held-by-another', state: existing.state, firstSeenAt: existing.firstSeenAt };
				}
				if (existing) {
					existing.state = 'recorded';
					existing.expiresAt = now + request.ttlMs;
					this.version++;
					return { status: 'confirmed', firstSeenAt: existing.firstSeenAt, expiresAt: existing.expiresAt, afterLeaseExpired: false };
				}
				// The lease lapsed and nobody claimed the key since: the work is done, so record it.
				const entry: Entry = { state: 'recorded', firstSeenAt: now, expiresAt: now + request.ttlMs, holder: request.token };
				this.insert(request.key, entry, now);
				return { status: 'confirmed', firstSeenAt: now, expiresAt: entry.expiresAt, afterLeaseExpired: true };
			}
			case 'release': {
				if (!existing) return { status: 'released', wasPresent: false };
				if (existing.holder !== request.token) {
					return { status: 'refused', reason: 'held-by-another', state: existing.state, firstSeenAt: existing.firstSeenAt };
				}
				this.entries.delete(request.key);
				this.version++;
				return { status: 'released', wasPresent: true };
			}
		}
	}

	private insert(key: string, entry: Entry, now: number): void {
		this.entries.delete(key);
		if (this.entries.size >= this.maxKeys) this.makeRoom(now);
		this.entries.set(key, entry);
		this.version++;
	}

	private makeRoom(now: number): void {
		if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
			this.lastSweep = now;
			for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
		}
		for (const key of this.entries.keys()) {
			if (this.entries.size < this.maxKeys) break;
			this.entries.delete(key);
			this.evicted++;
		}
	}

	/** Live entries, oldest first, in the compact form that goes into workflow static data. */
	toPersisted(): PersistedMemoryStore {
		const now = this.now();
		const rows: PersistedEntry[] = [];
		for (const [key, e] of this.entries) {
			if (e.expiresAt <= now) continue;
			const row: PersistedEntry = [key, e.state === 'recorded' ? 'r' : 'c', e.firstSeenAt, e.expiresAt];
			if (e.holder !== undefined) row.push(e.holder);
			rows.push(row);
		}
		return { v: 1, entries: JSON.stringify(rows) };
	}

	/**
	 * Adds persisted entries that are still live and not already known (live entries win), keeping
	 * their age order ahead of newer keys. Malformed data is ignored rather than trusted. Returns how many were added.
	 */
	mergePersisted(persisted: unknown): number {
		const rows = parsePersisted(persisted);
		if (rows.length === 0) return 0;
		const now = this.now();
		const current = [...this.entries];
		const currentKeys = new Set(this.entries.keys());
		this.entries.clear();
		let added = 0;
		for (const [key, state, firstSeenAt, expiresAt, holder] of rows) {
			if (expiresAt <= now || currentKeys.has(key) || this.entries.has(key)) continue;
			const entry: Entry = { state: state === 'r' ? 'recorded' : 'claimed', firstSeenAt, expiresAt };
			if (typeof holder === 'string') entry.holder = holder;
			this.entries.set(key, entry);
			added++;
		}
		for (const [key, entry] of current) {
			this.entries.delete(key);
			this.entries.set(key, entry);
		}
		for (const key of this.entries.keys()) {
			if (this.entries.size <= this.maxKeys) break;
			this.entries.delete(key);
			this.evicted++;
		}
		if (added > 0) this.version++;
		return added;
	}
}

/**
 * An object whose JSON form is the store's state at the moment it is serialised. Put in n8n's workflow
 * static data, every execution that saves writes the newest full state, not the snapshot it started with.
 */
export function persistentView(store: MemoryDedupeStore): { toJSON(): PersistedMemoryStore } {
	const view = { toJSON: () => store.toPersisted() };
	// n8n wraps nested static-data objects in change-tracking proxies unless they already carry this flag.
	Object.defineProperty(view, '__dataChanged', { value: false, writable: true, enumerable: false });
	return view;
}

/** Built-in stores of this process, one per scope; each remembers which persisted copies it has merged. */
export class MemoryStoreRegistry {
	private readonly stores = new Map<string, { store: MemoryDedupeStore; merged: Set<string> }>();

	constructor(private readonly now?: () => number) {}

	get(scopeId: string, maxKeys: number): MemoryDedupeStore {
		let slot = this.stores.get(scopeId);
		if (!slot) {
			slot = { store: new MemoryDedupeStore({ maxKeys, now: this.now }), merged: new Set() };
			this.stores.set(scopeId, slot);
		}
		slot.store.maxKeys = maxKeys;
		return slot.store;
	}

	/**
	 * The store of a scope without changing its size: a Dedupe node's "Max Keys" stays as that node set it. Creates it
	 * with `maxKeys` when this process has none yet (the Signed Webhook Trigger, which has no Max Keys of its own).
	 */
	getKeepingSize(scopeId: string, maxKeys: number): MemoryDedupeStore {
		return this.stores.get(scopeId)?.store ?? this.get(scopeId, maxKeys);
	}

	/** Whether the persisted copy of this source was merged already (then hydrateOnce would do nothing). */
	hasMerged(scopeId: string, sourceId: string): boolean {
		return this.stores.get(scopeId)?.merged.has(sourceId) === true;
	}

	/** Merges a persisted copy once per source (e.g. per workflow): after a restart, on first use. */
	hydrateOnce(scopeId: string, sourceId: string, persisted: unknown): number {
		const slot = this.stores.get(scopeId);
		if (!slot || slot.merged.has(sourceId)) return 0;
		slot.merged.add(sourceId);
		return slot.store.mergePersisted(persisted);
	}
}

function parsePersisted(persisted: unknown): PersistedEntry[] {
	if (persisted === null || typeof persisted !== 'object') return [];
	const { v, entries } = persisted as Partial<PersistedMemoryStore>;
	if (v !== 1 || typeof entries !== 'string') return [];
	let rows: unknown;
	try {
		// Text this store wrote (toPersisted): keys are strings and times are milliseconds far below 2^53, so JSON.parse is exact.
		rows = JSON.parse(entries);
	} catch {
		return [];
	}
	if (!Array.isArray(rows)) return [];
	return rows.filter(
		(row): row is PersistedEntry =>
			Array.isArray(row) &&
			typeof row[0] === 'string' &&
			(row[1] === 'r' || row[1] === 'c') &&
			Number.isFinite(row[2]) &&
			Number.isFinite(row[3]),
	);
}
