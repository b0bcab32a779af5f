/**
 * Attempt state carried by an item between runs, so a long wait can happen in n8n's Wait node instead of
 * in memory. Plain JSON (ISO dates) so it reads well in the editor and survives n8n's storage.
 */

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

export interface DeliveryState {
	version: 1;
	idempotencyKey: string;
	attempts: number;
	firstAttemptAt: string;
	lastAttemptAt: string;
	nextAttemptAt: string;
	log: AttemptLogEntry[];
}

export class DeliveryStateError extends Error {}

/** Returns a copy fit to store in an item. */
export function encodeDeliveryState(state: DeliveryState): DeliveryState {
	return JSON.parse(JSON.stringify(state)) as DeliveryState;
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
		if (typeof state[field] !== 'string' || Number.isNaN(Date.parse(state[field] as string))) {
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

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		throw new DeliveryStateError('Delivery state is not valid JSON');
	}
}
