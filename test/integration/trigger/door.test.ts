/**
 * ADAPTER TEST: the trigger's checks at the door on real HTTP requests (webhookServer.ts: real Express, n8n-core's
 * WebhookContext) with the Dedupe node's real stores: the process's built-in store (shared with Dedupe nodes here) and
 * a real redis-server. "Executions" are the workflowData that would make n8n start one; the Dedupe node's Confirm and
 * Release run through its own execute() (../dedupe/node-context.ts). Real n8n: test/e2e/door-*.e2e.test.ts.
 */
import Redis from 'ioredis';
import { scopedStorageKey, sharedRedisPool } from '../../../nodes/core/dedupe';
import { sign } from '../../../nodes/core/signatures';
import { startRedis, type RedisServer } from '../../harness/redis';
import { execute, newExecution } from '../dedupe/node-context';
import { logLines, startTriggerServer, type TriggerServer } from './webhookServer';

// Redis is killed and started again, and Confirm waits out the outage: more than jest's default 5 s on a slow machine.
jest.setTimeout(60_000);

const STRIPE_SECRET = 'whsec_integrationDoor0123456789abcd';
const REDIS_PASSWORD = 'door-integration-redis-password-41';
const PREFIX = 'door-int:';

const servers: TriggerServer[] = [];
let redis: RedisServer;
let client: Redis;
let credential: Record<string, unknown>;

beforeAll(async () => {
	redis = await startRedis({ password: REDIS_PASSWORD });
	client = new Redis({ host: '127.0.0.1', port: redis.port, password: REDIS_PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });
	await client.connect();
	credential = { host: '127.0.0.1', port: redis.port, database: 0, password: REDIS_PASSWORD, tls: false, prefix: PREFIX };
});
afterAll(async () => {
	await Promise.all(servers.map((server) => server.close()));
	await sharedRedisPool.closeAll();
	client?.disconnect();
	await redis?.stop();
});

async function serve(workflowId: string, parameters: Record<string, unknown>) {
	const server = await startTriggerServer({
		workflowId,
		parameters: { path: workflowId, provider: 'stripe', ...parameters },
		credentials: { webhookSigningSecretApi: { secret: STRIPE_SECRET }, dedupeRedisApi: credential },
	});
	servers.push(server);
	return server;
}

async function stripe(server: TriggerServer, id: string, extra: Record<string, unknown> = {}, options: { forge?: boolean } = {}) {
	const body = JSON.stringify({ id, object: 'event', type: 'invoice.paid', ...extra });
	const headers = sign({ provider: 'stripe', secret: options.forge ? 'whsec_notTheSecret0000000000000000' : STRIPE_SECRET, body });
	const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
	return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (await response.json()) as { error?: string } };
}

const lastItem = (server: TriggerServer) => server.executions[server.executions.length - 1][0].json as any;

describe('Record on Arrival, built-in store', () => {
	it('20 concurrent deliveries of one id: 1 execution, 19 duplicate answers (200), the key in the Dedupe node\'s store', async () => {
		const server = await serve('door-int-rec-1', { dropRepeats: true });
		const answers = await Promise.all(Array.from({ length: 20 }, () => stripe(server, 'evt_door_1')));
		expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
		expect(answers.filter((a) => a.json.error === 'duplicate_delivery')).toHaveLength(19);
		expect(server.executions).toHaveLength(1);
		expect(lastItem(server).dedupe).toMatchObject({ key: 'evt_door_1', status: 'recorded', windowSeconds: expect.any(Number) });

		// A Dedupe node with Scope Workflow in the same process sees the trigger's key as a duplicate.
		const run = await execute(newExecution({ workflowId: 'door-int-rec-1' }), [{ json: { verification: { deliveryId: 'evt_door_1' } } }], { scope: 'workflow' });
		expect(run.Duplicate).toHaveLength(1);
		expect(run.New).toHaveLength(0);

		// Another id runs.
		expect((await stripe(server, 'evt_door_2')).json.error).toBeUndefined();
		expect(server.executions).toHaveLength(2);
	});

	it('a key from a JSON path of the body; a forged repeat still gets 401 and records nothing', async () => {
		const byPath = await serve('door-int-rec-2', { dropRepeats: true, repeatKey: 'jsonPath', repeatKeyPath: 'data.object.id' });
		expect((await stripe(byPath, 'evt_a', { data: { object: { id: 'in_1' } } })).status).toBe(200);
		expect((await stripe(byPath, 'evt_b', { data: { object: { id: 'in_1' } } })).json.error).toBe('duplicate_delivery');
		expect((await stripe(byPath, 'evt_c', { data: { object: { id: 'in_2' } } }, { forge: true })).status).toBe(401);
		expect((await stripe(byPath, 'evt_d', { data: { object: { id: 'in_2' } } })).json.error).toBeUndefined();
		expect(byPath.executions).toHaveLength(2);
		expect(byPath.executions.map(([item]) => (item.json as any).dedupe.key)).toEqual(['in_1', 'in_2']);

		// No key in the delivery: it runs, marked noKey.
		expect((await stripe(byPath, 'evt_e')).status).toBe(200);
		expect(lastItem(byPath).dedupe).toEqual({ key: null, status: 'noKey' });
	});

	it('in queue mode the built-in store is refused: 500 misconfigured, no execution', async () => {
		const before = process.env.EXECUTIONS_MODE;
		process.env.EXECUTIONS_MODE = 'queue';
		try {
			const server = await serve('door-int-queue-1', { dropRepeats: true });
			const response = await stripe(server, 'evt_queue');
			expect(response.status).toBe(500);
			expect(server.executions).toHaveLength(0);
			expect(logLines.some((line) => line.includes('Drop Repeated Deliveries: the built-in store keeps keys per n8n process'))).toBe(true);
		} finally {
			if (before === undefined) delete process.env.EXECUTIONS_MODE;
			else process.env.EXECUTIONS_MODE = before;
		}
	});
});

describe('Claim Until Confirmed, Redis store (the Dedupe node\'s keys under the credential prefix)', () => {
	const claim = { dropRepeats: true, repeatMode: 'claim', backpressureStore: 'redis', repeatLeaseAmount: 60, repeatLeaseUnit: 'seconds' };

	it('claimed → repeat gets 503 + Retry-After; the Dedupe node confirms with the token → repeat is a duplicate (200)', async () => {
		const server = await serve('door-int-claim-1', claim);
		expect((await stripe(server, 'evt_claim_1')).status).toBe(200);
		const item = lastItem(server);
		expect(item.dedupe).toMatchObject({ key: 'evt_claim_1', status: 'claimed', claimToken: expect.any(String) });
		expect(await client.exists(`${PREFIX}${scopedStorageKey({ id: 'wf:door-int-claim-1' }, 'evt_claim_1')}`)).toBe(1);

		const during = await stripe(server, 'evt_claim_1');
		expect(during.status).toBe(503);
		expect(during.json.error).toBe('delivery_in_progress');
		expect(Number(during.retryAfter)).toBeGreaterThanOrEqual(1);
		expect(Number(during.retryAfter)).toBeLessThanOrEqual(60);
		expect(server.executions).toHaveLength(1);

		const confirmed = await execute(newExecution({ workflowId: 'door-int-claim-1' }), [{ json: item }], { operation: 'confirm', scope: 'workflow', store: 'redis' }, { credentials: credential as never });
		expect(confirmed.New[0].json.dedupe).toMatchObject({ status: 'confirmed', afterLeaseExpired: false });

		const after = await stripe(server, 'evt_claim_1');
		expect(after.status).toBe(200);
		expect(after.json.error).toBe('duplicate_delivery');
		expect(server.executions).toHaveLength(1);
	});

	it('Release on the failure path lets the next redelivery run; a lapsed lease too', async () => {
		const server = await serve('door-int-claim-2', { ...claim, repeatLeaseAmount: 1 });
		await stripe(server, 'evt_claim_2');
		await execute(newExecution({ workflowId: 'door-int-claim-2' }), [{ json: lastItem(server) }], { operation: 'release', scope: 'workflow', store: 'redis' }, { credentials: credential as never });
		expect((await stripe(server, 'evt_claim_2')).json.error).toBeUndefined();
		expect(server.executions).toHaveLength(2);

		// The second claim is never confirmed: once its 1 s lease lapses, the next redelivery runs.
		await new Promise((resolve) => setTimeout(resolve, 1100));
		expect((await stripe(server, 'evt_claim_2')).json.error).toBeUndefined();
		expect(server.executions).toHaveLength(3);
	});

	it('Redis unreachable: 503 + Retry-After by default (no execution), or run with failOpen; logged once, no password', async () => {
		const closed = await serve('door-int-down-1', { dropRepeats: true, backpressureStore: 'redis' });
		const open = await serve('door-int-down-2', { dropRepeats: true, backpressureStore: 'redis', repeatStoreDown: 'failOpen' });
		await redis.kill();
		try {
			const marker = 'Drop Repeated Deliveries cannot reach its store';
			const before = logLines.filter((line) => line.includes(marker)).length;
			for (let i = 0; i < 3; i++) {
				const answer = await stripe(closed, 'evt_down');
				expect(answer.status).toBe(503);
				expect(answer.json.error).toBe('repeat_store_unavailable');
				expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
			}
			expect(closed.executions).toHaveLength(0);
			expect((await stripe(open, 'evt_down')).status).toBe(200);
			expect(lastItem(open).dedupe).toMatchObject({ key: 'evt_down', status: 'failOpen', storeError: expect.any(String) });
			const lines = logLines.filter((line) => line.includes(marker)).length - before;
			expect(lines).toBeGreaterThanOrEqual(1);
			expect(lines).toBeLessThanOrEqual(3); // once per distinct message and outcome (fail closed, fail open), not per request
			expect(logLines.join('\n')).not.toContain(REDIS_PASSWORD);
			expect(JSON.stringify(open.executions)).not.toContain(REDIS_PASSWORD);
		} finally {
			await redis.start();
			await client.connect().catch(() => undefined);
		}
	});
});

describe('Redis outages: a failed-open claim can be confirmed; the store is asked again once Redis is back', () => {
	it('a failed-open claim carries a token; once Redis is back, Confirm records the key and the repeat is a duplicate', async () => {
		const server = await serve('door-int-open-claim', { dropRepeats: true, repeatMode: 'claim', backpressureStore: 'redis', repeatStoreDown: 'failOpen' });
		await redis.kill();
		let item: any;
		try {
			expect((await stripe(server, 'evt_open_claim')).status).toBe(200);
			item = lastItem(server);
			expect(item.dedupe).toMatchObject({ key: 'evt_open_claim', status: 'failOpen', claimToken: expect.any(String) });
		} finally {
			await redis.start();
			await client.connect().catch(() => undefined);
		}
		const confirmed = await execute(newExecution({ workflowId: 'door-int-open-claim' }), [{ json: item }], { operation: 'confirm', scope: 'workflow', store: 'redis' }, { credentials: credential as never });
		expect(confirmed.New[0].json.dedupe).toMatchObject({ status: 'confirmed', afterLeaseExpired: true });
		const repeat = await stripe(server, 'evt_open_claim');
		expect([repeat.status, repeat.json.error]).toEqual([200, 'duplicate_delivery']);
		expect(server.executions).toHaveLength(1);
	});

	it('after an outage long enough for the Redis client to give up, the first delivery once Redis is back is taken (not 503)', async () => {
		const server = await serve('door-int-long-outage', { dropRepeats: true, backpressureStore: 'redis' });
		expect((await stripe(server, 'evt_before_outage')).status).toBe(200);
		await redis.kill();
		try {
			expect((await stripe(server, 'evt_during_outage')).json.error).toBe('repeat_store_unavailable');
			// Longer than the client's reconnect tries (200 ms + ... + 1 s): it ends, and a store kept bound to it would answer 503 on.
			await new Promise((resolve) => setTimeout(resolve, 6000));
		} finally {
			await redis.start();
			await client.connect().catch(() => undefined);
		}
		const first = await stripe(server, 'evt_during_outage');
		expect([first.status, first.json.error]).toEqual([200, undefined]);
		expect(server.executions).toHaveLength(2);
	}, 30_000);
});

describe('Conditions and report-only verification', () => {
	it('a verified delivery that misses a condition gets 200 condition_not_met and no execution; a forged one still 401', async () => {
		const server = await serve('door-int-cond-1', {
			conditions: {
				condition: [
					{ source: 'jsonPath', name: 'type', operator: 'startsWith', value: 'invoice.' },
					{ source: 'jsonPath', name: 'livemode', operator: 'equals', value: 'true' },
				],
			},
		});
		const miss = await stripe(server, 'evt_c1', { livemode: false });
		expect(miss.status).toBe(200);
		expect(miss.json.error).toBe('condition_not_met');
		expect((await stripe(server, 'evt_c2', { livemode: true }, { forge: true })).status).toBe(401);
		expect((await stripe(server, 'evt_c3', { livemode: true })).json.error).toBeUndefined();
		expect(server.executions).toHaveLength(1);
	});

	it('report-only: a forged delivery runs with verification.valid false and its reason; a good one with valid true', async () => {
		const server = await serve('door-int-report-1', { reportOnly: true });
		expect((await stripe(server, 'evt_r1', {}, { forge: true })).status).toBe(200);
		expect(lastItem(server).verification).toEqual({ valid: false, reason: 'invalid_signature', provider: 'stripe', deliveryId: null, eventType: null, timestamp: null, secretIndex: null });
		expect((await stripe(server, 'evt_r2')).status).toBe(200);
		expect(lastItem(server).verification).toMatchObject({ valid: true, deliveryId: 'evt_r2', provider: 'stripe' });
		expect(JSON.stringify(server.executions)).not.toContain(STRIPE_SECRET);
	});
});
