/**
 * The destination guard the delivery loop asks before each attempt (rate slot, then circuit admission) and tells
 * after it (what the attempt meant for the destination's health). Built over a `DestinationStateStore`.
 */
import {
	type CircuitAdmission,
	type CircuitResult,
	type CircuitSettings,
	type CircuitStateName,
	type CircuitTransition,
	type DestinationStateStore,
} from '../circuit';
import { GONE_STATUS, isRetryableStatus, isSuccessStatus, type AttemptOutcome, type RetryPolicy } from './policy';

export interface DestinationGuard {
	/** The destination's key (an origin such as `https://example.com`, or a name). */
	readonly key: string;
	/** Takes a send slot; not reserved when the wait would exceed `maxWaitMs` (ms). Absent: no rate limit. */
	reserveSlot?(maxWaitMs: number | undefined): Promise<{ reserved: boolean; waitMs: number }>;
	/** Absent: no circuit breaker. */
	admit?(): Promise<CircuitAdmission>;
	/** After an admitted attempt; returns the circuit's state after it. */
	record?(admission: CircuitAdmission, result: CircuitResult): Promise<CircuitStateName>;
}

/**
 * What an attempt means for the circuit: 2xx 'ok'; 410 'gone'; a timeout, a network failure or a retryable status
 * 'fail'; any other status 'neutral' (the destination answered: the request, not the destination, is wrong).
 */
export function circuitResultOf(outcome: AttemptOutcome, policy: Pick<RetryPolicy, 'retryableStatuses'>): CircuitResult {
	if (outcome.kind === 'error') return 'fail';
	if (isSuccessStatus(outcome.status)) return 'ok';
	if (outcome.status === GONE_STATUS) return 'gone';
	return isRetryableStatus(outcome.status, policy.retryableStatuses) ? 'fail' : 'neutral';
}

export interface GuardOptions {
	key: string;
	store: DestinationStateStore;
	/** Circuit breaker settings; undefined: no circuit breaker. */
	circuit?: CircuitSettings;
	/** With the circuit: a 410 holds the circuit open until it is reset. */
	holdOpenOnGone?: boolean;
	/** Milliseconds between two requests to this destination; undefined: no rate limit. */
	rateIntervalMs?: number;
	now?: () => number;
	/** Called once per transition, by the caller whose call made it (so each is logged once across processes). */
	onTransition?: (key: string, transition: CircuitTransition) => void;
	/**
	 * Called when the store fails (Redis unreachable). The guard then fails open: the attempt goes out without
	 * circuit or rate limit, since holding every delivery because the state store is down would lose more.
	 */
	onStoreError?: (error: unknown) => void;
}

export function createDestinationGuard(options: GuardOptions): DestinationGuard {
	const { key, store, circuit, rateIntervalMs } = options;
	const now = options.now ?? Date.now;
	const failOpen = (error: unknown) => options.onStoreError?.(error);
	const guard: DestinationGuard = { key };
	if (rateIntervalMs !== undefined) {
		guard.reserveSlot = async (maxWaitMs) => {
			try {
				return await store.reserve(key, rateIntervalMs, now(), maxWaitMs);
			} catch (error) {
				failOpen(error);
				return { reserved: true, waitMs: 0 };
			}
		};
	}
	if (circuit !== undefined) {
		guard.admit = async () => {
			try {
				const admission = await store.admit(key, circuit, now());
				if (admission.transition) options.onTransition?.(key, admission.transition);
				return admission;
			} catch (error) {
				failOpen(error);
				return { allowed: true, probe: false, state: 'closed' };
			}
		};
		guard.record = async (admission, result) => {
			try {
				const after = await store.record(key, circuit, result, admission.allowed && admission.probe, options.holdOpenOnGone === true, now());
				if (after.transition) options.onTransition?.(key, after.transition);
				return after.state;
			} catch (error) {
				failOpen(error);
				return admission.state;
			}
		};
	}
	return guard;
}
