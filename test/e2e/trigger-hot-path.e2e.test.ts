/**
 * The Signed Webhook Trigger's per-request path in a real n8n (the pinned latest and the floor), at typeVersion 2
 * (what the editor adds): bodies n8n does not pre-read for version-2 nodes still verify byte for byte; forged calls
 * get 401 and no execution, and a run of them writes one info line to n8n's log; a secret changed through n8n's
 * own credentials API is used once the trigger's 10 s settings cache has expired (polled, bounded; nothing timed).
 */
import { signedDelivery } from '../harness/deliveries';
import { send } from '../harness/http';
import { N8nInstance, startN8n } from '../harness/n8n';
import { credential as credentialJson, signedWebhookTrigger, workflow as workflowJson } from '../harness/workflows';

jest.setTimeout(300_000);

const OLD_SECRET = 'hot-path-old-secret-4f1b2c';
const NEW_SECRET = 'hot-path-new-secret-8e7d6a';
const credential = credentialJson('webhookSigningSecretApi', 'hotPathSecret001', 'Hot path secret', { secret: OLD_SECRET });
const workflow = workflowJson('hotPathTrigger01', 'hot path', [
	signedWebhookTrigger(
		{ path: 'hot-path', provider: 'github', responseMode: 'lastNode', responseData: 'firstEntryJson', options: { rateLimitPerMinute: 0 } },
		{ typeVersion: 2, credential },
	),
]);

function delivery(body: string, secret: string, contentType?: string) {
	return signedDelivery('github', secret, body, { contentType: contentType ?? null, headers: { 'x-github-event': 'push' } });
}

describe.each(['latest', 'floor'] as const)('Signed Webhook Trigger hot path in n8n (%s)', (version) => {
	let n8n: N8nInstance;
	beforeAll(async () => {
		n8n = await startN8n({ version, workflows: [workflow], credentials: [credential] });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('verifies bodies n8n does not pre-read for version-2 nodes, byte for byte', async () => {
		for (const [contentType, body, parsed] of [
			['application/octet-stream', 'raw\u0001bytes', 'raw\u0001bytes'],
			['application/vnd.api+json', '{"a": 1}', { a: 1 }],
			['application/json', '{"b":2}', { b: 2 }],
		] as const) {
			const response = await send(n8n.webhookUrl('hot-path'), delivery(body, OLD_SECRET, contentType));
			expect(response.status).toBe(200);
			expect(response.json.body).toEqual(parsed);
		}
		await n8n.waitForExecutions((results) => results.length === 3, { workflowId: workflow.id });
	});

	it('forged calls get 401 and no execution; a run of them writes one info line', async () => {
		const before = await n8n.countExecutions({ workflowId: workflow.id });
		const linesBefore = n8n.logs().split('\n').filter((line) => line.includes('rejected a request')).length;
		for (let i = 0; i < 6; i++) {
			const response = await send(n8n.webhookUrl('hot-path'), delivery(`{"forged":${i}}`, 'a guess', 'application/json'));
			expect(response.status).toBe(401);
			expect(response.json).toEqual({ error: 'invalid_signature', message: expect.any(String) });
		}
		expect(await n8n.countExecutions({ workflowId: workflow.id })).toBe(before);
		const lines = n8n.logs().split('\n').filter((line) => line.includes('rejected a request'));
		expect(lines.length - linesBefore).toBe(1);
	});

	it('a secret changed in the credential is used once the settings cache expired', async () => {
		const current = await n8n.rest('GET', `/rest/credentials/${credential.id}`);
		expect(current.status).toBe(200);
		const updated = await n8n.rest('PATCH', `/rest/credentials/${credential.id}`, {
			name: credential.name,
			type: credential.type,
			data: { secret: NEW_SECRET },
		});
		expect(updated.status).toBe(200);

		// Bounded poll: the old secret may answer for up to the cache's 10 s; then only the new one verifies.
		let status = 0;
		for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
			status = (await send(n8n.webhookUrl('hot-path'), delivery('{"rotated":true}', NEW_SECRET, 'application/json'))).status;
			if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		expect(status).toBe(200);
		expect((await send(n8n.webhookUrl('hot-path'), delivery('{"old":true}', OLD_SECRET, 'application/json'))).status).toBe(401);
	});

	it('no secret reaches n8n\'s log', () => {
		const log = n8n.logs();
		expect(log).not.toContain(OLD_SECRET);
		expect(log).not.toContain(NEW_SECRET);
	});
});
