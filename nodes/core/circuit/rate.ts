/**
 * Rate limit per destination as slot reservation (a GCRA with a burst of one): each request takes the next free
 * instant `nextFreeAt`, then the one after is `interval` later. So requests leave evenly spaced, whichever
 * execution or process asks, and the limit holds over any window longer than one interval. Pure; epoch ms.
 */

export type RatePer = 'second' | 'minute';

/** Milliseconds between two requests for `limit` requests per second or minute; throws a RangeError when limit < 1. */
export function rateIntervalMs(limit: number, per: RatePer): number {
	if (!Number.isFinite(limit) || limit <= 0) throw new RangeError(`A rate limit must be more than 0 requests (got ${limit})`);
	return (per === 'minute' ? 60_000 : 1_000) / limit;
}

/**
 * `reserved`: the caller sends after waiting `waitMs` (0 = now) and the store keeps `nextFreeAt`. Not reserved:
 * the wait would be longer than `maxWaitMs`, nothing is taken, and `waitMs` says how long it would have been.
 */
export type SlotReservation = { reserved: true; waitMs: number; nextFreeAt: number } | { reserved: false; waitMs: number };

export function reserveSlot(nextFreeAt: number | undefined, now: number, intervalMs: number, maxWaitMs?: number): SlotReservation {
	const slot = Math.max(now, nextFreeAt ?? now);
	const waitMs = slot - now;
	if (maxWaitMs !== undefined && waitMs > maxWaitMs) return { reserved: false, waitMs };
	return { reserved: true, waitMs, nextFreeAt: slot + intervalMs };
}
