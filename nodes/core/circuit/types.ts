import type { CircuitAdmission, CircuitResult, CircuitSettings, CircuitStateName, CircuitTransition } from './breaker';
import type { SlotReservation } from './rate';

/**
 * Where circuit and rate-limit state lives: one n8n process (memory) or shared (Redis). Every call is atomic for
 * its key. `now` is epoch ms (the caller's clock; several hosts sharing Redis need synchronised clocks).
 */
export interface DestinationStateStore {
	admit(key: string, settings: CircuitSettings, now: number): Promise<CircuitAdmission>;
	record(
		key: string,
		settings: CircuitSettings,
		result: CircuitResult,
		probe: boolean,
		holdOnGone: boolean,
		now: number,
	): Promise<{ state: CircuitStateName; transition?: CircuitTransition }>;
	/** Takes the next send slot for `key` unless the wait would exceed `maxWaitMs` (undefined: any wait). */
	reserve(key: string, intervalMs: number, now: number, maxWaitMs?: number): Promise<SlotReservation>;
	/** Forgets the circuit of `key` (closes it, a held one too). */
	reset(key: string): Promise<void>;
	/** The circuit's state now (without changing it). */
	peek(key: string): Promise<CircuitStateName>;
}

/** Read-only access to circuits, for backpressure at the door (both built-in stores implement it). */
export interface CircuitReader {
	/**
	 * The circuit's state and, while open, when it half-opens (`retryAt`, epoch ms), read without changing anything:
	 * an open circuit whose time is up stays `open` here (only the next admission half-opens it).
	 */
	inspect(key: string): Promise<CircuitView>;
}

/** A read-only look at one circuit (DestinationStateStore.inspect). `retryAt`: epoch ms, only for `open`. */
export interface CircuitView {
	state: CircuitStateName;
	retryAt?: number;
}
