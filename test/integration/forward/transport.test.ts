/**
 * Issue 10, kind 8, with real sockets on 127.0.0.1: a receiver that hangs, resets or refuses, reached through
 * Node's fetch (undici), Node's http module and the Forward node (n8n's httpRequest, axios). Every one of these is a
 * timeout or a network failure, retried; a fetch timeout used to count as a setup error and was never retried.
 */
import http from 'node:http';
import { classifySendError, deliverWithRetries, exponentialPolicy, type SendFunction } from '../../../nodes/core/delivery';
import { destroy, hang, refusedUrl, reset, respond, startReceiver, type Receiver } from '../../harness/receiver';
import { deliveryOf, FAST_RETRIES, runForward } from './n8n-context';

jest.setTimeout(30_000);

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});
beforeEach(() => receiver.reset());

const caught = async (promise: Promise<unknown>): Promise<unknown> => {
	try {
		await promise;
	} catch (error) {
		return error;
	}
	throw new Error('expected the request to fail');
};
const fetchTo = (url: string, timeoutMs = 300) => fetch(url, { method: 'POST', body: '{}', signal: AbortSignal.timeout(timeoutMs) });

/** The delivery core driven by Node's fetch, as a programmatic caller would use it. */
const sendWithFetch: SendFunction = async (request, { timeoutMs }) => {
	const response = await fetch(request.url, {
		method: request.method,
		headers: request.headers,
		// Text is enough for these tests; the node's own sender passes the bytes.
		body: request.body?.toString('utf8'),
		signal: AbortSignal.timeout(timeoutMs),
	});
	return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
};

describe('errors Node’s fetch really throws', () => {
	it('a receiver that hangs: the fetch timeout (a DOMException with no string code) is a timeout', async () => {
		receiver.script(hang());
		const error = await caught(fetchTo(`${receiver.url}/hook`));
		expect((error as Error).name).toBe('TimeoutError');
		expect(classifySendError(error)).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/^TimeoutError: /) });
	});

	it.each([
		['closes the connection without answering', destroy()],
		['resets the connection', reset()],
	])('a receiver that %s: fetch failed is a network error', async (_label, step) => {
		receiver.script(step);
		const error = await caught(fetchTo(`${receiver.url}/hook`, 5_000));
		expect((error as Error).message).toBe('fetch failed');
		expect(classifySendError(error).kind).toBe('network');
	});

	it('a port nothing listens on: fetch failed with ECONNREFUSED is a network error', async () => {
		const error = await caught(fetchTo(`${await refusedUrl()}/hook`, 5_000));
		expect(classifySendError(error)).toMatchObject({ kind: 'network', message: expect.stringContaining('ECONNREFUSED') });
	});
});

describe('errors Node’s http module really throws', () => {
	const post = (url: string, signal?: AbortSignal) =>
		new Promise((resolve, reject) => {
			const request = http.request(url, { method: 'POST', signal }, (response) => response.resume().on('end', resolve));
			request.on('error', reject);
			request.end('{}');
		});

	it('aborted by a timeout signal (AbortError with a TimeoutError cause) is a timeout', async () => {
		receiver.script(hang());
		const error = await caught(post(`${receiver.url}/hook`, AbortSignal.timeout(300)));
		expect((error as Error).name).toBe('AbortError');
		expect(classifySendError(error).kind).toBe('timeout');
	});

	it('a reset connection is ECONNRESET, a network error', async () => {
		receiver.script(reset());
		const error = await caught(post(`${receiver.url}/hook`));
		expect(classifySendError(error)).toMatchObject({ kind: 'network', message: expect.stringContaining('ECONNRESET') });
	});
});

describe('the delivery core over fetch retries what used to be a setup error', () => {
	it('hang (timeout), close, reset, then 200: delivered on the fourth attempt, every failure logged', async () => {
		receiver.script(hang(), destroy(), reset(), respond(200));
		const result = await deliverWithRetries({
			request: { method: 'POST', url: `${receiver.url}/hook`, headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') },
			policy: exponentialPolicy({ maxAttempts: 5, initialDelayMs: 20, maxDelayMs: 100, jitter: 'none' }),
			idempotencyKey: 'k-fetch',
			attemptTimeoutMs: 2_000, // long enough that a slow machine never times out the attempts that should succeed
			send: sendWithFetch,
			sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
		});
		expect(result).toMatchObject({ outcome: 'delivered', attempts: 4, status: 200 });
		expect(result.log.map((entry) => entry.error)).toEqual([
			expect.stringMatching(/^TimeoutError/),
			expect.any(String),
			expect.any(String),
			undefined,
		]);
		expect(receiver.requests).toHaveLength(4);
	});
});

describe('the Forward node (n8n httpRequest) retries refused and reset connections', () => {
	it('a reset connection is retried and then delivered', async () => {
		receiver.script(reset(), respond(200));
		const { delivered } = await runForward({ parameters: { method: 'POST', url: `${receiver.url}/hook`, bodySource: 'json', ...FAST_RETRIES }, items: [{ json: { n: 1 } }] });
		const delivery = deliveryOf(delivered[0]);
		expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 2 });
		expect(delivery.log[0].error).toMatch(/ECONNRESET/);
	});

	it('a refused connection is retried until the attempts run out, not stopped as a setup error', async () => {
		const url = `${await refusedUrl()}/hook`;
		const { failed } = await runForward({ parameters: { method: 'POST', url, bodySource: 'json', ...FAST_RETRIES, maxAttempts: 3 }, items: [{ json: { n: 1 } }] });
		const delivery = deliveryOf(failed[0]);
		expect(delivery).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 3, status: null });
		for (const entry of delivery.log) expect(entry.error).toMatch(/ECONNREFUSED/);
	});
});
