/**
 * Issue 10, kinds 3 and 4, at a real receiver: keys derived from different values differ (one canonical JSON,
 * nodes/core/json), and JSON the node parses (response bodies) keeps every digit of an integer beyond 2^53.
 * The order ids are issue 10's: 8202522731445525542 and ...543 are one double apart, so JSON.parse makes them equal.
 */
import { respond, startReceiver, type Receiver } from '../../harness/receiver';
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

// No delivery id on the items: the key is derived from the item (idempotencyKey parameter left empty).
const params = (extra: Record<string, unknown> = {}) => ({
	method: 'POST',
	url: `${receiver.url}/hook`,
	bodySource: 'json',
	idempotencyKey: '',
	idempotencyHeader: 'Idempotency-Key',
	...FAST_RETRIES,
	...extra,
});
const keysAtReceiver = () => receiver.requests.map((request) => request.headers['idempotency-key']);

describe('derived Idempotency-Key headers at a real receiver', () => {
	it('two items that differ only in a Date get different keys', async () => {
		const items = [{ json: { order: 1, at: new Date(Date.UTC(2026, 0, 1)) } }, { json: { order: 1, at: new Date(Date.UTC(2026, 0, 2)) } }] as any[];
		const { delivered } = await runForward({ parameters: params(), items });
		expect(delivered).toHaveLength(2);
		const keys = keysAtReceiver();
		expect(keys).toHaveLength(2);
		expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
		expect(keys[0]).not.toBe(keys[1]);
	});

	it('two items that differ only in a big integer kept as a string get different keys', async () => {
		const items = [{ json: { order_id: '8202522731445525542' } }, { json: { order_id: '8202522731445525543' } }];
		await runForward({ parameters: params(), items });
		const keys = keysAtReceiver();
		expect(keys).toHaveLength(2);
		expect(keys[0]).not.toBe(keys[1]);
		// The body carries the digits unchanged.
		expect(receiver.requests.map((request) => JSON.parse(request.body.toString('utf8')).order_id)).toEqual(['8202522731445525542', '8202522731445525543']);
	});

	it('the same item gives the same key on every run (a retry is recognisable as one)', async () => {
		const item = { json: { order_id: '8202522731445525542', at: new Date(Date.UTC(2026, 0, 1)) } } as any;
		await runForward({ parameters: params(), items: [item] });
		await runForward({ parameters: params(), items: [item] });
		const keys = keysAtReceiver();
		expect(keys[0]).toBe(keys[1]);
	});
});

describe('response bodies are parsed exactly', () => {
	it('keeps every digit of a receiver’s big integer in delivery.response.body', async () => {
		receiver.script(respond(200, { body: '{"receipt_id":8202522731445525543,"small":42,"price":19.99}' }));
		const { delivered } = await runForward({ parameters: params({ options: { includeResponse: 'body' } }), items: [{ json: { n: 1 } }] });
		expect(deliveryOf(delivered[0]).response.body).toEqual({ receipt_id: '8202522731445525543', small: 42, price: 19.99 });
	});

	it('keeps a text body as text and an empty body as empty', async () => {
		receiver.script(respond(200, { headers: { 'content-type': 'text/plain' }, body: 'accepted' }), respond(202, { body: '' }));
		const { delivered } = await runForward({
			parameters: params({ options: { includeResponse: 'body', concurrency: 1 } }),
			items: [{ json: { n: 1 } }, { json: { n: 2 } }],
		});
		expect(delivered.map((item) => deliveryOf(item).response.body)).toEqual(['accepted', '']);
	});
});
