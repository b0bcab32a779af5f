import { admit, newCircuitRecord, publicState, recordResult, type CircuitRecord } from './breaker';
import { LruMap } from '../lru-map';
import { reserveSlot } from './rate';
import type { CircuitReader, CircuitView, DestinationStateStore } from './types';

/**
 * In-process store: every call runs synchronously between awaits, so it is atomic for all executions of one
 * Node.js process. At most `maxKeys` destinations are remembered (the least recently used is dropped beyond it),
 * in each of its two LruMaps (circuits; next free send slots).
 */
export class MemoryDestinationStore implements DestinationStateStore, CircuitReader {
	private readonly circuits: LruMap<string, CircuitRecord>;
	private readonly slots: LruMap<string, number>;

	constructor(readonly maxKeys = 10_000) {
		this.circuits = new LruMap(maxKeys);
		this.slots = new LruMap(maxKeys);
	}

	private circuit(key: string): CircuitRecord {
		const record = this.circuits.peek(key) ?? newCircuitRecord();
		this.circuits.set(key, record);
		return record;
	}

	async admit(key: string, settings: Parameters<DestinationStateStore['admit']>[1], now: number) {
		return admit(this.circuit(key), settings, now);
	}

	async record(...[key, settings, result, probe, holdOnGone, now]: Parameters<DestinationStateStore['record']>) {
		return recordResult(this.circuit(key), settings, result, probe, holdOnGone, now);
	}

	async reserve(key: string, intervalMs: number, now: number, maxWaitMs?: number) {
		const reservation = reserveSlot(this.slots.peek(key), now, intervalMs, maxWaitMs);
		if (reservation.reserved) this.slots.set(key, reservation.nextFreeAt);
		return reservation;
	}

	async reset(key: string): Promise<void> {
		this.circuits.delete(key);
	}

	async peek(key: string) {
		const record = this.circuits.peek(key);
		return record ? publicState(record) : 'closed';
	}

	async inspect(key: string): Promise<CircuitView> {
		const record = this.circuits.peek(key);
		if (!record) return { state: 'closed' };
		const state = publicState(record);
		return state === 'open' ? { state, retryAt: record.until } : { state };
	}
}

/** The built-in store of this n8n process, shared by every workflow and execution. */
export const builtInDestinationStore = new MemoryDestinationStore();
