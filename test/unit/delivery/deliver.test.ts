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

	it('honours Retry-After (seconds, then date) bounded by the maximum delay', async () => {
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
		expect(sim.sleeps).toEqual([2_000, 3_000, 10_000]);
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
