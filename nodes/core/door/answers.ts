/**
 * The trigger's answers "at the door" that start no execution and are not about the signature: a repeat, a repeat
 * whose first delivery is still in progress, a dedupe store that cannot be reached, and a condition that does not
 * hold. Same shape as core/http's rejections (`{ error, message }` + headers), fixed messages only.
 */
import { buildRejection, type RejectionCode, type RejectionResponse } from '../http';

/** The answers at the door; their statuses and messages live with every other answer in REJECTION_STATUS. */
export type DoorAnswerCode = Extract<RejectionCode, 'duplicate_delivery' | 'delivery_in_progress' | 'repeat_store_unavailable' | 'condition_not_met'>;

/** Retry-After (SECONDS) sent while the repeat store is unreachable (fail closed). */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 30;

/** The response for a door answer; `retryAfterSeconds` (SECONDS, rounded up, at least 1) only for the 503s. */
export function doorAnswer(code: DoorAnswerCode, retryAfterSeconds?: number): RejectionResponse {
	return buildRejection(code, { retryAfterSeconds: retryAfterSeconds ?? STORE_UNAVAILABLE_RETRY_AFTER_SECONDS });
}
