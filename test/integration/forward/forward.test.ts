/** The node's execute() in n8n-core's real ExecuteContext against a real, deliberately flaky HTTP server. */
import { NodeOperationError } from 'n8n-workflow';
import {
	delayed,
	destroy,
	failTimes,
	hang,
	respond,
	retryAfterDate,
	retryAfterSeconds,
	startReceiver,
	type Receiver,
} from '../../harness/receiver';
import { deliveryOf, FAST_RETRIES, runForward } from './n8n-context';

jest.setTimeout(60_000);

/** Scheduling slack: a wait can end a few ms early by timer rounding, never more. */
const EARLY_SLACK_MS = 5;

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});
beforeEach(() => {
	receiver.reset();
	receiver.fallback = respond(200, { body: '{"ok":true}' });
});

const gaps = () => receiver.requests.slice(1).map((request, i) => request.arrivedAtMonotonic - receiver.requests[i].arrivedAtMonotonic);
const params = (extra: Record<string, unknown> = {}) => ({ method: 'POST', url: `${receiver.url}/hook`, bodySource: 'json', ...FAST_RETRIES, ...extra });

describe('Reliable HTTP Forward against a flaky receiver', () => {
	it('fails twice, then 429 with Retry-After in seconds, then accepts: delivered once, every attempt logged, waits as scheduled', async () => {
		receiver.script(failTimes(2, 503), retryAfterSeconds(1), respond(201));
		const item = { json: { event: 'push', verification: { deliveryId: 'delivery-42' } } };
		const { delivered, failed } = await runForward({ parameters: params(), items: [item] });

		expect(failed).toHaveLength(0);
		expect(delivered).toHaveLength(1);
		const delivery = deliveryOf(delivered[0]);
		expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 4, status: 201, idempotencyKey: 'delivery-42' });
		expect(delivery.log.map((entry: any) => entry.status)).toEqual([503, 503, 429, 201]);
		expect(delivered[0].json.event).toBe('push');
		expect(delivered[0].pairedItem).toEqual({ item: 0 });

		expect(receiver.requests).toHaveLength(4);
		expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['delivery-42']));
		// Backoff 100 ms, 200 ms, then the receiver's 1 s: measured at the receiver and in the node's own log.
		const planned = [100, 200, 1_000];
		gaps().forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(planned[i] - EARLY_SLACK_MS));
		delivery.log.slice(1).forEach((entry: any, i: number) => expect(entry.waitedMs).toBeGreaterThanOrEqual(planned[i] - EARLY_SLACK_MS));
		// The body is the item's JSON, identical on every attempt.
		const bodies = new Set(receiver.requests.map((r) => r.body.toString('utf8')));
		expect([...bodies]).toEqual([JSON.stringify(item.json)]);
	});

	it('honours Retry-After given as an HTTP date', async () => {
		receiver.script(retryAfterDate(2_500, 503), respond(200));
		const { delivered } = await runForward({ parameters: params(), items: [{ json: { n: 1 } }] });
		expect(deliveryOf(delivered[0])).toMatchObject({ attempts: 2, status: 200 });
		// The date has whole seconds, so the wait is between 1.5 s and 2.5 s; backoff alone would be 100 ms.
		expect(gaps()[0]).toBeGreaterThanOrEqual(1_500 - EARLY_SLACK_MS);
		expect(deliveryOf(delivered[0]).log[1].waitedMs).toBeGreaterThanOrEqual(1_500 - EARLY_SLACK_MS);
	});

	// Issue 10, kind 7: this used to wait Max Delay (here 300 ms) and try again long before the receiver's hour.
	it('never retries before a Retry-After beyond Max Delay: a 3600 s wait is handed over to the Wait loop', async () => {
		receiver.script(retryAfterSeconds(3_600), respond(200));
		const { delivered, failed } = await runForward({ parameters: params({ maxDelayMs: 300 }), items: [{ json: { n: 1 } }] });
		expect(delivered).toHaveLength(0);
		expect(receiver.requests).toHaveLength(1);
		const delivery = deliveryOf(failed[0]);
		expect(delivery).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 1, status: 429 });
		expect(Date.parse(delivery.nextAttemptAt) - Date.parse(delivery.state.lastAttemptAt)).toBe(3_600_000);
	});

	it('waits a Retry-After beyond Max Delay in process when it is within the hand-over limit', async () => {
		receiver.script(retryAfterSeconds(1), respond(200));
		const { delivered } = await runForward({ parameters: params({ maxDelayMs: 300 }), items: [{ json: { n: 1 } }] });
		expect(deliveryOf(delivered[0])).toMatchObject({ outcome: 'delivered', attempts: 2 });
		expect(gaps()[0]).toBeGreaterThanOrEqual(1_000 - EARLY_SLACK_MS);
	});

	it('ignores an impossible Retry-After date (31 February) and uses the backoff', async () => {
		receiver.script(respond(429, { headers: { 'retry-after': 'Sat, 31 Feb 2026 06:02:00 GMT' } }), respond(200));
		const { delivered } = await runForward({ parameters: params(), items: [{ json: { n: 1 } }] });
		const delivery = deliveryOf(delivered[0]);
		expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 2 });
		// Backoff is 100 ms; a date read as 3 March 2026 would be in the past (no wait) or weeks away (handed over).
		expect(delivery.log[1].waitedMs).toBeGreaterThanOrEqual(100 - EARLY_SLACK_MS);
		expect(delivery.log[1].waitedMs).toBeLessThan(60_000);
	});

	it('retries after a receiver that hangs past the per-attempt timeout, and after a dropped connection', async () => {
		receiver.script(hang(), destroy(), respond(200));
		const { delivered } = await runForward({ parameters: params({ options: { timeoutMs: 2_000 } }), items: [{ json: { n: 1 } }] });
		const delivery = deliveryOf(delivered[0]);
		expect(delivery).toMatchObject({ outcome: 'delivered', attempts: 3, status: 200 });
		expect(delivery.log[0].error).toMatch(/timeout/i);
		expect(delivery.log[0].durationMs).toBeGreaterThanOrEqual(2_000 - EARLY_SLACK_MS);
		expect(delivery.log[1].error).toMatch(/ECONNRESET|socket hang up/);
		expect(delivery.log[0]).not.toHaveProperty('status');
	});

	it.each([400, 401, 403, 404, 409, 410, 422])('fails at once on %d: one request, Failed output', async (status) => {
		receiver.script(respond(status));
		const { delivered, failed } = await runForward({ parameters: params(), items: [{ json: { n: 1 } }] });
		expect(delivered).toHaveLength(0);
		expect(deliveryOf(failed[0])).toMatchObject({ outcome: 'failed', reason: 'non_retryable_status', attempts: 1, status });
		expect(receiver.requests).toHaveLength(1);
	});

	it('treats an edited status list as the truth: 409 retried, 503 final', async () => {
		receiver.script(respond(409), respond(503));
		const { failed } = await runForward({ parameters: params({ options: { retryOnStatus: '409' } }), items: [{ json: { n: 1 } }] });
		expect(deliveryOf(failed[0])).toMatchObject({ reason: 'non_retryable_status', attempts: 2, status: 503 });
	});

	it('a receiver that never accepts: the item reaches Failed with its full attempt log', async () => {
		receiver.fallback = respond(500);
		const { delivered, failed } = await runForward({ parameters: params({ maxAttempts: 5 }), items: [{ json: { n: 1 } }] });
		expect(delivered).toHaveLength(0);
		const delivery = deliveryOf(failed[0]);
		expect(delivery).toMatchObject({ outcome: 'failed', reason: 'attempts_exhausted', attempts: 5, status: 500 });
		expect(delivery.log.map((e: any) => [e.attempt, e.status])).toEqual([1, 2, 3, 4, 5].map((n) => [n, 500]));
		expect(delivery.log.map((e: any) => e.waitedMs >= 0)).toEqual([true, true, true, true, true]);
		expect(receiver.requests).toHaveLength(5);
	});

	it('gives up at the overall deadline', async () => {
		receiver.fallback = respond(503);
		const { failed } = await runForward({
			parameters: params({ maxAttempts: 50, initialDelayMs: 400, multiplier: 1, options: { deadlineSeconds: 1 } }),
			items: [{ json: { n: 1 } }],
		});
		const delivery = deliveryOf(failed[0]);
		expect(delivery.reason).toBe('deadline_exceeded');
		expect(delivery.attempts).toBeLessThan(50);
		expect(delivery.attempts).toBe(receiver.requests.length);
	});

	it('sends the raw bytes a trigger kept, byte for byte, with their content type', async () => {
		const raw = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a": 1,\r\n "b":"\u00e9"}\n'), Buffer.from([0xff, 0x00])]);
		const item = { json: { parsed: true }, binary: { data: { data: raw.toString('base64'), mimeType: 'application/vnd.custom+json', fileName: 'body' } } };
		const { delivered } = await runForward({ parameters: params({ bodySource: 'binary', binaryPropertyName: 'data' }), items: [item] });
		expect(deliveryOf(delivered[0]).status).toBe(200);
		expect(receiver.requests[0].body.equals(raw)).toBe(true);
		expect(receiver.requests[0].headers['content-type']).toBe('application/vnd.custom+json');
		expect(delivered[0].binary?.data.data).toBe(raw.toString('base64'));
	});

	it('sends a custom body from an expression, and only allowlisted incoming headers', async () => {
		const item = {
			json: {
				body: { action: 'opened' },
				headers: { 'x-github-event': 'issues', 'x-github-delivery': 'd-1', cookie: 'session=1', host: 'evil.test', 'content-length': '1' },
			},
		};
		const { delivered } = await runForward({
			parameters: params({
				bodySource: 'custom',
				body: '={{ $json.body }}',
				passThroughHeaders: 'X-GitHub-Event, x-github-delivery, host, content-length',
				headers: { header: [{ name: 'X-Source', value: '={{ "n8n-" + $json.headers["x-github-event"] }}' }] },
			}),
			items: [item],
		});
		expect(deliveryOf(delivered[0]).status).toBe(200);
		const got = receiver.requests[0];
		expect(got.body.toString()).toBe('{"action":"opened"}');
		expect(got.headers['x-github-event']).toBe('issues');
		expect(got.headers['x-github-delivery']).toBe('d-1');
		expect(got.headers['x-source']).toBe('n8n-issues');
		expect(got.headers.cookie).toBeUndefined();
		expect(got.headers.host).toBe(`127.0.0.1:${receiver.port}`);
		expect(got.headers['content-length']).toBe(String(got.body.length));
	});

	it('derives a stable idempotency key from the item when there is no delivery id', async () => {
		receiver.script(respond(503), respond(200));
		const items = [{ json: { b: 2, a: 1 } }];
		const first = await runForward({ parameters: params(), items });
		const keys = receiver.requests.map((r) => r.headers['idempotency-key']);
		expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(keys[1]).toBe(keys[0]);
		receiver.reset();
		await runForward({ parameters: params({ idempotencyHeader: 'X-Request-Key' }), items: [{ json: { a: 1, b: 2 } }] });
		expect(receiver.requests[0].headers['x-request-key']).toBe(keys[0]);
		expect(receiver.requests[0].headers['idempotency-key']).toBeUndefined();
		expect(deliveryOf(first.delivered[0]).idempotencyKey).toBe(keys[0]);
	});

	it('refuses plain http to a non-loopback host before sending anything, with a clear error', async () => {
		const run = runForward({ parameters: params({ url: 'http://example.invalid/hook' }), items: [{ json: { n: 1 } }] });
		await expect(run).rejects.toThrow(NodeOperationError);
		await expect(runForward({ parameters: params({ url: 'http://example.invalid/hook' }), items: [{ json: { n: 1 } }] })).rejects.toThrow(
			/Refusing plain http/,
		);
		const { failed } = await runForward({
			parameters: params({ url: 'http://example.invalid/hook' }),
			items: [{ json: { n: 1 } }],
			continueOnFail: true,
		});
		expect(deliveryOf(failed[0])).toMatchObject({ outcome: 'failed', reason: 'invalid_request', attempts: 0 });
		expect(deliveryOf(failed[0]).error).toMatch(/Refusing plain http/);
	});

	it('sends in parallel up to the limit and keeps output order and pairedItem', async () => {
		// Earlier items answer later, so completion order is the reverse of input order.
		receiver.handle((request) => {
			const n = JSON.parse(request.body.toString()).n as number;
			return delayed(20 * (12 - n), n % 5 === 0 ? respond(422) : respond(200));
		});
		const items = Array.from({ length: 12 }, (_, n) => ({ json: { n } }));
		const { delivered, failed } = await runForward({ parameters: params({ options: { concurrency: 4 } }), items });
		expect(receiver.peakInFlight).toBe(4);
		expect(delivered.map((item) => item.json.n)).toEqual([1, 2, 3, 4, 6, 7, 8, 9, 11]);
		expect(failed.map((item) => item.json.n)).toEqual([0, 5, 10]);
		for (const item of [...delivered, ...failed]) expect(item.pairedItem).toEqual({ item: item.json.n });
	});

	it('long horizon: hands a long wait over as state, and the item comes back through a Wait loop to resume', async () => {
		receiver.script(respond(503), respond(503), respond(200));
		const parameters = params({ initialDelayMs: 1_200, multiplier: 1, options: { handOverAfterSeconds: 1 } });
		const item = { json: { order: 7, verification: { deliveryId: 'evt-long' } } };

		const first = await runForward({ parameters, items: [item] });
		expect(first.delivered).toHaveLength(0);
		const handedOver = deliveryOf(first.failed[0]);
		expect(handedOver).toMatchObject({ outcome: 'scheduled', reason: 'next_attempt_scheduled', attempts: 1, idempotencyKey: 'evt-long' });
		expect(Date.parse(handedOver.nextAttemptAt) - Date.parse(handedOver.state.lastAttemptAt)).toBe(1_200);
		expect(receiver.requests).toHaveLength(1);

		// Back too early (a Wait node set to a shorter time): nothing is sent, it is handed over again.
		const early = await runForward({ parameters, items: [JSON.parse(JSON.stringify(first.failed[0]))] });
		expect(deliveryOf(early.failed[0])).toMatchObject({ outcome: 'scheduled', attempts: 1, nextAttemptAt: handedOver.nextAttemptAt });
		expect(receiver.requests).toHaveLength(1);

		// At the planned time (what the Wait node does): the same delivery continues, attempt 2 and 3.
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(handedOver.nextAttemptAt) - Date.now())));
		const resumedInput = JSON.parse(JSON.stringify(early.failed[0]));
		const second = await runForward({ parameters, items: [resumedInput] });
		const afterSecond = deliveryOf(second.failed[0]);
		expect(afterSecond).toMatchObject({ outcome: 'scheduled', attempts: 2 });
		await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(afterSecond.nextAttemptAt) - Date.now())));
		const third = await runForward({ parameters, items: [JSON.parse(JSON.stringify(second.failed[0]))] });

		expect(third.delivered).toHaveLength(1);
		const done = deliveryOf(third.delivered[0]);
		expect(done).toMatchObject({ outcome: 'delivered', attempts: 3, status: 200, idempotencyKey: 'evt-long' });
		expect(done.log.map((e: any) => e.status)).toEqual([503, 503, 200]);
		expect(done).not.toHaveProperty('state');
		expect(third.delivered[0].json.order).toBe(7);
		// Same key and the same body every time: the carried state never leaks into what is sent.
		expect(new Set(receiver.requests.map((r) => r.headers['idempotency-key']))).toEqual(new Set(['evt-long']));
		expect(new Set(receiver.requests.map((r) => r.body.toString()))).toEqual(new Set([JSON.stringify(item.json)]));
		gaps().forEach((gap) => expect(gap).toBeGreaterThanOrEqual(1_200 - EARLY_SLACK_MS));
	});

	it('refuses to resume from damaged state with a clear error', async () => {
		const item = { json: { delivery: { idempotencyKey: 'k', attempts: 1, log: [], state: { version: 9 } } } };
		await expect(runForward({ parameters: params(), items: [item] })).rejects.toThrow(/Cannot resume this delivery: Unknown delivery state version 9/);
		expect(receiver.requests).toHaveLength(0);
	});

	it('adds the response when asked', async () => {
		receiver.script(respond(202, { headers: { 'x-receipt': 'r-1' }, body: '{"queued":true}' }));
		const { delivered } = await runForward({ parameters: params({ options: { includeResponse: 'bodyAndHeaders' } }), items: [{ json: { n: 1 } }] });
		expect(deliveryOf(delivered[0]).response).toMatchObject({ statusCode: 202, body: { queued: true }, headers: { 'x-receipt': 'r-1' } });
	});
});
