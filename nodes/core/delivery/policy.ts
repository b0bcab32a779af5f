/**
 * Retry policy: exponential backoff with a multiplier and a cap, jitter, fixed schedules (Svix preset),
 * which outcomes are worth retrying, and how long to wait before the next attempt.
 * Pure: the clock and the random source are passed in.
 */
import { retryAfterFromHeaders } from './retry-after';

export type JitterMode = 'full' | 'proportional' | 'none';

/** A closed range of HTTP status codes. */
export interface StatusRange {
	from: number;
	to: number;
}

export interface RetryPolicy {
	/** Total attempts including the first one (1..50). */
	maxAttempts: number;
	/** Delay before the 2nd attempt when no schedule is given. */
	initialDelayMs: number;
	multiplier: number;
	/**
	 * Upper bound of any backoff wait. Not of a Retry-After: the receiver's wait is never shortened (a long one is
	 * handed over to the caller's scheduler, see `deliverWithRetries`' `scheduleAfterMs`).
	 */
	maxDelayMs: number;
	/** 'full': uniform in [0, delay]; 'proportional': delay ±20 %; 'none': exact. */
	jitter: JitterMode;
	/** Explicit waits between attempts (ms); the last entry repeats. Replaces the exponential formula. */
	scheduleMs?: readonly number[];
	retryableStatuses: readonly StatusRange[];
	/** Whether a `Retry-After` on a retryable response replaces the backoff (milliseconds from the header, uncapped). */
	honourRetryAfter: boolean;
}

export const MAX_ATTEMPTS_LIMIT = 50;

/** Svix's published schedule: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (8 attempts). */
export const SVIX_RETRY_SCHEDULE_MS: readonly number[] = [
	5_000,
	300_000,
	1_800_000,
	7_200_000,
	18_000_000,
	36_000_000,
	36_000_000,
];

/**
 * The Standard Webhooks spec's example retry schedule ("Deliverability and reliability", spec/standard-webhooks.md in
 * standard-webhooks/standard-webhooks): immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, about
 * 75 h 35 min from first to last (10 attempts).
 */
export const STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS: readonly number[] = [
	5_000,
	300_000,
	1_800_000,
	7_200_000,
	18_000_000,
	36_000_000,
	50_400_000,
	72_000_000,
	86_400_000,
];

/**
 * 410 Gone: the receiver no longer wants these webhooks (the Standard Webhooks spec: "Sender should disable the
 * webhook endpoint, and stop sending it messages"). Never retried, whatever the retryable list says.
 */
export const GONE_STATUS = 410;

export const DEFAULT_RETRYABLE_STATUS_TEXT = '408, 425, 429, 500-599';

/** Parses "408, 425, 429, 500-599" (also "5xx") into ranges; throws a clear Error on a bad entry. */
export function parseStatusCodeList(text: string): StatusRange[] {
	const ranges: StatusRange[] = [];
	for (const raw of text.split(/[,\s]+/)) {
		const token = raw.trim().toLowerCase();
		if (token === '') continue;
		let match: RegExpMatchArray | null;
		if ((match = token.match(/^([1-5])xx$/))) {
			const hundred = Number(match[1]) * 100;
			ranges.push({ from: hundred, to: hundred + 99 });
		} else if ((match = token.match(/^(\d{3})$/))) {
			ranges.push({ from: Number(match[1]), to: Number(match[1]) });
		} else if ((match = token.match(/^(\d{3})-(\d{3})$/))) {
			const from = Number(match[1]);
			const to = Number(match[2]);
			if (from > to) throw new Error(`Status range "${raw}" runs backwards`);
			ranges.push({ from, to });
		} else {
			throw new Error(`"${raw}" is not a status code, a range like 500-599, or a class like 5xx`);
		}
	}
	for (const { from, to } of ranges) {
		if (from < 100 || to > 599) throw new Error(`Status codes must lie between 100 and 599 (got ${from}-${to})`);
	}
	return ranges;
}

export const DEFAULT_RETRYABLE_STATUSES: readonly StatusRange[] = parseStatusCodeList(DEFAULT_RETRYABLE_STATUS_TEXT);

export function isRetryableStatus(status: number, ranges: readonly StatusRange[]): boolean {
	return ranges.some(({ from, to }) => status >= from && status <= to);
}

export function isSuccessStatus(status: number): boolean {
	return status >= 200 && status <= 299;
}

export function exponentialPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
	return validatePolicy({
		maxAttempts: 8,
		initialDelayMs: 1_000,
		multiplier: 2,
		maxDelayMs: 60_000,
		jitter: 'full',
		retryableStatuses: DEFAULT_RETRYABLE_STATUSES,
		honourRetryAfter: true,
		...overrides,
	});
}

export function svixPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
	return validatePolicy({
		maxAttempts: SVIX_RETRY_SCHEDULE_MS.length + 1,
		initialDelayMs: SVIX_RETRY_SCHEDULE_MS[0],
		multiplier: 1,
		maxDelayMs: Math.max(...SVIX_RETRY_SCHEDULE_MS),
		jitter: 'none',
		scheduleMs: SVIX_RETRY_SCHEDULE_MS,
		retryableStatuses: DEFAULT_RETRYABLE_STATUSES,
		honourRetryAfter: true,
		...overrides,
	});
}

/** The Standard Webhooks example schedule (`STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS`), 10 attempts over about three days. */
export function standardWebhooksPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
	return validatePolicy({
		maxAttempts: STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS.length + 1,
		initialDelayMs: STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS[0],
		multiplier: 1,
		maxDelayMs: Math.max(...STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS),
		jitter: 'none',
		scheduleMs: STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS,
		retryableStatuses: DEFAULT_RETRYABLE_STATUSES,
		honourRetryAfter: true,
		...overrides,
	});
}

/** Throws a clear Error when a setting is out of range; returns the policy unchanged otherwise. */
export function validatePolicy(policy: RetryPolicy): RetryPolicy {
	const { maxAttempts, initialDelayMs, multiplier, maxDelayMs } = policy;
	if (!Number.isInteger(maxAttempts) || maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
		throw new Error(`Max attempts must be a whole number from 1 to ${MAX_ATTEMPTS_LIMIT} (got ${maxAttempts})`);
	}
	if (!(initialDelayMs >= 0) || !Number.isFinite(initialDelayMs)) {
		throw new Error(`Initial delay must be zero or more milliseconds (got ${initialDelayMs})`);
	}
	if (!(multiplier >= 1) || !Number.isFinite(multiplier)) {
		throw new Error(`Multiplier must be 1 or more (got ${multiplier})`);
	}
	if (!(maxDelayMs >= 0) || !Number.isFinite(maxDelayMs)) {
		throw new Error(`Max delay must be zero or more milliseconds (got ${maxDelayMs})`);
	}
	if (policy.scheduleMs && policy.scheduleMs.some((ms) => !(ms >= 0) || !Number.isFinite(ms))) {
		throw new Error('Every wait in a retry schedule must be zero or more milliseconds');
	}
	return policy;
}

/** The wait before the next attempt, before jitter, after `failedAttempt` (1-based) failed. */
export function baseDelayMs(failedAttempt: number, policy: RetryPolicy): number {
	const { scheduleMs } = policy;
	if (scheduleMs && scheduleMs.length > 0) {
		return Math.min(policy.maxDelayMs, scheduleMs[Math.min(failedAttempt, scheduleMs.length) - 1]);
	}
	const raw = policy.initialDelayMs * Math.pow(policy.multiplier, failedAttempt - 1);
	return Math.min(policy.maxDelayMs, Number.isFinite(raw) ? raw : policy.maxDelayMs);
}

/** Applies jitter; `random` returns a number in [0, 1). */
export function applyJitter(delayMs: number, mode: JitterMode, random: () => number): number {
	if (mode === 'full') return Math.floor(random() * (delayMs + 1));
	if (mode === 'proportional') return Math.round(delayMs * (0.8 + 0.4 * random()));
	return Math.round(delayMs);
}

export function backoffDelayMs(failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
	return Math.min(policy.maxDelayMs, applyJitter(baseDelayMs(failedAttempt, policy), policy.jitter, random));
}

/** What one attempt produced: a response (any status) or a transport failure. */
export type AttemptOutcome =
	| { kind: 'response'; status: number; headers?: Record<string, unknown> }
	| { kind: 'error'; error: SendErrorKind };

export type SendErrorKind = 'timeout' | 'network';

export type NextStep =
	| { action: 'delivered' }
	| { action: 'give-up'; reason: 'non_retryable_status' | 'attempts_exhausted' }
	| { action: 'retry'; delayMs: number; basis: 'retry-after' | 'backoff' };

/**
 * Decides what follows an attempt: done, give up, or wait `delayMs` (milliseconds) and try again. 410 Gone is
 * never retried (even when the retryable list covers it, e.g. "4xx").
 * With `honourRetryAfter`, a readable Retry-After is the wait exactly as asked, however long (never earlier than the
 * receiver asked); an unreadable one (bad syntax, an impossible date) falls back to the backoff.
 */
export function decideNextStep(
	outcome: AttemptOutcome,
	attempt: number,
	policy: RetryPolicy,
	nowMs: number,
	random: () => number = Math.random,
): NextStep {
	if (outcome.kind === 'response') {
		if (isSuccessStatus(outcome.status)) return { action: 'delivered' };
		if (outcome.status === GONE_STATUS) return { action: 'give-up', reason: 'non_retryable_status' };
		if (!isRetryableStatus(outcome.status, policy.retryableStatuses)) {
			return { action: 'give-up', reason: 'non_retryable_status' };
		}
	}
	if (attempt >= policy.maxAttempts) return { action: 'give-up', reason: 'attempts_exhausted' };
	if (outcome.kind === 'response' && policy.honourRetryAfter) {
		const retryAfterMs = retryAfterFromHeaders(outcome.headers, nowMs);
		if (retryAfterMs !== undefined) return { action: 'retry', delayMs: retryAfterMs, basis: 'retry-after' };
	}
	return { action: 'retry', delayMs: backoffDelayMs(attempt, policy, random), basis: 'backoff' };
}

/** A retry policy as the Forward node's settings describe it. Delays in milliseconds. */
export interface RetrySettings {
	schedule: 'exponential' | 'svix' | 'standardWebhooks';
	maxAttempts: number;
	honourRetryAfter?: boolean;
	/** Text such as "408, 429, 5xx" (`parseStatusCodeList`); undefined: the defaults. */
	retryOnStatus?: string;
	jitter: JitterMode;
	/** Exponential only. */
	initialDelayMs?: number;
	multiplier?: number;
	maxDelayMs?: number;
}

/** Builds and validates the policy; throws an Error that names the setting when one is out of range. */
export function retryPolicyFromSettings(settings: RetrySettings): RetryPolicy {
	const shared = {
		maxAttempts: settings.maxAttempts,
		honourRetryAfter: settings.honourRetryAfter ?? true,
		jitter: settings.jitter,
		...(settings.retryOnStatus !== undefined ? { retryableStatuses: parseStatusCodeList(settings.retryOnStatus) } : {}),
	};
	if (settings.schedule === 'svix') return svixPolicy(shared);
	if (settings.schedule === 'standardWebhooks') return standardWebhooksPolicy(shared);
	return exponentialPolicy({
		...shared,
		...(settings.initialDelayMs !== undefined ? { initialDelayMs: settings.initialDelayMs } : {}),
		...(settings.multiplier !== undefined ? { multiplier: settings.multiplier } : {}),
		...(settings.maxDelayMs !== undefined ? { maxDelayMs: settings.maxDelayMs } : {}),
	});
}
