/** Circuit breaker state machine and rate slots over an injected clock; the guard inside the delivery loop. */
import {
	admit,
	MemoryDestinationStore,
	newCircuitRecord,
	rateIntervalMs,
	recordResult,
	reserveSlot,
	validateCircuitSettings,
	type CircuitRecord,
	type CircuitSettings,
	type CircuitTransition,
} from '../../../nodes/core/circuit';
import {
	circuitResultOf,
	createDestinationGuard,
	decideNextStep,
	deliverWithRetries,
	DEFAULT_RETRYABLE_STATUSES,
	exponentialPolicy,
	parseStatusCodeList,
	retryPolicyFromSettings,
	STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS,
	type DeliverOptions,
	type DeliveryResponse,
} from '../../../nodes/core/delivery';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const SETTINGS: CircuitSettings = { consecutiveFailures: 5, failureRatePercent: 50, minimumRequests: 10, windowMs: 10_000, openMs: 30_000, probes: 2 };

function driver(settings: CircuitSettings = SETTINGS) {
	const record: CircuitRecord = newCircuitRecord();
	let now = T0;
	const transitions: CircuitTransition[] = [];
	const send = (result: 'ok' | 'fail' | 'neutral' | 'gone', holdOnGone = false) => {
		const admission = admit(record, settings, now);
		if (admission.transition) transitions.push(admission.transition);
		if (!admission.allowed) return admission;
		const after = recordResult(record, settings, result, admission.probe, holdOnGone, now);
		if (after.transition) transitions.push(after.transition);
		return admission;
	};
	return { record, send, transitions, tick: (ms: number) => (now += ms), now: () => now };
}

describe('circuit breaker state machine', () => {
	it('opens after N consecutive failures, and not before; a success resets the run', () => {
		const d = driver();
		for (let i = 0; i < 4; i++) d.send('fail');
		d.send('ok');
		for (let i = 0; i < 4; i++) d.send('fail');
		expect(d.record.state).toBe('closed');
		d.send('fail');
		expect(d.record.state).toBe('open');
		expect(d.transitions).toEqual([{ from: 'closed', to: 'open' }]);
	});

	it('opens on the failure rate once the window holds the minimum requests, and not with fewer', () => {
		const d = driver({ ...SETTINGS, consecutiveFailures: 100 });
		// ok, fail alternating: 50 % failures; the 10th request reaches the minimum and trips it.
		for (let i = 0; i < 9; i++) d.send(i % 2 === 0 ? 'ok' : 'fail');
		expect(d.record.state).toBe('closed');
		d.send('fail');
		expect(d.record.state).toBe('open');
	});

	it('forgets requests that left the rolling window', () => {
		const d = driver({ ...SETTINGS, consecutiveFailures: 100 });
		for (let i = 0; i < 4; i++) d.send('fail');
		d.tick(11_000); // the 10 s window has moved on
		for (let i = 0; i < 5; i++) d.send('ok');
		for (let i = 0; i < 4; i++) d.send('fail');
		// 4 failures of 9 requests in the window now: under the minimum and under 50 %.
		expect(d.record.state).toBe('closed');
		d.send('fail'); // 5 of 10 = 50 %
		expect(d.record.state).toBe('open');
	});

	it('neutral answers (other 4xx) neither count as failures nor reset the run', () => {
		const d = driver();
		for (let i = 0; i < 4; i++) d.send('fail');
		for (let i = 0; i < 20; i++) d.send('neutral');
		expect(d.record.state).toBe('closed');
		d.send('fail');
		expect(d.record.state).toBe('open');
	});

	it('while open admits nothing and says when it half-opens; then admits exactly `probes` probes', () => {
		const d = driver();
		for (let i = 0; i < 5; i++) d.send('fail');
		const denied = admit(d.record, SETTINGS, d.now());
		expect(denied).toEqual({ allowed: false, state: 'open', retryAt: T0 + 30_000 });
		d.tick(29_999);
		expect(admit(d.record, SETTINGS, d.now()).allowed).toBe(false);
		d.tick(1);
		const first = admit(d.record, SETTINGS, d.now());
		expect(first).toEqual({ allowed: true, probe: true, state: 'half-open', transition: { from: 'open', to: 'half-open' } });
		expect(admit(d.record, SETTINGS, d.now())).toMatchObject({ allowed: true, probe: true, state: 'half-open' });
		expect(admit(d.record, SETTINGS, d.now())).toEqual({ allowed: false, state: 'half-open', retryAt: d.now() + 30_000 });
	});

	it('half-open: a failed probe opens it again, `probes` successes close it', () => {
		const d = driver();
		for (let i = 0; i < 5; i++) d.send('fail');
		d.tick(30_000);
		d.send('fail');
		expect(d.record.state).toBe('open');
		d.tick(30_000);
		d.send('ok');
		expect(d.record.state).toBe('half-open');
		d.send('ok');
		expect(d.record.state).toBe('closed');
		expect(d.transitions).toEqual([
			{ from: 'closed', to: 'open' },
			{ from: 'open', to: 'half-open' },
			{ from: 'half-open', to: 'open' },
			{ from: 'open', to: 'half-open' },
			{ from: 'half-open', to: 'closed' },
		]);
	});

	it('answers to requests admitted before it opened do not decide a half-open circuit', () => {
		const d = driver();
		for (let i = 0; i < 5; i++) d.send('fail');
		d.tick(30_000);
		admit(d.record, SETTINGS, d.now());
		expect(recordResult(d.record, SETTINGS, 'fail', false, false, d.now())).toEqual({ state: 'half-open' });
		expect(recordResult(d.record, SETTINGS, 'ok', false, false, d.now())).toEqual({ state: 'half-open' });
	});

	it('a probe cycle whose probes never report back starts again after the open duration', () => {
		const d = driver();
		for (let i = 0; i < 5; i++) d.send('fail');
		d.tick(30_000);
		admit(d.record, SETTINGS, d.now());
		admit(d.record, SETTINGS, d.now());
		expect(admit(d.record, SETTINGS, d.now()).allowed).toBe(false);
		d.tick(30_000);
		expect(admit(d.record, SETTINGS, d.now())).toMatchObject({ allowed: true, probe: true });
	});

	it('410 with hold: held open until reset, from any state; without hold it is neutral', () => {
		const d = driver();
		d.send('gone');
		expect(d.record.state).toBe('closed');
		d.send('gone', true);
		expect(d.transitions).toEqual([{ from: 'closed', to: 'held-open' }]);
		d.tick(10 * 365 * 24 * 3600_000);
		expect(admit(d.record, SETTINGS, d.now())).toEqual({ allowed: false, state: 'held-open' });
	});

	it('rejects settings out of range, naming the setting', () => {
		expect(() => validateCircuitSettings({ ...SETTINGS, failureRatePercent: 0 })).toThrow(/failureRatePercent/);
		expect(() => validateCircuitSettings({ ...SETTINGS, probes: 1.5 })).toThrow(/probes/);
		expect(() => validateCircuitSettings({ ...SETTINGS, windowMs: 10 })).toThrow(/windowMs/);
	});
});

describe('rate slots', () => {
	it('spaces requests evenly: the n-th of a burst waits (n-1) intervals', () => {
		const interval = rateIntervalMs(20, 'second');
		expect(interval).toBe(50);
		let next: number | undefined;
		const waits: number[] = [];
		for (let i = 0; i < 5; i++) {
			const slot = reserveSlot(next, T0, interval);
			if (!slot.reserved) throw new Error('not reserved');
			waits.push(slot.waitMs);
			next = slot.nextFreeAt;
		}
		expect(waits).toEqual([0, 50, 100, 150, 200]);
	});

	it('per minute; a quiet destination does not bank slots for a burst later', () => {
		expect(rateIntervalMs(6, 'minute')).toBe(10_000);
		const first = reserveSlot(undefined, T0, 10_000);
		const later = reserveSlot(first.reserved ? first.nextFreeAt : 0, T0 + 60_000, 10_000);
		expect(later).toEqual({ reserved: true, waitMs: 0, nextFreeAt: T0 + 70_000 });
	});

	it('a wait longer than the limit reserves nothing and says how long it would be', () => {
		expect(reserveSlot(T0 + 5_000, T0, 100, 4_999)).toEqual({ reserved: false, waitMs: 5_000 });
		expect(reserveSlot(T0 + 5_000, T0, 100, 5_000)).toEqual({ reserved: true, waitMs: 5_000, nextFreeAt: T0 + 5_100 });
	});

	it('rejects a limit of zero or less', () => {
		expect(() => rateIntervalMs(0, 'second')).toThrow(RangeError);
	});
});

describe('what an attempt means for the circuit', () => {
	const policy = { retryableStatuses: DEFAULT_RETRYABLE_STATUSES };
	it.each([
		[{ kind: 'response' as const, status: 204 }, 'ok'],
		[{ kind: 'response' as const, status: 503 }, 'fail'],
		[{ kind: 'response' as const, status: 429 }, 'fail'],
		[{ kind: 'response' as const, status: 408 }, 'fail'],
		[{ kind: 'error' as const, error: 'timeout' as const }, 'fail'],
		[{ kind: 'error' as const, error: 'network' as const }, 'fail'],
		[{ kind: 'response' as const, status: 404 }, 'neutral'],
		[{ kind: 'response' as const, status: 422 }, 'neutral'],
		[{ kind: 'response' as const, status: 410 }, 'gone'],
	])('%j -> %s', (outcome, expected) => {
		expect(circuitResultOf(outcome, policy)).toBe(expected);
	});
});

describe('410 and the Standard Webhooks schedule in the retry policy', () => {
	it('410 is never retried, even when the retryable list covers it', () => {
		const policy = exponentialPolicy({ retryableStatuses: parseStatusCodeList('4xx, 5xx') });
		expect(decideNextStep({ kind: 'response', status: 410 }, 1, policy, T0)).toEqual({ action: 'give-up', reason: 'non_retryable_status' });
		expect(decideNextStep({ kind: 'response', status: 409 }, 1, policy, T0)).toMatchObject({ action: 'retry' });
	});

	it('the spec\'s example schedule: 10 attempts, the last about 75 h 35 min after the first', () => {
		// spec/standard-webhooks.md, "Deliverability and reliability": time since start of the last attempt 75:35:05.
		const policy = retryPolicyFromSettings({ schedule: 'standardWebhooks', maxAttempts: 10, jitter: 'none' });
		const total = STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS.reduce((sum, ms) => sum + ms, 0);
		expect(total).toBe(((75 * 60 + 35) * 60 + 5) * 1000);
		const waits = Array.from({ length: 9 }, (_, i) => decideNextStep({ kind: 'response', status: 503 }, i + 1, policy, T0));
		expect(waits.map((step) => (step.action === 'retry' ? step.delayMs : -1))).toEqual([...STANDARD_WEBHOOKS_RETRY_SCHEDULE_MS]);
		expect(decideNextStep({ kind: 'response', status: 503 }, 10, policy, T0)).toEqual({ action: 'give-up', reason: 'attempts_exhausted' });
	});
});

describe('the guard in the delivery loop', () => {
	function loop(script: number[], extra: Partial<DeliverOptions> & { settings?: CircuitSettings; interval?: number } = {}) {
		let clock = T0;
		let calls = 0;
		const store = new MemoryDestinationStore();
		const transitions: string[] = [];
		const sleeps: number[] = [];
		const makeGuard = () =>
			createDestinationGuard({
				key: 'https://example.test',
				store,
				circuit: extra.settings ?? SETTINGS,
				rateIntervalMs: extra.interval,
				now: () => clock,
				onTransition: (_key, { from, to }) => transitions.push(`${from}->${to}`),
			});
		const options = (): DeliverOptions => ({
			request: { method: 'POST', url: 'https://example.test/hook', headers: {} },
			policy: exponentialPolicy({ maxAttempts: 8, initialDelayMs: 100, multiplier: 1, maxDelayMs: 100, jitter: 'none' }),
			idempotencyKey: 'k1',
			attemptTimeoutMs: 1_000,
			scheduleAfterMs: 120_000,
			now: () => clock,
			sleep: async (ms) => {
				sleeps.push(ms);
				clock += ms;
			},
			send: async (): Promise<DeliveryResponse> => {
				clock += 5;
				return { statusCode: script[Math.min(calls++, script.length - 1)], headers: {} };
			},
			guard: makeGuard(),
			...extra,
		});
		return { options, calls: () => calls, transitions, sleeps, store, tick: (ms: number) => (clock += ms), now: () => clock };
	}

	it('an item that trips the circuit is handed over at the half-open time with its attempts; the next item sends nothing', async () => {
		const sim = loop([503]);
		const first = await deliverWithRetries(sim.options());
		expect(sim.calls()).toBe(5);
		expect(first).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 5, circuit: { key: 'https://example.test', state: 'open' } });
		// The fifth failure opened it, at the end of the fifth attempt.
		expect(Date.parse(first.state!.nextAttemptAt)).toBe(Date.parse(first.state!.lastAttemptAt) + 30_000);
		const second = await deliverWithRetries({ ...sim.options(), idempotencyKey: 'k2' });
		expect(sim.calls()).toBe(5);
		expect(second).toMatchObject({ outcome: 'scheduled', attempts: 0, circuit: { state: 'open' } });
		expect(second.state).toMatchObject({ idempotencyKey: 'k2', attempts: 0, nextAttemptAt: first.state!.nextAttemptAt });
		expect(sim.transitions).toEqual(['closed->open']);
	});

	it('resumed after the half-open time, the item is a probe and keeps its key; success closes the circuit', async () => {
		const sim = loop([503, 503, 503, 503, 503, 200]);
		const first = await deliverWithRetries(sim.options());
		sim.tick(30_000);
		const resumed = await deliverWithRetries({ ...sim.options(), prior: first.state, policy: exponentialPolicy({ maxAttempts: 8, jitter: 'none' }) });
		expect(resumed).toMatchObject({ outcome: 'delivered', attempts: 6, idempotencyKey: 'k1', circuit: { state: 'half-open' } });
		expect(sim.transitions).toEqual(['closed->open', 'open->half-open']);
	});

	it('with "fail" while open, the item goes to Failed with reason circuit_open and no attempt', async () => {
		const sim = loop([503]);
		await deliverWithRetries(sim.options());
		const second = await deliverWithRetries({ ...sim.options(), onCircuitOpen: 'fail' });
		expect(second).toMatchObject({ outcome: 'failed', reason: 'circuit_open', attempts: 0, circuit: { state: 'open' } });
		expect(sim.calls()).toBe(5);
	});

	it('a 410 with hold keeps the circuit open until reset; held items fail with circuit_open', async () => {
		const sim = loop([410]);
		const guard = createDestinationGuard({ key: 'gone.test', store: sim.store, circuit: SETTINGS, holdOpenOnGone: true, now: sim.now });
		const first = await deliverWithRetries({ ...sim.options(), guard });
		expect(first).toMatchObject({ outcome: 'failed', reason: 'non_retryable_status', attempts: 1, circuit: { key: 'gone.test', state: 'held-open' } });
		sim.tick(24 * 3600_000);
		const second = await deliverWithRetries({ ...sim.options(), guard });
		expect(second).toMatchObject({ outcome: 'failed', reason: 'circuit_open', attempts: 0, circuit: { state: 'held-open' } });
		await sim.store.reset('gone.test');
		expect(await sim.store.peek('gone.test')).toBe('closed');
	});

	it('rate slots: waiting is not an attempt, and a wait past the hand-over limit is scheduled at the slot', async () => {
		const sim = loop([200], { interval: 1_000 });
		const results = [];
		for (let i = 0; i < 3; i++) results.push(deliverWithRetries({ ...sim.options(), idempotencyKey: `k${i}` }));
		const done = await Promise.all(results);
		expect(done.map((r) => [r.outcome, r.attempts, r.rateLimitWaitedMs])).toEqual([
			['delivered', 1, 0],
			['delivered', 1, 1_000],
			['delivered', 1, 2_000],
		]);
	});

	it('rate slots: a wait past the hand-over limit reserves nothing and is scheduled at the slot it would have had', async () => {
		const sim = loop([200], { interval: 1_000 });
		const burst = ['a', 'b', 'c'].map((key) => deliverWithRetries({ ...sim.options(), scheduleAfterMs: 1_500, idempotencyKey: key }));
		const [a, b, c] = await Promise.all(burst);
		expect([a.outcome, b.outcome]).toEqual(['delivered', 'delivered']);
		expect(c).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 0, rateLimitWaitedMs: 0 });
		expect(Date.parse(c.state!.nextAttemptAt)).toBe(T0 + 2_000);
		expect(sim.calls()).toBe(2);
	});

	it('with both: an item refused by an open circuit takes no rate slot, and a circuit that opens during a slot wait stops the item', async () => {
		const sim = loop([503], { interval: 1_000 });
		await deliverWithRetries(sim.options()); // trips the circuit, used 5 slots
		const slotsBefore = await sim.store.reserve('https://example.test', 1_000, sim.now(), 0);
		expect(slotsBefore.reserved).toBe(false);
		const refused = await deliverWithRetries({ ...sim.options(), idempotencyKey: 'k2' });
		expect(refused).toMatchObject({ outcome: 'scheduled', attempts: 0, rateLimitWaitedMs: 0 });
		// The refused item took no slot: the next free slot is where it was.
		expect(await sim.store.reserve('https://example.test', 1_000, sim.now(), slotsBefore.waitMs - 1)).toEqual({ reserved: false, waitMs: slotsBefore.waitMs });

		const other = loop([200], { interval: 1_000 });
		const [first, second] = [
			deliverWithRetries({ ...other.options(), idempotencyKey: 'a' }),
			deliverWithRetries({ ...other.options(), idempotencyKey: 'b' }),
		];
		// While 'b' waits for its slot, the circuit opens (another process saw the destination fail).
		for (let i = 0; i < SETTINGS.consecutiveFailures; i++) await other.store.record('https://example.test', SETTINGS, 'fail', false, false, other.now());
		expect((await first).outcome).toBe('delivered');
		expect(await second).toMatchObject({ outcome: 'scheduled', attempts: 0, rateLimitWaitedMs: 1_000, circuit: { state: 'open' } });
		expect(other.calls()).toBe(1);
	});

	it('a store that fails lets the attempt go out (fail open) and reports the error', async () => {
		const errors: string[] = [];
		const broken = {
			admit: async () => Promise.reject(new Error('Redis at 127.0.0.1:1 is unreachable')),
			record: async () => Promise.reject(new Error('Redis at 127.0.0.1:1 is unreachable')),
			reserve: async () => Promise.reject(new Error('Redis at 127.0.0.1:1 is unreachable')),
			reset: async () => undefined,
			peek: async () => 'closed' as const,
		};
		const sim = loop([200]);
		const guard = createDestinationGuard({
			key: 'k',
			store: broken,
			circuit: SETTINGS,
			rateIntervalMs: 10,
			onStoreError: (error) => errors.push((error as Error).message),
		});
		const result = await deliverWithRetries({ ...sim.options(), guard });
		expect(result).toMatchObject({ outcome: 'delivered', attempts: 1 });
		expect(errors).toHaveLength(3);
	});
});
