/**
 * Linear × @linear/sdk's `LinearWebhookClient` (ESM-only, through esm-oracle.mjs; verify only: no signer, so the
 * SDK-side input is built as Linear's docs define it, hex HMAC-SHA256 of the raw body in `Linear-Signature`, with
 * `webhookTimestamp` (ms) inside the signed body checked within 60 s; Linear docs, "Webhooks" → "Securing webhooks").
 */
import { createHmac } from 'node:crypto';
import { sign, verify } from '../../nodes/core';
import { oracle } from './oracle';

const SECRET = 'lin_wh_0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const now = Date.now();
/** Linear bodies carry webhookTimestamp; each one is written in a shape that breaks re-serialising verifiers. */
const BODIES: Array<[string, string]> = [
	['pretty JSON', `{\n  "action": "create",\n  "type": "Issue",\n  "webhookTimestamp": ${now}\n}\n`],
	['escaped slashes', `{"action":"update","type":"Issue","url":"https:\\/\\/linear.app\\/t\\/issue\\/ENG-1","webhookTimestamp":${now}}`],
	['non-ASCII text', `{"action":"create","type":"Comment","data":{"body":"Zoë 東京 ✓ 🚀 caf\\u00e9"},"webhookTimestamp":${now}}`],
	['integer beyond 2^53', `{"action":"create","type":"Issue","number":8202522731445525542,"webhookTimestamp":${now}}`],
];
/** One byte changed inside the action value, so the body stays JSON with its timestamp and only the signature can fail. */
const changeOneByte = (body: string) => body.replace(/"(create|update)"/, (value) => value.replace(/e"$/, 'f"'));
const documented = (body: string) => createHmac('sha256', SECRET).update(body, 'utf8').digest('hex');

describe('Linear × @linear/sdk (verify only)', () => {
	const ours = BODIES.map(([, body]) => sign({ provider: 'linear', secret: SECRET, body })['Linear-Signature']);
	const results = oracle([
		...BODIES.map(([, body], i) => ({ fn: 'linear.verify', args: [SECRET, body, ours[i]] })),
		...BODIES.map(([, body], i) => ({ fn: 'linear.verify', args: [SECRET, changeOneByte(body), ours[i]] })),
		...BODIES.map(([, body]) => ({ fn: 'linear.parseData', args: [SECRET, body, documented(body)] })),
		{ fn: 'linear.verify', args: [SECRET, BODIES[0][1], documented(BODIES[0][1]).toUpperCase()] },
	]);
	const n = BODIES.length;

	test.each(BODIES.map(([name], i) => [name, i] as const))('%s: we sign, the SDK verifies; one changed byte is refused', (_name, i) => {
		expect(results[i]).toEqual({ ok: true, value: true });
		expect(results[n + i]).toEqual({ ok: false, error: 'Invalid webhook signature' });
	});

	test.each(BODIES.map(([name, body], i) => [name, body, i] as const))('%s: signed as Linear documents, the SDK and our verify accept; one changed byte is refused', (_name, body, i) => {
		expect(results[2 * n + i]).toMatchObject({ ok: true, value: { webhookTimestamp: now } });
		const headers = { 'Linear-Signature': documented(body), 'Linear-Delivery': 'd1', 'Linear-Event': 'Issue' };
		expect(verify({ provider: 'linear', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, timestamp: now, deliveryId: 'd1' });
		expect(verify({ provider: 'linear', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test('known case: the SDK compares the hex text, so an upper-case spelling of the same bytes is refused by it; we accept it', () => {
		expect(results[3 * n]).toEqual({ ok: false, error: 'Invalid webhook signature' });
		const body = BODIES[0][1];
		expect(verify({ provider: 'linear', secrets: [SECRET], headers: { 'Linear-Signature': documented(body).toUpperCase() }, body }).valid).toBe(true);
	});
});
