/**
 * Circuit breaker and rate limit, through the node's execute() in n8n-core's real ExecuteContext, against real
 * receivers on 127.0.0.1 that fail on purpose and a real redis-server. Many executions run at once, as n8n runs
 * them; the Wait loop is played by feeding the Failed output's scheduled items back in.
 */
import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';
import Redis from 'ioredis';

import { RedisDestinationStore, type CircuitSettings } from '../../../nodes/core/circuit';
import { sharedRedisPool } from '../../../nodes/core/dedupe';
import { hang, refusedUrl, respond, startReceiver, type Receiver } from '../../harness/receiver';
import { startRedis, type RedisServer } from '../../harness/redis';
import { captureLogger, deliveryOf, FAST_RETRIES, runForward, type CapturedLogger } from './n8n-context';

jest.setTimeout(120_000);

let receiver: Receiver;
let redis: RedisServer;
beforeAll(async () => {
	receiver = await startReceiver();
	redis = await startRedis();
});
afterAll(async () => {
	await receiver.close();
	await sharedRedisPool.closeAll();
	await redis.stop();
});
beforeEach(() => {
	receiver.reset();
	receiver.fallback = respond(200, { body: '{"ok":true}' });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
const keyOf = (item: INodeExecutionData) => deliveryOf(item).idempotencyKey as string;
let run = 0;

/** Items whose idempotency key is their delivery id (the node's default key expression). */
const itemsFor = (execution: number, count: number): INodeExecutionData[] =>
	Array.from({ length: count }, (_, i) => ({ json: { n: i, verification: { deliveryId: `e${execution}-i${i}` } } }));

interface Outcome {
	delivered: INodeExecutionData[];
	failed: INodeExecutionData[];
}

/** Runs batches as concurrent executions; returns every output item. */
async function runAll(batches: INodeExecutionData[][], parameters: INodeParameters, extra: Record<string, unknown> = {}): Promise<Outcome> {
	const outcomes = await Promise.all(batches.map((items) => runForward({ parameters, items, ...extra })));
	return { delivered: outcomes.flatMap((o) => o.delivered), failed: outcomes.flatMap((o) => o.failed) };
}

const transitions = (logger: CapturedLogger) =>
	logger.lines.filter((line) => line.message.includes('circuit for')).map((line) => /from (\S+) to (\S+)$/.exec(line.message)!.slice(1).join('->'));

/**
 * Plays the Wait loop: feeds scheduled items back in (as executions of `perExecution` items) once their
 * nextAttemptAt has come, until none is scheduled. Returns the final outputs and how many rounds it took.
 */
async function waitLoop(scheduled: INodeExecutionData[], parameters: INodeParameters, extra: Record<string, unknown>, perExecution = 40) {
	const final: Outcome = { delivered: [], failed: [] };
	let pending = scheduled;
	let rounds = 0;
	while (pending.length > 0 && rounds < 20) {
		rounds++;
		const due = Math.max(...pending.map((item) => Date.parse(deliveryOf(item).nextAttemptAt)));
		await sleep(due - Date.now() + 20);
		const batches: INodeExecutionData[][] = [];
		for (let i = 0; i < pending.length; i += perExecution) batches.push(pending.slice(i, i + perExecution));
		const out = await runAll(batches, parameters, extra);
		final.delivered.push(...out.delivered);
		pending = out.failed.filter((item) => deliveryOf(item).outcome === 'scheduled');
		final.failed.push(...out.failed.filter((item) => deliveryOf(item).outcome !== 'scheduled'));
	}
	return { ...final, rounds, pending };
}

describe.each(['builtIn', 'redis'] as const)('circuit breaker with the %s store: a dead destination, many executions at once', (store) => {
	it('only the threshold, what was already in flight, and the probes reach it; nothing is lost; recovery delivers with the original keys', async () => {
		const executions = store === 'builtIn' ? 25 : 10;
		const perExecution = store === 'builtIn' ? 40 : 30;
		const concurrency = 4;
		const threshold = 10;
		const probes = 2;
		const logger = captureLogger();
		const parameters = {
			method: 'POST',
			url: `${receiver.url}/dead`,
			bodySource: 'json',
			...FAST_RETRIES,
			maxAttempts: 8,
			circuitBreaker: true,
			circuitOptions: { consecutiveFailures: threshold, openSeconds: 2, probes },
			stateStore: store,
			options: { concurrency, destinationName: `dead-${store}-${++run}` },
		};
		const extra = { logger, ...(store === 'redis' ? { redisCredentials: { host: redis.host, port: redis.port, database: 0, prefix: `t${run}:` } } : {}) };

		receiver.fallback = respond(503);
		const batches = Array.from({ length: executions }, (_, e) => itemsFor(e, perExecution));
		const total = executions * perExecution;
		const dead = await runAll(batches, parameters, extra);

		// Every item is accounted for: delivered, failed, or scheduled with the state to resume from.
		expect(dead.delivered.length + dead.failed.length).toBe(total);
		const scheduled = dead.failed.filter((item) => deliveryOf(item).outcome === 'scheduled');
		for (const item of dead.failed) expect(['failed', 'scheduled']).toContain(deliveryOf(item).outcome);
		expect(new Set([...dead.delivered, ...dead.failed].map(keyOf)).size).toBe(total);
		expect(scheduled.length).toBeGreaterThan(total - threshold - executions * concurrency);
		for (const item of scheduled) {
			const delivery = deliveryOf(item);
			expect(delivery.circuit).toEqual({ key: `dead-${store}-${run}`, state: expect.stringMatching(/^(open|half-open)$/) });
			expect(delivery.state.idempotencyKey).toBe(keyOf(item));
		}

		// Requests that reached the dead receiver: those admitted while closed (the threshold plus what was already
		// in flight when it tripped: at most every execution's concurrency less one) and `probes` per half-open cycle.
		const seen = transitions(logger);
		const halfOpenCycles = seen.filter((t) => t === 'open->half-open').length;
		expect(seen[0]).toBe('closed->open');
		expect(seen.filter((t) => t === 'closed->open')).toHaveLength(1);
		expect(receiver.requests.length).toBeGreaterThanOrEqual(threshold);
		expect(receiver.requests.length).toBeLessThanOrEqual(threshold + executions * concurrency - 1 + probes * halfOpenCycles);
		const deadRequests = receiver.requests.length;

		// The destination recovers; the Wait loop brings the scheduled items back.
		receiver.fallback = respond(200, { body: '{"ok":true}' });
		const recovered = await waitLoop(scheduled, parameters, extra);
		expect(recovered.pending).toHaveLength(0);
		expect(recovered.failed).toHaveLength(0);
		expect(recovered.delivered).toHaveLength(scheduled.length);
		for (const item of recovered.delivered) expect(deliveryOf(item).outcome).toBe('delivered');
		// Each scheduled item reached the receiver with its original key, and was answered 200.
		const answered = new Set(receiver.requests.slice(deadRequests).filter((r) => r.answer === '200').map((r) => r.headers['idempotency-key']));
		for (const item of scheduled) expect(answered.has(keyOf(item))).toBe(true);
		// Closed again, once; each transition was logged once (a strict alternation, no repeats).
		const all = transitions(logger);
		expect(all[all.length - 1]).toBe('half-open->closed');
		expect(all.filter((t) => t === 'half-open->closed')).toHaveLength(1);
		all.slice(1).forEach((t, i) => expect(t.split('->')[0]).toBe(all[i].split('->')[1]));
	});
});

describe('circuit breaker shared through Redis by two independent clients', () => {
	const settings: CircuitSettings = { consecutiveFailures: 3, failureRatePercent: 70, minimumRequests: 10, windowMs: 300_000, openMs: 60_000, probes: 2 };

	it('when another process trips the circuit, the node sends nothing: items are scheduled for the half-open time', async () => {
		const prefix = `other${++run}:`;
		const other = new Redis({ host: redis.host, port: redis.port, lazyConnect: true });
		await other.connect();
		try {
			// "Process B" (its own connection, its own store) sees three failures of the destination.
			const processB = new RedisDestinationStore(other, { keyPrefix: `${prefix}forward:` });
			const key = receiver.url;
			for (let i = 0; i < 3; i++) {
				await processB.admit(key, settings, Date.now());
				await processB.record(key, settings, 'fail', false, false, Date.now());
			}
			expect(await processB.peek(key)).toBe('open');

			// "Process A", the node with its own pooled connection, stops sending to it.
			const { delivered, failed } = await runForward({
				parameters: { method: 'POST', url: `${receiver.url}/x`, bodySource: 'json', ...FAST_RETRIES, circuitBreaker: true, stateStore: 'redis' },
				items: itemsFor(0, 20),
				redisCredentials: { host: redis.host, port: redis.port, database: 0, prefix },
			});
			expect(receiver.requests).toHaveLength(0);
			expect(delivered).toHaveLength(0);
			expect(failed).toHaveLength(20);
			for (const item of failed) {
				expect(deliveryOf(item)).toMatchObject({ outcome: 'scheduled', attempts: 0, circuit: { key, state: 'open' } });
				expect(Date.parse(deliveryOf(item).nextAttemptAt)).toBeGreaterThan(Date.now() + 50_000);
			}

			// And the other way round: the node trips it, process B is refused.
			receiver.fallback = respond(502);
			const name = `shared-${run}`;
			const parameters = {
				method: 'POST',
				url: `${receiver.url}/y`,
				bodySource: 'json',
				...FAST_RETRIES,
				circuitBreaker: true,
				circuitOptions: { consecutiveFailures: 3 },
				stateStore: 'redis',
				options: { destinationName: name, concurrency: 1 },
			};
			await runForward({ parameters, items: itemsFor(1, 1), redisCredentials: { host: redis.host, port: redis.port, database: 0, prefix } });
			expect(await processB.admit(name, settings, Date.now())).toMatchObject({ allowed: false, state: 'open' });
		} finally {
			other.disconnect();
		}
	});

	it('refused connections and timeouts count as failures; a 404 does not', async () => {
		const base = { method: 'POST', bodySource: 'json', ...FAST_RETRIES, maxAttempts: 8, circuitBreaker: true, circuitOptions: { consecutiveFailures: 3 } };
		const refused = await runForward({ parameters: { ...base, url: `${await refusedUrl()}/hook`, options: { destinationName: `refused-${++run}` } }, items: itemsFor(5, 1) });
		expect(deliveryOf(refused.failed[0])).toMatchObject({ outcome: 'scheduled', attempts: 3, circuit: { state: 'open' } });
		for (const entry of deliveryOf(refused.failed[0]).log) expect(entry.error).toMatch(/ECONNREFUSED/);

		receiver.fallback = hang();
		const timedOut = await runForward({
			parameters: { ...base, url: `${receiver.url}/hang`, options: { destinationName: `hang-${++run}`, timeoutMs: 200 } },
			items: itemsFor(6, 1),
		});
		expect(deliveryOf(timedOut.failed[0])).toMatchObject({ outcome: 'scheduled', attempts: 3, circuit: { state: 'open' } });

		receiver.fallback = respond(404);
		const notFound = await runForward({
			parameters: { ...base, url: `${receiver.url}/missing`, options: { destinationName: `missing-${++run}`, concurrency: 1 } },
			items: itemsFor(7, 6),
		});
		for (const item of notFound.failed) expect(deliveryOf(item)).toMatchObject({ reason: 'non_retryable_status', attempts: 1, circuit: { state: 'closed' } });
		expect(receiver.requests.filter((r) => r.path === '/missing')).toHaveLength(6);
	});

	it('with "Fail" while open, items go to Failed with reason circuit_open and no attempt', async () => {
		receiver.fallback = respond(500);
		const parameters = {
			method: 'POST',
			url: `${receiver.url}/z`,
			bodySource: 'json',
			...FAST_RETRIES,
			circuitBreaker: true,
			circuitOptions: { consecutiveFailures: 2, whenOpen: 'fail' },
			options: { destinationName: `fail-${++run}`, concurrency: 1 },
		};
		const { failed } = await runForward({ parameters, items: itemsFor(2, 5) });
		expect(receiver.requests).toHaveLength(2);
		expect(failed.map((item) => deliveryOf(item).reason)).toEqual(['circuit_open', 'circuit_open', 'circuit_open', 'circuit_open', 'circuit_open']);
		expect(failed.map((item) => deliveryOf(item).attempts)).toEqual([2, 0, 0, 0, 0]);
	});

	it('410 Gone is never retried; with Hold Open on 410 nothing more is sent until the circuit is reset', async () => {
		receiver.fallback = respond(410);
		const name = `gone-${++run}`;
		const parameters = {
			method: 'POST',
			url: `${receiver.url}/gone`,
			bodySource: 'json',
			...FAST_RETRIES,
			circuitBreaker: true,
			circuitOptions: { holdOpenOnGone: true },
			options: { destinationName: name, concurrency: 1, retryOnStatus: '4xx, 5xx' },
		};
		const { failed } = await runForward({ parameters, items: itemsFor(3, 3) });
		expect(receiver.requests).toHaveLength(1);
		expect(deliveryOf(failed[0])).toMatchObject({ outcome: 'failed', reason: 'non_retryable_status', attempts: 1, status: 410, circuit: { state: 'held-open' } });
		expect(deliveryOf(failed[1])).toMatchObject({ outcome: 'failed', reason: 'circuit_open', attempts: 0, circuit: { state: 'held-open' } });
	});
});

describe('rate limit per destination', () => {
	/** Requests per whole window of `windowMs` from the first arrival, partial last window left out. */
	const perWindow = (windowMs: number) => {
		const times = receiver.requests.map((r) => r.arrivedAtMonotonic);
		const start = times[0];
		const windows = Math.floor((times[times.length - 1] - start) / windowMs);
		return Array.from({ length: windows }, (_, w) => times.filter((t) => t >= start + w * windowMs && t < start + (w + 1) * windowMs).length);
	};

	it.each(['builtIn', 'redis'] as const)(
		'%s store: 20 per second over a 10-second run at concurrency 16 (two executions of 8): every 2-s window within 10 %%, waits are not attempts',
		async (store) => {
			const parameters = {
				method: 'POST',
				url: `${receiver.url}/rate`,
				bodySource: 'json',
				...FAST_RETRIES,
				rateLimit: 'perSecond',
				rateLimitRequests: 20,
				stateStore: store,
				options: { concurrency: 8, destinationName: `rate-${store}-${++run}` },
			};
			const extra = store === 'redis' ? { redisCredentials: { host: redis.host, port: redis.port, database: 0, prefix: `r${run}:` } } : {};
			const out = await runAll([itemsFor(0, 100), itemsFor(1, 100)], parameters, extra);
			expect(out.delivered).toHaveLength(200);
			for (const item of out.delivered) expect(deliveryOf(item).attempts).toBe(1);
			expect(Math.max(...out.delivered.map((item) => deliveryOf(item).rateLimitWaitedMs))).toBeGreaterThan(0);
			// 2-s windows: a pause of up to 200 ms (GC, a busy machine) moves at most 4 arrivals across a window's edge.
			const counts = perWindow(2_000);
			expect(counts.length).toBeGreaterThanOrEqual(4);
			for (const count of counts) {
				expect(count).toBeGreaterThanOrEqual(36);
				expect(count).toBeLessThanOrEqual(44);
			}
			const times = receiver.requests.map((r) => r.arrivedAtMonotonic);
			expect(times[times.length - 1] - times[0]).toBeGreaterThanOrEqual((199 / 20) * 1000 - 200);
		},
	);

	it('a slot further away than the hand-over limit is handed over as scheduled, with no attempt made', async () => {
		const parameters = {
			method: 'POST',
			url: `${receiver.url}/slow`,
			bodySource: 'json',
			...FAST_RETRIES,
			rateLimit: 'perSecond',
			rateLimitRequests: 2,
			options: { concurrency: 16, destinationName: `handover-${++run}`, handOverAfterSeconds: 1 },
		};
		const { delivered, failed } = await runForward({ parameters, items: itemsFor(4, 30) });
		// Slots at 0, 500 and 1000 ms are within the limit: 3 items; the rest would wait longer. (All 30 ask within
		// 500 ms: at 10 per second a pause of 100 ms on a loaded machine let a 12th in.)
		expect(delivered).toHaveLength(3);
		expect(receiver.requests).toHaveLength(3);
		expect(failed).toHaveLength(27);
		for (const item of failed) expect(deliveryOf(item)).toMatchObject({ outcome: 'scheduled', attempts: 0 });
	});
});
