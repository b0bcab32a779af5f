/**
 * Backpressure at the door in a real n8n (issue 14, item 6): Signed Webhook Trigger → Reliable HTTP Forward with
 * its circuit breaker, to a real receiver on loopback that fails on purpose, then recovers.
 *  - the circuit opens (2 consecutive 503s); a signed Stripe delivery (Stripe retries for up to 3 days:
 *    docs.stripe.com/webhooks#retries) then gets 503 with Retry-After (seconds until half-open) and no execution;
 *  - a forged Stripe delivery still gets its 401 (the check runs after verification);
 *  - a signed GitHub delivery (GitHub does not retry: docs.github.com/en/webhooks/using-webhooks/
 *    handling-failed-webhook-deliveries) is accepted as usual: one execution, the Forward node schedules the item
 *    and sends nothing;
 *  - once the receiver recovers and the circuit half-opens, Stripe deliveries are answered 200 again and delivered.
 * Executions are counted in n8n's own database; requests at the receiver.
 */
import { sign } from '../../nodes/core';
import { packageName, startN8n, type N8nInstance } from '../harness/n8n';
import { respond, startReceiver, type Receiver } from '../harness/receiver';

jest.setTimeout(600_000);

const STRIPE_SECRET = 'whsec_e2eBackpressureStripe0123456789';
const GITHUB_SECRET = 'e2e-backpressure-github-secret-41';
// Steps 2 to 4 must all happen while the circuit is open: 15 s leaves room for a slow n8n.
const OPEN_SECONDS = 15;

function credential(id: string, secret: string) {
	return { id, name: `e2e ${id}`, type: 'webhookSigningSecretApi', data: { secret } };
}

/** Signed Webhook Trigger (backpressure on `destination`) → Reliable HTTP Forward (circuit on) → Delivered / Failed. */
function workflow(id: string, path: string, provider: string, credentialId: string, targetUrl: string, destination: string) {
	return {
		id,
		name: `e2e ${id}`,
		nodes: [
			{
				parameters: { path, provider, backpressure: true, backpressureDestination: destination, backpressureStore: 'builtIn', options: {} },
				name: 'Signed Webhook Trigger',
				type: `${packageName}.signedWebhookTrigger`,
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
				credentials: { webhookSigningSecretApi: { id: credentialId, name: `e2e ${credentialId}` } },
			},
			{
				parameters: {
					method: 'POST',
					url: targetUrl,
					bodySource: 'custom',
					body: '={{ JSON.stringify($json.body) }}',
					contentType: 'application/json',
					idempotencyKey: '={{ $json.verification.deliveryId }}',
					schedule: 'exponential',
					initialDelayMs: 100,
					multiplier: 2,
					maxDelayMs: 1000,
					jitter: 'none',
					maxAttempts: 2,
					circuitBreaker: true,
					circuitOptions: { consecutiveFailures: 2, openSeconds: OPEN_SECONDS, probes: 1 },
					options: { timeoutMs: 5000 },
				},
				name: 'Reliable HTTP Forward',
				type: `${packageName}.reliableHttpForward`,
				typeVersion: 1,
				position: [220, 0],
			},
		],
		connections: { 'Signed Webhook Trigger': { main: [[{ node: 'Reliable HTTP Forward', type: 'main', index: 0 }]] } },
	};
}

describe('backpressure at the door in a real n8n', () => {
	let n8n: N8nInstance;
	let receiver: Receiver;
	let destination: string;

	beforeAll(async () => {
		receiver = await startReceiver({ fallback: respond(503) });
		destination = `${receiver.url}/in`;
		n8n = await startN8n({
			// N8N_E2E_VERSION=floor runs the same case on the oldest n8n the README promises.
			version: process.env.N8N_E2E_VERSION ?? 'latest',
			workflows: [
				workflow('e2eBackpressStr1', 'bp-stripe', 'stripe', 'e2eBpStripeSec01', destination, destination),
				workflow('e2eBackpressGit1', 'bp-github', 'github', 'e2eBpGithubSec01', destination, destination),
			],
			credentials: [credential('e2eBpStripeSec01', STRIPE_SECRET), credential('e2eBpGithubSec01', GITHUB_SECRET)],
		});
	});
	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
	});

	const stripe = async (id: string, secret = STRIPE_SECRET) => {
		const body = JSON.stringify({ id, object: 'event', type: 'invoice.paid' });
		const response = await fetch(n8n.webhookUrl('bp-stripe'), {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...sign({ provider: 'stripe', secret, body }) },
			body,
		});
		return { status: response.status, retryAfter: response.headers.get('retry-after'), json: (await response.json()) as { error?: string } };
	};
	const github = async (id: string) => {
		const body = JSON.stringify({ ref: 'refs/heads/main', id });
		const response = await fetch(n8n.webhookUrl('bp-github'), {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': id, ...sign({ provider: 'github', secret: GITHUB_SECRET, body }) },
			body,
		});
		return response.status;
	};
	const done = (workflowId: string, count: number) =>
		n8n.waitForExecutions((r) => r.length === count && r.every((e) => e.done), { workflowId, timeoutMs: 120_000 });
	const forwarded = async (executionId: string) => {
		const detail = await n8n.execution(executionId);
		const [delivered, failed] = detail.data.resultData.runData['Reliable HTTP Forward'][0].data.main as Array<Array<{ json: any }> | null>;
		return [...(delivered ?? []), ...(failed ?? [])][0].json.delivery;
	};

	it('503 + Retry-After and no execution for a retrying sender while open; accepted for one that does not; normal after it closes', async () => {
		// 1. The circuit is closed: the delivery is accepted, the Forward node fails twice and opens the circuit.
		const first = await stripe('evt_bp_1');
		expect(first.status).toBe(200);
		const [run1] = await done('e2eBackpressStr1', 1);
		expect(await forwarded(run1.id)).toMatchObject({ outcome: 'failed', attempts: 2, circuit: { key: receiver.url, state: 'open' } });
		expect(receiver.requests).toHaveLength(2);

		// 2. Open: a signed Stripe delivery is held at the door (503, Retry-After ≤ Open For), no execution.
		const held = await stripe('evt_bp_2');
		expect(held.status).toBe(503);
		expect(held.json.error).toBe('destination_unavailable');
		const retryAfter = Number(held.retryAfter);
		expect(Number.isInteger(retryAfter)).toBe(true);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(OPEN_SECONDS);

		// 3. A forged delivery learns nothing about the destination: its 401, as always.
		const forged = await stripe('evt_bp_forged', 'whsec_notTheRealSecret0123456789abcdef');
		expect(forged.status).toBe(401);
		expect(forged.retryAfter).toBeNull();

		// 4. GitHub does not retry: accepted, one execution, the Forward node schedules the item without a request.
		expect(await github('gh-bp-1')).toBe(200);
		const [githubRun] = await done('e2eBackpressGit1', 1);
		expect(await forwarded(githubRun.id)).toMatchObject({ outcome: 'scheduled', attempts: 0, circuit: { key: receiver.url, state: 'open' } });
		expect(receiver.requests).toHaveLength(2);
		expect(await n8n.countExecutions({ workflowId: 'e2eBackpressStr1' })).toBe(1);

		// 5. The receiver recovers; after Retry-After the circuit half-opens: the next delivery is the probe and closes it.
		receiver.fallback = respond(200);
		await new Promise((resolve) => setTimeout(resolve, (retryAfter + 1) * 1000));
		const afterOpen = await stripe('evt_bp_3');
		expect(afterOpen.status).toBe(200);
		const runs = await done('e2eBackpressStr1', 2);
		const run3 = runs.find((run) => run.id !== run1.id)!;
		expect(await forwarded(run3.id)).toMatchObject({ outcome: 'delivered', attempts: 1, status: 200, idempotencyKey: 'evt_bp_3' });

		// 6. Closed again: normal answers and deliveries.
		const closed = await stripe('evt_bp_4');
		expect(closed.status).toBe(200);
		const all = await done('e2eBackpressStr1', 3);
		const run4 = all.find((run) => run.id !== run1.id && run.id !== run3.id)!;
		expect(await forwarded(run4.id)).toMatchObject({ outcome: 'delivered', attempts: 1, circuit: { state: 'closed' } });
		expect(receiver.requests.map((r) => JSON.parse(r.body.toString('utf8')).id)).toEqual(['evt_bp_1', 'evt_bp_1', 'evt_bp_3', 'evt_bp_4']);
		// The held delivery never became an execution: three stored for Stripe (1, 3, 4), one for GitHub.
		expect(await n8n.countExecutions({ workflowId: 'e2eBackpressStr1' })).toBe(3);
		expect(await n8n.countExecutions({ workflowId: 'e2eBackpressGit1' })).toBe(1);
		expect(n8n.logs()).not.toContain(STRIPE_SECRET.slice(6));
	});
});
