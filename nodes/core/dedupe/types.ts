/** What a dedupe store is asked to do for one item. Batches keep the order of the items. */
export type DedupeRequest =
	| { op: 'checkAndRecord'; key: string; ttlMs: number }
	| { op: 'claim'; key: string; leaseMs: number }
	| { op: 'confirm'; key: string; token: string; ttlMs: number }
	| { op: 'release'; key: string; token: string };

export type DedupeOperation = DedupeRequest['op'];

/** `recorded`: processed (kept for the window); `claimed`: in progress under a lease. */
export type EntryState = 'recorded' | 'claimed';

export type DedupeOutcome =
	/** First sighting: recorded (checkAndRecord) or claimed (claim, with the token that may confirm/release it). */
	| { status: 'new'; firstSeenAt: number; expiresAt: number; claimToken?: string }
	/** Seen before and still within its window or lease. */
	| { status: 'duplicate'; firstSeenAt: number; state: EntryState }
	/** The claim became a record for the window. `afterLeaseExpired`: the lease had lapsed and nobody else held the key. */
	| { status: 'confirmed'; firstSeenAt: number; expiresAt: number; afterLeaseExpired: boolean }
	/** The key is forgotten (`wasPresent` false: it had already expired). */
	| { status: 'released'; wasPresent: boolean }
	/** Confirm/release by someone who does not hold the claim. Nothing was changed. */
	| { status: 'refused'; reason: 'held-by-another'; state: EntryState; firstSeenAt: number };

export interface DedupeStore {
	/** Applies each request atomically, in order; one outcome per request. */
	apply(requests: readonly DedupeRequest[]): Promise<DedupeOutcome[]>;
}

/** The store cannot be reached or answered with an error; the message says which and never holds a password. */
export class DedupeStoreUnavailableError extends Error {
	constructor(message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'DedupeStoreUnavailableError';
	}
}

/**
 * The server is up but refuses to write dedupe keys: it is full (`OOM`: used memory reached `maxmemory` under
 * `noeviction`), a read-only replica (`READONLY`), or cannot persist (`MISCONF`). Treated as an outage (fail open
 * may pass items); the message names the server, the cause and what to do.
 */
export class DedupeStoreWriteRefusedError extends DedupeStoreUnavailableError {
	constructor(
		message: string,
		/** `full`: OOM; `readOnly`: READONLY replica; `cannotPersist`: MISCONF (snapshot or AOF writes failing). */
		readonly reason: 'full' | 'readOnly' | 'cannotPersist',
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = 'DedupeStoreWriteRefusedError';
	}
}

/**
 * The server is older than the store supports (Redis 6.0); the message names both versions. A setup error,
 * not an outage: failing open on it would turn deduplication off for good, so it never fails open.
 */
export class UnsupportedRedisVersionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UnsupportedRedisVersionError';
	}
}
