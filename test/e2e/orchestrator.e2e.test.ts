/**
 * The orchestrator pattern end to end, in one real n8n: the shipped example workflow (Signed Webhook Trigger →
 * Dedupe → Reliable HTTP Forward → dead letter), imported as users import it, with the target pointed at a real
 * receiver on 127.0.0.1 that fails on purpose and verifies our outgoing Standard Webhooks signature with the
 * reference library. Slack, Stripe and Standard Webhooks senders use the same pattern. Every case asserts on what
 * the receiver got and on the executions n8n stored (read through its REST API).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Webhook } from 'standardwebhooks';

import { githubDelivery as signedGithubDelivery, signedDelivery, withoutSignature } from '../harness/deliveries';
import { send } from '../harness/http';
import { repoRoot, startN8n, type ExecutionSummary, type N8nInstance } from '../harness/n8n';
import { sleep } from '../harness/processes';
import { failTimes, respond, retryAfterSeconds, startReceiver, type ReceivedRequest, type Receiver } from '../harness/receiver';
import { credential, credentialRef, nodeType } from '../harness/workflows';

jest.setTimeout(600_000);

const secrets = {
	github: `gh-${randomBytes(20).toString('hex')}`,
	slack: randomBytes(16).toString('hex'),
	stripe: `whsec_${randomBytes(24).toString('hex')}`,
	standard: `whsec_${randomBytes(32).toString('base64')}`,
	outgoing: `whsec_${randomBytes(32).toString('base64')}`,
	system1: `whsec_${randomBytes(32).toString('base64')}`,
	toSystem2: `whsec_${randomBytes(32).toString('base64')}`,
	system2: `whsec_${randomBytes(32).toString('base64')}`,
	toSystem3: `whsec_${randomBytes(32).toString('base64')}`,
};

const signingSecret = (id: string, name: string, secret: string) => credential('webhookSigningSecretApi', id, name, { secret });
const outgoingSigning = (id: string, name: string, secret: string) =>
	credential('outgoingWebhookSigningApi', id, name, { scheme: 'standard-webhooks', secret });

const credentials = [
	signingSecret('exampleGithubSecret', 'GitHub webhook secret', secrets.github),
	signingSecret('e2eSlackSecret01', 'Slack signing secret', secrets.slack),
	signingSecret('e2eStripeSecret1', 'Stripe endpoint secret', secrets.stripe),
	signingSecret('e2eStandardSec01', 'Standard Webhooks secret', secrets.standard),
	outgoingSigning('exampleCiSigning', 'CI signing secret', secrets.outgoing),
	// The chain example's four hops.
	signingSecret('exampleSys1Secret', 'System 1', secrets.system1),
	signingSecret('exampleSys2Secret', 'System 2', secrets.system2),
	outgoingSigning('exampleSys2Signing', 'To System 2', secrets.toSystem2),
	outgoingSigning('exampleSys3Signing', 'To System 3', secrets.toSystem3),
];

const readExample = (file: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', file), 'utf8'));
const example = readExample('orchestrator-github-to-ci.json');

/** The chain example with both forwards pointed at the receiver (standing in for Systems 2 and 3). */
function chainWorkflow(receiverUrl: string) {
	const wf = readExample('chain-standard-webhooks.json');
	wf.id = 'e2eChainOfSystem';
	for (const node of wf.nodes) {
		if (node.type !== nodeType.reliableHttpForward) continue;
		const target = node.name === 'Forward to System 2' ? 'system-2' : 'system-3';
		Object.assign(node.parameters, { url: `${receiverUrl}/${target}`, allowPlainHttp: true, initialDelayMs: 100 });
	}
	return wf;
}

/**
 * The long-horizon example with waits short enough for a test: the first retry is 2 s away, longer than the
 * 1 s hand-over threshold, so the item goes round the Wait loop instead of waiting inside the forward.
 */
function waitLoopWorkflow(receiverUrl: string) {
	const wf = readExample('long-horizon-retries.json');
	wf.id = 'e2eWaitLoopRetry';
	const forward = wf.nodes.find((n: { name: string }) => n.name === 'Forward');
	Object.assign(forward.parameters, {
		url: `${receiverUrl}/wait-loop`,
		allowPlainHttp: true,
		schedule: 'exponential',
		maxAttempts: 3,
		initialDelayMs: 2000,
		jitter: 'none',
		options: { handOverAfterSeconds: 1 },
	});
	return wf;
}

/** The shipped example, re-pointed at the test receiver with short retry delays; optionally for another sender. */
function orchestrator(
	id: string,
	receiverUrl: string,
	trigger: { path: string; provider: string; credentialId: string; parameters?: Record<string, unknown> },
) {
	const wf = JSON.parse(JSON.stringify(example));
	wf.id = id;
	wf.name = `${example.name} (${trigger.provider})`;
	for (const node of wf.nodes) {
		if (node.type === nodeType.signedWebhookTrigger) {
			node.webhookId = randomUUID();
			Object.assign(node.parameters, { path: trigger.path, provider: trigger.provider }, trigger.parameters ?? {});
			node.credentials = credentialRef(credentials.find((c) => c.id === trigger.credentialId)!);
		}
		if (node.type === nodeType.reliableHttpForward) {
			Object.assign(node.parameters, {
				url: `${receiverUrl}/${trigger.path}`,
				allowPlainHttp: true,
				maxAttempts: 5,
				initialDelayMs: 100,
				maxDelayMs: 1000,
			});
		}
	}
	return wf;
}

const flows = {
	github: { id: 'e2eOrchGithub001', path: 'orch-github', provider: 'github', credentialId: 'exampleGithubSecret' },
	slack: { id: 'e2eOrchSlack0001', path: 'orch-slack', provider: 'slack', credentialId: 'e2eSlackSecret01' },
	stripe: { id: 'e2eOrchStripe001', path: 'orch-stripe', provider: 'stripe', credentialId: 'e2eStripeSecret1' },
	// A short custom window so that a captured delivery can be replayed after it within the test; 10 s, because a
	// delivery and its repeat a few requests later must both fall inside it on a slow machine.
	standard: {
		id: 'e2eOrchStandard1',
		path: 'orch-standard',
		provider: 'standard-webhooks',
		credentialId: 'e2eStandardSec01',
		parameters: { timestampCheck: 'custom', toleranceSeconds: 10 },
	},
};

function githubDelivery(deliveryId: string, body = JSON.stringify({ ref: 'refs/heads/main', after: deliveryId }), secret = secrets.github) {
	return signedGithubDelivery(body, secret, { 'x-github-delivery': deliveryId });
}

describe('orchestrator example workflow in a real n8n', () => {
	let n8n: N8nInstance;
	let receiver: Receiver;
	const sentSignatures: string[] = [];
	const outgoingSignatures: string[] = [];

	const post = async (flow: keyof typeof flows, init: { method: string; headers: Record<string, string>; body: string }) => {
		for (const [name, value] of Object.entries(init.headers)) if (/signature/i.test(name)) sentSignatures.push(value);
		const res = await send(n8n.webhookUrl(flows[flow].path), init);
		return { status: res.status, body: res.text };
	};

	/** Executions of one flow once all are finished and there are `count` of them. */
	const settledExecutions = (flow: keyof typeof flows, count: number) =>
		n8n.waitForFinished(count, { workflowId: flows[flow].id });

	/** Names of the nodes that ran in an execution, and the items each output. */
	const runOf = async (execution: ExecutionSummary) => {
		const detail = await n8n.execution(execution.id);
		const runData = detail.data.resultData.runData as Record<string, Array<{ data: { main: Array<Array<{ json: any }>> } }>>;
		return {
			ran: Object.keys(runData),
			outputs: (node: string) => runData[node]?.[0]?.data?.main ?? [],
		};
	};

	const forwardedFor = (deliveryId: string) => receiver.requests.filter((r) => r.headers['x-github-delivery'] === deliveryId);

	/** The Standard Webhooks headers a receiver verifies (webhook-id, -timestamp, -signature). */
	const standardHeaders = (request: ReceivedRequest) => ({
		'webhook-id': String(request.headers['webhook-id']),
		'webhook-timestamp': String(request.headers['webhook-timestamp']),
		'webhook-signature': String(request.headers['webhook-signature']),
	});

	const verifyOutgoing = (request: ReceivedRequest) => new Webhook(secrets.outgoing).verify(request.body.toString('utf8'), standardHeaders(request));

	beforeAll(async () => {
		receiver = await startReceiver();
		n8n = await startN8n({
			// N8N_E2E_VERSION=floor runs the same cases on the oldest n8n the README promises.
			version: process.env.N8N_E2E_VERSION ?? 'latest',
			workflows: [
				...Object.values(flows).map((f) => orchestrator(f.id, receiver.url, f)),
				chainWorkflow(receiver.url),
				waitLoopWorkflow(receiver.url),
			],
			credentials,
		});
	});
	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
	});
	beforeEach(() => {
		outgoingSignatures.push(...receiver.requests.map((r) => String(r.headers['webhook-signature'])));
		receiver.reset();
		receiver.fallback = respond(200);
	});

	it('a valid GitHub delivery is forwarded once, signed; the receiver verifies the signature over the bytes it got', async () => {
		const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/api' } });
		const res = await post('github', githubDelivery('gh-valid-1', body));
		expect(res.status).toBe(200);
		const [forwarded] = await receiver.waitForRequests(1);
		const executions = await settledExecutions('github', 1);
		expect(executions[0].status).toBe('success');

		expect(forwardedFor('gh-valid-1')).toHaveLength(1);
		expect(forwarded.body.toString('utf8')).toBe(body);
		expect(verifyOutgoing(forwarded)).toEqual(JSON.parse(body));
		expect(forwarded.headers['idempotency-key']).toBe('gh-valid-1');
		expect(forwarded.headers['x-github-event']).toBe('push');
		expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(forwarded.body.toString(), standardHeaders(forwarded))).toThrow();
		const run = await runOf(executions[0]);
		expect(run.ran).toEqual(expect.arrayContaining(['GitHub Delivery', 'Once per Delivery ID', 'Forward to CI', 'Delivered']));
		expect(run.ran).not.toContain('Dead Letter');
	});

	it('forged, stale and replayed deliveries get 401 and create no execution', async () => {
		const githubBefore = (await n8n.executions({ workflowId: flows.github.id })).count;
		const stripeBefore = (await n8n.executions({ workflowId: flows.stripe.id })).count;
		const standardBefore = (await n8n.executions({ workflowId: flows.standard.id })).count;

		// Forged: signed with another secret; unsigned: no signature at all.
		const forged = await post('github', githubDelivery('gh-forged', undefined, 'not-the-secret'));
		expect(forged.status).toBe(401);
		expect(JSON.parse(forged.body).error).toBe('invalid_signature');
		const unsignedResponse = await post('github', withoutSignature(githubDelivery('gh-unsigned')));
		expect(unsignedResponse.status).toBe(401);
		expect(JSON.parse(unsignedResponse.body).error).toBe('missing_signature');

		// Stale: a Stripe delivery signed an hour ago.
		const stripeBody = JSON.stringify({ id: 'evt_stale', type: 'charge.succeeded' });
		const stale = await post('stripe', signedDelivery('stripe', secrets.stripe, stripeBody, { timestamp: Date.now() - 3_600_000 }));
		expect(stale.status).toBe(401);
		expect(JSON.parse(stale.body).error).toBe('timestamp_out_of_tolerance');

		// Replayed: a Standard Webhooks delivery accepted once, captured, and sent again after the 10 s window.
		const standardBody = JSON.stringify({ type: 'invoice.paid', id: 'inv_1' });
		const captured = signedDelivery('standard-webhooks', secrets.standard, standardBody, { id: 'msg_replayed' });
		expect((await post('standard', captured)).status).toBe(200);
		await settledExecutions('standard', standardBefore + 1);
		await sleep(11_000);
		const replayed = await post('standard', captured);
		expect(replayed.status).toBe(401);
		expect(JSON.parse(replayed.body).error).toBe('timestamp_out_of_tolerance');

		// A valid GitHub delivery after the rejected ones: its execution is the only new one.
		expect((await post('github', githubDelivery('gh-after-forged'))).status).toBe(200);
		await settledExecutions('github', githubBefore + 1);
		expect((await n8n.executions({ workflowId: flows.stripe.id })).count).toBe(stripeBefore);
		expect((await n8n.executions({ workflowId: flows.standard.id })).count).toBe(standardBefore + 1);
		expect(forwardedFor('gh-forged')).toHaveLength(0);
		expect(forwardedFor('gh-unsigned')).toHaveLength(0);
	});

	it('the same delivery id sent 20 times, 10 of them concurrently, is forwarded exactly once', async () => {
		const before = (await n8n.executions({ workflowId: flows.github.id })).count;
		const delivery = () => githubDelivery('gh-repeated');
		const statuses: number[] = [];
		statuses.push(...(await Promise.all(Array.from({ length: 10 }, () => post('github', delivery())))).map((r) => r.status));
		for (let i = 0; i < 10; i++) statuses.push((await post('github', delivery())).status);
		expect(statuses).toEqual(Array(20).fill(200));

		const executions = (await settledExecutions('github', before + 20)).slice(0, 20);
		const runs = await Promise.all(executions.map(runOf));
		expect(runs.filter((r) => r.ran.includes('Forward to CI'))).toHaveLength(1);
		expect(runs.filter((r) => r.ran.includes('Already Handled'))).toHaveLength(19);
		expect(forwardedFor('gh-repeated')).toHaveLength(1);
	});

	it('fails twice, then 429 with Retry-After, then accepts: delivered once, every attempt recorded', async () => {
		const before = (await n8n.executions({ workflowId: flows.github.id })).count;
		receiver.script(failTimes(2, 503), retryAfterSeconds(1), respond(202));
		expect((await post('github', githubDelivery('gh-flaky'))).status).toBe(200);
		const [execution] = await settledExecutions('github', before + 1);

		const attempts = forwardedFor('gh-flaky');
		expect(attempts.map((r) => r.answer)).toHaveLength(4);
		expect(new Set(attempts.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['gh-flaky']));
		attempts.forEach((attempt) => expect(verifyOutgoing(attempt)).toBeTruthy());
		// Retry-After: 1 was honoured between the 429 and the accepted attempt.
		expect(attempts[3].arrivedAtMonotonic - attempts[2].arrivedAtMonotonic).toBeGreaterThanOrEqual(1000);

		const run = await runOf(execution);
		const [delivered, failed] = run.outputs('Forward to CI');
		expect(failed ?? []).toHaveLength(0);
		expect(delivered).toHaveLength(1);
		const { delivery } = delivered[0].json;
		expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 4, status: 202 });
		expect(delivery.log.map((entry: { status?: number }) => entry.status)).toEqual([503, 503, 429, 202]);
	});

	it('a receiver that never accepts: the item reaches the dead-letter branch with its full attempt log', async () => {
		const before = (await n8n.executions({ workflowId: flows.github.id })).count;
		receiver.fallback = respond(503);
		expect((await post('github', githubDelivery('gh-dead'))).status).toBe(200);
		const [execution] = await settledExecutions('github', before + 1);

		expect(forwardedFor('gh-dead')).toHaveLength(5);
		const run = await runOf(execution);
		expect(run.ran).toContain('Dead Letter');
		const [deadLetter] = run.outputs('Dead Letter');
		expect(deadLetter).toHaveLength(1);
		const { delivery, body } = deadLetter[0].json;
		expect(body).toEqual({ ref: 'refs/heads/main', after: 'gh-dead' });
		expect(delivery).toMatchObject({ outcome: 'failed', attempts: 5, status: 503, idempotencyKey: 'gh-dead' });
		expect(delivery.log).toHaveLength(5);
		expect(delivery.log.every((entry: { status?: number }) => entry.status === 503)).toBe(true);
	});

	it('n8n restarted between two deliveries of the same id: still forwarded once', async () => {
		const before = (await n8n.executions({ workflowId: flows.github.id })).count;
		expect((await post('github', githubDelivery('gh-across-restart'))).status).toBe(200);
		await settledExecutions('github', before + 1);
		expect(forwardedFor('gh-across-restart')).toHaveLength(1);

		await n8n.restart();

		expect((await post('github', githubDelivery('gh-across-restart'))).status).toBe(200);
		const [second] = await settledExecutions('github', before + 2);
		const run = await runOf(second);
		expect(run.ran).toContain('Already Handled');
		expect(run.ran).not.toContain('Forward to CI');
		expect(forwardedFor('gh-across-restart')).toHaveLength(1);
	});

	it('Slack (with its url_verification handshake), Stripe and Standard Webhooks deliveries go through the same pattern', async () => {
		const slackBefore = (await n8n.executions({ workflowId: flows.slack.id })).count;
		const stripeBefore = (await n8n.executions({ workflowId: flows.stripe.id })).count;
		const standardBefore = (await n8n.executions({ workflowId: flows.standard.id })).count;

		// Slack's url_verification: answered with the challenge, no execution, nothing forwarded.
		const handshake = await post('slack', signedDelivery('slack', secrets.slack, JSON.stringify({ type: 'url_verification', challenge: 'chal-123', token: 'x' })));
		expect(handshake.status).toBe(200);
		expect(JSON.parse(handshake.body)).toEqual({ challenge: 'chal-123' });

		const slackBody = JSON.stringify({ type: 'event_callback', event_id: 'Ev0001', event: { type: 'app_mention', text: 'hi' } });
		const stripeBody = JSON.stringify({ id: 'evt_0001', type: 'payment_intent.succeeded', data: { object: { amount: 100 } } });
		const standardBody = JSON.stringify({ type: 'user.created', data: { id: 'u1' } });
		expect((await post('slack', signedDelivery('slack', secrets.slack, slackBody))).status).toBe(200);
		expect((await post('stripe', signedDelivery('stripe', secrets.stripe, stripeBody))).status).toBe(200);
		const standard = signedDelivery('standard-webhooks', secrets.standard, standardBody);
		expect((await post('standard', standard)).status).toBe(200);
		// The same Standard Webhooks message again (its sender retrying): deduplicated on webhook-id.
		expect((await post('standard', standard)).status).toBe(200);

		await settledExecutions('slack', slackBefore + 1);
		await settledExecutions('stripe', stripeBefore + 1);
		await settledExecutions('standard', standardBefore + 2);

		const byPath = (p: string) => receiver.requests.filter((r) => r.path === `/${p}`);
		expect(byPath(flows.slack.path).map((r) => r.body.toString())).toEqual([slackBody]);
		expect(byPath(flows.stripe.path).map((r) => r.body.toString())).toEqual([stripeBody]);
		expect(byPath(flows.standard.path).map((r) => r.body.toString())).toEqual([standardBody]);
		expect(byPath(flows.slack.path)[0].headers['idempotency-key']).toBe('Ev0001');
		expect(byPath(flows.stripe.path)[0].headers['idempotency-key']).toBe('evt_0001');
		expect(byPath(flows.standard.path)[0].headers['idempotency-key']).toBe(standard.headers['webhook-id']);
		for (const request of receiver.requests) expect(verifyOutgoing(request)).toBeTruthy();
	});

	it('chain example: System 1 → orchestrator → System 2 → orchestrator → System 3, every hop signed and verified', async () => {
		const before = (await n8n.executions({ workflowId: 'e2eChainOfSystem' })).count;
		const event = JSON.stringify({ type: 'order.created', data: { order: 'o-1' } });
		const fromSystem1 = signedDelivery('standard-webhooks', secrets.system1, event, { id: 'msg_chain_1' });
		sentSignatures.push(fromSystem1.headers['webhook-signature']);
		expect((await send(n8n.webhookUrl('system-1-events'), fromSystem1)).status).toBe(200);

		// System 2 verifies the orchestrator's hop with its own secret, then emits its event to the orchestrator.
		const [atSystem2] = await receiver.waitForRequests(1);
		expect(atSystem2.path).toBe('/system-2');
		expect(new Webhook(secrets.toSystem2).verify(atSystem2.body.toString(), standardHeaders(atSystem2))).toEqual(JSON.parse(event));
		expect(() => new Webhook(secrets.toSystem3).verify(atSystem2.body.toString(), standardHeaders(atSystem2))).toThrow();
		expect(atSystem2.headers['webhook-id']).toBe('msg_chain_1');
		const fromSystem2 = signedDelivery('standard-webhooks', secrets.system2, atSystem2.body.toString(), { id: String(atSystem2.headers['webhook-id']) });
		sentSignatures.push(fromSystem2.headers['webhook-signature']);
		expect((await send(n8n.webhookUrl('system-2-events'), fromSystem2)).status).toBe(200);
		// A forged hop from System 2 (System 1's secret) is refused.
		const forgedHop = await send(n8n.webhookUrl('system-2-events'), signedDelivery('standard-webhooks', secrets.system1, event, { id: 'msg_forged' }));
		expect(forgedHop.status).toBe(401);

		const [, atSystem3] = await receiver.waitForRequests(2);
		expect(atSystem3.path).toBe('/system-3');
		expect(new Webhook(secrets.toSystem3).verify(atSystem3.body.toString(), standardHeaders(atSystem3))).toEqual(JSON.parse(event));
		expect(atSystem3.headers['webhook-id']).toBe('msg_chain_1');
		await n8n.waitForFinished(before + 2, { workflowId: 'e2eChainOfSystem' });
		expect(receiver.requests).toHaveLength(2);
	});

	it('long-horizon example: a retry further away than the hand-over threshold goes round the Wait loop and is delivered', async () => {
		receiver.script(respond(503), respond(200));
		const delivery = githubDelivery('gh-wait-loop');
		sentSignatures.push(...Object.entries(delivery.headers).filter(([n]) => /signature/i.test(n)).map(([, v]) => v));
		expect((await send(n8n.webhookUrl('events-long-retries'), delivery)).status).toBe(200);
		const [execution] = await n8n.waitForFinished(1, { workflowId: 'e2eWaitLoopRetry' });
		expect(execution.status).toBe('success');

		const attempts = receiver.requests.filter((r) => r.path === '/wait-loop');
		expect(attempts).toHaveLength(2);
		expect(attempts.map((r) => r.headers['idempotency-key'])).toEqual(['gh-wait-loop', 'gh-wait-loop']);
		expect(attempts[1].arrivedAtMonotonic - attempts[0].arrivedAtMonotonic).toBeGreaterThanOrEqual(2000);

		const run = await runOf(execution);
		expect(run.ran).toEqual(expect.arrayContaining(['Retry Later?', 'Wait Until Next Attempt', 'Delivered']));
		expect(run.ran).not.toContain('Dead Letter');
		const detail = await n8n.execution(execution.id);
		const forwardRuns = detail.data.resultData.runData.Forward as Array<{ data: { main: Array<Array<{ json: any }>> } }>;
		expect(forwardRuns).toHaveLength(2);
		expect(forwardRuns[0].data.main[1][0].json.delivery).toMatchObject({ outcome: 'scheduled', attempts: 1 });
		expect(forwardRuns[1].data.main[0][0].json.delivery).toMatchObject({ outcome: 'delivered', attempts: 2, status: 200 });
	});

	it('no secret and no signature appears in any stored execution or in n8n\'s log', async () => {
		const { results } = await n8n.executions();
		expect(results.length).toBeGreaterThan(20);
		outgoingSignatures.push(...receiver.requests.map((r) => String(r.headers['webhook-signature'])));
		expect(outgoingSignatures.length).toBeGreaterThan(10);
		const needles = [...Object.values(secrets), ...sentSignatures, ...outgoingSignatures].filter(Boolean);
		for (const execution of results) {
			const { rawData } = await n8n.execution(execution.id);
			for (const needle of needles) expect(rawData).not.toContain(needle);
		}
		const log = n8n.logs();
		for (const needle of needles) expect(log).not.toContain(needle);
	});
});
