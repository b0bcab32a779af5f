/**
 * The Signed Webhook Trigger in a real n8n (pinned latest and the floor), installed as a community package:
 * executions are counted in n8n's own database through its REST API.
 *  - a valid GitHub delivery → 200 and exactly one execution;
 *  - forged, stale, wrong-method and IP-blocked calls → their 4xx code and zero executions;
 *  - the client address is n8n's (N8N_PROXY_HOPS=1: X-Forwarded-For from the one trusted proxy counts);
 *  - Slack url_verification and Meta's GET hub.challenge are answered with no execution;
 *  - Respond "Using 'Respond to Webhook' Node" answers with that node's code, headers and body at version 1; a newer
 *    version (which only answers n8n's own Webhook node) is refused when the workflow is published;
 *  - no secret appears in any stored execution or in n8n's log.
 */
import { githubDelivery as signedGithubDelivery, signedDelivery } from '../harness/deliveries';
import { send } from '../harness/http';
import { N8nInstance, outputItem, startN8n } from '../harness/n8n';
import { connect, credential, node, nodeType, signedWebhookTrigger, workflow } from '../harness/workflows';

jest.setTimeout(600_000);

const GITHUB_SECRET = 'e2e-github-secret-5f1d2c3b4a';
const STRIPE_SECRET = 'whsec_e2eStripeSecret0123456789abcd';
const SLACK_SECRET = 'e2e-slack-signing-secret-77';
const META_SECRET = 'e2e-meta-app-secret-31';
const META_VERIFY_TOKEN = 'e2e-meta-verify-token-42';
const SECRETS = [GITHUB_SECRET, STRIPE_SECRET, SLACK_SECRET, META_SECRET, META_VERIFY_TOKEN];

const signingSecret = (id: string, data: Record<string, string>) => credential('webhookSigningSecretApi', id, `e2e ${id}`, data);
const credentials = [
	signingSecret('e2eGithubSecret1', { secret: GITHUB_SECRET }),
	signingSecret('e2eStripeSecret1', { secret: STRIPE_SECRET }),
	signingSecret('e2eSlackSecret01', { secret: SLACK_SECRET }),
	signingSecret('e2eMetaSecret001', { secret: META_SECRET, verifyToken: META_VERIFY_TOKEN }),
];

function triggerWorkflow(id: string, credentialId: string, parameters: Record<string, unknown>) {
	const secret = credentials.find((c) => c.id === credentialId)!;
	return workflow(id, `e2e ${id}`, [signedWebhookTrigger(parameters, { credential: secret })]);
}

/** Trigger → n8n's Respond to Webhook at `version`: 202, a header and a body built from the verified item. */
function respondNodeWorkflow(id: string, path: string, version: number) {
	const wf = triggerWorkflow(id, 'e2eGithubSecret1', { path, provider: 'github', responseMode: 'responseNode' });
	wf.nodes.push(
		node(
			nodeType.respondToWebhook,
			{
				respondWith: 'json',
				responseBody: '={{ JSON.stringify({ accepted: $json.verification.deliveryId, event: $json.verification.eventType }) }}',
				options: { responseCode: 202, responseHeaders: { entries: [{ name: 'X-Accepted-By', value: 'respond-to-webhook-v1' }] } },
			},
			{ name: 'Respond to Webhook', typeVersion: version, position: [200, 0] },
		),
	);
	wf.connections['Signed Webhook Trigger'] = connect('Respond to Webhook');
	return wf;
}

const workflows = [
	triggerWorkflow('e2eGithubFlow001', 'e2eGithubSecret1', { path: 'e2e-github', provider: 'github', options: { answerOtherMethods: true } }),
	triggerWorkflow('e2eGithubIpFlow1', 'e2eGithubSecret1', { path: 'e2e-github-ip', provider: 'github', options: { ipAllowlist: '203.0.113.0/24' } }),
	triggerWorkflow('e2eStripeFlow001', 'e2eStripeSecret1', { path: 'e2e-stripe', provider: 'stripe' }),
	triggerWorkflow('e2eSlackFlow0001', 'e2eSlackSecret01', { path: 'e2e-slack', provider: 'slack' }),
	triggerWorkflow('e2eMetaFlow00001', 'e2eMetaSecret001', { path: 'e2e-meta', provider: 'meta' }),
	respondNodeWorkflow('e2eRespondNode01', 'e2e-respond-node', 1),
];

const githubDelivery = (body: string, secret = GITHUB_SECRET, extra: Record<string, string> = {}) => signedGithubDelivery(body, secret, extra);

describe.each(['latest', 'floor'])('Signed Webhook Trigger in a real n8n (%s)', (version) => {
	let n8n: N8nInstance;
	const count = async (workflowId: string) => (await n8n.executions({ workflowId })).count;

	beforeAll(async () => {
		n8n = await startN8n({ version, workflows, credentials, env: { N8N_PROXY_HOPS: '1' } });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('a valid GitHub delivery is answered 200 and stored as exactly one execution with the verified item', async () => {
		const body = '{"ref":"refs/heads/main","e2e":"valid"}';
		const response = await send(n8n.webhookUrl('e2e-github'), githubDelivery(body));
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ received: true });
		const results = await n8n.waitForFinished(1, { workflowId: 'e2eGithubFlow001' });
		expect(results[0].status).toBe('success');
		const item = outputItem(await n8n.execution(results[0].id), 'Signed Webhook Trigger');
		expect(item.body).toEqual({ ref: 'refs/heads/main', e2e: 'valid' });
		expect(item.verification).toMatchObject({ provider: 'github', eventType: 'push', secretIndex: 0 });
		expect(item.headers['x-hub-signature-256']).toBe('[redacted]');
	});

	it('forged, unsigned and wrong-method calls get 401/401/405 and create no execution', async () => {
		const url = n8n.webhookUrl('e2e-github');
		const forged = await send(url, githubDelivery('{"e2e":"forged"}', 'not-the-secret'));
		expect(forged.status).toBe(401);
		expect(forged.json).toEqual({ error: 'invalid_signature', message: expect.any(String) });
		const unsigned = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"e2e":"unsigned"}' });
		expect(unsigned.status).toBe(401);
		expect(unsigned.json.error).toBe('missing_signature');
		const wrongMethod = await send(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{}' });
		expect(wrongMethod.status).toBe(405);
		expect(wrongMethod.json.error).toBe('method_not_allowed');
		expect(wrongMethod.headers.get('allow')).toBe('POST');
		// Still the one execution of the valid delivery.
		expect(await count('e2eGithubFlow001')).toBe(1);
	});

	it('IP allowlist: the direct caller is blocked with 403; behind one trusted proxy, X-Forwarded-For decides', async () => {
		const url = n8n.webhookUrl('e2e-github-ip');
		const direct = await send(url, githubDelivery('{"e2e":"ip-direct"}'));
		expect(direct.status).toBe(403);
		expect(direct.json.error).toBe('ip_not_allowed');
		const outside = await send(url, githubDelivery('{"e2e":"ip-outside"}', GITHUB_SECRET, { 'x-forwarded-for': '198.51.100.7' }));
		expect(outside.status).toBe(403);
		expect(await count('e2eGithubIpFlow1')).toBe(0);
		const inside = await send(url, githubDelivery('{"e2e":"ip-inside"}', GITHUB_SECRET, { 'x-forwarded-for': '203.0.113.9' }));
		expect(inside.status).toBe(200);
		await n8n.waitForFinished(1, { workflowId: 'e2eGithubIpFlow1' });
	});

	it('a stale Stripe delivery (a replay) gets 401 timestamp_out_of_tolerance and no execution', async () => {
		const body = '{"id":"evt_e2e","object":"event","type":"invoice.paid"}';
		const stale = await send(n8n.webhookUrl('e2e-stripe'), signedDelivery('stripe', STRIPE_SECRET, body, { timestamp: Date.now() - 3_600_000 }));
		expect(stale.status).toBe(401);
		expect(stale.json.error).toBe('timestamp_out_of_tolerance');
		expect(await count('e2eStripeFlow001')).toBe(0);
	});

	it('Slack url_verification is answered with the challenge and no execution; unsigned it is refused', async () => {
		const url = n8n.webhookUrl('e2e-slack');
		const body = JSON.stringify({ token: 'legacy', challenge: 'e2e-challenge-3eZbrw1a', type: 'url_verification' });
		const unsigned = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(unsigned.status).toBe(401);
		const signed = await send(url, signedDelivery('slack', SLACK_SECRET, body));
		expect(signed.status).toBe(200);
		expect(signed.json).toEqual({ challenge: 'e2e-challenge-3eZbrw1a' });
		expect(await count('e2eSlackFlow0001')).toBe(0);
	});

	it("Meta's GET hub.challenge is answered on the POST trigger's path, with no execution", async () => {
		const base = n8n.webhookUrl('e2e-meta');
		const good = await send(`${base}?hub.mode=subscribe&hub.verify_token=${META_VERIFY_TOKEN}&hub.challenge=84737373`, { method: 'GET' });
		expect(good.status).toBe(200);
		expect(good.text).toBe('84737373');
		const bad = await send(`${base}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=84737373`, { method: 'GET' });
		expect(bad.status).toBe(401);
		expect(await count('e2eMetaFlow00001')).toBe(0);
	});

	it("Respond 'Using Respond to Webhook Node' with Respond to Webhook version 1: its code, header and body, one execution", async () => {
		const response = await send(n8n.webhookUrl('e2e-respond-node'), githubDelivery('{"e2e":"respond-node"}', GITHUB_SECRET, { 'x-github-delivery': 'e2e-respond-1' }));
		expect(response.status).toBe(202);
		expect(response.headers.get('x-accepted-by')).toBe('respond-to-webhook-v1');
		expect(response.json).toEqual({ accepted: 'e2e-respond-1', event: 'push' });
		const results = await n8n.waitForFinished(1, { workflowId: 'e2eRespondNode01' });
		expect(results[0].status).toBe('success');
		// Forged calls are still answered by the trigger at once, with no execution.
		const forged = await send(n8n.webhookUrl('e2e-respond-node'), githubDelivery('{"e2e":"respond-forged"}', 'not-the-secret'));
		expect(forged.status).toBe(401);
		expect(await count('e2eRespondNode01')).toBe(1);
	});

	it('a newer Respond to Webhook (1.5) in that mode is refused when the workflow is published, naming the fix', async () => {
		const wf = respondNodeWorkflow('unused', 'e2e-respond-new', 1.5) as Record<string, unknown>;
		delete wf.id;
		const created = await n8n.rest('POST', '/rest/workflows', { ...wf, name: `e2e respond 1.5 ${version}`, active: false, settings: {} });
		expect(created.status).toBe(200);
		const { id, versionId } = created.body.data;
		const expected = 'Respond: "Respond to Webhook" is Respond to Webhook version 1.5, which answers only n8n\'s own Webhook node. Use version 1 of it';
		const unescaped = (body: unknown) => JSON.stringify(body ?? null).replace(/\\"/g, '"');
		// n8n 1.x refuses the publish call itself; n8n 2.x publishes through an outbox polled every 15 s and keeps the
		// refusal in the workflow's publication status (the editor shows it).
		const activated = await n8n.rest('POST', `/rest/workflows/${id}/activate`, { versionId });
		let refusal = activated.status >= 400 ? unescaped(activated.body) : '';
		for (let attempt = 0; attempt < 250 && !refusal.includes(expected); attempt++) {
			await new Promise((resolve) => setTimeout(resolve, 200));
			refusal = [
				unescaped((await n8n.rest('GET', `/rest/active-workflows/error/${id}`)).body),
				unescaped((await n8n.rest('GET', `/rest/workflows/${id}/publication-status`)).body),
			].join(' ');
		}
		// eslint-disable-next-line no-console
		console.log(`publishing with Respond to Webhook 1.5 (${version}): HTTP ${activated.status}; refusal ${refusal.slice(0, 300)}`);
		expect(refusal).toContain(expected);
		const call = await send(n8n.webhookUrl('e2e-respond-new'), githubDelivery('{"e2e":"respond-new"}'));
		expect(call.status).toBe(404);
		expect(await count(id)).toBe(0);
	});

	it('no secret or verify token appears in any stored execution or in n8n\'s log', async () => {
		const all = await n8n.executions();
		expect(all.count).toBeGreaterThanOrEqual(2);
		for (const summary of all.results) {
			const detail = await n8n.execution(summary.id);
			for (const secret of SECRETS) expect(detail.rawData).not.toContain(secret);
		}
		const log = n8n.logs();
		for (const secret of SECRETS) expect(log).not.toContain(secret);
	});
});
