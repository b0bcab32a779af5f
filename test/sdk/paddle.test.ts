/**
 * Paddle Billing × @paddle/paddle-node-sdk's `webhooks.isSignatureValid` (verify only: the SDK has no signer, so the
 * SDK-side input is built as Paddle's docs define it, `Paddle-Signature: ts=<unix>;h1=<hex HMAC-SHA256 of ts:body>`
 * with the notification destination's secret key; Paddle docs, "Verify webhook signatures"). The SDK allows 5 s,
 * so every signature here is made just now.
 */
import { createHmac } from 'node:crypto';
import { Paddle } from '@paddle/paddle-node-sdk';
import { sign, verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const SECRET = 'pdl_ntfset_01gkpjp8bkm3tm53kdgkx6sms7_6h3qd3uFSi9YCD3OLYAShQI90XTI5vEI';
const paddle = new Paddle('pdl_sdbx_apikey_placeholder_not_used_offline');
const documented = (ts: number, body: string, secret = SECRET) => `ts=${ts};h1=${createHmac('sha256', secret).update(`${ts}:${body}`).digest('hex')}`;

describe('Paddle × @paddle/paddle-node-sdk (verify only)', () => {
	test.each(JSON_BODIES)('%s: we sign, the SDK accepts; one changed byte is refused', async (_name, body) => {
		const header = sign({ provider: 'paddle', secret: SECRET, body, timestamp: new Date() })['Paddle-Signature'];
		expect(header).toMatch(/^ts=\d+;h1=[0-9a-f]{64}$/);
		await expect(paddle.webhooks.isSignatureValid(body, SECRET, header)).resolves.toBe(true);
		await expect(paddle.webhooks.isSignatureValid(changeOneByte(body), SECRET, header)).resolves.toBe(false);
	});

	test.each(JSON_BODIES)('%s: signed as Paddle documents, the SDK and our verify accept; one changed byte is refused', async (_name, body) => {
		const header = documented(Math.floor(Date.now() / 1000), body);
		await expect(paddle.webhooks.isSignatureValid(body, SECRET, header)).resolves.toBe(true);
		expect(verify({ provider: 'paddle', secrets: [SECRET], headers: { 'Paddle-Signature': header }, body })).toMatchObject({ valid: true });
		expect(verify({ provider: 'paddle', secrets: [SECRET], headers: { 'Paddle-Signature': header }, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test('known case: with two h1 values the SDK only checks the last one; we accept either', async () => {
		const body = JSON_BODIES[0][1];
		const ts = Math.floor(Date.now() / 1000);
		const current = documented(ts, body).split(';')[1];
		const other = documented(ts, body, 'pdl_ntfset_other_secret_for_rotation_000000000000').split(';')[1];
		const header = `ts=${ts};${current};${other}`;
		await expect(paddle.webhooks.isSignatureValid(body, SECRET, header)).resolves.toBe(false); // the SDK's behaviour, pinned
		expect(verify({ provider: 'paddle', secrets: [SECRET], headers: { 'Paddle-Signature': header }, body }).valid).toBe(true);
		await expect(paddle.webhooks.isSignatureValid(body, SECRET, `ts=${ts};${other};${current}`)).resolves.toBe(true);
	});
});
