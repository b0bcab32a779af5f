/**
 * Standard Webhooks, Svix and OpenAI × their SDKs: `standardwebhooks` and `svix` (ESM-only, through esm-oracle.mjs)
 * sign and verify; `openai` only verifies (`webhooks.unwrap`), so its signed input is built as the Standard Webhooks
 * spec defines it (OpenAI's webhooks follow that spec: `webhook-id/-timestamp/-signature`, `whsec_` base64 key).
 * Signed content: `id.timestamp.body`, HMAC-SHA256 with the base64-decoded secret (standardwebhooks.com spec).
 */
import { createHmac } from 'node:crypto';
import OpenAI from 'openai';
import { Webhook } from 'standardwebhooks';
import { sign, verify } from '../../nodes/core';
import { EMPTY, JSON_BODIES, changeOneByte } from './bodies';
import { oracle } from './oracle';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'; // the spec's example secret (24 bytes)
const nowSeconds = () => Math.floor(Date.now() / 1000);
const headersFor = (prefix: string, id: string, timestamp: number, signature: string) => ({
	[`${prefix}-id`]: id,
	[`${prefix}-timestamp`]: String(timestamp),
	[`${prefix}-signature`]: signature,
});

describe('Standard Webhooks × standardwebhooks', () => {
	const library = new Webhook(SECRET);

	test.each(JSON_BODIES)('%s: the library signs, our verify accepts; one changed byte is refused', (_name, body) => {
		const timestamp = nowSeconds();
		const headers = headersFor('webhook', 'msg_sw1', timestamp, library.sign('msg_sw1', new Date(timestamp * 1000), body));
		expect(verify({ provider: 'standard-webhooks', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, deliveryId: 'msg_sw1' });
		expect(verify({ provider: 'standard-webhooks', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(JSON_BODIES)('%s: we sign, the library verifies; one changed byte is refused', (_name, body) => {
		const headers = sign({ provider: 'standard-webhooks', secret: SECRET, body, id: 'msg_sw2', timestamp: new Date() });
		expect(library.verify(body, headers)).toEqual(JSON.parse(body));
		expect(() => library.verify(changeOneByte(body), headers)).toThrow('No matching signature found');
	});
});

describe('Svix × svix', () => {
	const bodies: Array<[string, string]> = [...JSON_BODIES, ['empty body', EMPTY]];
	const timestamp = nowSeconds();
	const ours = bodies.map(([, body]) => sign({ provider: 'svix', secret: SECRET, body, id: 'msg_svix', timestamp: new Date(timestamp * 1000) }));
	const results = oracle([
		...bodies.map(([, body]) => ({ fn: 'svix.sign', args: [SECRET, 'msg_svix', timestamp, body] })),
		...bodies.map(([, body], i) => ({ fn: 'svix.verify', args: [SECRET, body, ours[i]] })),
		...bodies.map(([, body], i) => ({ fn: 'svix.verify', args: [SECRET, changeOneByte(body), ours[i]] })),
	]);
	const n = bodies.length;

	test.each(bodies.map(([name, body], i) => [name, body, i] as const))('%s: svix signs, our verify accepts; one changed byte is refused', (_name, body, i) => {
		expect(results[i]).toMatchObject({ ok: true, value: expect.stringMatching(/^v1,/) });
		const headers = headersFor('svix', 'msg_svix', timestamp, String((results[i] as { value: unknown }).value));
		expect(verify({ provider: 'svix', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, deliveryId: 'msg_svix' });
		expect(verify({ provider: 'svix', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
		// Same key, same content: the signatures are byte-identical.
		expect(ours[i]['svix-signature']).toBe(headers['svix-signature']);
	});

	test.each(bodies.map(([name], i) => [name, i] as const))('%s: we sign, svix verifies; one changed byte is refused', (_name, i) => {
		expect(results[n + i]).toEqual({ ok: true, value: true });
		expect(results[2 * n + i]).toMatchObject({ ok: false, error: 'No matching signature found' });
	});
});

describe('OpenAI × openai (verify only)', () => {
	const client = new OpenAI({ apiKey: 'sk-placeholder-not-used-offline' });

	test.each(JSON_BODIES)('%s: we sign, openai unwrap accepts; one changed byte is refused', async (_name, body) => {
		const headers = sign({ provider: 'standard-webhooks', secret: SECRET, body, id: 'wh_openai', timestamp: new Date() });
		await expect(client.webhooks.unwrap(body, headers, SECRET)).resolves.toEqual(JSON.parse(body));
		await expect(client.webhooks.unwrap(changeOneByte(body), headers, SECRET)).rejects.toThrow('The given webhook signature does not match the expected signature');
	});

	test.each(JSON_BODIES)('%s: signed as the spec defines (standardwebhooks library), both openai and our verify accept', async (_name, body) => {
		const timestamp = nowSeconds();
		const headers = headersFor('webhook', 'wh_openai2', timestamp, new Webhook(SECRET).sign('wh_openai2', new Date(timestamp * 1000), body));
		await expect(client.webhooks.unwrap(body, headers, SECRET)).resolves.toEqual(JSON.parse(body));
		expect(verify({ provider: 'standard-webhooks', secrets: [SECRET], headers, body }).valid).toBe(true);
	});
});

describe('key material: empty and too-short whsec_ secrets', () => {
	test('an empty decoded key: every SDK refuses it, and so do we (verify and sign)', async () => {
		expect(() => new Webhook('whsec_')).toThrow("Secret can't be empty");
		const [svix] = oracle([{ fn: 'svix.sign', args: ['whsec_', 'msg', nowSeconds(), '{}'] }]);
		expect(svix).toMatchObject({ ok: false, error: "Secret can't be empty." });
		await expect(new OpenAI({ apiKey: 'x' }).webhooks.unwrap('{}', headersFor('webhook', 'm', nowSeconds(), 'v1,AAAA'), 'whsec_')).rejects.toThrow();
		const timestamp = nowSeconds();
		const forged = headersFor('webhook', 'm', timestamp, `v1,${createHmac('sha256', Buffer.alloc(0)).update(`m.${timestamp}.{}`).digest('base64')}`);
		expect(verify({ provider: 'standard-webhooks', secrets: ['whsec_'], headers: forged, body: '{}' }).valid).toBe(false);
		expect(() => sign({ provider: 'standard-webhooks', secret: 'whsec_', body: '{}' })).toThrow(TypeError);
	});

	test('known case: the SDKs accept a 1-byte key (whsec_QQ==, 256 possible keys); we refuse it (the spec asks for 24-64 bytes)', () => {
		const timestamp = nowSeconds();
		const signature = new Webhook('whsec_QQ==').sign('m', new Date(timestamp * 1000), '{}');
		const headers = headersFor('webhook', 'm', timestamp, signature);
		expect(new Webhook('whsec_QQ==').verify('{}', headers)).toEqual({}); // the SDK's behaviour, pinned
		expect(verify({ provider: 'standard-webhooks', secrets: ['whsec_QQ=='], headers, body: '{}' })).toMatchObject({ valid: false });
		expect(() => sign({ provider: 'standard-webhooks', secret: 'whsec_QQ==', body: '{}' })).toThrow(TypeError);
	});
});
