/**
 * The request shapes verify() and detectHandshake() take from plain-JS callers (fetch-style handlers: Next.js route
 * handlers, Workers, Deno): a fetch Headers or a Map, an ArrayBuffer body. Wrong shapes are a TypeError naming the
 * field, never a rejection that looks like a forgery. Found by a new-user trial: a Headers object answered
 * missing_signature and an ArrayBuffer body invalid_signature. Timestamp messages name their header, as signature
 * messages do (same trial: a Slack timestamp in milliseconds only said "not a valid timestamp").
 */
import { detectHandshake, sign, verify } from '../../../nodes/core/signatures';

const SECRET = 'input-shapes-secret-0123456789';
const BODY = '{"action":"opened","number":8202522731445525542}';
const signed = sign({ provider: 'github', secret: SECRET, body: BODY });
const plain = { 'Content-Type': 'application/json', 'X-GitHub-Delivery': 'd-1', ...signed };

describe('verify() takes the shapes a fetch-style handler has', () => {
	it('a fetch Headers object and a Map verify like a plain object', () => {
		for (const headers of [new Headers(plain), new Map(Object.entries(plain))]) {
			const result = verify({ provider: 'github', secrets: [SECRET], headers, body: BODY });
			expect(result).toMatchObject({ valid: true, deliveryId: 'd-1' });
		}
	});

	it('an ArrayBuffer body (await request.arrayBuffer()) verifies; so do a DataView and a Uint8Array over the same bytes', () => {
		const bytes = Buffer.from(BODY, 'utf8');
		const arrayBuffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
		for (const body of [arrayBuffer, new DataView(arrayBuffer), new Uint8Array(arrayBuffer)]) {
			expect(verify({ provider: 'github', secrets: [SECRET], headers: plain, body })).toMatchObject({ valid: true });
		}
		const tampered = Buffer.from(bytes);
		tampered[5] ^= 1;
		expect(verify({ provider: 'github', secrets: [SECRET], headers: plain, body: tampered.buffer.slice(tampered.byteOffset, tampered.byteOffset + tampered.length) })).toMatchObject({
			valid: false,
			reason: 'invalid_signature',
		});
	});

	it('a parsed body or a number is a TypeError naming body, not "invalid signature"; so are headers that are not an object', () => {
		for (const body of [JSON.parse(BODY), 42, true]) {
			expect(() => verify({ provider: 'github', secrets: [SECRET], headers: plain, body })).toThrow(
				new TypeError('verify(): body must be the raw bytes as received (a Buffer, Uint8Array, ArrayBuffer or string), not a parsed value.'),
			);
		}
		expect(() => verify({ provider: 'github', secrets: [SECRET], headers: 'x-hub-signature-256: sha256=00' as never, body: BODY })).toThrow(/^verify\(\): headers must be an object/);
		expect(() => detectHandshake({ provider: 'slack', secrets: [], headers: {}, body: { type: 'url_verification' } as never })).toThrow(/^detectHandshake\(\): body must be the raw bytes/);
	});

	it('a signature header given twice in different cases is ambiguous (malformed), as the same two values in an array are', () => {
		const forged = 'sha256=' + '0'.repeat(64);
		const twice = { ...plain, 'x-hub-signature-256': forged };
		expect(Object.keys(twice).filter((name) => name.toLowerCase() === 'x-hub-signature-256')).toHaveLength(2);
		expect(verify({ provider: 'github', secrets: [SECRET], headers: twice, body: BODY })).toMatchObject({ valid: false, reason: 'malformed_signature' });
		const asArray = { ...plain, 'X-Hub-Signature-256': [signed['X-Hub-Signature-256'], forged] };
		expect(verify({ provider: 'github', secrets: [SECRET], headers: asArray, body: BODY })).toMatchObject({ valid: false, reason: 'malformed_signature' });
		// The same value under two spellings is one header sent twice with the same value: it verifies.
		expect(verify({ provider: 'github', secrets: [SECRET], headers: { ...plain, 'x-hub-signature-256': signed['X-Hub-Signature-256'] }, body: BODY })).toMatchObject({ valid: true });
	});
});

describe('a missing or unreadable timestamp names where it is read and what unit is expected (as signature messages name their header)', () => {
	const WHSEC = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
	it.each([
		['slack', 'slack-secret-0123456789', 'X-Slack-Request-Timestamp', 'the X-Slack-Request-Timestamp header', 'whole epoch seconds'],
		['standard-webhooks', WHSEC, 'webhook-timestamp', 'the webhook-timestamp header', 'whole epoch seconds'],
		['twitch', 'twitch-secret-0123456789', 'Twitch-Eventsub-Message-Timestamp', 'the Twitch-Eventsub-Message-Timestamp header', 'an RFC 3339 date and time'],
	])('%s', (provider, secret, header, place, unit) => {
		const headers = sign({ provider, secret, body: BODY, id: 'msg-1' }) as Record<string, string>;
		const inMilliseconds = { ...headers, [header]: '1764450000000' };
		expect(verify({ provider, secrets: [secret], headers: inMilliseconds, body: BODY })).toMatchObject({
			valid: false,
			reason: 'missing_timestamp',
			message: `The timestamp (${place}) is not ${unit}.`,
		});
		const without = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== header));
		expect(verify({ provider, secrets: [secret], headers: without, body: BODY })).toMatchObject({ reason: 'missing_timestamp', message: `The request carries no timestamp (${place}).` });
	});

	it('stripe: t= in milliseconds names t= in the Stripe-Signature header', () => {
		const headers = sign({ provider: 'stripe', secret: WHSEC, body: BODY });
		const inMilliseconds = { 'Stripe-Signature': headers['Stripe-Signature'].replace(/t=\d+/, 't=1764450000000') };
		expect(verify({ provider: 'stripe', secrets: [WHSEC], headers: inMilliseconds, body: BODY })).toMatchObject({ valid: false, message: 'The timestamp (t= in the Stripe-Signature header) is not whole epoch seconds.' });
	});
});

describe('ids and event types from a body that starts with a UTF-8 byte order mark', () => {
	it('are read past the mark; the signature still covers the mark (Stripe id and type)', () => {
		const secret = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;
		const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"id":"evt_bom_1","type":"invoice.paid"}')]);
		const headers = sign({ provider: 'stripe', secret, body });
		expect(verify({ provider: 'stripe', secrets: [secret], headers, body })).toMatchObject({ valid: true, deliveryId: 'evt_bom_1', eventType: 'invoice.paid' });
		expect(verify({ provider: 'stripe', secrets: [secret], headers, body: body.subarray(3) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});
});

describe('a JSON body that is not UTF-8 carries no ids (RFC 8259 8.1)', () => {
	it('two bodies whose ids differ only in an invalid byte do not read as the same id: neither has one', () => {
		const secret = `whsec_${Buffer.alloc(24, 5).toString('base64')}`;
		const bodyWith = (byte: number) => Buffer.concat([Buffer.from('{"id":"evt_'), Buffer.from([byte]), Buffer.from('","type":"invoice.paid"}')]);
		for (const byte of [0xff, 0xfe]) {
			const body = bodyWith(byte);
			expect(body.toString('utf8')).toContain('evt_\ufffd');
			const result = verify({ provider: 'stripe', secrets: [secret], headers: sign({ provider: 'stripe', secret, body }), body });
			expect(result).toMatchObject({ valid: true });
			expect(result.valid && result.deliveryId).toBeUndefined();
		}
		// A real U+FFFD, sent as its UTF-8 bytes, is an id like any other.
		const body = Buffer.from('{"id":"evt_\ufffd","type":"invoice.paid"}', 'utf8');
		expect(verify({ provider: 'stripe', secrets: [secret], headers: sign({ provider: 'stripe', secret, body }), body })).toMatchObject({ valid: true, deliveryId: 'evt_\ufffd' });
	});
});
