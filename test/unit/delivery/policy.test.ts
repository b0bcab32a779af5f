import fc from 'fast-check';
import {
	applyJitter,
	backoffDelayMs,
	baseDelayMs,
	decideNextStep,
	DEFAULT_RETRYABLE_STATUSES,
	exponentialPolicy,
	isRetryableStatus,
	parseStatusCodeList,
	SVIX_RETRY_SCHEDULE_MS,
	svixPolicy,
	validatePolicy,
} from '../../../nodes/core/delivery';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('exponential schedule', () => {
	const policy = exponentialPolicy({ initialDelayMs: 100, multiplier: 3, maxDelayMs: 5_000, jitter: 'none' });

	it('grows by the multiplier and stops at the maximum delay', () => {
		expect([1, 2, 3, 4, 5, 6].map((n) => baseDelayMs(n, policy))).toEqual([100, 300, 900, 2700, 5000, 5000]);
	});

	it('stays at the cap for huge attempt numbers instead of overflowing', () => {
		expect(baseDelayMs(5_000, policy)).toBe(5_000);
	});

	it('full jitter stays within [0, capped delay] for any random value and attempt', () => {
		const jittered = { ...policy, jitter: 'full' as const };
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 50 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (attempt, r) => {
				const delay = backoffDelayMs(attempt, jittered, () => r);
				return delay >= 0 && delay <= baseDelayMs(attempt, jittered);
			}),
			{ numRuns: 2_000 },
		);
	});

	it('full jitter spans the whole range: lowest and highest random values give 0 and the cap', () => {
		expect(applyJitter(900, 'full', () => 0)).toBe(0);
		expect(applyJitter(900, 'full', () => 0.9999999)).toBe(900);
	});

	it('proportional jitter stays within ±20 %', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 36_000_000 }), fc.double({ min: 0, max: 0.9999999, noNaN: true }), (d, r) => {
				const delay = applyJitter(d, 'proportional', () => r);
				return delay >= Math.floor(d * 0.8) && delay <= Math.ceil(d * 1.2);
			}),
		);
	});
});

describe('Svix preset', () => {
	it('follows the published schedule: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
		const policy = svixPolicy();
		expect(policy.maxAttempts).toBe(8);
		const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n, policy));
		expect(waits).toEqual([5, 300, 1800, 7200, 18000, 36000, 36000].map((s) => s * 1000));
		expect(SVIX_RETRY_SCHEDULE_MS.reduce((a, b) => a + b, 0)).toBe((27 * 3600 + 35 * 60 + 5) * 1000);
	});

	it('repeats the last wait when more attempts are allowed than the schedule lists', () => {
		expect(backoffDelayMs(20, svixPolicy({ maxAttempts: 21 }))).toBe(36_000_000);
	});
});

describe('retryable status list', () => {
	it('defaults to 408, 425, 429 and every 5xx', () => {
		for (const status of [408, 425, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(status, DEFAULT_RETRYABLE_STATUSES)).toBe(true);
		for (const status of [400, 401, 403, 404, 409, 410, 422, 301, 302, 200]) expect(isRetryableStatus(status, DEFAULT_RETRYABLE_STATUSES)).toBe(false);
	});

	it('parses single codes, ranges and classes, with commas or spaces', () => {
		expect(parseStatusCodeList('409 423,5xx , 520-530')).toEqual([
			{ from: 409, to: 409 },
			{ from: 423, to: 423 },
			{ from: 500, to: 599 },
			{ from: 520, to: 530 },
		]);
		expect(parseStatusCodeList('')).toEqual([]);
	});

	it.each(['abc', '99', '600', '503-500', '5x', '1000', '200-700'])('rejects %p with a clear error', (text) => {
		expect(() => parseStatusCodeList(text)).toThrow(/status|range|between/i);
	});
});

describe('decideNextStep', () => {
	const policy = exponentialPolicy({ maxAttempts: 5, initialDelayMs: 1_000, maxDelayMs: 30_000, jitter: 'none' });
	const response = (status: number, headers: Record<string, unknown> = {}) => ({ kind: 'response' as const, status, headers });

	it('2xx is delivered', () => {
		expect(decideNextStep(response(204), 1, policy, NOW)).toEqual({ action: 'delivered' });
	});

	it.each([400, 401, 403, 404, 409, 410, 422, 301])('%d fails at once', (status) => {
		expect(decideNextStep(response(status), 1, policy, NOW)).toEqual({ action: 'give-up', reason: 'non_retryable_status' });
	});

	it.each([408, 425, 429, 500, 503])('%d is retried with backoff', (status) => {
		expect(decideNextStep(response(status), 2, policy, NOW)).toEqual({ action: 'retry', delayMs: 2_000, basis: 'backoff' });
	});

	it('timeouts and network errors are retried', () => {
		expect(decideNextStep({ kind: 'error', error: 'timeout' }, 1, policy, NOW)).toMatchObject({ action: 'retry' });
		expect(decideNextStep({ kind: 'error', error: 'network' }, 3, policy, NOW)).toEqual({ action: 'retry', delayMs: 4_000, basis: 'backoff' });
	});

	it('stops after the last attempt', () => {
		expect(decideNextStep(response(503), 5, policy, NOW)).toEqual({ action: 'give-up', reason: 'attempts_exhausted' });
	});

	it('an edited list makes 409 retryable and 503 final', () => {
		const edited = { ...policy, retryableStatuses: parseStatusCodeList('409') };
		expect(decideNextStep(response(409), 1, edited, NOW)).toMatchObject({ action: 'retry' });
		expect(decideNextStep(response(503), 1, edited, NOW)).toEqual({ action: 'give-up', reason: 'non_retryable_status' });
	});

	it('Retry-After in seconds replaces the backoff, header name in any case', () => {
		expect(decideNextStep(response(429, { 'Retry-After': '7' }), 1, policy, NOW)).toEqual({ action: 'retry', delayMs: 7_000, basis: 'retry-after' });
	});

	it('Retry-After as an HTTP date is measured from now', () => {
		const at = new Date(NOW + 12_000).toUTCString();
		expect(decideNextStep(response(503, { 'retry-after': at }), 1, policy, NOW)).toEqual({ action: 'retry', delayMs: 12_000, basis: 'retry-after' });
	});

	// Issue 10, kind 7: a 429 with Retry-After: 3600 used to wait only Max Delay. The receiver's wait is never cut.
	it('Retry-After is honoured in full, beyond the maximum delay (seconds and HTTP date)', () => {
		expect(decideNextStep(response(429, { 'retry-after': '3600' }), 1, policy, NOW)).toEqual({ action: 'retry', delayMs: 3_600_000, basis: 'retry-after' });
		expect(decideNextStep(response(429, { 'retry-after': '86400' }), 1, policy, NOW)).toEqual({ action: 'retry', delayMs: 86_400_000, basis: 'retry-after' });
		const far = new Date(NOW + 3_600_000).toUTCString();
		expect(decideNextStep(response(429, { 'retry-after': far }), 1, policy, NOW)).toEqual({ action: 'retry', delayMs: 3_600_000, basis: 'retry-after' });
	});

	it('an impossible Retry-After date (31 February) falls back to the backoff instead of rolling over to March', () => {
		// Date.parse('Sat, 31 Feb 2026 06:02:00 GMT') is 3 March 2026 06:02 GMT; the date does not exist.
		const now = Date.UTC(2026, 1, 27, 6, 0, 0);
		expect(decideNextStep(response(429, { 'retry-after': 'Sat, 31 Feb 2026 06:02:00 GMT' }), 1, policy, now)).toEqual({ action: 'retry', delayMs: 1_000, basis: 'backoff' });
	});

	it('Retry-After is ignored when turned off, and on a non-retryable status', () => {
		expect(decideNextStep(response(429, { 'retry-after': '9' }), 1, { ...policy, honourRetryAfter: false }, NOW)).toMatchObject({ basis: 'backoff', delayMs: 1_000 });
		expect(decideNextStep(response(400, { 'retry-after': '9' }), 1, policy, NOW)).toMatchObject({ action: 'give-up' });
	});

	it('an unreadable Retry-After falls back to the backoff', () => {
		expect(decideNextStep(response(429, { 'retry-after': 'soon' }), 1, policy, NOW)).toMatchObject({ basis: 'backoff', delayMs: 1_000 });
	});
});

describe('validatePolicy', () => {
	it.each([
		[{ maxAttempts: 0 }, /Max attempts/],
		[{ maxAttempts: 51 }, /Max attempts/],
		[{ maxAttempts: 2.5 }, /Max attempts/],
		[{ multiplier: 0.5 }, /Multiplier/],
		[{ initialDelayMs: -1 }, /Initial delay/],
		[{ maxDelayMs: Number.NaN }, /Max delay/],
		[{ scheduleMs: [1, -5] }, /schedule/],
	])('refuses %p', (override, message) => {
		expect(() => validatePolicy({ ...exponentialPolicy(), ...override })).toThrow(message);
	});

	it('accepts 50 attempts', () => {
		expect(validatePolicy({ ...exponentialPolicy(), maxAttempts: 50 }).maxAttempts).toBe(50);
	});
});
