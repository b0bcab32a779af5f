/**
 * Outgoing signatures, checked where they matter: at a real receiver, with the `standardwebhooks` library and with
 * our own `verify`. Signing runs in the credential's authenticate() through n8n's httpRequestWithAuthentication,
 * once per attempt; the same credential also signs n8n's legacy request path that the HTTP Request node uses.
 */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { verify } from '../../../nodes/core/signatures';
import { respond, startReceiver, type ReceivedRequest, type Receiver } from '../../harness/receiver';
import { buildContext, deliveryOf, FAST_RETRIES, runForward } from './n8n-context';
import { ReliableHttpForward } from '../../../nodes/ReliableHttpForward/ReliableHttpForward.node';

jest.setTimeout(60_000);

const standardSecret = `whsec_${randomBytes(32).toString('base64')}`;
const githubSecret = `gh-${randomBytes(16).toString('hex')}`;

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});
beforeEach(() => {
	receiver.reset();
	receiver.fallback = respond(200);
});

const headersOf = (request: ReceivedRequest) =>
	Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
const params = (extra: Record<string, unknown> = {}) => ({ method: 'POST', url: `${receiver.url}/in`, bodySource: 'json', signRequests: true, ...FAST_RETRIES, ...extra });

describe('outgoing signatures at a real receiver', () => {
	it('Standard Webhooks: every attempt verifies with the standardwebhooks library and with our verify; id constant, timestamp fresh', async () => {
		receiver.script(respond(503), respond(503));
		const credentials = { scheme: 'standard-webhooks', secret: standardSecret };
		const { delivered } = await runForward({
			parameters: params({ initialDelayMs: 1_100, multiplier: 1 }),
			items: [{ json: { text: 'h\u00e9llo', verification: { deliveryId: 'msg_abc123' } } }],
			credentials,
		});
		expect(deliveryOf(delivered[0])).toMatchObject({ attempts: 3, status: 200 });
		expect(receiver.requests).toHaveLength(3);
		const library = new Webhook(standardSecret);
		for (const request of receiver.requests) {
			const headers = headersOf(request);
			expect(library.verify(request.body.toString('utf8'), headers)).toEqual({ text: 'h\u00e9llo', verification: { deliveryId: 'msg_abc123' } });
			expect(verify({ provider: 'standard-webhooks', secrets: [standardSecret], headers, body: request.body })).toMatchObject({
				valid: true,
				deliveryId: 'msg_abc123',
			});
			expect(headers['webhook-id']).toBe('msg_abc123');
			expect(headers['idempotency-key']).toBe('msg_abc123');
		}
		const timestamps = receiver.requests.map((r) => Number(r.headers['webhook-timestamp']));
		expect(new Set(timestamps).size).toBe(3);
		// Tampering with one byte breaks it, so the checks above mean something.
		const tampered = Buffer.from(receiver.requests[0].body);
		tampered[2] ^= 1;
		expect(() => library.verify(tampered.toString('utf8'), headersOf(receiver.requests[0]))).toThrow();
	});

	it('GitHub style: X-Hub-Signature-256 over the exact raw bytes sent, verified by our verify', async () => {
		const raw = Buffer.from('{"zen":"Keep it logically awesome."}\r\n');
		const { delivered } = await runForward({
			parameters: params({ bodySource: 'binary', binaryPropertyName: 'data' }),
			items: [{ json: {}, binary: { data: { data: raw.toString('base64'), mimeType: 'application/json' } } }],
			credentials: { scheme: 'github', secret: githubSecret },
		});
		expect(deliveryOf(delivered[0]).status).toBe(200);
		const got = receiver.requests[0];
		expect(got.body.equals(raw)).toBe(true);
		expect(got.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
		expect(verify({ provider: 'github', secrets: [githubSecret], headers: headersOf(got), body: got.body })).toMatchObject({ valid: true });
		expect(verify({ provider: 'github', secrets: ['other'], headers: headersOf(got), body: got.body })).toMatchObject({ valid: false });
	});

	it('Generic HMAC: header, algorithm, encoding, prefix and a timestamped template, verified by our verify', async () => {
		const options = { header: 'X-Sig', algorithm: 'sha512', encoding: 'base64', prefix: 'v=', template: '{timestamp}.{method}.{body}', timestampHeader: 'X-Ts', timestampUnit: 's' };
		const { delivered } = await runForward({
			parameters: params(),
			items: [{ json: { n: 1 } }],
			credentials: { scheme: 'generic-hmac', secret: 'generic-secret-1', ...options },
		});
		expect(deliveryOf(delivered[0]).status).toBe(200);
		const got = receiver.requests[0];
		expect(got.headers['x-sig']).toMatch(/^v=/);
		expect(
			verify({ provider: 'generic-hmac', secrets: ['generic-secret-1'], headers: headersOf(got), body: got.body, method: 'POST', options: options as never }),
		).toMatchObject({ valid: true });
	});

	it('never writes the secret or a signature into output items', async () => {
		receiver.script(respond(500));
		const { delivered, failed } = await runForward({
			parameters: params({ options: { includeResponse: 'bodyAndHeaders' } }),
			items: [{ json: { n: 1 } }],
			credentials: { scheme: 'standard-webhooks', secret: standardSecret },
		});
		const output = JSON.stringify([delivered, failed]);
		expect(output).not.toContain(standardSecret);
		expect(output).not.toContain(standardSecret.slice(6));
		for (const request of receiver.requests) expect(output).not.toContain(String(request.headers['webhook-signature']).slice(3));
	});

	it("the same credential signs n8n's legacy request path (HTTP Request node, predefined credential type) over the bytes sent", async () => {
		const { context } = buildContext({ parameters: { signRequests: true }, items: [{ json: {} }], credentials: { scheme: 'standard-webhooks', secret: standardSecret } });
		await context.helpers.requestWithAuthentication.call(context, 'outgoingWebhookSigningApi', {
			uri: `${receiver.url}/legacy`,
			method: 'POST',
			body: { a: 1, b: 'caf\u00e9' },
			json: true,
			headers: { 'x-test': '1' },
		});
		await context.helpers.httpRequestWithAuthentication.call(context, 'outgoingWebhookSigningApi', {
			url: `${receiver.url}/modern`,
			method: 'PUT',
			body: { list: [1, 2] },
		});
		expect(receiver.requests.map((r) => r.path)).toEqual(['/legacy', '/modern']);
		const library = new Webhook(standardSecret);
		expect(library.verify(receiver.requests[0].body.toString(), headersOf(receiver.requests[0]))).toEqual({ a: 1, b: 'caf\u00e9' });
		expect(library.verify(receiver.requests[1].body.toString(), headersOf(receiver.requests[1]))).toEqual({ list: [1, 2] });
		expect(receiver.requests[0].headers['content-type']).toBe('application/json');
		expect(receiver.requests[0].headers['x-test']).toBe('1');
	});

	it('refuses to sign a form body it did not serialise, with a clear error', async () => {
		const { context } = buildContext({ parameters: { signRequests: true }, items: [{ json: {} }], credentials: { scheme: 'github', secret: githubSecret } });
		await expect(
			context.helpers.requestWithAuthentication.call(context, 'outgoingWebhookSigningApi', { uri: `${receiver.url}/form`, method: 'POST', form: { a: '1' } }),
		).rejects.toThrow(/Form and multipart bodies cannot be signed/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('a credential that cannot sign stops the node with a clear error, or goes to Failed with continue on fail; never retried', async () => {
		const run = (continueOnFail: boolean) =>
			runForward({ parameters: params(), items: [{ json: { n: 1 } }], credentials: { scheme: 'github', secret: '' }, continueOnFail });
		await expect(run(false)).rejects.toThrow(/The request could not be sent: .*no secret/);
		const { failed } = await run(true);
		expect(deliveryOf(failed[0])).toMatchObject({ outcome: 'failed', reason: 'send_error', attempts: 1, error: expect.stringMatching(/no secret/) });
		expect(receiver.requests).toHaveLength(0);
	});

	it('credential test: accepts a usable secret, explains an unusable one without echoing it', async () => {
		const test = new ReliableHttpForward().methods.credentialTest.outgoingWebhookSigningApiTest;
		const run = (data: ICredentialDataDecryptedObject) =>
			test.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type: 'outgoingWebhookSigningApi', data } as ICredentialsDecrypted);
		expect(await run({ scheme: 'standard-webhooks', secret: standardSecret })).toMatchObject({ status: 'OK' });
		expect(await run({ scheme: 'github', secret: githubSecret })).toMatchObject({ status: 'OK' });
		const empty = await run({ scheme: 'github', secret: '' });
		expect(empty).toMatchObject({ status: 'Error', message: expect.stringMatching(/no secret/) });
		const bad = await run({ scheme: 'standard-webhooks', secret: 'whsec_%%%not-base64%%%' });
		expect(bad.status).toBe('Error');
		expect(bad.message).not.toContain('%%%not-base64%%%');
	});
});
