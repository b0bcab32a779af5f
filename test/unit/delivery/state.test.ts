import fc from 'fast-check';
import {
	parseUtcTimestamp,
	checkIdempotencyKey,
	checkTargetUrl,
	decodeDeliveryState,
	deriveIdempotencyKey,
	DeliveryStateError,
	encodeDeliveryState,
	mapWithConcurrency,
	type DeliveryState,
} from '../../../nodes/core/delivery';

const sample: DeliveryState = {
	version: 1,
	idempotencyKey: 'evt_123',
	attempts: 3,
	firstAttemptAt: '2026-01-15T12:00:00.000Z',
	lastAttemptAt: '2026-01-15T12:05:10.000Z',
	nextAttemptAt: '2026-01-15T12:35:10.000Z',
	log: [
		{ attempt: 1, status: 503, durationMs: 12, waitedMs: 0 },
		{ attempt: 2, error: 'ECONNRESET: socket hang up', durationMs: 3, waitedMs: 5_000 },
		{ attempt: 3, status: 429, durationMs: 9, waitedMs: 300_000 },
	],
};

describe('delivery state', () => {
	it('round-trips through an item as an object and as JSON text', () => {
		const stored = encodeDeliveryState(sample);
		expect(decodeDeliveryState(stored)).toEqual(sample);
		expect(decodeDeliveryState(JSON.stringify(stored))).toEqual(sample);
	});

	it('round-trips any well-formed state', () => {
		const entry = fc.record({
			attempt: fc.integer({ min: 1, max: 50 }),
			status: fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
			durationMs: fc.nat(),
			waitedMs: fc.nat(),
		});
		const date = fc.integer({ min: 0, max: 4_000_000_000_000 }).map((ms) => new Date(ms).toISOString());
		fc.assert(
			fc.property(fc.string({ minLength: 1 }), fc.nat({ max: 50 }), date, date, date, fc.array(entry, { maxLength: 50 }), (key, attempts, a, b, c, log) => {
				const cleanLog = log.map(({ status, ...rest }) => (status === undefined ? rest : { ...rest, status }));
				const state: DeliveryState = { version: 1, idempotencyKey: key, attempts, firstAttemptAt: a, lastAttemptAt: b, nextAttemptAt: c, log: cleanLog };
				expect(decodeDeliveryState(JSON.parse(JSON.stringify(encodeDeliveryState(state))))).toEqual(state);
			}),
		);
	});

	it.each([
		[null, /object/],
		['{not json', /JSON/],
		[{ ...sample, version: 2 }, /version/],
		[{ ...sample, idempotencyKey: '' }, /idempotency key/],
		[{ ...sample, attempts: -1 }, /attempt count/],
		[{ ...sample, nextAttemptAt: 'tomorrow' }, /nextAttemptAt/],
		[{ ...sample, log: 'x' }, /log/],
		[{ ...sample, log: [{ attempt: 'one' }] }, /entry 0/],
	])('refuses malformed state %#', (input, message) => {
		expect(() => decodeDeliveryState(input)).toThrow(DeliveryStateError);
		expect(() => decodeDeliveryState(input)).toThrow(message);
	});

	// Date.parse would take each of these: 31 February as 3 March, "1" as 1 January 2001, hour 24 as the next day.
	it.each(['2026-02-31T00:00:00.000Z', '1', '2026-01-15', '2026-01-15T24:00:00.000Z', '2026-01-15T12:00:00+02:00', 'Thu, 15 Jan 2026 12:00:00 GMT'])(
		'refuses the stored date %p: only an instant that exists, written as toISOString writes it',
		(date) => {
			expect(() => decodeDeliveryState({ ...sample, lastAttemptAt: date })).toThrow(/lastAttemptAt is not a date/);
		},
	);

	it('accepts the latest date a Date can hold, in ISO 8601 expanded form, and dates without milliseconds', () => {
		expect(decodeDeliveryState({ ...sample, nextAttemptAt: '+275760-09-13T00:00:00.000Z' }).nextAttemptAt).toBe('+275760-09-13T00:00:00.000Z');
		expect(parseUtcTimestamp('2026-01-15T12:00:00Z')).toBe(Date.UTC(2026, 0, 15, 12));
		expect(parseUtcTimestamp('2024-02-29T23:59:59.5Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 500));
	});

	it('names its error class, and never echoes a value in the message', () => {
		const error = (() => {
			try {
				decodeDeliveryState({ ...sample, idempotencyKey: 42 });
			} catch (caught) {
				return caught as Error;
			}
			throw new Error('expected a refusal');
		})();
		expect(error.name).toBe('DeliveryStateError');
		expect(error.message).not.toContain('42');
	});

	it('reads state given as JSON text with the package\'s exact parser', () => {
		expect(decodeDeliveryState(JSON.stringify(sample))).toEqual(sample);
	});

	it('drops unknown fields so nothing foreign is carried forward', () => {
		const decoded = decodeDeliveryState({ ...sample, secret: 'x', log: [{ ...sample.log[0], extra: 1 }] });
		expect(decoded).not.toHaveProperty('secret');
		expect(decoded.log[0]).not.toHaveProperty('extra');
	});
});

describe('idempotency keys', () => {
	it('are the same for equal data in any key order, and ignore our own delivery field', () => {
		const a = deriveIdempotencyKey({ b: 1, a: { y: [1, 2], x: 'z' } });
		const b = deriveIdempotencyKey({ a: { x: 'z', y: [1, 2] }, b: 1, delivery: { attempts: 4 } });
		expect(a).toBe(b);
		expect(a).toMatch(/^[0-9a-f]{64}$/);
	});

	it('differ when the data or the raw body differs', () => {
		const base = deriveIdempotencyKey({ a: 1 });
		expect(deriveIdempotencyKey({ a: 2 })).not.toBe(base);
		expect(deriveIdempotencyKey({ a: 1 }, Buffer.from('x'))).not.toBe(base);
		expect(deriveIdempotencyKey({ a: 1 }, Buffer.from('x'))).not.toBe(deriveIdempotencyKey({ a: 1 }, Buffer.from('y')));
	});

	it('checks a user-given key', () => {
		expect(checkIdempotencyKey('evt_1')).toBeUndefined();
		expect(checkIdempotencyKey('')).toMatch(/empty/);
		expect(checkIdempotencyKey('a\nb')).toMatch(/printable/);
		expect(checkIdempotencyKey('k'.repeat(256))).toMatch(/255/);
	});
});

describe('target URL check', () => {
	it.each(['https://example.test/hook', 'http://127.0.0.1:8080/x', 'http://127.9.9.9/x', 'http://localhost:3000', 'http://[::1]:99/', 'http://[::ffff:127.0.0.1]/'])(
		'allows %p',
		(url) => {
			expect(checkTargetUrl(url, false).ok).toBe(true);
		},
	);

	it.each(['http://example.test/hook', 'http://10.0.0.1/', 'http://[::2]/', 'http://localhost.example.test/'])('refuses plain %p unless allowed', (url) => {
		const refused = checkTargetUrl(url, false);
		expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/plain http/) });
		expect(checkTargetUrl(url, true).ok).toBe(true);
	});

	it.each([['ftp://x/', /Only http and https/], ['not a url', /not a valid absolute URL/], ['/relative', /not a valid/]])('refuses %p', (url, message) => {
		expect(checkTargetUrl(url, true)).toMatchObject({ ok: false, message: expect.stringMatching(message) });
	});
});

describe('mapWithConcurrency', () => {
	it('keeps input order, never exceeds the limit, and runs every item once', async () => {
		let inFlight = 0;
		let peak = 0;
		const seen: number[] = [];
		const items = Array.from({ length: 40 }, (_, i) => i);
		const results = await mapWithConcurrency(items, 4, async (item) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			seen.push(item);
			// Later items finish first, to make out-of-order completion certain.
			await new Promise((resolve) => setImmediate(resolve));
			if (item % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
			inFlight--;
			return item * 10;
		});
		expect(results).toEqual(items.map((i) => i * 10));
		expect(peak).toBe(4);
		expect(seen.sort((a, b) => a - b)).toEqual(items);
	});

	it('handles an empty list and a limit larger than the list', async () => {
		expect(await mapWithConcurrency([], 8, async () => 1)).toEqual([]);
		expect(await mapWithConcurrency([1, 2], 16, async (x) => x + 1)).toEqual([2, 3]);
	});
});
