/** Timestamp parsing (seconds, milliseconds, RFC 3339) and the tolerance window. */
import type { TimestampUnit, ToleranceDirection } from './types';

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

/**
 * Valid range for a time given as epoch milliseconds: 2001-09-09T01:46:40Z (1e12 ms) to 9999-12-31T23:59:59.999Z.
 * Every epoch-seconds value of this century (1.0e9 to 4.1e9) lies far below it, so a time in seconds passed where
 * milliseconds are expected (`1700000000`, a date in January 1970 when read as ms) is refused instead of used.
 */
export const MIN_EPOCH_MS = 1e12;
export const MAX_EPOCH_MS = 253402300799999;

/**
 * A Date or epoch milliseconds → epoch milliseconds; undefined → now. A Date is unambiguous and taken as it is (any
 * valid Date, 1970 included: published test vectors use such clocks). A number must lie in MIN_EPOCH_MS..MAX_EPOCH_MS.
 * Throws a TypeError naming `field` for an invalid Date, a non-finite number or a number out of range (the message
 * suggests seconds × 1000 when that would fit).
 */
export function toEpochMs(value: Date | number | undefined, field = 'time'): number {
	if (value === undefined) return Date.now();
	const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Number.NaN;
	if (!Number.isFinite(ms)) throw new TypeError(`${field} must be a Date or a number of epoch milliseconds.`);
	if (typeof value === 'number' && (ms < MIN_EPOCH_MS || ms > MAX_EPOCH_MS)) {
		const hint = typeof value === 'number' && value * 1000 >= MIN_EPOCH_MS && value * 1000 <= MAX_EPOCH_MS
			? ` ${value} looks like epoch seconds: pass ${value} * 1000 or a Date.`
			: '';
		throw new TypeError(`${field} must be epoch milliseconds between ${MIN_EPOCH_MS} (2001-09-09) and ${MAX_EPOCH_MS} (9999-12-31), or a Date.${hint}`);
	}
	return ms;
}

/**
 * The caller's tolerance, in seconds: undefined = the provider's default, Infinity = no age check, otherwise a finite
 * number > 0. Throws a TypeError for anything else. 0 is refused rather than guessed: Stripe's SDKs read it as
 * "no check" and a literal reading as "no delay allowed"; say Infinity or a positive window.
 */
export function checkToleranceSeconds(value: unknown): number | undefined {
	if (value === undefined) return undefined;
	if (value === Infinity) return Infinity;
	if (typeof value === 'number' && Number.isFinite(value) && value > 0) return value;
	throw new TypeError('toleranceSeconds must be a number of seconds greater than 0, or Infinity to turn the age check off (0 is ambiguous and refused).');
}
