/**
 * Square × square's `WebhooksHelper.verifySignature` (verify only: no signer in the SDK, so the SDK-side input is
 * built as Square's docs define it, base64 HMAC-SHA256 of notification URL + body with the subscription's signature
 * key; Square docs, "Verify and validate an event notification"). The URL is the one registered, byte for byte.
 */
import { createHmac } from 'node:crypto';
import { WebhooksHelper } from 'square';
import { sign, verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const KEY = 'Ibxx_5AKakO-3qeNVR61Dw';
const URLS = ['https://example.com/n8n/webhook/square', 'https://example.com/webhook/square?tenant=caf%C3%A9&x=%2F'];
const documented = (url: string, body: string) => createHmac('sha256', KEY).update(url + body, 'utf8').digest('base64');
const sdkAccepts = (url: string, body: string, signatureHeader: string) =>
	WebhooksHelper.verifySignature({ requestBody: body, signatureHeader, signatureKey: KEY, notificationUrl: url });

describe('Square × square (verify only)', () => {
	const cases = URLS.flatMap((url) => JSON_BODIES.map(([name, body]) => [`${name} at ${url}`, url, body] as const));

	test.each(cases)('%s: we sign, the SDK accepts; one changed byte is refused', async (_name, url, body) => {
		const signature = sign({ provider: 'square', secret: KEY, body, url })['x-square-hmacsha256-signature'];
		await expect(sdkAccepts(url, body, signature)).resolves.toBe(true);
		await expect(sdkAccepts(url, changeOneByte(body), signature)).resolves.toBe(false);
	});

	test.each(cases)('%s: signed as Square documents, the SDK and our verify accept; one changed byte is refused', async (_name, url, body) => {
		const headers = { 'x-square-hmacsha256-signature': documented(url, body) };
		await expect(sdkAccepts(url, body, headers['x-square-hmacsha256-signature'])).resolves.toBe(true);
		expect(verify({ provider: 'square', secrets: [KEY], headers, body, url })).toMatchObject({ valid: true });
		expect(verify({ provider: 'square', secrets: [KEY], headers, body: changeOneByte(body), url })).toMatchObject({ valid: false, reason: 'invalid_signature' });
		// The URL is part of the signed bytes: another path is another request, for both.
		expect(verify({ provider: 'square', secrets: [KEY], headers, body, url: `${url}x` }).valid).toBe(false);
		await expect(sdkAccepts(`${url}x`, body, headers['x-square-hmacsha256-signature'])).resolves.toBe(false);
	});
});
