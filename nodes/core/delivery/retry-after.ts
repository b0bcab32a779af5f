/**
 * Retry-After (RFC 9110 §10.2.3): the one place the package reads it. The value is delay-seconds or an HTTP-date
 * (read strictly by `parseHttpDate`: an impossible date is ignored, never rolled over).
 */
import { firstHeaderValue } from '../http/headers';
import { parseHttpDate } from './http-date';

/**
 * Returns the wait the receiver asked for in milliseconds: 0 for a date in the past, undefined when the value is
 * absent or neither form (the caller then falls back to its backoff). Delay-seconds are whole digits; a decimal
 * fraction is tolerated and rounded up, so the wait is never shorter than asked. Repeated headers: the first counts.
 *
 * @param value the header value(s) as a Node or fetch client hands them over.
 * @param nowMs epoch ms the date form is measured from.
 */
export function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
	const raw = Array.isArray(value) ? value[0] : value;
	if (typeof raw !== 'string') return undefined;
	const text = raw.trim();
	if (/^\d+(\.\d+)?$/.test(text)) {
		const seconds = Number(text);
		return Number.isFinite(seconds) ? Math.ceil(Math.min(seconds * 1000, Number.MAX_SAFE_INTEGER)) : undefined;
	}
	const dateMs = parseHttpDate(text, nowMs);
	return dateMs === undefined ? undefined : Math.max(0, dateMs - nowMs);
}

/** `parseRetryAfter` over a response's headers (any name case; string, string[] or number values). */
export function retryAfterFromHeaders(headers: Record<string, unknown> | undefined, nowMs: number): number | undefined {
	return parseRetryAfter(firstHeaderValue(headers, 'retry-after'), nowMs);
}
