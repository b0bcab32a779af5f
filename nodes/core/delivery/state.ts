/**
 * Attempt state carried by an item between runs, so a long wait can happen in n8n's Wait node instead of
 * in memory. Plain JSON (ISO dates) so it reads well in the editor and survives n8n's storage.
 */

import { parseJsonExact } from '../json';

export interface AttemptLogEntry {
	attempt: number;
	/** HTTP status, when a response came back. */
	status?: number;
	/** Short transport error text (never a header or body), when none did. */
	error?: string;
	durationMs: number;
	/** Time spent waiting before this attempt (0 for the first). */
	waitedMs: number;
}

/** What a delivery needs to resume: dates are ISO 8601 UTC as `Date.prototype.toISOString()` writes them. */
export interface DeliveryState {
	version: 1;
	idempotencyKey: string;
	attempts: number;
	firstAttemptAt: string;
	lastAttemptAt: string;
	nextAttemptAt: string;
	log: AttemptLogEntry[];
}

/** State read back from an item that cannot be resumed; the message names the field, never its value. */
export class DeliveryStateError extends Error {
	override name = 'DeliveryStateError';
}

/** Returns a copy fit to store in an item (plain JSON values, no shared references). */
export function encodeDeliveryState(state: DeliveryState): DeliveryState {
	return { ...state, log: state.log.map((entry) => ({ ...entry })) };
}

/** Validates state read back from an item (object or JSON text); throws DeliveryStateError with the reason. */
export function decodeDeliveryState(input: unknown): DeliveryState {
	const value = typeof input === 'string' ? parseJson(input) : input;
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new DeliveryStateError('Delivery state must be an object');
	}
	const state = value as Record<string, unknown>;
	if (state.version !== 1) throw new DeliveryStateError(`Unknown delivery state version ${String(state.version)}`);
	if (typeof state.idempotencyKey !== 'string' || state.idempotencyKey === '') {
		throw new DeliveryStateError('Delivery state has no idempotency key');
	}
	if (!Number.isInteger(state.attempts) || (state.attempts as number) < 0) {
		throw new DeliveryStateError('Delivery state has an invalid attempt count');
	}
	for (const field of ['firstAttemptAt', 'lastAttemptAt', 'nextAttemptAt'] as const) {
		if (typeof state[field] !== 'string' || parseUtcTimestamp(state[field] as string) === undefined) {
			throw new DeliveryStateError(`Delivery state field ${field} is not a date`);
		}
	}
	if (!Array.isArray(state.log)) throw new DeliveryStateError('Delivery state has no attempt log');
	const log = state.log.map((entry, index) => checkLogEntry(entry, index));
	return {
		version: 1,
		idempotencyKey: state.idempotencyKey,
		attempts: state.attempts as number,
		firstAttemptAt: state.firstAttemptAt as string,
		lastAttemptAt: state.lastAttemptAt as string,
		nextAttemptAt: state.nextAttemptAt as string,
		log,
	};
}

function checkLogEntry(entry: unknown, index: number): AttemptLogEntry {
	const record = entry as Record<string, unknown> | null;
	if (
		!record ||
		typeof record !== 'object' ||
		!Number.isInteger(record.attempt) ||
		typeof record.durationMs !== 'number' ||
		typeof record.waitedMs !== 'number'
	) {
		throw new DeliveryStateError(`Delivery state log entry ${index} is malformed`);
	}
	const result: AttemptLogEntry = {
		attempt: record.attempt as number,
		durationMs: record.durationMs,
		waitedMs: record.waitedMs,
	};
	if (typeof record.status === 'number') result.status = record.status;
	if (typeof record.error === 'string') result.error = record.error;
	return result;
}

/**
 * Epoch ms of an ISO 8601 UTC timestamp (`2026-01-15T12:00:00.000Z`, milliseconds optional), or undefined when the
 * text has another shape or names a moment that does not exist.
 * Strict where `Date.parse` is lenient: it would take `2026-02-31` as 3 March and `"1"` as the year 2001.
 */
export function parseUtcTimestamp(text: string): number | undefined {
	// Years beyond 9999 use ISO 8601's expanded form (`+275760-09-13T00:00:00.000Z`), as toISOString writes them.
	const match = /^(\d{4}|[+-]\d{6})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?Z$/.exec(text);
	if (!match) return undefined;
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hour, minute, second, Number((match[7] ?? '0').padEnd(3, '0')));
	const roundTrips =
		date.getUTCFullYear() === year &&
		date.getUTCMonth() === month - 1 &&
		date.getUTCDate() === day &&
		date.getUTCHours() === hour &&
		date.getUTCMinutes() === minute &&
		date.getUTCSeconds() === second;
	return roundTrips ? date.getTime() : undefined;
}

// Stored state is received JSON too: parse it exactly, like every other JSON the package reads.
function parseJson(text: string): unknown {
	try {
		return parseJsonExact(text);
	} catch {
		throw new DeliveryStateError('Delivery state is not valid JSON');
	}
}
