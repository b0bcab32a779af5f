/** The delivery loop over a simulated clock: which attempts happen, which waits, what state comes back. */
import {
	classifySendError,
	deliverWithRetries,
	exponentialPolicy,
	svixPolicy,
	type DeliverOptions,
	type DeliveryResponse,
} from '../../../nodes/core/delivery';

type Scripted = number | { status: number; headers?: Record<string, string> } | Error;

function simulated(script: Scripted[], overrides: Partial<DeliverOptions> = {}) {
	let clock = Date.UTC(2026, 0, 15, 12, 0, 0);
	const sleeps: number[] = [];
	const timeouts: number[] = [];
	let calls = 0;
	const options: DeliverOptions = {
		request: { method: 'POST', url: 'https://example.test/hook', headers: { 'Idempotency-Key': 'k1' }, body: Buffer.from('{}') },
		policy: exponentialPolicy({ maxAttempts: 6, initialDelayMs: 100, multiplier: 2, maxDelayMs: 10_000, jitter: 'none' }),
		idempotencyKey: 'k1',
		attemptTimeoutMs: 1_000,
		now: () => clock,
		sleep: async (ms) => {
			sleeps.push(ms);
			clock += ms;
		},
		send: async (_request, context): Promise<DeliveryResponse> => {
			timeouts.push(context.timeoutMs);
			const step = script[Math.min(calls++, script.length - 1)];
			clock += 7;
			if (step instanceof Error) throw step;
			const { status, headers } = typeof step === 'number' ? { status: step, headers: {} } : step;
			return { statusCode: status, headers: headers ?? {} };
		},
		...overrides,
	};
	return { options, sleeps, timeouts, calls: () => calls, advance: (ms: number) => (clock += ms), now: () => clock };
}

const networkError = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

describe('deliverWithRetries', () => {
	it('retries 503 and a reset connection, then delivers; the log records every attempt and wait', async () => {
		const sim = simulated([503, networkError(), 200]);
		const result = await deliverWithRetries(sim.options);
		expect(result).toMatchObject({ outcome: 'delivered', attempts: 3, status: 200, idempotencyKey: 'k1' });
		expect(sim.sleeps).toEqual([100, 200]);
		expect(result.log).toEqual([
			{ attempt: 1, status: 503, durationMs: 7, waitedMs: 0 },
			{ attempt: 2, error: 'ECONNRESET: socket hang up', durationMs: 7, waitedMs: 100 },
			{ attempt: 3, status: 200, durationMs: 7, waitedMs: 200 },
		]);
		expect(result.durationMs).toBe(7 + 100 + 7 + 200 + 7);
	});

	it('fails at once on a non-retryable status', async () => {
		const sim = simulated([422]);
		const result = await deliverWithRetries(sim.options);
		expect(result).toMatchObject({ outcome: 'failed', reason: 'non_retryable_status', attempts: 1, status: 422 });
		expect(sim.sleeps).toEqual([]);
	});

	it('gives up after the last attempt with the full log', async () => {
		const sim = simulated([500]);
		const result = await deliverWithRetries(sim.options);
		expect(result).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 6, status: 500 });
		expect(result.log.map((e) => e.waitedMs)).toEqual([0, 100, 200, 400, 800, 1600]);
	});

	it('honours Retry-After (seconds, then date), a wait beyond the maximum delay in full', async () => {
		const sim = simulated([]);
		const date = () => new Date(sim.now() + 3_000).toUTCString();
		const script: Scripted[] = [{ status: 429, headers: { 'retry-after': '2' } }, 0, { status: 429, headers: { 'retry-after': '600' } }, 204];
		let i = 0;
		sim.options.send = async () => {
			const step = script[i++];
			const response = step === 0 ? { statusCode: 503, headers: { 'Retry-After': date() } } : typeof step === 'number' ? { statusCode: step, headers: {} } : { statusCode: (step as { status: number }).status, headers: (step as { headers: Record<string, string> }).headers };
			return response;
		};
		const result = await deliverWithRetries(sim.options);
		expect(result.outcome).toBe('delivered');
		// Max Delay is 10 s; the receiver asked for 600 s and gets exactly that (issue 10, kind 7).
		expect(sim.sleeps).toEqual([2_000, 3_000, 600_000]);
	});

	it('stops with deadline_exceeded when the next wait would pass the overall deadline', async () => {
		const sim = simulated([503], { deadlineMs: 250 });
		const result = await deliverWithRetries(sim.options);
		expect(result).toMatchObject({ outcome: 'failed', reason: 'deadline_exceeded' });
		expect(sim.sleeps).toEqual([100]);
		expect(result.attempts).toBe(2);
	});

	it('shortens the per-attempt timeout to what is left of the deadline', async () => {
		const sim = simulated([503, 200], { deadlineMs: 600, attemptTimeoutMs: 1_000 });
		await deliverWithRetries(sim.options);
		expect(sim.timeouts).toEqual([600, 600 - 7 - 100]);
	});

	it('hands a long wait over as resumable state, and a resumed run continues the count, log and key', async () => {
		const first = simulated([503], { policy: svixPolicy(), scheduleAfterMs: 60_000 });
		const handedOver = await deliverWithRetries(first.options);
		expect(handedOver).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 2 });
		expect(first.sleeps).toEqual([5_000]);
		const state = handedOver.state!;
		expect(Date.parse(state.nextAttemptAt) - Date.parse(state.lastAttemptAt)).toBe(300_000);

		// Five minutes later a Wait node hands the item back.
		const second = simulated([503, 200], { policy: svixPolicy(), scheduleAfterMs: 60_000, prior: JSON.parse(JSON.stringify(state)) });
		second.advance(Date.parse(state.nextAttemptAt) - second.now());
		const result = await deliverWithRetries(second.options);
		// 503 on attempt 3 → next wait is 30 min → handed over again, attempt 4 not yet made.
		expect(result).toMatchObject({ outcome: 'scheduled', attempts: 3, idempotencyKey: 'k1' });
		expect(result.log.map((e) => e.attempt)).toEqual([1, 2, 3]);
		expect(result.log[2].waitedMs).toBe(300_000);
	});

	it('a resumed run that wakes early waits the rest, or hands back again when the rest is long', async () => {
		const base = simulated([503], { policy: svixPolicy(), scheduleAfterMs: 60_000 });
		const state = (await deliverWithRetries(base.options)).state!;

		const early = simulated([200], { policy: svixPolicy(), scheduleAfterMs: 60_000, prior: state });
		early.advance(Date.parse(state.nextAttemptAt) - early.now() - 20_000);
		const delivered = await deliverWithRetries(early.options);
		expect(delivered).toMatchObject({ outcome: 'delivered', attempts: 3 });
		expect(early.sleeps).toEqual([20_000]);

		const tooEarly = simulated([200], { policy: svixPolicy(), scheduleAfterMs: 60_000, prior: state });
		const again = await deliverWithRetries(tooEarly.options);
		expect(again).toMatchObject({ outcome: 'scheduled', attempts: 2 });
		expect(tooEarly.calls()).toBe(0);
		expect(again.state!.nextAttemptAt).toBe(state.nextAttemptAt);
	});

	it('a setup error (no transport code) fails at once with its message, not retried', async () => {
		const sim = simulated([new Error('Signed requests need a body that can be sent byte for byte')]);
		const result = await deliverWithRetries(sim.options);
		expect(result).toMatchObject({ outcome: 'failed', reason: 'send_error', attempts: 1, error: expect.stringMatching(/byte for byte/) });
		expect(sim.sleeps).toEqual([]);
	});

	it('a resumed state that already used every attempt fails without sending', async () => {
		const at = new Date(Date.UTC(2026, 0, 15, 11, 0, 0)).toISOString();
		const prior = { version: 1 as const, idempotencyKey: 'k1', attempts: 2, firstAttemptAt: at, lastAttemptAt: at, nextAttemptAt: at, log: [{ attempt: 1, status: 503, durationMs: 1, waitedMs: 0 }, { attempt: 2, status: 503, durationMs: 1, waitedMs: 5 }] };
		const resumed = simulated([200], { policy: svixPolicy({ maxAttempts: 2 }), prior });
		expect(await deliverWithRetries(resumed.options)).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 2, status: 503 });
		expect(resumed.calls()).toBe(0);
	});
});

describe('classifySendError', () => {
	it('recognises timeouts, also when n8n wraps the transport error', () => {
		expect(classifySendError(Object.assign(new Error('timeout of 300ms exceeded'), { code: 'ECONNABORTED' }))).toEqual({
			kind: 'timeout',
			message: 'ECONNABORTED: timeout of 300ms exceeded',
		});
		const wrapped = Object.assign(new Error('The connection timed out'), { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) });
		expect(classifySendError(wrapped).kind).toBe('timeout');
	});

	it('reports other failures as network errors with their code', () => {
		expect(classifySendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }))).toEqual({
			kind: 'network',
			message: 'connect ECONNREFUSED 127.0.0.1:1',
		});
	});

	it('calls an error without a transport code a setup error: retrying cannot fix it', () => {
		expect(classifySendError('weird')).toEqual({ kind: 'setup', message: 'request failed' });
		expect(classifySendError(new Error('Node does not have any credentials set'))).toEqual({ kind: 'setup', message: 'Node does not have any credentials set' });
	});
});

// Issue 10, kind 7: with Retry-After: 3600 the default policy (8 attempts, Max Delay 60 s) used to burn every attempt
// in about 7 minutes and dead-letter the item. Now no attempt starts before the receiver's time.
describe('a long Retry-After is handed over, never cut short', () => {
	const slowDown = { status: 429, headers: { 'retry-after': '3600' } };

	it('hands the 3600 s wait over as state; resumed runs keep the whole wait; only the attempt count ends it', async () => {
		const policy = exponentialPolicy();
		const first = simulated([slowDown], { policy, scheduleAfterMs: 120_000 });
		let result = await deliverWithRetries(first.options);
		expect(result).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 1 });
		expect(first.sleeps).toEqual([]);
		expect(Date.parse(result.state!.nextAttemptAt) - Date.parse(result.state!.lastAttemptAt)).toBe(3_600_000);

		const started = first.now();
		let clock = first.now();
		for (let run = 2; result.outcome === 'scheduled'; run++) {
			const state = JSON.parse(JSON.stringify(result.state));
			// A Wait node that wakes one minute early: the rest is handed back, not skipped.
			const early = simulated([slowDown], { policy, scheduleAfterMs: 30_000, prior: state });
			early.advance(Date.parse(state.nextAttemptAt) - 60_000 - early.now());
			expect(await deliverWithRetries(early.options)).toMatchObject({ outcome: 'scheduled', attempts: state.attempts });
			expect(early.calls()).toBe(0);

			const onTime = simulated([slowDown], { policy, scheduleAfterMs: 120_000, prior: state });
			onTime.advance(Date.parse(state.nextAttemptAt) - onTime.now());
			result = await deliverWithRetries(onTime.options);
			expect(onTime.calls()).toBe(1);
			expect(result.attempts).toBe(run);
			clock = onTime.now();
		}
		expect(result).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 8 });
		expect(result.log.slice(1).map((entry) => entry.waitedMs)).toEqual(Array(7).fill(3_600_000));
		expect(clock - started).toBeGreaterThanOrEqual(7 * 3_600_000);
	});

	it('waits in process when no hand-over limit is set, for as long as asked', async () => {
		const sim = simulated([slowDown, 200], { policy: exponentialPolicy({ maxDelayMs: 60_000 }) });
		expect(await deliverWithRetries(sim.options)).toMatchObject({ outcome: 'delivered', attempts: 2 });
		expect(sim.sleeps).toEqual([3_600_000]);
	});

	it('the overall deadline is the one thing that ends such a wait', async () => {
		const sim = simulated([slowDown], { scheduleAfterMs: 120_000, deadlineMs: 1_800_000 });
		expect(await deliverWithRetries(sim.options)).toMatchObject({ outcome: 'failed', reason: 'deadline_exceeded', attempts: 1 });
		expect(sim.sleeps).toEqual([]);
	});

	it('a wait beyond the last date JavaScript can hold is scheduled at that date, not a crash', async () => {
		const sim = simulated([{ status: 503, headers: { 'retry-after': '9'.repeat(20) } }], { scheduleAfterMs: 120_000 });
		const result = await deliverWithRetries(sim.options);
		expect(result).toMatchObject({ outcome: 'scheduled' });
		expect(result.state!.nextAttemptAt).toBe('+275760-09-13T00:00:00.000Z');
	});

	it('an impossible Retry-After date is ignored: the backoff applies', async () => {
		const sim = simulated([{ status: 429, headers: { 'retry-after': 'Sat, 31 Feb 2026 06:02:00 GMT' } }, 200]);
		expect(await deliverWithRetries(sim.options)).toMatchObject({ outcome: 'delivered', attempts: 2 });
		expect(sim.sleeps).toEqual([100]);
	});
});

describe('resuming from state given directly (programmatic API)', () => {
	it('refuses a stored date that does not exist instead of rolling it over, and sends nothing', async () => {
		const at = '2026-01-15T11:00:00.000Z';
		const prior = { version: 1 as const, idempotencyKey: 'k1', attempts: 1, firstAttemptAt: at, lastAttemptAt: at, nextAttemptAt: '2026-02-31T00:00:00.000Z', log: [{ attempt: 1, status: 503, durationMs: 1, waitedMs: 0 }] };
		const sim = simulated([200], { prior });
		await expect(deliverWithRetries(sim.options)).rejects.toMatchObject({ name: 'DeliveryStateError', message: expect.stringMatching(/nextAttemptAt/) });
		expect(sim.calls()).toBe(0);
	});
});
