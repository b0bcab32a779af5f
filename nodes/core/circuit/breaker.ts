/**
 * Circuit breaker per destination, as a pure state machine over a plain record: the memory store applies it
 * directly, the Redis store runs the same rules in one Lua script (see redis-store.ts); the shared scenario
 * tests run both. Times are epoch milliseconds passed in, so tests drive it with their own clock.
 *
 * closed --(N consecutive failures, or failure rate >= R % over the rolling window with >= M requests)--> open
 * open --(open duration elapsed: the next admission)--> half-open (admits `probes` requests per cycle)
 * half-open --(a probe fails)--> open;  --(`probes` probes succeed)--> closed
 * any --(410 Gone with "hold open on 410")--> open, held until reset
 */

/** Defaults, from Convoy's documented circuit breaker (getconvoy.io/docs/product-manual/circuit-breaker): a 70 %
 * failure rate over at least 10 requests in a 5-minute observation window, sampled every 30 s. See the README. */
export const DEFAULT_CIRCUIT_SETTINGS: CircuitSettings = {
	consecutiveFailures: 10,
	failureRatePercent: 70,
	minimumRequests: 10,
	windowMs: 300_000,
	openMs: 30_000,
	probes: 3,
};

/** The rolling window is kept in this many buckets (a request leaves the window one bucket at a time). */
export const WINDOW_BUCKETS = 10;

export interface CircuitSettings {
	/** Opens after this many failures in a row (>= 1). */
	consecutiveFailures: number;
	/** Opens when failures / requests in the window reach this percentage (1..100)... */
	failureRatePercent: number;
	/** ...and the window holds at least this many requests (>= 1). */
	minimumRequests: number;
	/** Rolling window length, milliseconds (>= 1000). */
	windowMs: number;
	/** How long the circuit stays open before half-opening, milliseconds (>= 1). */
	openMs: number;
	/** Probes admitted per half-open cycle; this many successes close the circuit (>= 1). */
	probes: number;
}

export type CircuitStateName = 'closed' | 'open' | 'half-open' | 'held-open';

/** What an attempt meant for the destination's health (`circuitResultOf`). */
export type CircuitResult = 'ok' | 'fail' | 'neutral' | 'gone';

export interface CircuitRecord {
	state: 'closed' | 'open' | 'half-open';
	/** Open: when it half-opens. Half-open: when an unfinished probe cycle may start again. Epoch ms. */
	until: number;
	/** Open because of a 410 with "hold open": only a reset closes it. */
	held: boolean;
	consecutive: number;
	/** Probes admitted in this half-open cycle, and how many of them succeeded. */
	probes: number;
	probeSuccesses: number;
	/** Rolling window: bucket index (floor(now / bucketMs)) -> [successes, failures]. */
	buckets: Array<[index: number, successes: number, failures: number]>;
}

export interface CircuitTransition {
	from: CircuitStateName;
	to: CircuitStateName;
}

/** Admission to send one attempt. Denied: `retryAt` is when to come back (absent while held open). */
export type CircuitAdmission =
	| { allowed: true; probe: boolean; state: 'closed' | 'half-open'; transition?: CircuitTransition }
	| { allowed: false; state: 'open' | 'half-open' | 'held-open'; retryAt?: number; transition?: CircuitTransition };

export const newCircuitRecord = (): CircuitRecord => ({
	state: 'closed',
	until: 0,
	held: false,
	consecutive: 0,
	probes: 0,
	probeSuccesses: 0,
	buckets: [],
});

export const publicState = (record: Pick<CircuitRecord, 'state' | 'held'>): CircuitStateName =>
	record.held ? 'held-open' : record.state;

/** Throws a RangeError naming the setting when one is out of range; returns the settings otherwise. */
export function validateCircuitSettings(settings: CircuitSettings): CircuitSettings {
	const whole = (name: keyof CircuitSettings, min: number, max = Number.MAX_SAFE_INTEGER) => {
		const value = settings[name];
		if (!Number.isInteger(value) || value < min || value > max) {
			throw new RangeError(`Circuit breaker setting ${name} must be a whole number from ${min} to ${max} (got ${value})`);
		}
	};
	whole('consecutiveFailures', 1);
	whole('failureRatePercent', 1, 100);
	whole('minimumRequests', 1);
	whole('windowMs', 1000);
	whole('openMs', 1);
	whole('probes', 1, 100);
	return settings;
}

/** Decides whether one attempt may go out; mutates `record` (the caller stores it). */
export function admit(record: CircuitRecord, settings: CircuitSettings, now: number): CircuitAdmission {
	const from = publicState(record);
	if (record.state === 'open') {
		if (record.held) return { allowed: false, state: 'held-open' };
		if (now < record.until) return { allowed: false, state: 'open', retryAt: record.until };
		record.state = 'half-open';
		record.until = now + settings.openMs;
		record.probes = 0;
		record.probeSuccesses = 0;
	}
	if (record.state === 'half-open') {
		const transition = from === 'open' ? { from, to: 'half-open' as const } : undefined;
		if (record.probes >= settings.probes) {
			// A cycle whose probes never reported back (a process died mid-request) starts again after openMs.
			if (now < record.until) return { allowed: false, state: 'half-open', retryAt: record.until };
			record.until = now + settings.openMs;
			record.probes = 0;
			record.probeSuccesses = 0;
		}
		record.probes++;
		return { allowed: true, probe: true, state: 'half-open', ...(transition ? { transition } : {}) };
	}
	return { allowed: true, probe: false, state: 'closed' };
}

/** Records what an admitted attempt found; mutates `record`. Returns the state after, and the transition if any. */
export function recordResult(
	record: CircuitRecord,
	settings: CircuitSettings,
	result: CircuitResult,
	probe: boolean,
	holdOnGone: boolean,
	now: number,
): { state: CircuitStateName; transition?: CircuitTransition } {
	const from = publicState(record);
	const done = (changed: boolean) => {
		const to = publicState(record);
		return changed && to !== from ? { state: to, transition: { from, to } } : { state: to };
	};
	const open = () => {
		record.state = 'open';
		record.until = now + settings.openMs;
		record.consecutive = 0;
		record.probes = 0;
		record.probeSuccesses = 0;
		record.buckets = [];
	};
	if (result === 'gone' && holdOnGone) {
		if (record.held) return done(false);
		open();
		record.held = true;
		return done(true);
	}
	if (record.state === 'half-open') {
		// Only this cycle's probes decide; answers to requests admitted before the circuit opened are ignored.
		if (!probe) return done(false);
		if (result === 'fail') {
			open();
			return done(true);
		}
		record.probeSuccesses++;
		if (record.probeSuccesses < settings.probes) return done(false);
		Object.assign(record, newCircuitRecord());
		return done(true);
	}
	if (record.state !== 'closed' || (result !== 'ok' && result !== 'fail')) return done(false);

	const bucketMs = Math.max(1, Math.floor(settings.windowMs / WINDOW_BUCKETS));
	const current = Math.floor(now / bucketMs);
	record.buckets = record.buckets.filter(([index]) => index > current - WINDOW_BUCKETS);
	let bucket = record.buckets.find(([index]) => index === current);
	if (!bucket) {
		bucket = [current, 0, 0];
		record.buckets.push(bucket);
	}
	if (result === 'ok') {
		bucket[1]++;
		record.consecutive = 0;
		return done(false);
	}
	bucket[2]++;
	record.consecutive++;
	let total = 0;
	let failures = 0;
	for (const [, successes, failed] of record.buckets) {
		total += successes + failed;
		failures += failed;
	}
	const rateTrips = total >= settings.minimumRequests && failures * 100 >= settings.failureRatePercent * total;
	if (record.consecutive >= settings.consecutiveFailures || rateTrips) {
		open();
		return done(true);
	}
	return done(false);
}
