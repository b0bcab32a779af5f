/**
 * Rejection responses of the Signed Webhook Trigger: a status, a small JSON body `{ error, message }` and, where
 * HTTP asks for it, a header. Messages are fixed per code: nothing derived from a secret or a computed signature.
 */
import type { ReasonCode } from '../signatures/types';

/**
 * THE table of rejection statuses: every HTTP status a rejection gets is read from here (the trigger's answers,
 * verify's httpStatusFor, Meta's verify-token refusal). Every signature reason (ReasonCode) is a 401. A wrong Meta
 * `hub.verify_token` is refused as `invalid_signature` (401): like a wrong signature, the caller failed to prove it
 * is the sender (Meta documents no status for this refusal and only needs the challenge back on success).
 */
export const REJECTION_STATUS = {
	missing_signature: 401,
	malformed_signature: 401,
	invalid_signature: 401,
	missing_timestamp: 401,
	timestamp_out_of_tolerance: 401,
	ip_not_allowed: 403,
	method_not_allowed: 405,
	body_too_large: 413,
	unsupported_body: 415,
	rate_limited: 429,
	misconfigured: 500,
	/**
	 * A verified delivery from a sender that retries, while the circuit of the destination this trigger feeds is open:
	 * 503 with Retry-After, so the sender holds it (backpressure; see core/circuit/backpressure.ts). No execution.
	 */
	destination_unavailable: 503,
	/**
	 * A correctly signed delivery of an event type the trigger does not want. It is acknowledged with 200 rather than a
	 * 4xx on purpose: the sender proved who it is, and senders retry (Stripe for days) or disable endpoints (Slack,
	 * Shopify, Zoom) on 4xx. The body still carries the code, and no execution is created.
	 */
	event_not_allowed: 200,
	/**
	 * Answers at the door (Drop Repeated Deliveries, Conditions; see core/door), after verification, no execution:
	 * - `duplicate_delivery` 200: a verified repeat of a key already taken; acknowledged like `event_not_allowed`;
	 * - `delivery_in_progress` 503 + Retry-After: the first delivery's claim is not confirmed yet, so the sender comes
	 *   back (if that run fails, its retry must not be lost);
	 * - `repeat_store_unavailable` 503 + Retry-After: fail closed, the sender retries later;
	 * - `condition_not_met` 200: acknowledged and ignored, like `event_not_allowed`.
	 */
	duplicate_delivery: 200,
	delivery_in_progress: 503,
	repeat_store_unavailable: 503,
	condition_not_met: 200,
} as const satisfies Record<ReasonCode, number> & Record<string, number>;

export type RejectionCode = keyof typeof REJECTION_STATUS;

const DEFAULT_MESSAGES: Record<RejectionCode, string> = {
	missing_signature: 'The request carries no signature.',
	malformed_signature: 'The signature is not in the expected format.',
	invalid_signature: 'The signature does not match the request.',
	missing_timestamp: 'The request carries no signature timestamp.',
	timestamp_out_of_tolerance: 'The signature timestamp is outside the accepted window.',
	ip_not_allowed: 'The client address is not allowed to call this webhook.',
	method_not_allowed: 'This webhook does not accept this HTTP method.',
	body_too_large: 'The request body is larger than this webhook accepts.',
	unsupported_body: 'The request body cannot be verified.',
	rate_limited: 'Too many requests from this client; retry later.',
	misconfigured: 'The webhook is not configured correctly.',
	destination_unavailable: 'The destination of this webhook is unavailable; retry later.',
	event_not_allowed: 'This event type is not accepted here; the delivery was acknowledged and ignored.',
	duplicate_delivery: 'This delivery was already received; it was acknowledged and ignored.',
	delivery_in_progress: 'This delivery is being processed; retry later.',
	repeat_store_unavailable: 'Deliveries cannot be checked for repeats right now; retry later.',
	condition_not_met: 'This delivery does not meet the conditions of this webhook; it was acknowledged and ignored.',
};

export interface RejectionResponse {
	status: number;
	body: { error: string; message: string };
	headers: Record<string, string>;
}

export function isRejectionCode(code: string): code is RejectionCode {
	return Object.prototype.hasOwnProperty.call(REJECTION_STATUS, code);
}

/** Status for a code; any unknown verification reason is a 401. */
export function rejectionStatus(code: string): number {
	return isRejectionCode(code) ? REJECTION_STATUS[code] : 401;
}

export interface RejectionExtras {
	/** Replaces the default message; pass only fixed text (never anything derived from secrets). */
	message?: string;
	/** For the 429 and 503 answers: seconds until a retry can succeed (Retry-After, rounded up, at least 1). */
	retryAfterSeconds?: number;
	/** For `method_not_allowed`: the accepted methods. */
	allow?: readonly string[];
}

export function buildRejection(code: string, extras: RejectionExtras = {}): RejectionResponse {
	const headers: Record<string, string> = {};
	const status = rejectionStatus(code);
	if (status === 429 || status === 503) headers['Retry-After'] = String(Math.max(1, Math.ceil(extras.retryAfterSeconds ?? 1)));
	if (code === 'method_not_allowed' && extras.allow?.length) headers.Allow = extras.allow.join(', ');
	const message = extras.message ?? (isRejectionCode(code) ? DEFAULT_MESSAGES[code] : DEFAULT_MESSAGES.invalid_signature);
	return { status, body: { error: code, message }, headers };
}
