import { LruMap } from '../lru-map';

/**
 * Per-client token bucket with bounded memory.
 *
 * Each client key owns a bucket of `burst` tokens refilled at `requestsPerMinute / 60` tokens per second; a request
 * takes one token. Buckets live in an LruMap: at most `maxClients` are kept, the least recently seen is evicted first
 * (an evicted client simply starts again with a full bucket).
 */
export interface RateLimiterOptions {
	requestsPerMinute: number;
	/** Bucket size: how many requests may arrive at once. Defaults to `requestsPerMinute`. */
	burst?: number;
	/** Upper bound on tracked clients. Defaults to 10,000. */
	maxClients?: number;
}

export type RateLimitDecision =
	| { allowed: true; remaining: number }
	| { allowed: false; retryAfterSeconds: number };

interface Bucket {
	tokens: number;
	updatedAt: number;
}

export const DEFAULT_MAX_RATE_LIMITED_CLIENTS = 10_000;

export class TokenBucketRateLimiter {
	readonly capacity: number;
	readonly refillPerMs: number;
	readonly maxClients: number;
	private readonly buckets: LruMap<string, Bucket>;

	constructor(options: RateLimiterOptions) {
		if (!(options.requestsPerMinute > 0)) throw new RangeError('requestsPerMinute must be a positive number');
		const burst = options.burst ?? options.requestsPerMinute;
		if (!(burst >= 1)) throw new RangeError('burst must be at least 1');
		const maxClients = options.maxClients ?? DEFAULT_MAX_RATE_LIMITED_CLIENTS;
		if (!(maxClients >= 1)) throw new RangeError('maxClients must be at least 1');
		this.capacity = Math.floor(burst);
		this.refillPerMs = options.requestsPerMinute / 60_000;
		this.maxClients = Math.floor(maxClients);
		this.buckets = new LruMap<string, Bucket>(this.maxClients);
	}

	/** Number of clients currently tracked (never above `maxClients`). */
	get size(): number {
		return this.buckets.size;
	}

	/** Takes one token for `clientKey` at time `now` (epoch ms). */
	take(clientKey: string, now: number = Date.now()): RateLimitDecision {
		// peek: the set() below makes this client the most recently seen (and evicts the least recently seen beyond the bound).
		const existing = this.buckets.peek(clientKey);
		const bucket: Bucket = existing
			? { tokens: Math.min(this.capacity, existing.tokens + Math.max(0, now - existing.updatedAt) * this.refillPerMs), updatedAt: now }
			: { tokens: this.capacity, updatedAt: now };

		if (bucket.tokens >= 1) {
			bucket.tokens -= 1;
			this.buckets.set(clientKey, bucket);
			return { allowed: true, remaining: Math.floor(bucket.tokens) };
		}
		this.buckets.set(clientKey, bucket);
		const msUntilOneToken = (1 - bucket.tokens) / this.refillPerMs;
		return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(msUntilOneToken / 1000)) };
	}
}
