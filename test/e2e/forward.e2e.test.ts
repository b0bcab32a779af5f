/**
 * Reliable HTTP Forward inside a real n8n (the packed package installed as a community package), sending to the
 * real flaky receiver: a receiver that fails twice, answers 429 with Retry-After, then accepts gets the item
 * once more per attempt and it is delivered, signed; a receiver that never accepts sends the item down the
 * dead-letter branch with its full attempt log. Assertions on what the receiver got and on n8n's stored executions.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { packageName, startN8n, type N8nInstance } from '../harness/n8n';
import { failTimes, refusedUrl, respond, retryAfterSeconds, startReceiver, type Receiver } from '../harness/receiver';

jest.setTimeout(600_000);

const SIGNING_SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const CREDENTIAL_ID = 'e2eForwardSign01';

function forwardWorkflow(id: string, webhookPath: string, targetUrl: string, forward: Record<string, unknown>) {
	return {
		id,
		name: `e2e ${id}`,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
			},
			{
				parameters: {
					method: 'POST',
					url: targetUrl,
					bodySource: 'custom',
					body: '={{ JSON.stringify($json.body) }}',
					contentType: 'application/json',
					idempotencyKey: '={{ $json.body.id }}',
					schedule: 'exponential',
					initialDelayMs: 200,
					multiplier: 2,
					maxDelayMs: 5000,
					jitter: 'none',
					options: { timeoutMs: 5000 },
					...forward,
				},
				name: 'Reliable HTTP Forward',
				type: `${packageName}.reliableHttpForward`,
				typeVersion: 1,
				position: [220, 0],
				...(forward.signRequests ? { credentials: { outgoingWebhookSigningApi: { id: CREDENTIAL_ID, name: 'e2e outgoing signing' } } } : {}),
			},
			{ parameters: {}, name: 'Delivered', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, -100] },
			{ parameters: {}, name: 'Dead Letter', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 100] },
		],
		connections: {
			Webhook: { main: [[{ node: 'Reliable HTTP Forward', type: 'main', index: 0 }]] },
			'Reliable HTTP Forward': {
				main: [[{ node: 'Delivered', type: 'main', index: 0 }], [{ node: 'Dead Letter', type: 'main', index: 0 }]],
			},
		},
	};
}

/** n8n's own HTTP Request node signing with our credential (Predefined Credential Type). */
function httpRequestWorkflow(id: string, webhookPath: string, targetUrl: string) {
	return {
		id,
		name: `e2e ${id}`,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'onReceived', options: {} },
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `${id}-hook`,
			},
			{
				parameters: {
					method: 'POST',
					url: targetUrl,
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'outgoingWebhookSigningApi',
					sendHeaders: true,
					headerParameters: { parameters: [{ name: 'webhook-id', value: '={{ $json.body.id }}' }] },
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify($json.body) }}',
					options: {},
				},
				name: 'HTTP Request',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				position: [220, 0],
				credentials: { outgoingWebhookSigningApi: { id: CREDENTIAL_ID, name: 'e2e outgoing signing' } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
	};
}

describe('Reliable HTTP Forward in a real n8n', () => {
	let n8n: N8nInstance;
	let receiver: Receiver;

	beforeAll(async () => {
		receiver = await startReceiver();
		receiver.fallback = respond(200);
		const workflows = [
			forwardWorkflow('e2eForwardFlaky1', 'forward-flaky', `${receiver.url}/flaky`, { maxAttempts: 6, signRequests: true }),
			forwardWorkflow('e2eForwardDead01', 'forward-dead', `${receiver.url}/dead`, { maxAttempts: 3 }),
			httpRequestWorkflow('e2eHttpReqSign01', 'http-request-signed', `${receiver.url}/http-request`),
			// Issue 10: a long Retry-After, a receiver's big integer, a refused connection.
			forwardWorkflow('e2eForwardSlow01', 'forward-slow', `${receiver.url}/slow`, { maxAttempts: 8 }),
			forwardWorkflow('e2eForwardExact1', 'forward-exact', `${receiver.url}/exact`, { maxAttempts: 2, options: { timeoutMs: 5000, includeResponse: 'body' } }),
			forwardWorkflow('e2eForwardRefus1', 'forward-refused', `${await refusedUrl()}/hook`, { maxAttempts: 3 }),
			// Issue 14: a circuit breaker shared by the executions of one n8n.
			forwardWorkflow('e2eForwardCircu1', 'forward-circuit', `${receiver.url}/circuit`, {
				maxAttempts: 3,
				circuitBreaker: true,
				circuitOptions: { consecutiveFailures: 3, openSeconds: 600 },
			}),
		];
		const credentials = [
			{ id: CREDENTIAL_ID, name: 'e2e outgoing signing', type: 'outgoingWebhookSigningApi', data: { scheme: 'standard-webhooks', secret: SIGNING_SECRET } },
		];
		n8n = await startN8n({ workflows, credentials });
	});
	afterAll(async () => {
		await n8n?.stop();
		await receiver?.close();
	});

	const trigger = async (webhookPath: string, body: object) => {
		const response = await fetch(n8n.webhookUrl(webhookPath), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		expect(response.status).toBe(200);
	};

	const forwardRun = async (workflowId: string) => {
		const [execution] = await n8n.waitForExecutions((r) => r.length === 1 && r[0].done, { workflowId, timeoutMs: 120_000 });
		const detail = await n8n.execution(execution.id);
		const runData = detail.data.resultData.runData;
		const [delivered, failed] = runData['Reliable HTTP Forward'][0].data.main as Array<Array<{ json: any }> | null>;
		return { execution, detail, runData, delivered: delivered ?? [], failed: failed ?? [] };
	};

	it('fails twice, then 429 with Retry-After, then accepts: delivered once, signed, attempts recorded', async () => {
		let flakyCount = 0;
		const flaky = [...failTimes(2, 503), retryAfterSeconds(1), respond(200)];
		receiver.handle((request) => (request.path === '/flaky' ? (flaky[flakyCount++] ?? respond(200)) : undefined));

		await trigger('forward-flaky', { id: 'evt-e2e-1', hello: 'wörld' });
		const { execution, runData, delivered, failed } = await forwardRun('e2eForwardFlaky1');

		expect(execution.status).toBe('success');
		expect(failed).toHaveLength(0);
		expect(delivered).toHaveLength(1);
		expect(delivered[0].json.delivery).toMatchObject({ outcome: 'delivered', attempts: 4, status: 200, idempotencyKey: 'evt-e2e-1' });
		expect(delivered[0].json.delivery.log.map((e: any) => e.status)).toEqual([503, 503, 429, 200]);
		expect(delivered[0].json.delivery.log[3].waitedMs).toBeGreaterThanOrEqual(995);
		expect(runData['Delivered']).toHaveLength(1);
		expect(runData['Dead Letter']).toBeUndefined();

		const got = receiver.requests.filter((r) => r.path === '/flaky');
		expect(got).toHaveLength(4);
		const library = new Webhook(SIGNING_SECRET);
		for (const request of got) {
			const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
			expect(library.verify(request.body.toString('utf8'), headers)).toEqual({ id: 'evt-e2e-1', hello: 'wörld' });
			expect(headers['idempotency-key']).toBe('evt-e2e-1');
			expect(headers['webhook-id']).toBe('evt-e2e-1');
		}
		expect(got[3].arrivedAtMonotonic - got[2].arrivedAtMonotonic).toBeGreaterThanOrEqual(995);
	});

	it('a receiver that never accepts: the item takes the dead-letter branch with its full attempt log', async () => {
		receiver.handle((request) => (request.path === '/dead' ? respond(503) : undefined));

		await trigger('forward-dead', { id: 'evt-e2e-dead' });
		const { execution, runData, delivered, failed } = await forwardRun('e2eForwardDead01');

		expect(execution.status).toBe('success');
		expect(delivered).toHaveLength(0);
		expect(failed).toHaveLength(1);
		expect(failed[0].json.delivery).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 3, status: 503 });
		expect(failed[0].json.delivery.log.map((e: any) => [e.attempt, e.status])).toEqual([[1, 503], [2, 503], [3, 503]]);
		expect(failed[0].json.body).toEqual({ id: 'evt-e2e-dead' });
		expect(runData['Dead Letter'][0].data.main[0]).toHaveLength(1);
		expect(runData['Delivered']).toBeUndefined();
		expect(receiver.requests.filter((r) => r.path === '/dead')).toHaveLength(3);
	});

	it('a 429 with Retry-After: 3600 is not retried early: the item is handed to the Wait loop an hour out', async () => {
		receiver.handle((request) => (request.path === '/slow' ? retryAfterSeconds(3_600) : undefined));
		await trigger('forward-slow', { id: 'evt-e2e-slow' });
		const { execution, failed, delivered } = await forwardRun('e2eForwardSlow01');
		expect(execution.status).toBe('success');
		expect(delivered).toHaveLength(0);
		expect(failed[0].json.delivery).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 1, status: 429 });
		expect(Date.parse(failed[0].json.delivery.nextAttemptAt) - Date.parse(failed[0].json.delivery.state.lastAttemptAt)).toBe(3_600_000);
		expect(receiver.requests.filter((r) => r.path === '/slow')).toHaveLength(1);
	});

	it('a receiver’s integer beyond 2^53 keeps every digit in delivery.response.body', async () => {
		receiver.handle((request) => (request.path === '/exact' ? respond(200, { body: '{"receipt_id":8202522731445525543,"ok":true}' }) : undefined));
		await trigger('forward-exact', { id: 'evt-e2e-exact' });
		const { delivered } = await forwardRun('e2eForwardExact1');
		expect(delivered[0].json.delivery.response.body).toEqual({ receipt_id: '8202522731445525543', ok: true });
	});

	it('a refused connection is retried as a network failure, then dead-lettered', async () => {
		await trigger('forward-refused', { id: 'evt-e2e-refused' });
		const { execution, failed } = await forwardRun('e2eForwardRefus1');
		expect(execution.status).toBe('success');
		expect(failed[0].json.delivery).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 3, status: null });
		for (const entry of failed[0].json.delivery.log) expect(entry.error).toMatch(/ECONNREFUSED/);
	});

	it('a circuit breaker opened by one execution stops the next: no request, the item is scheduled for the half-open time', async () => {
		receiver.handle((request) => (request.path === '/circuit' ? respond(503) : undefined));
		await trigger('forward-circuit', { id: 'evt-e2e-circuit-1' });
		const [first] = await n8n.waitForExecutions((r) => r.length === 1 && r[0].done, { workflowId: 'e2eForwardCircu1', timeoutMs: 120_000 });
		const firstRun = (await n8n.execution(first.id)).data.resultData.runData['Reliable HTTP Forward'][0].data.main[1];
		expect(firstRun[0].json.delivery).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 3, circuit: { key: receiver.url, state: 'open' } });

		await trigger('forward-circuit', { id: 'evt-e2e-circuit-2' });
		const runs = await n8n.waitForExecutions((r) => r.length === 2 && r.every((e) => e.done), { workflowId: 'e2eForwardCircu1', timeoutMs: 120_000 });
		const second = runs.find((run) => run.id !== first.id)!;
		const secondRun = (await n8n.execution(second.id)).data.resultData.runData['Reliable HTTP Forward'][0].data.main[1];
		const delivery = secondRun[0].json.delivery;
		expect(delivery).toMatchObject({ outcome: 'scheduled', attempts: 0, idempotencyKey: 'evt-e2e-circuit-2', circuit: { key: receiver.url, state: 'open' } });
		expect(Date.parse(delivery.nextAttemptAt)).toBeGreaterThan(Date.now() + 500_000);
		expect(receiver.requests.filter((r) => r.path === '/circuit')).toHaveLength(3);
	});

	it("the same credential signs from n8n's own HTTP Request node (Predefined Credential Type)", async () => {
		await trigger('http-request-signed', { id: 'evt-e2e-http', note: 'signed by HTTP Request' });
		const [execution] = await n8n.waitForExecutions((r) => r.length === 1 && r[0].done, { workflowId: 'e2eHttpReqSign01', timeoutMs: 120_000 });
		expect(execution.status).toBe('success');
		const got = receiver.requests.filter((r) => r.path === '/http-request');
		expect(got).toHaveLength(1);
		const headers = Object.fromEntries(Object.entries(got[0].headers).map(([k, v]) => [k, String(v)]));
		expect(new Webhook(SIGNING_SECRET).verify(got[0].body.toString('utf8'), headers)).toEqual({ id: 'evt-e2e-http', note: 'signed by HTTP Request' });
		expect(headers['webhook-id']).toBe('evt-e2e-http');
	});

	it('no signing secret in any stored execution or in n8n’s log', async () => {
		const { results } = await n8n.executions();
		for (const summary of results) {
			const detail = await n8n.execution(summary.id);
			expect(detail.rawData).not.toContain(SIGNING_SECRET.slice(6));
		}
		expect(n8n.logs()).not.toContain(SIGNING_SECRET.slice(6));
	});
});
