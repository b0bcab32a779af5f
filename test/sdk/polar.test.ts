/**
 * Polar × `standardwebhooks`, fed the secret exactly as Polar's SDK feeds it: polar-js `validateEvent`
 * (src/webhooks/index.ts, https://github.com/polarsource/polar-js/blob/main/src/webhooks/index.ts) does
 * `new Webhook(Buffer.from(secret, 'utf-8').toString('base64'))`, so the HMAC key is the secret's UTF-8 bytes, prefix
 * and all, never the secret base64-decoded as plain Standard Webhooks does (issue 12, item 4: rechecked). Both
 * directions, with Polar-style secrets: one that is not base64 at all, and polar-js's own test secret "TestSecret",
 * which IS valid base64 and so would give a different, wrong key if decoded.
 */
import { Webhook } from 'standardwebhooks';
import { sign, verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const SECRETS = ['polar_whs_3NqAm2zVbC7xkHdW9sYpLr0tUe5fGjKi', 'TestSecret'];
/** What polar-js hands to the standardwebhooks library. */
const polarWebhook = (secret: string) => new Webhook(Buffer.from(secret, 'utf-8').toString('base64'));
const nowSeconds = () => Math.floor(Date.now() / 1000);

describe.each(SECRETS)('Polar (secret %s) × standardwebhooks as polar-js calls it', (secret) => {
	const library = polarWebhook(secret);

	test.each(JSON_BODIES)('%s: the library signs, our verify accepts; one changed byte is refused', (_name, body) => {
		const timestamp = nowSeconds();
		const headers = {
			'webhook-id': 'msg_polar1',
			'webhook-timestamp': String(timestamp),
			'webhook-signature': library.sign('msg_polar1', new Date(timestamp * 1000), body),
		};
		expect(verify({ provider: 'polar', secrets: [secret], headers, body })).toMatchObject({ valid: true, deliveryId: 'msg_polar1' });
		expect(verify({ provider: 'polar', secrets: [secret], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(JSON_BODIES)('%s: we sign, the library verifies; one changed byte is refused', (_name, body) => {
		const headers = sign({ provider: 'polar', secret, body, id: 'msg_polar2', timestamp: new Date() });
		expect(library.verify(body, headers)).toEqual(JSON.parse(body));
		expect(() => library.verify(changeOneByte(body), headers)).toThrow('No matching signature found');
	});
});

test('the key is not the secret base64-decoded: plain Standard Webhooks with "TestSecret" refuses what Polar signs', () => {
	const body = '{"type":"order.created","data":{}}';
	const headers = sign({ provider: 'polar', secret: 'TestSecret', body, id: 'msg_polar3', timestamp: new Date() });
	expect(() => new Webhook('TestSecret').verify(body, headers)).toThrow('No matching signature found');
	// And the other way: what a base64-decoding receiver would accept, Polar's own scheme refuses.
	const decoded = new Webhook('TestSecret');
	const timestamp = nowSeconds();
	const wrong = { 'webhook-id': 'msg_polar4', 'webhook-timestamp': String(timestamp), 'webhook-signature': decoded.sign('msg_polar4', new Date(timestamp * 1000), body) };
	expect(verify({ provider: 'polar', secrets: ['TestSecret'], headers: wrong, body })).toMatchObject({ valid: false, reason: 'invalid_signature' });
});
