import { admit, newCircuitRecord, publicState, recordResult, type CircuitRecord } from './breaker';
import { reserveSlot } from './rate';
import type { CircuitReader, CircuitView, DestinationStateStore } from './types';

/**
 * In-process store: every call runs synchronously between awaits, so it is atomic for all executions of one
 * Node.js process. At most `maxKeys` destinations are remembered (the least recently used is dropped beyond it).
 */
export class MemoryDestinationStore implements DestinationStateStore, CircuitReader {
	private readonly circuits = new Map<string, CircuitRecord>();
	private readonly slots = new Map<string, number>();

	constructor(readonly maxKeys = 10_000) {}

	private circuit(key: string): CircuitRecord {
		let record = this.circuits.get(key);
		if (record) this.circuits.delete(key);
		else record = newCircuitRecord();
		this.circuits.set(key, record);
		trim(this.circuits, this.maxKeys);
		return record;
	}

	async admit(key: string, settings: Parameters<DestinationStateStore['admit']>[1], now: number) {
		return admit(this.circuit(key), settings, now);
	}

	async record(...[key, settings, result, probe, holdOnGone, now]: Parameters<DestinationStateStore['record']>) {
		return recordResult(this.circuit(key), settings, result, probe, holdOnGone, now);
	}

	async reserve(key: string, intervalMs: number, now: number, maxWaitMs?: number) {
		const reservation = reserveSlot(this.slots.get(key), now, intervalMs, maxWaitMs);
		if (reservation.reserved) {
			this.slots.delete(key);
			this.slots.set(key, reservation.nextFreeAt);
			trim(this.slots, this.maxKeys);
		}
		return reservation;
	}

	async reset(key: string): Promise<void> {
		this.circuits.delete(key);
	}

	async peek(key: string) {
		const record = this.circuits.get(key);
		return record ? publicState(record) : 'closed';
	}

	async inspect(key: string): Promise<CircuitView> {
		const record = this.circuits.get(key);
		if (!record) return { state: 'closed' };
		const state = publicState(record);
		return state === 'open' ? { state, retryAt: record.until } : { state };
	}
}

function trim(map: Map<string, unknown>, max: number): void {
	for (const key of map.keys()) {
		if (map.size <= max) break;
		map.delete(key);
	}
}

/** The built-in store of this n8n process, shared by every workflow and execution. */
export const builtInDestinationStore = new MemoryDestinationStore();
