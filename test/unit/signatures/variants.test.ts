/**
 * Kind 6 of issue 10: documented variants of a provider's scheme.
 * - Mailgun legacy webhooks and inbound Routes send `timestamp`, `token`, `signature` as form fields
 *   (application/x-www-form-urlencoded; multipart/form-data when a Route forwards attachments). Source: Mailgun docs
 *   "Securing webhooks" (https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks) and
 *   "Receiving messages via HTTP through a forward() action" (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/).
 * - Twilio signs with HMAC-SHA256 when X-Twilio-Webhooks-Signature-Settings names it (SDK values: test/vectors/twilio.json).
 */
import { createHmac } from 'node:crypto';
import { sign, verify } from '../../../nodes/core';
import { NOW } from './provider-table';

const KEY = 'key-mailgun-signing';
const TS = String(Math.floor(NOW / 1000));
const TOKEN = 'b3f5a0c9e1d24c7fa8b6e2d9c0f1a3b5c7d9e1f3a5b7c9d1e3';
const SIGNATURE = createHmac('sha256', KEY).update(TS + TOKEN).digest('hex');

function multipart(boundary: string, fields: Array<[string, string]>, file?: { name: string; content: Buffer }) {
	const chunks: Buffer[] = [];
	for (const [name, value] of fields) {
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`, 'utf8'));
	}
	if (file) {
		chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.name}"; filename="a.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`));
		chunks.push(file.content, Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return Buffer.concat(chunks);
}

describe('mailgun: form-field signatures (legacy webhooks, inbound Routes)', () => {
	const form = new URLSearchParams({ event: 'delivered', recipient: 'zoë@example.com', timestamp: TS, token: TOKEN, signature: SIGNATURE, 'Message-Id': '<1@x>' }).toString();
	const urlencoded = { 'Content-Type': 'application/x-www-form-urlencoded' };
	const check = (headers: Record<string, string>, body: string | Buffer, now = NOW) => verify({ provider: 'mailgun', secrets: [KEY], headers, body, now });

	test('urlencoded legacy webhook verifies; event from the form, delivery id = token', () => {
		expect(check(urlencoded, form)).toEqual({ valid: true, provider: 'mailgun', secretIndex: 0, eventType: 'delivered', deliveryId: TOKEN, timestamp: Number(TS) * 1000 });
	});

	test('content type with charset and odd case, or none at all', () => {
		expect(check({ 'content-type': 'Application/X-WWW-Form-Urlencoded; charset=utf-8' }, form)).toMatchObject({ valid: true });
		expect(check({}, form)).toMatchObject({ valid: true });
	});

	test('multipart Route forward with an attachment verifies; the file part is not read as a field', () => {
		const boundary = '----mailgun-boundary-7c1';
		const body = multipart(
			boundary,
			[['recipient', 'bob@example.com'], ['subject', 'Grüße'], ['timestamp', TS], ['token', TOKEN], ['signature', SIGNATURE]],
			{ name: 'attachment-1', content: Buffer.from([0xff, 0x00, 0x2d, 0x2d, 0x0d, 0x0a]) },
		);
		expect(check({ 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body)).toMatchObject({ valid: true, deliveryId: TOKEN });
		expect(check({ 'Content-Type': `multipart/form-data; boundary="${boundary}"` }, body)).toMatchObject({ valid: true });
	});

	test('the same rules as the JSON shape: changed token, stale timestamp, missing fields, upper-case hex', () => {
		expect(check(urlencoded, form.replace(TOKEN, TOKEN.replace('b3', 'b4')))).toMatchObject({ valid: false, reason: 'invalid_signature' });
		expect(check(urlencoded, form, NOW + 301_000)).toMatchObject({ valid: false, reason: 'timestamp_out_of_tolerance' });
		expect(check(urlencoded, form.replace(/&signature=[0-9a-f]+/, ''))).toMatchObject({ valid: false, reason: 'missing_signature' });
		expect(check(urlencoded, form.replace(/timestamp=\d+&/, ''))).toMatchObject({ valid: false, reason: 'missing_timestamp' });
		expect(check(urlencoded, form.replace(SIGNATURE, SIGNATURE.toUpperCase()))).toMatchObject({ valid: true });
	});

	test('sign() gives the three values a sender puts in the form', () => {
		const values = sign({ provider: 'mailgun', secret: KEY, body: '', timestamp: NOW, id: TOKEN });
		expect(values).toEqual({ timestamp: TS, token: TOKEN, signature: SIGNATURE });
	});

	test('a JSON content type with a form body is not read as a form', () => {
		expect(check({ 'Content-Type': 'application/json' }, form)).toMatchObject({ valid: false, reason: 'missing_signature' });
	});
});

describe('twilio: HMAC-SHA256 under a Webhook Setting', () => {
	const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
	const body = 'CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212';
	const sharedKey = 'shared-key-secret-from-the-setting';

	test('sign() with options.algorithm sha256 writes the settings header, and verify accepts it', () => {
		const headers = sign({ provider: 'twilio', secret: sharedKey, body, url, options: { algorithm: 'sha256', keyId: 'webhooks_sharedkey_01' } });
		expect(headers['X-Twilio-Webhooks-Signature-Settings']).toBe('key=webhooks_sharedkey_01,algorithm=HMAC_SHA256');
		expect(Buffer.from(headers['X-Twilio-Signature'], 'base64')).toHaveLength(32);
		expect(verify({ provider: 'twilio', secrets: ['auth-token', sharedKey], headers, body, url })).toMatchObject({ valid: true, secretIndex: 1 });
	});

	test('the SHA-256 signature is HMAC-SHA256(key, URL + sorted params), base64 (independent computation)', () => {
		const params = [...new URLSearchParams(body)].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => k + v).join('');
		const expected = createHmac('sha256', sharedKey).update(url + params).digest('base64');
		const headers = { 'X-Twilio-Signature': expected, 'X-Twilio-Webhooks-Signature-Settings': 'key=k,algorithm=HMAC_SHA256' };
		expect(verify({ provider: 'twilio', secrets: [sharedKey], headers, body, url })).toMatchObject({ valid: true });
	});

	test('a settings header sent twice with different values is ambiguous', () => {
		const headers = sign({ provider: 'twilio', secret: sharedKey, body, url, options: { algorithm: 'sha256' } });
		const twice = { ...headers, 'X-Twilio-Webhooks-Signature-Settings': ['algorithm=HMAC_SHA256', 'algorithm=HMAC_SHA1'] };
		expect(verify({ provider: 'twilio', secrets: [sharedKey], headers: twice, body, url })).toMatchObject({ valid: false, reason: 'malformed_signature' });
	});
});
