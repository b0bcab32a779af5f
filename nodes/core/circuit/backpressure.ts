/**
 * Backpressure at the door: whether the Signed Webhook Trigger should ask a sender to hold a verified delivery
 * because the destination it feeds has an open circuit. Pure: the trigger reads the circuit (a read-only
 * `inspect`, never counted as a failure) and passes what it found here.
 */
import type { CircuitView } from './types';

/**
 * Retry-After (SECONDS) while a circuit is held open by a 410 Gone: only a reset closes it, so there is no
 * half-open time to announce; five minutes keeps retrying senders holding without calling every second.
 */
export const HELD_OPEN_RETRY_AFTER_SECONDS = 300;

/** `hold`: answer 503 with `Retry-After: retryAfterSeconds` (whole seconds, >= 1) and start no execution. */
export type BackpressureDecision =
	| { hold: false }
	| { hold: true; retryAfterSeconds: number; state: 'open' | 'held-open' };

/**
 * Decides for one verified delivery. `senderRetries`: the provider redelivers on a 5xx (its scheme's `retries`
 * fact; unknown counts as false, so nothing is ever refused to a sender that would drop it). `now`: epoch ms.
 * Only an open circuit whose half-open time is still ahead, or one held open, holds: half-open lets the
 * delivery through (its items become the probes, or are scheduled by the Forward node).
 */
export function backpressureDecision(view: CircuitView, senderRetries: boolean, now: number): BackpressureDecision {
	if (!senderRetries) return { hold: false };
	if (view.state === 'held-open') return { hold: true, retryAfterSeconds: HELD_OPEN_RETRY_AFTER_SECONDS, state: 'held-open' };
	if (view.state !== 'open' || view.retryAt === undefined || view.retryAt <= now) return { hold: false };
	return { hold: true, retryAfterSeconds: Math.max(1, Math.ceil((view.retryAt - now) / 1000)), state: 'open' };
}

/**
 * The circuit key for a destination as the Reliable HTTP Forward computes it: an absolute http(s) URL becomes its
 * origin (`https://example.com:8443`), anything else is a Destination Name, trimmed. Throws a RangeError when empty.
 */
export function destinationKeyOf(destination: string): string {
	const text = destination.trim();
	if (text === '') throw new RangeError('Destination must be a Destination Name or a URL (it is empty).');
	if (/^https?:\/\//i.test(text)) {
		try {
			return new URL(text).origin;
		} catch {
			// not a URL after all: a name
		}
	}
	return text;
}
