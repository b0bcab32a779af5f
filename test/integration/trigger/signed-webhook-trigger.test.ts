/**
 * ADAPTER TEST: SignedWebhookTrigger.webhook() on real HTTP requests through a real Express server and n8n-core's
 * WebhookContext (see webhookServer.ts for exactly what is n8n and what is emulated). "Executions" here are the
 * workflowData that would make n8n start one. The real-n8n run is test/e2e/trigger.e2e.test.ts.
 */
import { createHash, createHmac, generateKeyPairSync, sign as edSign } from 'node:crypto';
import { sign } from '../../../nodes/core/signatures';
import { logLines, startTriggerServer, type TriggerServer, type TriggerServerOptions } from './webhookServer';

const GITHUB_SECRET = 'gh-current-secret-0f3e9a';
const GITHUB_PREVIOUS = 'gh-previous-secret-77aa1c';
const GITHUB_OLDER = 'gh-older-secret-c0c0c0';
const STRIPE_SECRET = 'whsec_stripeTestSecret0123456789abcdef';
const SLACK_SECRET = 'slack-signing-secret-8f8f8f8f';
const ZOOM_SECRET = 'zoom-secret-token-1234abcd';
const TWITCH_SECRET = 'twitch-secret-abcdefghij';
const META_SECRET = 'meta-app-secret-999';
const META_VERIFY_TOKEN = 'meta-verify-token-xyz';
const TWILIO_TOKEN = '8f2b3c4d5e6f708192a3b4c5d6e7f809';
const SQUARE_KEY = 'square-signature-key-6a7b8c9d0e1f2a3b';
const HUBSPOT_SECRET = 'hubspot-client-secret-4c5d6e7f8a9b0c1d';
const GENERIC_SECRET = 'generic-url-signing-secret-0a1b2c3d4e';
const ALL_SECRETS = [GITHUB_SECRET, GITHUB_PREVIOUS, GITHUB_OLDER, STRIPE_SECRET, SLACK_SECRET, ZOOM_SECRET, TWITCH_SECRET, META_SECRET, META_VERIFY_TOKEN, TWILIO_TOKEN, SQUARE_KEY, HUBSPOT_SECRET, GENERIC_SECRET];

const servers: TriggerServer[] = [];
async function serve(parameters: Record<string, unknown>, credentials: TriggerServerOptions['credentials'], extra: Partial<TriggerServerOptions> = {}) {
	const server = await startTriggerServer({ parameters, credentials, ...extra });
	servers.push(server);
	return server;
}
afterAll(async () => {
	await Promise.all(servers.map((server) => server.close()));
});

const githubCredentials = { webhookSigningSecretApi: { secret: GITHUB_SECRET, previousSecret: GITHUB_PREVIOUS, olderSecret: GITHUB_OLDER } };

function githubRequest(body: string, secret = GITHUB_SECRET, extraHeaders: Record<string, string> = {}): RequestInit {
	return {
		method: 'POST',
		headers: {
			'content-type': 'application/json',
			'x-github-event': 'push',
			'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
			...sign({ provider: 'github', secret, body }),
			...extraHeaders,
		},
		body,
	};
}

async function call(url: string, init: RequestInit) {
	const response = await fetch(url, init);
	const text = await response.text();
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, headers: response.headers, text, json };
}

describe('GitHub deliveries', () => {
	let server: TriggerServer;
	beforeAll(async () => {
		server = await serve({ path: 'github', provider: 'github' }, githubCredentials);
	});

	it('a valid delivery is answered 200 and becomes one execution with the documented item', async () => {
		const before = server.executions.length;
		const body = '{"ref":"refs/heads/main","commits":[]}';
		const response = await call(`${server.url}?source=test`, githubRequest(body));
		expect(response.status).toBe(200);
		expect(response.json).toEqual({ received: true });
		expect(server.executions.length).toBe(before + 1);
		const [item] = server.executions[server.executions.length - 1];
		expect(item.json).toEqual({
			body: { ref: 'refs/heads/main', commits: [] },
			headers: expect.objectContaining({ 'x-github-event': 'push', 'x-hub-signature-256': '[redacted]' }),
			query: { source: 'test' },
			method: 'POST',
			verification: {
				provider: 'github',
				deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
				eventType: 'push',
				timestamp: null,
				secretIndex: 0,
			},
		});
		expect(item.binary).toBeUndefined();
	});

	it.each([
		['a forged signature', { 'x-hub-signature-256': `sha256=${'ab'.repeat(32)}` }, 'invalid_signature'],
		['a signature made with another secret', sign({ provider: 'github', secret: 'not-the-secret', body: '{"a":1}' }), 'invalid_signature'],
		['a malformed signature', { 'x-hub-signature-256': 'sha256=zz-not-hex' }, 'malformed_signature'],
		['no signature', {}, 'missing_signature'],
	])('%s gets 401 and no execution', async (_label, signatureHeaders, code) => {
		const before = server.executions.length;
		const response = await call(server.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...(signatureHeaders as Record<string, string>) },
			body: '{"a":1}',
		});
		expect(response.status).toBe(401);
		expect(response.json).toEqual({ error: code, message: expect.any(String) });
		expect(server.executions.length).toBe(before);
		expect(server.calls[server.calls.length - 1].result.workflowData).toBeUndefined();
	});

	// Issue 10, kind 3: n8n's body parser (emulated here for typeVersion 1) rounds both ids to 8202522731445526000.
	it('integers beyond 2^53 keep every digit (as strings), so two orders stay two values', async () => {
		const before = server.executions.length;
		for (const [contentType, id] of [
			['application/json', '8202522731445525542'],
			['application/json', '8202522731445525543'],
			['application/vnd.api+json', '8202522731445525542'],
		] as const) {
			const response = await call(server.url, { ...githubRequest(`{"order_id":${id},"qty":2}`), headers: { ...(githubRequest(`{"order_id":${id},"qty":2}`).headers as Record<string, string>), 'content-type': contentType } });
			expect(response.status).toBe(200);
		}
		const bodies = server.executions.slice(before).map(([item]) => (item.json as any).body);
		expect(bodies).toEqual([
			{ order_id: '8202522731445525542', qty: 2 },
			{ order_id: '8202522731445525543', qty: 2 },
			{ order_id: '8202522731445525542', qty: 2 },
		]);
	});

	it('a valid signature over a re-serialised body is refused: the exact bytes count', async () => {
		const original = '{"a": 1, "b": [1, 2]}';
		const init = githubRequest(original);
		const before = server.executions.length;
		const response = await call(server.url, { ...init, body: JSON.stringify(JSON.parse(original)) });
		expect(response.status).toBe(401);
		expect(response.json.error).toBe('invalid_signature');
		expect(server.executions.length).toBe(before);
	});

	it('during a rotation the previous and older secrets verify, reported by position only', async () => {
		for (const [secret, index] of [
			[GITHUB_PREVIOUS, 1],
			[GITHUB_OLDER, 2],
		] as const) {
			const response = await call(server.url, githubRequest('{"rotated":true}', secret));
			expect(response.status).toBe(200);
			const [item] = server.executions[server.executions.length - 1];
			expect((item.json.verification as any).secretIndex).toBe(index);
		}
	});

	it('the legacy SHA-1 header alone is refused while the toggle is off', async () => {
		const body = '{"legacy":true}';
		const sha1 = `sha1=${createHmac('sha1', GITHUB_SECRET).update(body).digest('hex')}`;
		const response = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': sha1 }, body });
		expect(response.status).toBe(401);
		expect(response.json.error).toBe('missing_signature');
	});

	it('another method is not registered: n8n answers 404 and nothing runs', async () => {
		const before = server.executions.length;
		const response = await call(server.url, { method: 'GET' });
		expect(response.status).toBe(404);
		expect(server.executions.length).toBe(before);
	});
});

describe('options', () => {
	it('legacy SHA-1 is accepted when enabled', async () => {
		const server = await serve({ path: 'gh-sha1', provider: 'github', allowSha1: true }, githubCredentials);
		const body = '{"legacy":true}';
		const sha1 = `sha1=${createHmac('sha1', GITHUB_SECRET).update(body).digest('hex')}`;
		const response = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature': sha1 }, body });
		expect(response.status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('answers other methods with 405 and an Allow header when asked to', async () => {
		const server = await serve({ path: 'gh-405', provider: 'github', options: { answerOtherMethods: true } }, githubCredentials);
		for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
			const response = await call(server.url, { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{}' }) });
			expect(response.status).toBe(405);
			expect(response.json).toEqual({ error: 'method_not_allowed', message: expect.any(String) });
			expect(response.headers.get('allow')).toBe('POST');
		}
		expect((await call(server.url, githubRequest('{"ok":1}'))).status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('IP allowlist: a client outside gets 403, loopback (IPv4 or its mapped IPv6 form) is let in', async () => {
		const blocked = await serve({ path: 'ip-blocked', provider: 'github', options: { ipAllowlist: '10.0.0.0/8, 2001:db8::/32' } }, githubCredentials);
		const response = await call(blocked.url, githubRequest('{"x":1}'));
		expect(response.status).toBe(403);
		expect(response.json.error).toBe('ip_not_allowed');
		expect(blocked.executions).toHaveLength(0);

		const mapped = await serve({ path: 'ip-mapped', provider: 'github', options: { ipAllowlist: '::ffff:127.0.0.0/104' } }, githubCredentials);
		expect((await call(mapped.url, githubRequest('{"x":1}'))).status).toBe(200);
		expect(mapped.executions).toHaveLength(1);
	});

	it('IP allowlist uses the client address n8n computes: X-Forwarded-For counts only behind trusted proxy hops', async () => {
		const allowlist = { ipAllowlist: '203.0.113.0/24' };
		const direct = await serve({ path: 'ip-direct', provider: 'github', options: allowlist }, githubCredentials);
		const spoofed = await call(direct.url, githubRequest('{"x":1}', GITHUB_SECRET, { 'x-forwarded-for': '203.0.113.7' }));
		expect(spoofed.status).toBe(403);
		expect(direct.executions).toHaveLength(0);

		const proxied = await serve({ path: 'ip-proxied', provider: 'github', options: allowlist }, githubCredentials, { proxyHops: 1 });
		expect((await call(proxied.url, githubRequest('{"x":1}', GITHUB_SECRET, { 'x-forwarded-for': '203.0.113.7' }))).status).toBe(200);
		expect((await call(proxied.url, githubRequest('{"x":1}', GITHUB_SECRET, { 'x-forwarded-for': '198.51.100.1' }))).status).toBe(403);
		expect(proxied.executions).toHaveLength(1);
	});

	it('rate limit: over the burst a client gets 429 with Retry-After and no execution', async () => {
		const server = await serve({ path: 'rate', provider: 'github', options: { rateLimitPerMinute: 6, rateLimitBurst: 2 } }, githubCredentials);
		const statuses: number[] = [];
		let last: Awaited<ReturnType<typeof call>> | undefined;
		for (let i = 0; i < 4; i++) {
			last = await call(server.url, githubRequest(`{"n":${i}}`));
			statuses.push(last.status);
		}
		expect(statuses).toEqual([200, 200, 429, 429]);
		expect(last!.json).toEqual({ error: 'rate_limited', message: expect.any(String) });
		// 6 per minute = one token every 10 s; Retry-After is a whole number of seconds in (0, 10].
		const retryAfter = Number(last!.headers.get('retry-after'));
		expect(Number.isInteger(retryAfter)).toBe(true);
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(10);
		expect(server.executions).toHaveLength(2);
	});

	it('maximum body size: larger bodies get 413, verified or not', async () => {
		const server = await serve({ path: 'size', provider: 'github', options: { maxBodySizeKib: 1 } }, githubCredentials);
		const big = JSON.stringify({ pad: 'x'.repeat(2000) });
		const response = await call(server.url, githubRequest(big));
		expect(response.status).toBe(413);
		expect(response.json.error).toBe('body_too_large');
		const small = JSON.stringify({ pad: 'x'.repeat(900) });
		expect((await call(server.url, githubRequest(small))).status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});

	it('multipart bodies cannot be verified byte for byte: 415 and no execution', async () => {
		const server = await serve({ path: 'multipart', provider: 'github' }, githubCredentials);
		const form = new FormData();
		form.append('field', 'value');
		const response = await call(server.url, { method: 'POST', body: form, headers: { 'x-hub-signature-256': `sha256=${'00'.repeat(32)}` } });
		expect(response.status).toBe(415);
		expect(response.json.error).toBe('unsupported_body');
		expect(server.executions).toHaveLength(0);
	});

	it('allowed event types: other verified events are acknowledged with 200 and start nothing', async () => {
		const server = await serve({ path: 'events', provider: 'github', options: { allowedEventTypes: 'issues, pull_request*' } }, githubCredentials);
		const push = await call(server.url, githubRequest('{"e":1}'));
		expect(push.status).toBe(200);
		expect(push.json).toEqual({ error: 'event_not_allowed', message: expect.any(String) });
		expect(server.executions).toHaveLength(0);
		const pr = await call(server.url, githubRequest('{"e":2}', GITHUB_SECRET, { 'x-github-event': 'pull_request_review' }));
		expect(pr.status).toBe(200);
		expect(server.executions).toHaveLength(1);
		// A forged request never learns about the filter: verification comes first.
		const forged = await call(server.url, githubRequest('{"e":3}', 'wrong', { 'x-github-event': 'push' }));
		expect(forged.status).toBe(401);
	});

	it('raw body as binary keeps the exact bytes (BOM, spacing, trailing newline)', async () => {
		const server = await serve({ path: 'raw', provider: 'github', options: { rawBodyAsBinary: true } }, githubCredentials);
		const body = '\uFEFF{ "spaced" :  true }\r\n';
		const response = await call(server.url, githubRequest(body));
		expect(response.status).toBe(200);
		const [item] = server.executions[0];
		expect(Buffer.from(item.binary!.data.data, 'base64').equals(Buffer.from(body, 'utf8'))).toBe(true);
		expect(item.binary!.data.mimeType).toBe('application/json');
		expect(item.json.body).toEqual({ spaced: true });
	});

	it('response code and an empty response body are honoured for verified calls', async () => {
		const server = await serve({ path: 'resp', provider: 'github', responseCode: 202, responseBody: '' }, githubCredentials);
		const response = await call(server.url, githubRequest('{"r":1}'));
		expect(response.status).toBe(202);
		expect(response.text).toBe('');
		expect(server.executions).toHaveLength(1);
	});
});

describe('timestamps (Stripe)', () => {
	const credentials = { webhookSigningSecretApi: { secret: STRIPE_SECRET } };
	const body = '{"id":"evt_1","type":"invoice.paid","object":"event"}';
	const stripeRequest = (ageSeconds: number): RequestInit => ({
		method: 'POST',
		headers: { 'content-type': 'application/json', ...sign({ provider: 'stripe', secret: STRIPE_SECRET, body, timestamp: Date.now() - ageSeconds * 1000 }) },
		body,
	});

	it('a fresh delivery passes with its timestamp and event type; a stale one is 401 timestamp_out_of_tolerance', async () => {
		const server = await serve({ path: 'stripe', provider: 'stripe' }, credentials);
		const fresh = await call(server.url, stripeRequest(5));
		expect(fresh.status).toBe(200);
		const verification = server.executions[0][0].json.verification as any;
		expect(verification.eventType).toBe('invoice.paid');
		expect(typeof verification.timestamp).toBe('number');
		const stale = await call(server.url, stripeRequest(600));
		expect(stale.status).toBe(401);
		expect(stale.json.error).toBe('timestamp_out_of_tolerance');
		expect(server.executions).toHaveLength(1);
	});

	it('a custom window widens it; turning the check off accepts any age', async () => {
		const custom = await serve({ path: 'stripe-custom', provider: 'stripe', timestampCheck: 'custom', toleranceSeconds: 900 }, credentials);
		expect((await call(custom.url, stripeRequest(600))).status).toBe(200);
		expect((await call(custom.url, stripeRequest(1200))).status).toBe(401);
		const off = await serve({ path: 'stripe-off', provider: 'stripe', timestampCheck: 'off' }, credentials);
		expect((await call(off.url, stripeRequest(86_400 * 30))).status).toBe(200);
	});

	it('no timestamp at all is 401 missing_timestamp', async () => {
		const server = await serve({ path: 'stripe-nots', provider: 'stripe' }, credentials);
		const response = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': `v1=${'ab'.repeat(32)}` }, body });
		expect(response.status).toBe(401);
		expect(response.json.error).toBe('missing_timestamp');
		expect(server.executions).toHaveLength(0);
	});
});

describe('handshakes are answered without an execution', () => {
	it('Slack url_verification (signed) echoes the challenge; unsigned it is refused', async () => {
		const server = await serve({ path: 'slack', provider: 'slack', options: { allowedEventTypes: 'app_mention' } }, { webhookSigningSecretApi: { secret: SLACK_SECRET } });
		const body = JSON.stringify({ token: 'x', challenge: 'c-3a9f', type: 'url_verification' });
		const signed = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign({ provider: 'slack', secret: SLACK_SECRET, body }) }, body });
		expect(signed.status).toBe(200);
		expect(signed.json).toEqual({ challenge: 'c-3a9f' });
		const unsigned = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
		expect(unsigned.status).toBe(401);
		expect(server.executions).toHaveLength(0);
		expect(server.calls.every((c) => c.result.workflowData === undefined)).toBe(true);
	});

	it('Slack form-encoded slash command is verified and parsed as a form', async () => {
		const server = await serve({ path: 'slack-form', provider: 'slack' }, { webhookSigningSecretApi: { secret: SLACK_SECRET } });
		const body = 'command=%2Fdeploy&text=prod+now&user_id=U1';
		const response = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign({ provider: 'slack', secret: SLACK_SECRET, body }) }, body });
		expect(response.status).toBe(200);
		expect(server.executions[0][0].json.body).toEqual({ command: '/deploy', text: 'prod now', user_id: 'U1' });
	});

	it('Zoom endpoint.url_validation answers plainToken + encryptedToken from the matching secret', async () => {
		const server = await serve({ path: 'zoom', provider: 'zoom' }, { webhookSigningSecretApi: { secret: 'zoom-old-token', previousSecret: ZOOM_SECRET } });
		const body = JSON.stringify({ event: 'endpoint.url_validation', payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' }, event_ts: Date.now() });
		const response = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign({ provider: 'zoom', secret: ZOOM_SECRET, body }) }, body });
		expect(response.status).toBe(200);
		expect(response.json).toEqual({
			plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
			encryptedToken: createHmac('sha256', ZOOM_SECRET).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
		});
		expect(server.executions).toHaveLength(0);
	});

	it('Twitch webhook_callback_verification returns the raw challenge as text', async () => {
		const server = await serve({ path: 'twitch', provider: 'twitch' }, { webhookSigningSecretApi: { secret: TWITCH_SECRET } });
		const body = JSON.stringify({ challenge: 'pogchamp-kappa-360noscope-vohiyo', subscription: { type: 'channel.follow' } });
		const headers = { 'content-type': 'application/json', 'twitch-eventsub-message-type': 'webhook_callback_verification', ...sign({ provider: 'twitch', secret: TWITCH_SECRET, body, id: 'e76c6bd4-55c9-4987-8304-da1588d8988b' }) };
		const response = await call(server.url, { method: 'POST', headers, body });
		expect(response.status).toBe(200);
		expect(response.text).toBe('pogchamp-kappa-360noscope-vohiyo');
		expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
		expect(server.executions).toHaveLength(0);
	});

	it('Discord PING with an Ed25519 signature gets {"type":1}; a deliberately bad signature gets 401', async () => {
		const { publicKey, privateKey } = generateKeyPairSync('ed25519');
		const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
		const server = await serve({ path: 'discord', provider: 'discord' }, { webhookPublicKeyApi: { publicKey: publicHex } });
		const body = '{"type":1,"id":"123","application_id":"456"}';
		const timestamp = String(Math.floor(Date.now() / 1000));
		const signature = edSign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
		const ok = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp }, body });
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({ type: 1 });
		const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
		const bad = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-signature-ed25519': flipped, 'x-signature-timestamp': timestamp }, body });
		expect(bad.status).toBe(401);
		expect(server.executions).toHaveLength(0);
	});

	it('Meta GET hub.challenge: right verify token → 200 challenge, wrong → 401; signed POSTs still run', async () => {
		const server = await serve({ path: 'meta', provider: 'meta' }, { webhookSigningSecretApi: { secret: META_SECRET, verifyToken: META_VERIFY_TOKEN } });
		const good = await call(`${server.url}?hub.mode=subscribe&hub.verify_token=${META_VERIFY_TOKEN}&hub.challenge=1158201444`, { method: 'GET' });
		expect(good.status).toBe(200);
		expect(good.text).toBe('1158201444');
		const bad = await call(`${server.url}?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444`, { method: 'GET' });
		expect(bad.status).toBe(401);
		expect(bad.text).not.toContain('1158201444');
		expect(server.executions).toHaveLength(0);
		const body = '{"object":"whatsapp_business_account","entry":[]}';
		const post = await call(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...sign({ provider: 'meta', secret: META_SECRET, body }) }, body });
		expect(post.status).toBe(200);
		expect(server.executions).toHaveLength(1);
	});
});

describe('providers that sign the URL, with n8n behind a reverse proxy under a path (WEBHOOK_URL=https://hooks.example.test/n8n/)', () => {
	// The sender calls and signs the public URL; the proxy strips /n8n, so n8n sees /webhook/<path>.
	const PUBLIC = 'https://hooks.example.test/n8n/';
	const UNPREFIXED = 'https://hooks.example.test/';
	// A Twilio SMS webhook's form fields (twilio.com/docs/messaging/guides/webhook-request).
	const smsBody = 'AccountSid=AC0000000000000000000000000000000a&Body=Hello%20there&From=%2B15005550006&MessageSid=SM0000000000000000000000000000000b&To=%2B15005550001';
	const twilioRequest = (signedUrl: string, token = TWILIO_TOKEN): RequestInit => ({
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...sign({ provider: 'twilio', secret: token, body: smsBody, url: signedUrl }) },
		body: smsBody,
	});
	let twilio: TriggerServer;
	beforeAll(async () => {
		twilio = await serve({ path: 'twilio-sms', provider: 'twilio' }, { webhookSigningSecretApi: { secret: TWILIO_TOKEN } }, { publicBaseUrl: PUBLIC });
	});

	it('production: a Twilio delivery signed for the prefixed production URL (query as received) runs once', async () => {
		const before = twilio.executions.length;
		const response = await call(`${twilio.url}?source=sms&b=2&a=1`, twilioRequest(`${PUBLIC}webhook/twilio-sms?source=sms&b=2&a=1`));
		expect(response.status).toBe(200);
		expect(twilio.executions).toHaveLength(before + 1);
		const item = twilio.executions.at(-1)![0].json as any;
		expect(item.body).toMatchObject({ Body: 'Hello there', From: '+15005550006' });
		expect(item.query).toEqual({ source: 'sms', b: '2', a: '1' });
	});

	it('test mode: a delivery signed for the prefixed test URL runs; one signed for the production URL does not', async () => {
		const before = twilio.executions.length;
		const ok = await call(`${twilio.testUrl}?source=sms`, twilioRequest(`${PUBLIC}webhook-test/twilio-sms?source=sms`));
		expect(ok.status).toBe(200);
		expect(twilio.executions).toHaveLength(before + 1);
		const otherMode = await call(`${twilio.testUrl}?source=sms`, twilioRequest(`${PUBLIC}webhook/twilio-sms?source=sms`));
		expect(otherMode.status).toBe(401);
		expect(otherMode.json.error).toBe('invalid_signature');
		expect(twilio.executions).toHaveLength(before + 1);
	});

	it('signed without the prefix, with a changed query, or with the wrong token: 401 and no execution, in both modes', async () => {
		const before = twilio.executions.length;
		for (const [url, init] of [
			[twilio.url, twilioRequest(`${UNPREFIXED}webhook/twilio-sms`)],
			[twilio.testUrl, twilioRequest(`${UNPREFIXED}webhook-test/twilio-sms`)],
			[`${twilio.url}?source=other`, twilioRequest(`${PUBLIC}webhook/twilio-sms?source=sms`)],
			[twilio.url, twilioRequest(`${PUBLIC}webhook/twilio-sms`, '0'.repeat(32))],
			[twilio.testUrl, twilioRequest(`${PUBLIC}webhook-test/twilio-sms`, '0'.repeat(32))],
		] as const) {
			const response = await call(url, init);
			expect(response.status).toBe(401);
			expect(response.json.error).toBe('invalid_signature');
		}
		expect(twilio.executions).toHaveLength(before);
	});

	it('Twilio JSON bodies: the bodySHA256 query parameter as received is part of the signed URL', async () => {
		const body = '{"EventType":"onMessageAdded","Body":"hi"}';
		const query = `?bodySHA256=${createHash('sha256').update(body).digest('hex')}`;
		const signedUrl = `${PUBLIC}webhook/twilio-sms${query}`;
		const response = await call(`${twilio.url}${query}`, { method: 'POST', headers: { 'content-type': 'application/json', ...sign({ provider: 'twilio', secret: TWILIO_TOKEN, body, url: signedUrl }) }, body });
		expect(response.status).toBe(200);
	});

	it.each([
		['square', SQUARE_KEY, {}],
		['hubspot', HUBSPOT_SECRET, {}],
		['generic-hmac', GENERIC_SECRET, { genericHmac: { template: '{method} {url} {body}', header: 'X-Signature' } }],
	] as const)('%s: signed for the prefixed URL → 200; signed for the unprefixed one → 401', async (provider, secret, extra) => {
		const server = await serve({ path: `${provider}-prefixed`, provider, ...extra }, { webhookSigningSecretApi: { secret } }, { publicBaseUrl: PUBLIC });
		const body = '{"event":"prefix-check"}';
		const options = 'genericHmac' in extra ? extra.genericHmac : undefined;
		const request = (url: string): RequestInit => ({
			method: 'POST',
			headers: { 'content-type': 'application/json', ...sign({ provider, secret, body, url, method: 'POST', options }) },
			body,
		});
		expect((await call(`${server.url}?x=1`, request(`${PUBLIC}webhook/${provider}-prefixed?x=1`))).status).toBe(200);
		expect((await call(`${server.url}?x=1`, request(`${UNPREFIXED}webhook/${provider}-prefixed?x=1`))).status).toBe(401);
		expect(server.executions).toHaveLength(1);
	});
});

describe('misconfiguration never throws into n8n', () => {
	it('a missing credential answers 500 misconfigured and starts nothing', async () => {
		const server = await serve({ path: 'nocred', provider: 'github' }, {});
		const response = await call(server.url, githubRequest('{"x":1}'));
		expect(response.status).toBe(500);
		expect(response.json).toEqual({ error: 'misconfigured', message: expect.any(String) });
		expect(server.executions).toHaveLength(0);
	});
});

describe('secrets never leak', () => {
	it('no secret, verify token or computed signature appears in any item, response or log line', () => {
		const everything = JSON.stringify(servers.flatMap((s) => s.executions)) + '\n' + logLines.join('\n');
		for (const secret of ALL_SECRETS) expect(everything).not.toContain(secret);
		const computed = createHmac('sha256', GITHUB_SECRET).update('{"ref":"refs/heads/main","commits":[]}').digest('hex');
		expect(everything).not.toContain(computed);
		expect(logLines.some((line) => line.includes('rejected a request'))).toBe(true);
	});
});
