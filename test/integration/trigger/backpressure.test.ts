/**
 * ADAPTER TEST: the trigger's backpressure on real HTTP requests (webhookServer.ts: real Express, n8n-core's
 * WebhookContext) against the real circuit stores: the process's built-in store (the one the Reliable HTTP Forward
 * uses in the same process) and a real redis-server (the Forward node's Redis store under the same key prefix).
 * "Executions" are the workflowData that would make n8n start one. Real n8n: test/e2e/backpressure.e2e.test.ts.
 */
import Redis from 'ioredis';
import { builtInDestinationStore, destinationKeyOf, MemoryDestinationStore, RedisDestinationStore, type CircuitSettings, type DestinationStateStore } from '../../../nodes/core/circuit';
import { sharedRedisPool } from '../../../nodes/core/dedupe';
import { sign } from '../../../nodes/core/signatures';
import { startRedis, type RedisServer } from '../../harness/redis';
import { logLines, startTriggerServer, type TriggerServer } from './webhookServer';

// Redis is killed and started again: that can take more than jest's default 5 s on a slow machine.
jest.setTimeout(60_000);

const STRIPE_SECRET = 'whsec_integrationBackpressure0123456';
const REDIS_PASSWORD = 'bp-integration-redis-password-93';
const PREFIX = 'bp-int:';
const SETTINGS: CircuitSettings = { consecutiveFailures: 1, failureRatePercent: 100, minimumRequests: 100, windowMs: 60_000, openMs: 120_000, probes: 1 };

const servers: TriggerServer[] = [];
let redis: RedisServer;
let client: Redis;

beforeAll(async () => {
	redis = await startRedis({ password: REDIS_PASSWORD });
	client = new Redis({ host: '127.0.0.1', port: redis.port, password: REDIS_PASSWORD, lazyConnect: true, maxRetriesPerRequest: 1 });
	await client.connect();
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
		parameters: { path: workflowId, provider: 'stripe', backpressure: true, ...parameters },
		credentials: {
			webhookSigningSecretApi: { secret: STRIPE_SECRET },
			dedupeRedisApi: { host: '127.0.0.1', port: redis.port, database: 0, password: REDIS_PASSWORD, tls: false, prefix: PREFIX },
		},
	});
	servers.push(server);
	return server;
}

async function stripe(server: TriggerServer, id: string) {
	const body = JSON.stringify({ id, object: 'event', type: 'invoice.paid' });
	const response = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign({ provider: 'stripe', secret: STRIPE_SECRET, body }) }, body });
	return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (await response.json()) as { error?: string } };
}

async function trip(store: DestinationStateStore, key: string) {
	await store.admit(key, SETTINGS, Date.now());
	await store.record(key, SETTINGS, 'fail', false, false, Date.now());
	expect(await store.peek(key)).toBe('open');
}

describe('built-in store (shared with the Forward node in this process)', () => {
	it('a URL names the circuit by its origin: open → 503 + Retry-After, no execution; reset → 200 and one execution', async () => {
		const url = 'http://forward-target.test:8080/hooks/in';
		const key = destinationKeyOf(url);
		const server = await serve('bp-int-builtin-1', { backpressureDestination: url, backpressureStore: 'builtIn' });
		await trip(builtInDestinationStore, key);

		const held = await stripe(server, 'evt_int_1');
		expect(held.status).toBe(503);
		expect(held.json.error).toBe('destination_unavailable');
		expect(Number(held.retryAfter)).toBeGreaterThanOrEqual(SETTINGS.openMs / 1000 - 5);
		expect(Number(held.retryAfter)).toBeLessThanOrEqual(SETTINGS.openMs / 1000);
		expect(server.executions).toHaveLength(0);
		expect(await builtInDestinationStore.peek(key)).toBe('open');

		await builtInDestinationStore.reset(key);
		expect((await stripe(server, 'evt_int_2')).status).toBe(200);
		expect(server.executions).toHaveLength(1);
		expect(server.executions[0][0].json.verification).toMatchObject({ provider: 'stripe', deliveryId: 'evt_int_2' });
	});

	it('in queue mode the built-in store is refused: 500 misconfigured, no execution', async () => {
		const before = process.env.EXECUTIONS_MODE;
		process.env.EXECUTIONS_MODE = 'queue';
		try {
			const server = await serve('bp-int-queue-1', { backpressureDestination: 'crm', backpressureStore: 'builtIn' });
			const response = await stripe(server, 'evt_int_queue');
			expect(response.status).toBe(500);
			expect(response.json.error).toBe('misconfigured');
			expect(server.executions).toHaveLength(0);
			expect(logLines.some((line) => line.includes('built-in circuit store'))).toBe(true);
		} finally {
			if (before === undefined) delete process.env.EXECUTIONS_MODE;
			else process.env.EXECUTIONS_MODE = before;
		}
	});
});

describe('Redis store (the Forward node’s keys under the credential prefix)', () => {
	it('reads the circuit a Forward node opened, without changing it', async () => {
		const store = new RedisDestinationStore(client, { keyPrefix: `${PREFIX}forward:` });
		const server = await serve('bp-int-redis-1', { backpressureDestination: 'crm-api', backpressureStore: 'redis' });
		expect((await stripe(server, 'evt_int_r0')).status).toBe(200);
		await trip(store, 'crm-api');
		const before = await client.hgetall(`${PREFIX}forward:circuit:crm-api`);

		for (const id of ['evt_int_r1', 'evt_int_r2']) {
			const held = await stripe(server, id);
			expect(held.status).toBe(503);
			expect(Number(held.retryAfter)).toBeGreaterThan(0);
		}
		expect(server.executions).toHaveLength(1);
		expect(await client.hgetall(`${PREFIX}forward:circuit:crm-api`)).toEqual(before);
	});

	it('inspect() gives the same view in both stores: closed, open with its half-open time, held open', async () => {
		const memory = new MemoryDestinationStore();
		const shared = new RedisDestinationStore(client, { keyPrefix: `${PREFIX}parity:` });
		const at = Date.UTC(2026, 0, 15, 12, 0, 0);
		for (const store of [memory, shared]) {
			expect(await store.inspect('p')).toEqual({ state: 'closed' });
			await store.admit('p', SETTINGS, at);
			await store.record('p', SETTINGS, 'fail', false, false, at);
			expect(await store.inspect('p')).toEqual({ state: 'open', retryAt: at + SETTINGS.openMs });
			await store.record('p', SETTINGS, 'gone', false, true, at);
			expect(await store.inspect('p')).toEqual({ state: 'held-open' });
		}
	});

	it('Redis unreachable: deliveries are accepted as usual, the problem is logged once per distinct error (not per request), without the password', async () => {
		const server = await serve('bp-int-redis-2', { backpressureDestination: 'crm-down', backpressureStore: 'redis' });
		await redis.kill();
		try {
			const warningsBefore = logLines.filter((line) => line.includes('backpressure cannot read the circuit store')).length;
			for (let i = 1; i <= 5; i++) expect((await stripe(server, `evt_int_d${i}`)).status).toBe(200);
			expect(server.executions).toHaveLength(5);
			const warnings = logLines.filter((line) => line.includes('backpressure cannot read the circuit store'));
			expect(warnings.length - warningsBefore).toBeGreaterThanOrEqual(1);
			expect(warnings.length - warningsBefore).toBeLessThanOrEqual(2); // one per distinct message (measured: 1 line for 5 requests); the connection status in it may change once
			expect(logLines.join('\n')).not.toContain(REDIS_PASSWORD);
			expect(logLines.join('\n')).not.toContain(STRIPE_SECRET);
		} finally {
			await redis.start();
			await client.connect().catch(() => undefined);
		}
	});
});
