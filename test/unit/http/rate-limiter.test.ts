import fc from 'fast-check';
import { TokenBucketRateLimiter } from '../../../nodes/core/http';

describe('TokenBucketRateLimiter', () => {
	const t0 = 1_700_000_000_000;

	it('allows a burst, then refuses with the seconds until one token is back', () => {
		const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 60, burst: 3 });
		expect(limiter.take('a', t0)).toEqual({ allowed: true, remaining: 2 });
		expect(limiter.take('a', t0)).toEqual({ allowed: true, remaining: 1 });
		expect(limiter.take('a', t0)).toEqual({ allowed: true, remaining: 0 });
		// 60/min = one token per second
		expect(limiter.take('a', t0)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(limiter.take('a', t0 + 999)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(limiter.take('a', t0 + 1000)).toEqual({ allowed: true, remaining: 0 });
	});

	it('computes Retry-After from the refill rate (6 per minute → 10 s per token)', () => {
		const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 6, burst: 1 });
		expect(limiter.take('a', t0).allowed).toBe(true);
		expect(limiter.take('a', t0)).toEqual({ allowed: false, retryAfterSeconds: 10 });
		expect(limiter.take('a', t0 + 4_000)).toEqual({ allowed: false, retryAfterSeconds: 6 });
		expect(limiter.take('a', t0 + 9_001)).toEqual({ allowed: false, retryAfterSeconds: 1 });
		expect(limiter.take('a', t0 + 10_000).allowed).toBe(true);
	});

	it('keeps one bucket per client', () => {
		const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 1, burst: 1 });
		expect(limiter.take('192.0.2.1', t0).allowed).toBe(true);
		expect(limiter.take('192.0.2.1', t0).allowed).toBe(false);
		expect(limiter.take('192.0.2.2', t0).allowed).toBe(true);
	});

	it('never holds more than burst tokens after a long pause', () => {
		const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 600, burst: 2 });
		limiter.take('a', t0);
		const later = t0 + 3_600_000;
		expect(limiter.take('a', later)).toEqual({ allowed: true, remaining: 1 });
		expect(limiter.take('a', later)).toEqual({ allowed: true, remaining: 0 });
		expect(limiter.take('a', later).allowed).toBe(false);
	});

	it('treats a clock going backwards as no elapsed time', () => {
		const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 60, burst: 1 });
		expect(limiter.take('a', t0).allowed).toBe(true);
		expect(limiter.take('a', t0 - 60_000).allowed).toBe(false);
	});

	it('bounds memory: evicts the least recently seen client', () => {
		const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 1, burst: 1, maxClients: 3 });
		for (const key of ['a', 'b', 'c']) expect(limiter.take(key, t0).allowed).toBe(true);
		expect(limiter.take('a', t0).allowed).toBe(false); // touches a: b is now the oldest
		expect(limiter.take('d', t0).allowed).toBe(true); // evicts b
		expect(limiter.size).toBe(3);
		expect(limiter.take('a', t0).allowed).toBe(false); // a kept its empty bucket
		expect(limiter.take('b', t0).allowed).toBe(true); // b was evicted and starts full
	});

	it('never tracks more than maxClients, whatever the key stream', () => {
		fc.assert(
			fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), (keys, maxClients) => {
				const limiter = new TokenBucketRateLimiter({ requestsPerMinute: 10, maxClients });
				keys.forEach((key, i) => limiter.take(key, t0 + i));
				return limiter.size <= maxClients;
			}),
			{ numRuns: 200 },
		);
	});

	it('over any window, a client gets at most burst + rate × window requests', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 120 }),
				fc.integer({ min: 1, max: 10 }),
				fc.array(fc.integer({ min: 0, max: 5_000 }), { minLength: 1, maxLength: 200 }),
				(perMinute, burst, gaps) => {
					const limiter = new TokenBucketRateLimiter({ requestsPerMinute: perMinute, burst });
					let now = t0;
					let allowed = 0;
					for (const gap of gaps) {
						now += gap;
						if (limiter.take('k', now).allowed) allowed += 1;
					}
					return allowed <= burst + Math.floor(((now - t0) * perMinute) / 60_000);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('rejects nonsensical settings', () => {
		expect(() => new TokenBucketRateLimiter({ requestsPerMinute: 0 })).toThrow(RangeError);
		expect(() => new TokenBucketRateLimiter({ requestsPerMinute: 10, burst: 0 })).toThrow(RangeError);
		expect(() => new TokenBucketRateLimiter({ requestsPerMinute: 10, maxClients: 0 })).toThrow(RangeError);
	});
});
