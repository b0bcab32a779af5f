/**
 * Two real n8n processes (own user folders, databases and ports) sharing the Reliable HTTP Forward's circuit through
 * one real redis-server (issue 14, proof "Two n8n processes sharing the Redis circuit"): when executions in
 * instance A trip the circuit of a destination, instance B stops sending to it (the receiver counts the requests),
 * and B's Signed Webhook Trigger with backpressure on the Redis store holds retrying senders (Stripe: 503 +
 * Retry-After, no execution). The circuit key is the receiver's origin under the credential's prefix.
 */
import Redis from 'ioredis';
import { sign } from '../../nodes/core';
import { packageName, startN8n, type N8nInstance } from '../harness/n8n';
import { startRedis, type RedisServer } from '../harness/redis';
import { respond, startReceiver, type Receiver } from '../harness/receiver';

jest.setTimeout(900_000);

const PREFIX = 'e2e-circuit:';
const OPEN_SECONDS = 600;
const STRIPE_SECRET = 'whsec_e2eSharedCircuitStripe0123456';
const redisCredential = {
	id: 'e2eCircuitRedis1',
	name: 'e2e circuit redis',
	type: 'dedupeRedisApi',
	data: { host: '127.0.0.1', port: 0, database: 0, user: '', password: '', tls: false, prefix: PREFIX },
};
const redisRef = { dedupeRedisApi: { id: redisCredential.id, name: redisCredential.name } };
const stripeCredential = { id: 'e2eCircuitStripe', name: 'e2e circuit stripe', type: 'webhookSigningSecretApi', data: { secret: STRIPE_SECRET } };

function forwardNode(targetUrl: string) {
	return {
		parameters: {
			method: 'POST',
			url: targetUrl,
			bodySource: 'custom',
			body: '={{ JSON.stringify($json.body) }}',
			contentType: 'application/json',
			idempotencyKey: '={{ $json.body.id }}',
			schedule: 'exponential',
			initialDelayMs: 100,
			multiplier: 2,
			maxDelayMs: 1000,
			jitter: 'none',
			maxAttempts: 2,
			circuitBreaker: true,
			circuitOptions: { consecutiveFailures: 2, openSeconds: OPEN_SECONDS, probes: 1 },
			stateStore: 'redis',
			options: { timeoutMs: 5000 },
		},
		name: 'Reliable HTTP Forward',
		type: `${packageName}.reliableHttpForward`,
		typeVersion: 1,
		position: [220, 0],
		credentials: redisRef,
	};
}

/** n8n's Webhook → Reliable HTTP Forward (circuit on, Redis store). */
function webhookWorkflow(id: string, path: string, targetUrl: string) {
	return {
		id,
		name: `e2e ${id}`,
		nodes: [
			{ parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} }, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: `${id}-hook` },
			forwardNode(targetUrl),
		],
		connections: { Webhook: { main: [[{ node: 'Reliable HTTP Forward', type: 'main', index: 0 }]] } },
	};
}

/** Signed Webhook Trigger (Stripe, backpressure on the Redis circuit store) → Reliable HTTP Forward. */
function backpressureWorkflow(id: string, path: string, targetUrl: string) {
	return {
		id,
		name: `e2e ${id}`,
		nodes: [
			{
				parameters: { path, provider: 'stripe', backpressure: true, backpressureDestination: targetUrl, backpressureStore: 'redis', options: {} },
				name: 'Signed Webhook Trigger',
				type: `${packageName}.signedWebhookTrigger`,
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
				credentials: { webhookSigningSecretApi: { id: stripeCredential.id, name: stripeCredential.name }, ...redisRef },
			},
			{ ...forwardNode(targetUrl), parameters: { ...forwardNode(targetUrl).parameters, idempotencyKey: '={{ $json.verification.deliveryId }}' } },
		],
		connections: { 'Signed Webhook Trigger': { main: [[{ node: 'Reliable HTTP Forward', type: 'main', index: 0 }]] } },
	};
}

describe('two n8n processes sharing the Redis circuit', () => {
	let redis: RedisServer;
	let receiver: Receiver;
	let a: N8nInstance;
	let b: N8nInstance;
	let target: string;

	beforeAll(async () => {
		redis = await startRedis();
		receiver = await startReceiver({ fallback: respond(200) });
		target = `${receiver.url}/shared`;
		const credentials = [{ ...redisCredential, data: { ...redisCredential.data, port: redis.port } }, stripeCredential];
		// N8N_E2E_VERSION=floor runs the same case on the oldest n8n the README promises.
		const version = process.env.N8N_E2E_VERSION ?? 'latest';
		a = await startN8n({ version, workflows: [webhookWorkflow('e2eCircuitSharA1', 'circuit-a', target)], credentials });
		b = await startN8n({
			version,
			workflows: [webhookWorkflow('e2eCircuitSharB1', 'circuit-b', target), backpressureWorkflow('e2eCircuitBackB1', 'circuit-b-stripe', target)],
			credentials,
		});
	});
	afterAll(async () => {
		await a?.stop();
		await b?.stop();
		await receiver?.close();
		await redis?.stop();
	});

	const post = async (n8n: N8nInstance, path: string, id: string) => {
		const response = await fetch(n8n.webhookUrl(path), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
		expect(response.status).toBe(200);
	};
	const lastDelivery = async (n8n: N8nInstance, workflowId: string, count: number) => {
		const runs = await n8n.waitForExecutions((r) => r.length === count && r.every((e) => e.done), { workflowId, timeoutMs: 120_000 });
		const newest = [...runs].sort((x, y) => Number(y.id) - Number(x.id))[0];
		const detail = await n8n.execution(newest.id);
		const [delivered, failed] = detail.data.resultData.runData['Reliable HTTP Forward'][0].data.main as Array<Array<{ json: any }> | null>;
		return [...(delivered ?? []), ...(failed ?? [])][0].json.delivery;
	};

	it('A trips the circuit; B then sends nothing to the destination, and B’s trigger holds Stripe with 503', async () => {
		// B sends while the circuit is closed.
		await post(b, 'circuit-b', 'evt_shared_b1');
		expect(await lastDelivery(b, 'e2eCircuitSharB1', 1)).toMatchObject({ outcome: 'delivered', attempts: 1, circuit: { key: receiver.url, state: 'closed' } });
		expect(receiver.requests).toHaveLength(1);

		// The destination goes down; A's execution fails twice and opens the circuit in Redis.
		receiver.fallback = respond(503);
		await post(a, 'circuit-a', 'evt_shared_a1');
		expect(await lastDelivery(a, 'e2eCircuitSharA1', 1)).toMatchObject({ outcome: 'failed', attempts: 2, circuit: { key: receiver.url, state: 'open' } });
		expect(receiver.requests).toHaveLength(3);

		const client = new Redis({ host: '127.0.0.1', port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
		try {
			await client.connect();
			expect(await client.hget(`${PREFIX}forward:circuit:${receiver.url}`, 'st')).toBe('o');
		} finally {
			client.disconnect();
		}

		// B has never seen a failure itself, yet sends nothing: its item is scheduled for the half-open time.
		await post(b, 'circuit-b', 'evt_shared_b2');
		const scheduled = await lastDelivery(b, 'e2eCircuitSharB1', 2);
		expect(scheduled).toMatchObject({ outcome: 'scheduled', attempts: 0, idempotencyKey: 'evt_shared_b2', circuit: { key: receiver.url, state: 'open' } });
		expect(Date.parse(scheduled.nextAttemptAt)).toBeGreaterThan(Date.now() + (OPEN_SECONDS - 60) * 1000);

		// B's trigger reads the same circuit: a signed Stripe delivery is held at the door, with no execution.
		const body = JSON.stringify({ id: 'evt_shared_stripe', object: 'event', type: 'invoice.paid' });
		const response = await fetch(b.webhookUrl('circuit-b-stripe'), {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...sign({ provider: 'stripe', secret: STRIPE_SECRET, body }) },
			body,
		});
		expect(response.status).toBe(503);
		const retryAfter = Number(response.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(OPEN_SECONDS - 60);
		expect(retryAfter).toBeLessThanOrEqual(OPEN_SECONDS);
		expect(await b.countExecutions({ workflowId: 'e2eCircuitBackB1' })).toBe(0);

		// Every request the destination got: B's first, A's two. Nothing from B after A tripped the circuit.
		expect(receiver.requests.map((r) => JSON.parse(r.body.toString('utf8')).id)).toEqual(['evt_shared_b1', 'evt_shared_a1', 'evt_shared_a1']);
	});
});
