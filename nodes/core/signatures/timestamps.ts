/** Timestamp parsing (seconds, milliseconds, RFC 3339) and the tolerance window. */
import type { TimestampUnit } from './types';

const SECONDS = /^\d{1,11}$/;
const MILLISECONDS = /^\d{1,14}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/** Epoch milliseconds, or undefined when the text is not a timestamp in that unit. */
export function parseTimestamp(text: string, unit: TimestampUnit): number | undefined {
	const value = text.trim();
	if (unit === 's') return SECONDS.test(value) ? Number(value) * 1000 : undefined;
	if (unit === 'ms') return MILLISECONDS.test(value) ? Number(value) : undefined;
	if (!RFC3339.test(value)) return undefined;
	// Date.parse keeps milliseconds; extra fractional digits (Twitch sends nanoseconds) are cut first.
	const ms = Date.parse(value.replace(/(\.\d{3})\d+/, '$1'));
	return Number.isFinite(ms) ? ms : undefined;
}

export function formatTimestamp(epochMs: number, unit: TimestampUnit): string {
	if (unit === 's') return String(Math.floor(epochMs / 1000));
	if (unit === 'ms') return String(Math.floor(epochMs));
	return new Date(epochMs).toISOString();
}

export type ToleranceDirection = 'past-only' | 'both';

/** true when `timestampMs` lies inside the window; past-only windows accept any future time (as stripe-node does). */
export function withinTolerance(
	timestampMs: number,
	nowMs: number,
	toleranceSeconds: number,
	direction: ToleranceDirection,
): boolean {
	if (toleranceSeconds === Infinity) return true;
	const ageMs = nowMs - timestampMs;
	if (ageMs > toleranceSeconds * 1000) return false;
	return direction === 'past-only' || -ageMs <= toleranceSeconds * 1000;
}

export function toEpochMs(value: Date | number | undefined): number {
	if (value === undefined) return Date.now();
	return typeof value === 'number' ? value : value.getTime();
}
