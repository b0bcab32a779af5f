/** Request building, key choice, response decoding and the output report: the Forward node's decisions, without n8n. */
import {
	buildForwardRequest,
	chooseIdempotencyKey,
	decodeResponseBody,
	deliveryReport,
	deriveIdempotencyKey,
	isOwnDeliveryField,
	passThroughNames,
	retryPolicyFromSettings,
	SVIX_RETRY_SCHEDULE_MS,
	withoutOwnDeliveryField,
	type DeliveryResult,
} from '../../../nodes/core/delivery';
import { firstHeaderValue } from '../../../nodes/core/delivery/headers';

const base = { method: 'post', url: 'https://receiver.test/hook', idempotencyKey: 'key-1' };

describe('buildForwardRequest', () => {
	it('sends the item JSON with its content type and upper-cases the method', () => {
		const request = buildForwardRequest({ ...base, body: { source: 'json', value: { a: 1 }, contentType: 'application/json' } });
		expect(request).toEqual({ method: 'POST', url: base.url, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"a":1}') });
	});

	it('sends a custom string as is and a custom object as JSON', () => {
		expect(buildForwardRequest({ ...base, body: { source: 'custom', value: 'a=1', contentType: 'text/plain' } }).body).toEqual(Buffer.from('a=1'));
		expect(buildForwardRequest({ ...base, body: { source: 'custom', value: { b: [1] }, contentType: 'application/json' } }).body).toEqual(Buffer.from('{"b":[1]}'));
	});

	it('sends raw bytes unchanged, with their content type only when one is known, and no body for none', () => {
		const bytes = Buffer.from([0xff, 0x00, 0x7b]);
		expect(buildForwardRequest({ ...base, body: { source: 'binary', bytes, contentType: 'application/octet-stream' } })).toMatchObject({
			body: bytes,
			headers: { 'content-type': 'application/octet-stream' },
		});
		expect(buildForwardRequest({ ...base, body: { source: 'binary', bytes } }).headers).toEqual({});
		expect(buildForwardRequest({ ...base, body: { source: 'none' } }).body).toBeUndefined();
	});

	it('merges headers: content type < pass-through < user headers < idempotency header, one name in any spelling', () => {
		const request = buildForwardRequest({
			...base,
			body: { source: 'json', value: {}, contentType: 'application/json' },
			incomingHeaders: { 'X-GitHub-Event': 'push', 'x-github-delivery': ['d1', 'd2'], 'Content-Type': 'text/plain', host: 'evil.test', 'x-other': 'no' },
			passThroughHeaders: ' X-GitHub-Event , x-github-delivery, content-type, Host, ',
			headers: [
				{ name: 'X-Github-Event', value: 'ping' },
				{ name: '  ', value: 'skipped' },
				{ name: 'idempotency-key', value: 'user-set' },
				{ name: 'X-Count', value: 3 },
			],
			idempotencyHeader: ' Idempotency-Key ',
		});
		expect(request.headers).toEqual({
			'content-type': 'text/plain',
			'x-github-delivery': 'd1, d2',
			'X-Github-Event': 'ping',
			'X-Count': '3',
			'Idempotency-Key': 'key-1',
		});
	});

	it('sends no idempotency header when its name is empty', () => {
		expect(buildForwardRequest({ ...base, body: { source: 'none' }, idempotencyHeader: '' }).headers).toEqual({});
	});

	it('never passes framing headers through', () => {
		expect(passThroughNames('Host, Content-Length, connection, transfer-encoding, keep-alive, upgrade, expect, X-Ok')).toEqual(['x-ok']);
	});
});

describe('chooseIdempotencyKey', () => {
	const itemJson = { order_id: '8202522731445525542' };
	it('a resumed delivery keeps its key; otherwise the configured one (trimmed); otherwise one derived from the item', () => {
		expect(chooseIdempotencyKey({ resumedKey: 'resumed', configuredKey: 'configured', itemJson })).toBe('resumed');
		expect(chooseIdempotencyKey({ configuredKey: '  configured ', itemJson })).toBe('configured');
		expect(chooseIdempotencyKey({ configuredKey: '', itemJson })).toBe(deriveIdempotencyKey(itemJson));
		expect(chooseIdempotencyKey({ configuredKey: null, itemJson })).toBe(deriveIdempotencyKey(itemJson));
	});

	it('derived keys differ for a Date, a big integer string, and raw bytes (one canonical JSON, nodes/core/json)', () => {
		const key = (json: Record<string, unknown>, rawBody?: Buffer) => chooseIdempotencyKey({ itemJson: json, rawBody });
		expect(key({ at: new Date(0) })).not.toBe(key({ at: new Date(1) }));
		expect(key({ id: '8202522731445525542' })).not.toBe(key({ id: '8202522731445525543' }));
		expect(key({ id: 1 })).not.toBe(key({ id: '1' }));
		expect(key({}, Buffer.from('a'))).not.toBe(key({}, Buffer.from('b')));
		expect(key({ b: 1, a: 2 })).toBe(key({ a: 2, b: 1 }));
	});
});

describe('decodeResponseBody', () => {
	it('parses JSON exactly: an integer beyond 2^53 keeps its digits as a string', () => {
		expect(decodeResponseBody(Buffer.from('{"id":8202522731445525543,"n":1.5}'))).toEqual({ id: '8202522731445525543', n: 1.5 });
	});

	it('accepts an ArrayBuffer, a typed array view and text', () => {
		const bytes = Buffer.from('[1,2]');
		expect(decodeResponseBody(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual([1, 2]);
		expect(decodeResponseBody(new Uint8Array(bytes))).toEqual([1, 2]);
		expect(decodeResponseBody('{"a":true}')).toEqual({ a: true });
	});

	it('keeps text that is not JSON, keeps empty bodies empty, passes decoded values through', () => {
		expect(decodeResponseBody(Buffer.from('accepted'))).toBe('accepted');
		expect(decodeResponseBody(Buffer.alloc(0))).toBe('');
		expect(decodeResponseBody({ already: 'parsed' })).toEqual({ already: 'parsed' });
		expect(decodeResponseBody(undefined)).toBeUndefined();
	});
});

describe('our own delivery field', () => {
	it('is recognised by shape and removed; a user field named delivery stays', () => {
		const own = { idempotencyKey: 'k', attempts: 1, log: [] };
		expect(isOwnDeliveryField(own)).toBe(true);
		expect(withoutOwnDeliveryField({ a: 1, delivery: own })).toEqual({ a: 1 });
		const users = { a: 1, delivery: { address: 'Main St' } };
		expect(withoutOwnDeliveryField(users)).toBe(users);
	});
});

describe('retryPolicyFromSettings', () => {
	it('builds the exponential policy from the node settings', () => {
		expect(
			retryPolicyFromSettings({ schedule: 'exponential', maxAttempts: 3, jitter: 'none', initialDelayMs: 50, multiplier: 3, maxDelayMs: 900, retryOnStatus: '503', honourRetryAfter: false }),
		).toMatchObject({ maxAttempts: 3, initialDelayMs: 50, multiplier: 3, maxDelayMs: 900, jitter: 'none', honourRetryAfter: false, retryableStatuses: [{ from: 503, to: 503 }] });
	});

	it('builds the Svix schedule, honouring Retry-After by default', () => {
		expect(retryPolicyFromSettings({ schedule: 'svix', maxAttempts: 8, jitter: 'proportional' })).toMatchObject({
			scheduleMs: SVIX_RETRY_SCHEDULE_MS,
			jitter: 'proportional',
			honourRetryAfter: true,
		});
	});

	it('names the setting that is out of range', () => {
		expect(() => retryPolicyFromSettings({ schedule: 'exponential', maxAttempts: 0, jitter: 'none' })).toThrow(/Max attempts/);
		expect(() => retryPolicyFromSettings({ schedule: 'svix', maxAttempts: 8, jitter: 'none', retryOnStatus: '7xx' })).toThrow(/7xx/);
	});
});

describe('deliveryReport', () => {
	const result: DeliveryResult = {
		outcome: 'delivered',
		attempts: 1,
		status: 200,
		durationMs: 5,
		idempotencyKey: 'k',
		log: [{ attempt: 1, status: 200, durationMs: 5, waitedMs: 0 }],
		response: { statusCode: 200, headers: { 'x-a': '1' }, body: { ok: true } },
	};
	it('includes the response only as asked', () => {
		expect(deliveryReport(result, 'none')).not.toHaveProperty('response');
		expect(deliveryReport(result, 'body').response).toEqual({ statusCode: 200, body: { ok: true } });
		expect(deliveryReport(result, 'bodyAndHeaders').response).toEqual({ statusCode: 200, body: { ok: true }, headers: { 'x-a': '1' } });
	});
});

describe('firstHeaderValue', () => {
	it('finds a header in any case: string, first of an array, or a number', () => {
		expect(firstHeaderValue({ 'Retry-After': '5' }, 'retry-after')).toBe('5');
		expect(firstHeaderValue({ 'retry-after': ['7', '9'] }, 'Retry-After')).toBe('7');
		expect(firstHeaderValue({ 'retry-after': 12 }, 'retry-after')).toBe('12');
		expect(firstHeaderValue({ 'retry-after': { x: 1 } }, 'retry-after')).toBeUndefined();
		expect(firstHeaderValue(undefined, 'retry-after')).toBeUndefined();
	});
});
