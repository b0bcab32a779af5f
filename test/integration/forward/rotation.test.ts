/**
 * Outgoing secret rotation at real receivers on 127.0.0.1 (issue 14, item 5). Each receiver holds ONE secret and
 * answers 204 only when the official `standardwebhooks` library (or, for GitHub style, our verify) accepts the
 * request with that secret, 401 otherwise. Requests are signed by the credential's authenticate() as n8n runs it:
 * through n8n-core's ExecuteContext and httpRequestWithAuthentication (Reliable HTTP Forward), and through the legacy
 * requestWithAuthentication path that n8n's HTTP Request node uses. The clock here is the real one: the window is set
 * in the future or the past, and one test waits until a date really passes.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Webhook } from 'standardwebhooks';
import type { ICredentialDataDecryptedObject, ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';
import { verify } from '../../../nodes/core/signatures';
import { ReliableHttpForward } from '../../../nodes/ReliableHttpForward/ReliableHttpForward.node';
import { respond, startReceiver, type ReceivedRequest, type Receiver } from '../../harness/receiver';
import { buildContext, deliveryOf, FAST_RETRIES, runForward } from './n8n-context';

jest.setTimeout(60_000);

const OLD = `whsec_${randomBytes(24).toString('base64')}`;
const NEW = `whsec_${randomBytes(32).toString('base64')}`;
const GH_OLD = `gh-old-${randomBytes(16).toString('hex')}`;
const GH_NEW = `gh-new-${randomBytes(16).toString('hex')}`;

const iso = (ms: number) => new Date(ms).toISOString();
const future = () => iso(Date.now() + 3_600_000);
const past = () => iso(Date.now() - 60_000);

const headersOf = (request: ReceivedRequest) =>
	Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));

/** Receivers by path: each one verifies with exactly one secret. */
const HOLDS: Record<string, (request: ReceivedRequest) => boolean> = {
	'/sw-old': (request) => accepts(() => new Webhook(OLD).verify(request.body.toString('utf8'), headersOf(request))),
	'/sw-new': (request) => accepts(() => new Webhook(NEW).verify(request.body.toString('utf8'), headersOf(request))),
	'/gh-old': (request) => verify({ provider: 'github', secrets: [GH_OLD], headers: headersOf(request), body: request.body }).valid,
	'/gh-new': (request) => verify({ provider: 'github', secrets: [GH_NEW], headers: headersOf(request), body: request.body }).valid,
};
function accepts(run: () => unknown): boolean {
	try {
		run();
		return true;
	} catch {
		return false;
	}
}

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});
beforeEach(() => {
	receiver.reset();
	receiver.handle((request) => (HOLDS[request.path]?.(request) ? respond(204) : respond(401, { body: '{"error":"bad signature"}' })));
});

/** Sends one item to each path through the Forward node; returns the HTTP status each receiver answered. */
async function forwardTo(paths: string[], credentials: ICredentialDataDecryptedObject): Promise<Record<string, number>> {
	const { delivered, failed } = await runForward({
		parameters: { method: 'POST', url: `=${receiver.url}{{ $json.path }}`, bodySource: 'json', signRequests: true, ...FAST_RETRIES },
		items: paths.map((path) => ({ json: { path, event: 'rotation.test' } })),
		credentials,
		continueOnFail: true,
	});
	const statuses: Record<string, number> = {};
	for (const item of [...delivered, ...failed]) statuses[item.json.path as string] = deliveryOf(item).status;
	return statuses;
}

describe('Standard Webhooks rotation, verified by the standardwebhooks library with one secret per receiver', () => {
	it('while the previous secret is valid, a receiver holding ONLY the old secret and one holding ONLY the new one both accept', async () => {
		const statuses = await forwardTo(['/sw-old', '/sw-new'], { scheme: 'standard-webhooks', secret: NEW, previousSecret: OLD, previousValidUntil: future() });
		expect(statuses).toEqual({ '/sw-old': 204, '/sw-new': 204 });
		for (const request of receiver.requests) expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(2);
	});

	it('after the date, only the receiver holding the new secret accepts (the old one answers 401, not retried)', async () => {
		const statuses = await forwardTo(['/sw-old', '/sw-new'], { scheme: 'standard-webhooks', secret: NEW, previousSecret: OLD, previousValidUntil: past() });
		expect(statuses).toEqual({ '/sw-old': 401, '/sw-new': 204 });
		expect(receiver.requests).toHaveLength(2);
		for (const request of receiver.requests) expect(String(request.headers['webhook-signature']).split(' ')).toHaveLength(1);
	});

	it('one credential, real clock: accepted by both before the date passes, only by the new-secret receiver after (HTTP Request node path)', async () => {
		const until = Date.now() + 3_000;
		const credentials = { scheme: 'standard-webhooks', secret: NEW, previousSecret: OLD, previousValidUntil: iso(until) };
		const send = async (path: string) => {
			const { context } = buildContext({ parameters: { signRequests: true }, items: [{ json: {} }], credentials });
			const response = await context.helpers.requestWithAuthentication.call(context, 'outgoingWebhookSigningApi', {
				uri: `${receiver.url}${path}`,
				method: 'POST',
				body: { sentAt: Date.now() },
				json: true,
				resolveWithFullResponse: true,
				simple: false,
			});
			return (response as { statusCode: number }).statusCode;
		};
		const before = [await send('/sw-old'), await send('/sw-new')];
		// Precondition, not a speed check: both arrived (so were signed) before the date; 3 s leaves room on a busy machine.
		for (const request of receiver.requests) expect(request.arrivedAt).toBeLessThan(until);
		while (Date.now() <= until) await sleep(100);
		const after = [await send('/sw-old'), await send('/sw-new')];
		expect(before).toEqual([204, 204]);
		expect(after).toEqual([401, 204]);
	});

	it('never writes either secret or a signature into output items', async () => {
		const { delivered, failed } = await runForward({
			parameters: { method: 'POST', url: `${receiver.url}/sw-nobody`, bodySource: 'json', signRequests: true, ...FAST_RETRIES, options: { includeResponse: 'bodyAndHeaders' } },
			items: [{ json: { n: 1 } }],
			credentials: { scheme: 'standard-webhooks', secret: NEW, previousSecret: OLD, previousValidUntil: future() },
			continueOnFail: true,
		});
		const output = JSON.stringify([delivered, failed]);
		expect(deliveryOf(failed[0]).status).toBe(401);
		for (const secret of [OLD, NEW]) expect(output).not.toContain(secret.slice(6));
		for (const entry of String(receiver.requests[0].headers['webhook-signature']).split(' ')) expect(output).not.toContain(entry.slice(3));
	});
});

describe('GitHub style rotation (one signature per header)', () => {
	it('during the window the previous secret signs: the old-secret receiver accepts, the new-secret one refuses', async () => {
		const statuses = await forwardTo(['/gh-old', '/gh-new'], { scheme: 'github', secret: GH_NEW, previousSecret: GH_OLD, previousValidUntil: future() });
		expect(statuses).toEqual({ '/gh-old': 204, '/gh-new': 401 });
		for (const request of receiver.requests) expect(String(request.headers['x-hub-signature-256'])).toMatch(/^sha256=[0-9a-f]{64}$/);
	});

	it('after the date the new secret signs: only the new-secret receiver accepts', async () => {
		const statuses = await forwardTo(['/gh-old', '/gh-new'], { scheme: 'github', secret: GH_NEW, previousSecret: GH_OLD, previousValidUntil: past() });
		expect(statuses).toEqual({ '/gh-old': 401, '/gh-new': 204 });
	});
});

describe('bad rotation settings are refused before anything is sent', () => {
	it('a weak previous secret or an impossible date stops the node with a message naming the field, never the value', async () => {
		const cases: Array<[ICredentialDataDecryptedObject, RegExp]> = [
			[{ scheme: 'standard-webhooks', secret: NEW, previousSecret: 'whsec_QQ==', previousValidUntil: future() }, /Previous Signing Secret decodes to 1 byte/],
			[{ scheme: 'standard-webhooks', secret: NEW, previousSecret: OLD, previousValidUntil: '2026-02-31T00:00:00Z' }, /Previous Secret Valid Until is not a date and time that exists/],
			[{ scheme: 'github', secret: GH_NEW, previousSecret: GH_OLD, previousValidUntil: '' }, /Previous Secret Valid Until is empty/],
		];
		for (const [credentials, message] of cases) {
			const run = runForward({ parameters: { method: 'POST', url: `${receiver.url}/sw-new`, bodySource: 'json', signRequests: true, ...FAST_RETRIES }, items: [{ json: {} }], credentials });
			await expect(run).rejects.toThrow(message);
			await run.catch((error: Error) => {
				for (const secret of [OLD, NEW, GH_OLD, GH_NEW, 'whsec_QQ==']) expect(error.message).not.toContain(secret);
			});
		}
		expect(receiver.requests).toHaveLength(0);
	});

	it("the Forward node's credential test reports them the same way", async () => {
		const test = new ReliableHttpForward().methods.credentialTest.outgoingWebhookSigningApiTest;
		const run = (data: ICredentialDataDecryptedObject) =>
			test.call({} as ICredentialTestFunctions, { id: '1', name: 'c', type: 'outgoingWebhookSigningApi', data } as ICredentialsDecrypted);
		expect(await run({ scheme: 'standard-webhooks', secret: NEW, previousSecret: OLD, previousValidUntil: future() })).toMatchObject({ status: 'OK' });
		const weak = await run({ scheme: 'standard-webhooks', secret: NEW, previousSecret: 'whsec_A', previousValidUntil: future() });
		expect(weak).toMatchObject({ status: 'Error', message: expect.stringMatching(/Previous Signing Secret decodes to 0 bytes/) });
		const badDate = await run({ scheme: 'github', secret: GH_NEW, previousSecret: GH_OLD, previousValidUntil: '2026-11-31T00:00:00Z' });
		expect(badDate).toMatchObject({ status: 'Error', message: expect.stringMatching(/Previous Secret Valid Until is not a date and time that exists/) });
		expect(badDate.message).not.toContain(GH_OLD);
	});
});
