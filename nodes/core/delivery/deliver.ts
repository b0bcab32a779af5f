/**
 * The delivery loop: send, decide, wait, send again, until delivered, given up, past the deadline, or the
 * next wait is long enough to hand over to a Wait node (then the state to resume from is returned).
 * Sending and sleeping are injected, so this runs the same inside n8n, in tests and in benchmarks.
 */
import type { CircuitAdmission, CircuitStateName } from '../circuit';
import { circuitResultOf, type DestinationGuard } from './guard';
import { decideNextStep, type AttemptOutcome, type RetryPolicy } from './policy';
import { classifySendError } from './send-error';
import { decodeDeliveryState, parseUtcTimestamp, type AttemptLogEntry, type DeliveryState } from './state';

/** The latest instant a JavaScript Date can hold (epoch ms): a Retry-After further out is waited until then. */
const LAST_REPRESENTABLE_MS = 8.64e15;

export interface DeliveryRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: Buffer;
}

export interface DeliveryResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body?: unknown;
}

export interface AttemptContext {
	attempt: number;
	/** Time allowed for this attempt: the per-attempt timeout, shortened to what is left of the deadline. */
	timeoutMs: number;
}

/** Resolves with any HTTP response (2xx to 5xx); rejects only when no response came back. */
export type SendFunction = (request: DeliveryRequest, context: AttemptContext) => Promise<DeliveryResponse>;

export type DeliveryOutcome = 'delivered' | 'failed' | 'scheduled';
export type DeliveryFailureReason =
	| 'non_retryable_status'
	| 'attempts_exhausted'
	| 'deadline_exceeded'
	| 'next_attempt_scheduled'
	/** The destination's circuit is open and the item was set to fail rather than wait (or it is held open). */
	| 'circuit_open'
	/** The request could not be made at all (not a timeout or network failure): setup problem, not retried. */
	| 'send_error';

export interface DeliveryResult {
	outcome: DeliveryOutcome;
	reason?: DeliveryFailureReason;
	/** With reason 'send_error': what went wrong. */
	error?: string;
	attempts: number;
	/** Status of the last response; null when the last attempt got none. */
	status: number | null;
	/** From the first attempt (of the first run, when resumed) to the end of the last one. */
	durationMs: number;
	idempotencyKey: string;
	log: AttemptLogEntry[];
	response?: DeliveryResponse;
	/** Present when outcome is 'scheduled': feed it back in as `prior` at `state.nextAttemptAt`. */
	state?: DeliveryState;
	/** With a circuit breaker: the destination's key and its circuit's state as this item last saw it. */
	circuit?: { key: string; state: CircuitStateName };
	/** With a rate limit: milliseconds this run spent waiting for send slots (not attempts, not counted in Max Attempts). */
	rateLimitWaitedMs?: number;
}

export interface DeliverOptions {
	request: DeliveryRequest;
	policy: RetryPolicy;
	send: SendFunction;
	sleep: (ms: number) => Promise<void>;
	idempotencyKey: string;
	attemptTimeoutMs: number;
	/** Overall budget from the first attempt, across resumed runs; 0 or undefined = none. */
	deadlineMs?: number;
	/**
	 * Waits (ms) longer than this end the run with outcome 'scheduled' and the state to resume from; undefined =
	 * always wait in process. This is how a long Retry-After is honoured in full: the wait is handed over, not cut.
	 */
	scheduleAfterMs?: number;
	/** State from an earlier run of the same delivery; checked like `decodeDeliveryState` (throws DeliveryStateError). */
	prior?: DeliveryState;
	now?: () => number;
	random?: () => number;
	/**
	 * Rate limit and circuit breaker for the destination. A slot wait longer than `scheduleAfterMs` hands the item
	 * over ('scheduled', at the slot); an open circuit hands it over at the half-open time, or fails it with reason
	 * 'circuit_open' when `onCircuitOpen` is 'fail' (always, while the circuit is held open after a 410).
	 */
	guard?: DestinationGuard;
	onCircuitOpen?: 'schedule' | 'fail';
}

export async function deliverWithRetries(options: DeliverOptions): Promise<DeliveryResult> {
	const { request, policy, send, sleep, idempotencyKey, attemptTimeoutMs } = options;
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	const deadlineMs = options.deadlineMs && options.deadlineMs > 0 ? options.deadlineMs : undefined;
	const prior = options.prior ? decodeDeliveryState(options.prior) : undefined;
	// Validated above, so every stored date is an instant that exists.
	const instant = (iso: string): number => parseUtcTimestamp(iso)!;

	const firstAttemptAt = prior ? instant(prior.firstAttemptAt) : now();
	const log: AttemptLogEntry[] = prior ? prior.log.map((entry) => ({ ...entry })) : [];
	let attempts = prior ? prior.attempts : 0;
	let lastStatus: number | null = prior ? lastStatusOf(prior.log) : null;
	let lastEndedAt = prior ? instant(prior.lastAttemptAt) : firstAttemptAt;
	let lastResponse: DeliveryResponse | undefined;
	const guard = options.guard;
	let circuitState: CircuitStateName | undefined;
	let rateLimitWaitedMs = 0;

	const finish = (outcome: DeliveryOutcome, reason?: DeliveryFailureReason, state?: DeliveryState): DeliveryResult => ({
		outcome,
		...(reason ? { reason } : {}),
		attempts,
		status: lastStatus,
		durationMs: Math.max(0, lastEndedAt - firstAttemptAt),
		idempotencyKey,
		log,
		...(lastResponse ? { response: lastResponse } : {}),
		...(state ? { state } : {}),
		...(guard && circuitState ? { circuit: { key: guard.key, state: circuitState } } : {}),
		...(guard?.reserveSlot ? { rateLimitWaitedMs } : {}),
	});
	const scheduleAt = (nextAttemptAt: number): DeliveryResult =>
		finish('scheduled', 'next_attempt_scheduled', {
			version: 1,
			idempotencyKey,
			attempts,
			firstAttemptAt: new Date(firstAttemptAt).toISOString(),
			lastAttemptAt: new Date(lastEndedAt).toISOString(),
			nextAttemptAt: new Date(nextAttemptAt).toISOString(),
			log: log.map((entry) => ({ ...entry })),
		});
	const pastDeadline = (at: number) => deadlineMs !== undefined && at - firstAttemptAt > deadlineMs;

	if (prior && attempts >= policy.maxAttempts) return finish('failed', 'attempts_exhausted');
	// A resumed run may start before the planned time (a Wait node that woke early): wait or hand back again.
	if (prior) {
		const remaining = instant(prior.nextAttemptAt) - now();
		if (remaining > 0) {
			if (pastDeadline(now() + remaining)) return finish('failed', 'deadline_exceeded');
			if (options.scheduleAfterMs !== undefined && remaining > options.scheduleAfterMs) {
				return scheduleAt(instant(prior.nextAttemptAt));
			}
			await sleep(remaining);
		}
	}

	for (;;) {
		const attempt = attempts + 1;
		if (attempt > 1 && pastDeadline(now())) return finish('failed', 'deadline_exceeded');

		// The circuit first, so an item refused by an open circuit takes no rate slot from the others. Nothing reaches
		// the destination while its circuit is open: the item is handed over (the Wait loop brings it back) or failed.
		let admission: CircuitAdmission | undefined;
		const refused = (denied: CircuitAdmission & { allowed: false }): DeliveryResult => {
			if (options.onCircuitOpen === 'fail' || denied.retryAt === undefined) return finish('failed', 'circuit_open');
			if (pastDeadline(denied.retryAt)) return finish('failed', 'deadline_exceeded');
			return scheduleAt(denied.retryAt);
		};
		if (guard?.admit) {
			admission = await guard.admit();
			circuitState = admission.state;
			if (!admission.allowed) return refused(admission);
		}
		// Waiting for a send slot is not an attempt: it never counts towards Max Attempts.
		if (guard?.reserveSlot) {
			const askedAt = now();
			const slot = await guard.reserveSlot(options.scheduleAfterMs);
			if (!slot.reserved) {
				const at = askedAt + slot.waitMs;
				if (pastDeadline(at)) return finish('failed', 'deadline_exceeded');
				return scheduleAt(at);
			}
			if (slot.waitMs > 0) {
				await sleep(slot.waitMs);
				rateLimitWaitedMs += slot.waitMs;
				// The circuit may have opened during the wait: ask again (free while closed; a probe keeps its place).
				if (admission && guard.admit && !(admission.allowed && admission.probe)) {
					admission = await guard.admit();
					circuitState = admission.state;
					if (!admission.allowed) return refused(admission);
				}
			}
		}

		const startedAt = now();
		const waitedMs = attempt === 1 ? 0 : Math.max(0, startedAt - lastEndedAt);
		const remainingBudget = deadlineMs === undefined ? Infinity : deadlineMs - (startedAt - firstAttemptAt);
		if (attempt > 1 && remainingBudget <= 0) return finish('failed', 'deadline_exceeded');
		const timeoutMs = Math.max(1, Math.min(attemptTimeoutMs, remainingBudget));

		let outcome: AttemptOutcome;
		const entry: AttemptLogEntry = { attempt, durationMs: 0, waitedMs };
		try {
			const response = await send(request, { attempt, timeoutMs });
			outcome = { kind: 'response', status: response.statusCode, headers: response.headers };
			entry.status = response.statusCode;
			lastStatus = response.statusCode;
			lastResponse = response;
		} catch (error) {
			const info = classifySendError(error);
			entry.error = info.message;
			lastStatus = null;
			lastResponse = undefined;
			if (info.kind === 'setup') {
				// Not the destination's doing: the circuit is not told.
				lastEndedAt = now();
				entry.durationMs = lastEndedAt - startedAt;
				attempts = attempt;
				log.push(entry);
				return { ...finish('failed', 'send_error'), error: info.message };
			}
			outcome = { kind: 'error', error: info.kind };
		}
		lastEndedAt = now();
		entry.durationMs = lastEndedAt - startedAt;
		attempts = attempt;
		log.push(entry);
		if (admission && guard?.record) circuitState = await guard.record(admission, circuitResultOf(outcome, policy));

		const step = decideNextStep(outcome, attempt, policy, lastEndedAt, random);
		if (step.action === 'delivered') return finish('delivered');
		if (step.action === 'give-up') return finish('failed', step.reason);
		const delayMs = Math.min(step.delayMs, LAST_REPRESENTABLE_MS - lastEndedAt);
		// Only the overall deadline may end a wait the receiver asked for.
		if (pastDeadline(lastEndedAt + delayMs)) return finish('failed', 'deadline_exceeded');
		if (options.scheduleAfterMs !== undefined && delayMs > options.scheduleAfterMs) {
			return scheduleAt(lastEndedAt + delayMs);
		}
		if (delayMs > 0) await sleep(delayMs);
	}
}

function lastStatusOf(log: readonly AttemptLogEntry[]): number | null {
	const last = log[log.length - 1];
	return last && typeof last.status === 'number' ? last.status : null;
}
