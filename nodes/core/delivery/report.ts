/** The `delivery` field an output item carries: what happened, in plain JSON. */
import type { DeliveryResult } from './deliver';

/** How much of the last response to include: none, its body, or its body and headers. */
export type IncludeResponse = 'none' | 'body' | 'bodyAndHeaders';

/**
 * `{ outcome, attempts, status, durationMs, idempotencyKey, log, reason?, error?, nextAttemptAt?, state?, circuit?,
 * rateLimitWaitedMs?, response? }`; `circuit` is `{ key, state }` (closed, open, half-open or held-open).
 * Durations in milliseconds, dates ISO 8601. Never holds request headers, so no signature or secret.
 */
export function deliveryReport(result: DeliveryResult, includeResponse: IncludeResponse): Record<string, unknown> {
	const field: Record<string, unknown> = {
		outcome: result.outcome,
		attempts: result.attempts,
		status: result.status,
		durationMs: result.durationMs,
		idempotencyKey: result.idempotencyKey,
		log: result.log,
	};
	if (result.reason) field.reason = result.reason;
	if (result.error) field.error = result.error;
	if (result.state) {
		field.nextAttemptAt = result.state.nextAttemptAt;
		field.state = result.state;
	}
	if (result.circuit) field.circuit = { ...result.circuit };
	if (result.rateLimitWaitedMs !== undefined) field.rateLimitWaitedMs = result.rateLimitWaitedMs;
	if (includeResponse !== 'none' && result.response) {
		field.response = {
			statusCode: result.response.statusCode,
			body: result.response.body,
			...(includeResponse === 'bodyAndHeaders' ? { headers: result.response.headers } : {}),
		};
	}
	return field;
}
