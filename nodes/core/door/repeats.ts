/**
 * Dropping repeated deliveries at the door: which key a verified delivery has, what a dedupe store's answer means
 * for the request (run it, or answer without an execution), what a store failure does, and the default window.
 * The stores and key space are the Dedupe node's (core/dedupe); nothing here touches n8n.
 */
import { readJsonPath } from '../json';
import {
	failOpenClaimToken,
	DedupeStoreUnavailableError,
	normaliseKey,
	UnsupportedRedisVersionError,
	type DedupeOutcome,
	type DedupeRequest,
} from '../dedupe';
import type { HeaderBag } from '../signatures';
import { doorAnswer, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS, type DoorAnswerCode } from './answers';
import type { RejectionResponse } from '../http';

/** Where the key comes from: the verified delivery id, a request header, or a dot path into the verified JSON body. */
export type RepeatKeySource = { from: 'deliveryId' } | { from: 'header'; name: string } | { from: 'jsonPath'; path: string };

export type RepeatMode = 'record' | 'claim';

/**
 * Window used when the provider publishes no retry horizon (SECONDS): 3 days, the longest horizon among the
 * common senders (Stripe retries live-mode deliveries for up to three days: docs.stripe.com/webhooks#retries), so
 * a late retry of any of them is still caught. Keys cost a few dozen bytes each for that time.
 */
export const DEFAULT_REPEAT_WINDOW_SECONDS = 3 * 86_400;

/** Lease of Claim Until Confirmed when none is set (SECONDS): long enough for most workflows to reach Confirm. */
export const DEFAULT_CLAIM_LEASE_SECONDS = 300;

/** The header's value (several values joined by ", " as HTTP folds them), or undefined when absent or empty. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	const text = Array.isArray(value) ? value.join(', ') : value;
	return text === undefined || text.trim() === '' ? undefined : text;
}

/**
 * The repeat key of a verified delivery, or undefined when it has none (no id, header absent, path missing or null).
 * A JSON value that is an object or array counts as its canonical JSON (the Dedupe node's rule, normaliseKey).
 */
export function repeatKeyOf(
	source: RepeatKeySource,
	delivery: { deliveryId: string | undefined; headers: HeaderBag; json: () => unknown },
): string | undefined {
	switch (source.from) {
		case 'deliveryId':
			return normaliseKey(delivery.deliveryId);
		case 'header':
			return headerValue(delivery.headers, source.name);
		case 'jsonPath':
			return normaliseKey(readJsonPath(delivery.json(), source.path));
	}
}

/** The store request for a key in this mode: record for the window, or claim for the lease (MILLISECONDS). */
export function repeatRequest(mode: RepeatMode, storageKey: string, windowMs: number, leaseMs: number): DedupeRequest {
	return mode === 'record' ? { op: 'checkAndRecord', key: storageKey, ttlMs: windowMs } : { op: 'claim', key: storageKey, leaseMs };
}

/** What the output item's `dedupe` field says about a delivery that runs. Times are ISO 8601 (UTC). */
export type RepeatInfo =
	| { key: string; status: 'recorded'; firstSeenAt: string; expiresAt: string; windowSeconds: number }
	| { key: string; status: 'claimed'; firstSeenAt: string; expiresAt: string; claimToken: string; windowSeconds: number }
	| { key: string; status: 'failOpen'; storeError: string; claimToken?: string }
	| { key: null; status: 'noKey' };

export type RepeatDecision =
	| { run: true; info: RepeatInfo }
	| { run: false; code: DoorAnswerCode; response: RejectionResponse; detail: string };

function answer(code: DoorAnswerCode, detail: string, retryAfterSeconds?: number): RepeatDecision {
	return { run: false, code, response: doorAnswer(code, retryAfterSeconds), detail };
}

/**
 * The store's answer as the request's fate. New → run, with the claim token when claimed. Duplicate of a recorded
 * key → `duplicate_delivery` (200). Duplicate of a claimed key → `delivery_in_progress` (503) with Retry-After = the
 * rest of the lease as this trigger sets it (`leaseMs` after the claim's first sighting; at least 1 s).
 * @param now epoch MILLISECONDS; `windowMs`/`leaseMs` MILLISECONDS.
 */
export function repeatDecision(outcome: DedupeOutcome, key: string, options: { now: number; windowMs: number; leaseMs: number }): RepeatDecision {
	const windowSeconds = Math.round(options.windowMs / 1000);
	if (outcome.status === 'new') {
		const times = { firstSeenAt: new Date(outcome.firstSeenAt).toISOString(), expiresAt: new Date(outcome.expiresAt).toISOString() };
		return outcome.claimToken === undefined
			? { run: true, info: { key, status: 'recorded', ...times, windowSeconds } }
			: { run: true, info: { key, status: 'claimed', ...times, claimToken: outcome.claimToken, windowSeconds } };
	}
	if (outcome.status === 'duplicate' && outcome.state === 'claimed') {
		const leftMs = outcome.firstSeenAt + options.leaseMs - options.now;
		return answer('delivery_in_progress', 'repeat while claimed', Math.max(1, leftMs / 1000));
	}
	// duplicate of a recorded key; the other statuses never answer checkAndRecord or claim.
	return answer('duplicate_delivery', 'repeat');
}

/**
 * A store failure as the request's fate: fail open (run, `failOpen` in the item) only for an outage and only when
 * chosen; a server too old for the store never fails open (it would turn repeat dropping off for good); anything else
 * (a bug, an unreadable credential) is rethrown for the trigger's misconfiguration path. A failed-open claim carries
 * a fresh claim token (`failOpenClaimToken`), so the workflow's Confirm records the key once the store is back.
 */
export function repeatStoreFailure(error: unknown, key: string, failOpen: boolean, claim = false): RepeatDecision {
	if (error instanceof UnsupportedRedisVersionError) return answer('repeat_store_unavailable', `store not supported: ${error.message}`, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
	if (!(error instanceof DedupeStoreUnavailableError)) throw error;
	if (failOpen) return { run: true, info: claim ? { key, status: 'failOpen', storeError: error.message, claimToken: failOpenClaimToken() } : { key, status: 'failOpen', storeError: error.message } };
	return answer('repeat_store_unavailable', `store unavailable: ${error.message}`, STORE_UNAVAILABLE_RETRY_AFTER_SECONDS);
}

/**
 * The default window (SECONDS): the provider's documented retry horizon (`RetryFact.horizonSeconds`), else
 * DEFAULT_REPEAT_WINDOW_SECONDS.
 */
export function defaultRepeatWindowSeconds(horizonSeconds: number | undefined): number {
	return horizonSeconds !== undefined && Number.isFinite(horizonSeconds) && horizonSeconds > 0 ? horizonSeconds : DEFAULT_REPEAT_WINDOW_SECONDS;
}

/**
 * The notice when a chosen window (SECONDS) is shorter than how long the sender keeps retrying; undefined otherwise.
 * Without a published horizon, DEFAULT_REPEAT_WINDOW_SECONDS stands in for it (and the text says so).
 */
export function shortWindowNotice(windowSeconds: number, provider: { displayName: string; horizonSeconds?: number; horizon?: string }): string | undefined {
	const published = provider.horizonSeconds !== undefined && provider.horizonSeconds > 0;
	const horizon = defaultRepeatWindowSeconds(provider.horizonSeconds);
	if (windowSeconds >= horizon) return undefined;
	const said = published
		? `${provider.displayName} retries for up to ${provider.horizon ?? formatSeconds(horizon)}`
		: `${provider.displayName} publishes no retry horizon; the default assumes ${formatSeconds(horizon)}`;
	return `Drop Repeated Deliveries: the window (${formatSeconds(windowSeconds)}) is shorter than the sender's retries (${said}). A retry that arrives after the window runs the workflow again.`;
}

/** "3 days", "4 hours", "90 minutes", "45 seconds": the largest whole unit. */
export function formatSeconds(seconds: number): string {
	for (const [unit, size] of [['day', 86_400], ['hour', 3600], ['minute', 60]] as const) {
		if (seconds >= size && seconds % size === 0) return `${seconds / size} ${unit}${seconds / size === 1 ? '' : 's'}`;
	}
	return `${seconds} second${seconds === 1 ? '' : 's'}`;
}
