/**
 * The Signed Webhook Trigger in a real n8n (pinned latest and the floor) behind a reverse proxy under a path, with
 * the exact input it verified kept exact (issue 10, kinds 10 and 3):
 *  - n8n runs with WEBHOOK_URL=http://127.0.0.1:<proxy>/n8n/; the proxy (node:http, below) strips /n8n, so n8n sees
 *    /webhook/<path> while the sender calls and signs the prefixed URL;
 *  - a Twilio delivery signed for the public prefixed URL (query string included) runs once, in production mode and
 *    in test mode (the editor's "Listen for test event", started through n8n's REST API); one signed for the URL
 *    without the prefix, for the other mode's URL, or with another token gets 401 and starts nothing;
 *  - `{"order_id":8202522731445525542}` arrives in the stored execution's item as "8202522731445525542", and
 *    `...543` as "8202522731445525543" (n8n's own JSON parse gives 8202522731445526000 for both).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signedDelivery } from '../harness/deliveries';
import { send } from '../harness/http';
import { N8nInstance, outputItem, startN8n } from '../harness/n8n';
import { credential, signedWebhookTrigger, workflow } from '../harness/workflows';

jest.setTimeout(600_000);

const TWILIO_TOKEN = '3c9a1f0e7b2d4c6a8e0f1a2b3c4d5e6f';
const GITHUB_SECRET = 'e2e-proxy-github-secret-9b8c7d6e';
const PREFIX = '/n8n';

const credentials = [
	credential('webhookSigningSecretApi', 'proxyTwilioTok01', 'proxy twilio', { secret: TWILIO_TOKEN }),
	credential('webhookSigningSecretApi', 'proxyGithubSec01', 'proxy github', { secret: GITHUB_SECRET }),
];

function triggerWorkflow(id: string, credentialId: string, parameters: Record<string, unknown>) {
	const secret = credentials.find((c) => c.id === credentialId)!;
	return workflow(id, `proxy ${id}`, [signedWebhookTrigger(parameters, { typeVersion: 2, credential: secret })]);
}

const TWILIO_FLOW = 'proxyTwilioFlow1';
const GITHUB_FLOW = 'proxyGithubFlow1';
const workflows = [
	triggerWorkflow(TWILIO_FLOW, 'proxyTwilioTok01', { path: 'e2e-twilio-sms', provider: 'twilio' }),
	triggerWorkflow(GITHUB_FLOW, 'proxyGithubSec01', { path: 'e2e-exact-numbers', provider: 'github' }),
];

/** A reverse proxy on 127.0.0.1 that serves n8n under PREFIX: `/n8n/x` → n8n's `/x`; anything else is 404. */
async function startPrefixProxy(): Promise<{ port: number; target: { port: number }; close(): Promise<void> }> {
	const target = { port: 0 };
	const server = http.createServer((req, res) => {
		const url = req.url ?? '/';
		if (!url.startsWith(`${PREFIX}/`)) {
			res.writeHead(404).end();
			return;
		}
		const upstream = http.request(
			{ host: '127.0.0.1', port: target.port, method: req.method, path: url.slice(PREFIX.length), headers: req.headers },
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', () => res.writeHead(502).end());
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		target,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

// The form fields of a Twilio SMS webhook (twilio.com/docs/messaging/guides/webhook-request).
const SMS_BODY = 'AccountSid=AC0000000000000000000000000000000a&Body=Proxy%20e2e&From=%2B15005550006&To=%2B15005550001';

function twilioDelivery(signedUrl: string, token = TWILIO_TOKEN) {
	return signedDelivery('twilio', token, SMS_BODY, { contentType: 'application/x-www-form-urlencoded', url: signedUrl });
}

describe.each(['latest', 'floor'])('Signed Webhook Trigger behind a reverse proxy under /n8n (%s)', (version) => {
	let n8n: N8nInstance;
	let proxy: Awaited<ReturnType<typeof startPrefixProxy>>;
	let publicBase: string;
	const item = async (executionId: string) => outputItem(await n8n.execution(executionId), 'Signed Webhook Trigger');

	beforeAll(async () => {
		proxy = await startPrefixProxy();
		publicBase = `http://127.0.0.1:${proxy.port}${PREFIX}/`;
		n8n = await startN8n({ version, workflows, credentials, env: { WEBHOOK_URL: publicBase } });
		proxy.target.port = n8n.port;
	});
	afterAll(async () => {
		await n8n?.stop();
		await proxy?.close();
	});

	it('production: a Twilio delivery signed for the prefixed public URL runs once; unprefixed-signed and forged ones get 401', async () => {
		const publicUrl = `${publicBase}webhook/e2e-twilio-sms?source=sms&b=2&a=1`;
		const unprefixed = await send(publicUrl, twilioDelivery(`http://127.0.0.1:${proxy.port}/webhook/e2e-twilio-sms?source=sms&b=2&a=1`));
		expect(unprefixed.status).toBe(401);
		expect(unprefixed.json).toEqual({ error: 'invalid_signature', message: expect.any(String) });
		const forged = await send(publicUrl, twilioDelivery(publicUrl, 'f'.repeat(32)));
		expect(forged.status).toBe(401);
		const testModeUrl = await send(publicUrl, twilioDelivery(`${publicBase}webhook-test/e2e-twilio-sms?source=sms&b=2&a=1`));
		expect(testModeUrl.status).toBe(401);
		expect(await n8n.countExecutions({ workflowId: TWILIO_FLOW })).toBe(0);

		const genuine = await send(publicUrl, twilioDelivery(publicUrl));
		expect(genuine.status).toBe(200);
		const results = await n8n.waitForFinished(1, { workflowId: TWILIO_FLOW });
		expect(results[0].mode).toBe('webhook');
		const json = await item(results[0].id);
		expect(json.body).toMatchObject({ Body: 'Proxy e2e', From: '+15005550006' });
		expect(json.query).toEqual({ source: 'sms', b: '2', a: '1' });
	});

	it('test mode: signed for the prefixed test URL runs once; signed without the prefix or for the production URL, 401', async () => {
		const before = await n8n.countExecutions({ workflowId: TWILIO_FLOW });
		const listening = await n8n.listenForTestWebhook(TWILIO_FLOW, 'Signed Webhook Trigger');
		expect(listening).toBe(true);
		const testUrl = `${publicBase}webhook-test/e2e-twilio-sms?source=test`;
		// Rejected calls start no execution, so n8n keeps listening for the next one.
		const unprefixed = await send(testUrl, twilioDelivery(`http://127.0.0.1:${proxy.port}/webhook-test/e2e-twilio-sms?source=test`));
		expect(unprefixed.status).toBe(401);
		const productionUrl = await send(testUrl, twilioDelivery(`${publicBase}webhook/e2e-twilio-sms?source=test`));
		expect(productionUrl.status).toBe(401);
		const forged = await send(testUrl, twilioDelivery(testUrl, 'f'.repeat(32)));
		expect(forged.status).toBe(401);

		const genuine = await send(testUrl, twilioDelivery(testUrl));
		expect(genuine.status).toBe(200);
		const results = await n8n.waitForFinished(before + 1, { workflowId: TWILIO_FLOW });
		const manual = results.find((e) => e.mode === 'manual');
		expect(manual).toBeDefined();
		expect((await item(manual!.id)).query).toEqual({ source: 'test' });
	});

	it('integers beyond 2^53 arrive in the stored item with every digit, as strings; two orders stay two values', async () => {
		const url = `${publicBase}webhook/e2e-exact-numbers`;
		for (const id of ['8202522731445525542', '8202522731445525543']) {
			const body = `{"order_id":${id},"qty":2}`;
			const response = await send(url, signedDelivery('github', GITHUB_SECRET, body, { headers: { 'x-github-event': 'push' } }));
			expect(response.status).toBe(200);
		}
		const results = await n8n.waitForFinished(2, { workflowId: GITHUB_FLOW });
		const bodies = await Promise.all(results.map(async (e) => (await item(e.id)).body));
		expect(bodies.map((b) => b.order_id).sort()).toEqual(['8202522731445525542', '8202522731445525543']);
		for (const body of bodies) expect(body.qty).toBe(2);
	});
});
