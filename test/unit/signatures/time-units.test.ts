/**
 * Kind 11 of issue 10 and the "decide once" tolerance: every time the core takes as a number has one unit, a Date is
 * accepted wherever a time is, and a number that cannot be a time in that unit is refused with a TypeError.
 * - sign({ timestamp }) and verify({ now }): epoch MILLISECONDS in MIN_EPOCH_MS..MAX_EPOCH_MS, or a Date.
 * - verify({ toleranceSeconds }): SECONDS, > 0, or Infinity for "off"; 0 is refused (Stripe's SDKs read it as off).
 */
import { MAX_EPOCH_MS, MIN_EPOCH_MS, providerIds, sign, verify } from '../../../nodes/core';
import type { ProviderOptions } from '../../../nodes/core';
import { NOW, PROVIDER_ROWS, rowNamed, signedRequest } from './provider-table';

const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const base = { provider: 'standard-webhooks', secret: WHSEC, body: '{}', id: 'msg_1' };

describe('sign({ timestamp }): epoch milliseconds or a Date', () => {
	test('the issue 10 input: 1700000000 (seconds) throws instead of signing 1970-01-20', () => {
		expect(() => sign({ ...base, timestamp: 1700000000 })).toThrow(TypeError);
		expect(() => sign({ ...base, timestamp: 1700000000 })).toThrow(/sign\(\): timestamp .*1700000000 looks like epoch seconds/);
	});

	test('milliseconds and the equal Date sign the same seconds header', () => {
		const fromMs = sign({ ...base, timestamp: 1700000000000 });
		expect(fromMs['webhook-timestamp']).toBe('1700000000');
		expect(sign({ ...base, timestamp: new Date(1700000000000) })).toEqual(fromMs);
	});

	test.each([
		['NaN', Number.NaN],
		['Infinity', Infinity],
		['negative', -1],
		['just below the range', MIN_EPOCH_MS - 1],
		['just above the range', MAX_EPOCH_MS + 1],
		['an invalid Date', new Date('not a date')],
		['a string', '1700000000000' as unknown as number],
	])('%s throws a TypeError naming the field', (_label, timestamp) => {
		expect(() => sign({ ...base, timestamp })).toThrow(/^sign\(\): timestamp must be/);
	});

	test('the range ends are accepted', () => {
		expect(sign({ ...base, timestamp: MIN_EPOCH_MS })['webhook-timestamp']).toBe('1000000000');
		expect(sign({ ...base, timestamp: MAX_EPOCH_MS })['webhook-timestamp']).toBe('253402300799');
	});

	test('every provider: a Date and its milliseconds sign alike; seconds throw even where no timestamp is signed', () => {
		for (const row of PROVIDER_ROWS.filter((r) => !r.build && r.verifySecret === undefined)) {
			const input = { provider: row.provider, secret: row.secret, body: row.body, url: row.url, method: row.method, options: row.options, id: 'id-1' };
			expect(sign({ ...input, timestamp: new Date(NOW) })).toEqual(sign({ ...input, timestamp: NOW }));
			expect(() => sign({ ...input, timestamp: NOW / 1000 })).toThrow(TypeError);
		}
	});
});

describe('verify({ now }): epoch milliseconds or a Date', () => {
	const request = signedRequest(rowNamed('standard-webhooks (v1 HMAC)'));
	test('a Date and its milliseconds give the same answer', () => {
		expect(verify({ ...request, now: new Date(NOW) })).toEqual(verify({ ...request, now: NOW }));
		expect(verify({ ...request, now: new Date(NOW) })).toMatchObject({ valid: true, timestamp: NOW });
	});

	test('seconds where milliseconds are expected throw a TypeError (a programming error, not a request problem)', () => {
		expect(() => verify({ ...request, now: NOW / 1000 })).toThrow(/^verify\(\): now must be .*looks like epoch seconds/);
		expect(() => verify({ ...request, now: Number.NaN })).toThrow(TypeError);
		expect(() => verify({ ...request, now: new Date(Number.NaN) })).toThrow(TypeError);
	});

	test('applies to every provider alike', () => {
		for (const provider of providerIds) {
			expect(() => verify({ provider, secrets: [], headers: {}, body: '', now: 1700000000 })).toThrow(TypeError);
		}
	});
});

describe('toleranceSeconds: seconds > 0, or Infinity; 0 refused (decided once, every provider)', () => {
	const request = signedRequest(rowNamed('stripe'));
	test.each([0, -1, Number.NaN, -Infinity, '300' as unknown as number])('%p throws a TypeError for every provider', (toleranceSeconds) => {
		for (const provider of providerIds) {
			expect(() => verify({ provider, secrets: [], headers: {}, body: '', toleranceSeconds })).toThrow(/^toleranceSeconds must be/);
		}
	});

	test('Infinity turns the check off; a positive window is used as given', () => {
		expect(verify({ ...request, now: NOW + 86400_000, toleranceSeconds: Infinity })).toMatchObject({ valid: true });
		expect(verify({ ...request, now: NOW + 2_000, toleranceSeconds: 1 })).toMatchObject({ valid: false, reason: 'timestamp_out_of_tolerance' });
		expect(verify({ ...request, now: NOW + 500, toleranceSeconds: 1 })).toMatchObject({ valid: true });
	});
});

describe('configured units and algorithms (generic-hmac, convoy) are checked, not guessed', () => {
	test.each([
		['generic-hmac', { timestampHeader: 'X-Timestamp', timestampUnit: 'seconds' }, /options\.timestampUnit must be one of s, ms/],
		['generic-hmac', { algorithm: 'sha384' }, /options\.algorithm must be one of sha1, sha256, sha512/],
		['convoy', { encoding: 'base32' }, /options\.encoding must be one of hex, base64/],
	] as unknown as Array<[string, ProviderOptions, RegExp]>)('%s %j throws a TypeError in verify and sign', (provider, options, message) => {
		expect(() => verify({ provider, secrets: ['s3cret'], headers: {}, body: '', options })).toThrow(message);
		expect(() => sign({ provider, secret: 's3cret', body: '', options })).toThrow(message);
	});

	test('an empty setting means the default, as in the credential form', () => {
		const headers = sign({ provider: 'generic-hmac', secret: 's3cret', body: 'x', options: { algorithm: '' as never, encoding: '' as never } });
		expect(headers['X-Signature']).toMatch(/^[0-9a-f]{64}$/);
	});
});
