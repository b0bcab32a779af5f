/**
 * The trigger's answers "at the door" that start no execution and are not about the signature: a repeat, a repeat
 * whose first delivery is still in progress, a dedupe store that cannot be reached, and a condition that does not
 * hold. Same shape as core/http's rejections (`{ error, message }` + headers), fixed messages only.
 */
import type { RejectionResponse } from '../http';

/**
 * Status per answer.
 * - `duplicate_delivery` 200: the sender proved who it is and the delivery was already taken; a 4xx would make
 *   senders retry (Stripe for days) or disable the endpoint (Slack, Shopify, Zoom), like `event_not_allowed`.
 * - `delivery_in_progress` 503 + Retry-After: the first delivery of this key holds a claim that is not confirmed yet;
 *   a retryable status so that the sender comes back (if that run fails, its retry must not be lost).
 * - `repeat_store_unavailable` 503 + Retry-After: fail closed, the sender retries later.
 * - `condition_not_met` 200: acknowledged and ignored, like `event_not_allowed`.
 */
export const DOOR_ANSWER_STATUS = {
	duplicate_delivery: 200,
	delivery_in_progress: 503,
	repeat_store_unavailable: 503,
	condition_not_met: 200,
} as const;

export type DoorAnswerCode = keyof typeof DOOR_ANSWER_STATUS;

const MESSAGES: Record<DoorAnswerCode, string> = {
	duplicate_delivery: 'This delivery was already received; it was acknowledged and ignored.',
	delivery_in_progress: 'This delivery is being processed; retry later.',
	repeat_store_unavailable: 'Deliveries cannot be checked for repeats right now; retry later.',
	condition_not_met: 'This delivery does not meet the conditions of this webhook; it was acknowledged and ignored.',
};

/** Retry-After (SECONDS) sent while the repeat store is unreachable (fail closed). */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** The response for a door answer; `retryAfterSeconds` (SECONDS, rounded up, at least 1) only for the 503s. */
export function doorAnswer(code: DoorAnswerCode, retryAfterSeconds?: number): RejectionResponse {
	const status = DOOR_ANSWER_STATUS[code];
	const headers: Record<string, string> = {};
	if (status === 503) headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds ?? STORE_UNAVAILABLE_RETRY_AFTER_SECONDS)));
	return { status, body: { error: code, message: MESSAGES[code] }, headers };
}
