/** Nothing is lost: 1,000 items through the node against a receiver that fails at random, in = delivered + failed. */
import { destroy, respond, retryAfterSeconds, startReceiver, type ReceiverStep, type Receiver } from '../../harness/receiver';
import { seededRandom as seeded } from '../../harness/random';
import { deliveryOf, runForward } from './n8n-context';

jest.setTimeout(180_000);

let receiver: Receiver;
beforeAll(async () => {
	receiver = await startReceiver();
});
afterAll(async () => {
	await receiver.close();
});

it('1,000 items with random faults: every item comes out exactly once, and its log matches what the receiver saw', async () => {
	const SEED = 20261128;
	const random = seeded(SEED);
	const faults: Array<[number, () => ReceiverStep]> = [
		[0.55, () => respond(200)],
		[0.1, () => respond(503)],
		[0.07, () => respond(500)],
		[0.06, () => retryAfterSeconds(0)],
		[0.05, () => respond(408)],
		[0.07, () => destroy()],
		[0.05, () => respond(422)],
		[0.05, () => respond(404)],
	];
	receiver.handle(() => {
		let roll = random();
		for (const [weight, step] of faults) {
			if ((roll -= weight) < 0) return step();
		}
		return respond(200);
	});

	const items = Array.from({ length: 1_000 }, (_, n) => ({ json: { n, payload: `item-${n}` } }));
	const { delivered, failed } = await runForward({
		parameters: {
			method: 'POST',
			url: `${receiver.url}/bulk`,
			bodySource: 'json',
			schedule: 'exponential',
			maxAttempts: 4,
			initialDelayMs: 1,
			multiplier: 2,
			maxDelayMs: 10,
			jitter: 'full',
			idempotencyKey: '={{ "order-" + $json.n }}',
			options: { concurrency: 16, timeoutMs: 5_000 },
		},
		items,
	});

	// in = delivered + failed, each input exactly once, pairedItem pointing back at it, order kept per output.
	expect(delivered.length + failed.length).toBe(items.length);
	const seen = [...delivered, ...failed].map((item) => (item.pairedItem as { item: number }).item).sort((a, b) => a - b);
	expect(seen).toEqual(items.map((_, n) => n));
	for (const output of [delivered, failed]) {
		const order = output.map((item) => item.json.n as number);
		expect(order).toEqual([...order].sort((a, b) => a - b));
		for (const item of output) expect((item.pairedItem as { item: number }).item).toBe(item.json.n);
	}
	expect(delivered.length).toBeGreaterThan(0);
	expect(failed.length).toBeGreaterThan(0);

	// What the receiver recorded per key agrees with every item's own attempt log.
	const byKey = new Map<string, string[]>();
	for (const request of receiver.requests) {
		const key = String(request.headers['idempotency-key']);
		byKey.set(key, [...(byKey.get(key) ?? []), request.answer]);
	}
	const logged = (item: (typeof delivered)[number]) => deliveryOf(item).log.map((e: any) => (e.status !== undefined ? String(e.status) : 'destroy'));
	for (const item of delivered) {
		const delivery = deliveryOf(item);
		expect(delivery.status).toBe(200);
		expect(byKey.get(`order-${item.json.n}`)).toEqual(logged(item));
	}
	for (const item of failed) {
		const delivery = deliveryOf(item);
		expect(['non_retryable_status', 'attempts_exhausted']).toContain(delivery.reason);
		if (delivery.reason === 'non_retryable_status') expect([404, 422]).toContain(delivery.status);
		else expect(delivery.attempts).toBe(4);
		expect(byKey.get(`order-${item.json.n}`)).toEqual(logged(item));
	}
	expect(receiver.requests.length).toBe([...delivered, ...failed].reduce((sum, item) => sum + deliveryOf(item).attempts, 0));
});
