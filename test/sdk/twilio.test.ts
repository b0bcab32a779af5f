/**
 * Twilio × twilio-node's webhook helpers (`twilio/lib/webhooks/webhooks`, what `twilio.validateRequest` runs):
 * `getExpectedTwilioSignature` signs, our verify accepts; our sign, `validateRequest` / `validateRequestWithBody`
 * accept; one changed byte refused by both. Twilio signs the full URL + the POST parameters sorted by name
 * (name + value, decoded); JSON bodies put `bodySHA256` in the URL and only the URL is signed (Twilio docs,
 * "Webhooks security"). The HMAC-SHA256 variant is selected by `X-Twilio-Webhooks-Signature-Settings: algorithm=HMAC_SHA256`.
 */
import { createHash } from 'node:crypto';
import { getExpectedTwilioSignature, validateRequest, validateRequestWithBody } from 'twilio/lib/webhooks/webhooks';
import { sign, verify } from '../../nodes/core';
import { EMPTY, FORM, JSON_BODIES, changeOneByte } from './bodies';

const TOKEN = '9f3c1e0b7a5d4c2e8f6a1b3d5c7e9f0a';
const URL_BASE = 'https://example.com:8443/n8n/webhook/twilio?tenant=a%20b&x=1';

/** POST parameters the way Express' urlencoded parser hands them to twilio-node: decoded, repeated names as arrays. */
function params(form: string): Record<string, string | string[]> {
	const out: Record<string, string | string[]> = {};
	for (const [name, value] of new URLSearchParams(form)) {
		const previous = out[name];
		out[name] = previous === undefined ? value : ([] as string[]).concat(previous, value);
	}
	return out;
}

const FORMS: Array<[string, string]> = [
	['form body (non-ASCII, +, %2F, repeated name)', FORM],
	['empty body (no parameters)', EMPTY],
	['a Twilio voice callback', 'CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212'],
];

describe('Twilio × twilio (form bodies, HMAC-SHA1)', () => {
	test.each(FORMS)('%s: twilio signs, our verify accepts; one changed byte is refused', (_name, body) => {
		const signature = getExpectedTwilioSignature(TOKEN, URL_BASE, params(body));
		const headers = { 'X-Twilio-Signature': signature };
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers, body, url: URL_BASE })).toMatchObject({ valid: true });
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers, body: changeOneByte(body), url: URL_BASE })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(FORMS)('%s: we sign, twilio validateRequest accepts; one changed byte is refused', (_name, body) => {
		const signature = sign({ provider: 'twilio', secret: TOKEN, body, url: URL_BASE })['X-Twilio-Signature'];
		expect(validateRequest(TOKEN, signature, URL_BASE, params(body))).toBe(true);
		expect(validateRequest(TOKEN, signature, URL_BASE, params(changeOneByte(body)))).toBe(false);
	});

	test("Twilio's published example: twilio-node and our sign give 0/KCTR6DLpKmkAf8muzZqo1nDgQ=", () => {
		const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
		const body = FORMS[2][1];
		expect(getExpectedTwilioSignature('12345', url, params(body))).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
		expect(sign({ provider: 'twilio', secret: '12345', body, url })['X-Twilio-Signature']).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
	});

	test('a default port added by a proxy: both accept the URL with and without :443', () => {
		const body = FORMS[0][1];
		const signature = getExpectedTwilioSignature(TOKEN, 'https://example.com/hook', params(body));
		expect(validateRequest(TOKEN, signature, 'https://example.com:443/hook', params(body))).toBe(true);
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers: { 'X-Twilio-Signature': signature }, body, url: 'https://example.com:443/hook' }).valid).toBe(true);
	});
});

describe('Twilio × twilio (JSON bodies: bodySHA256 in the URL)', () => {
	const urlFor = (body: string) => `https://example.com/n8n/webhook/twilio?bodySHA256=${createHash('sha256').update(body, 'utf8').digest('hex')}`;

	test.each(JSON_BODIES)('%s: twilio signs the URL, our verify accepts and checks the body hash; one changed byte is refused', (_name, body) => {
		const url = urlFor(body);
		const headers = { 'X-Twilio-Signature': getExpectedTwilioSignature(TOKEN, url, {}) };
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers, body, url })).toMatchObject({ valid: true });
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers, body: changeOneByte(body), url })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(JSON_BODIES)('%s: we sign, twilio validateRequestWithBody accepts; one changed byte is refused', (_name, body) => {
		const url = urlFor(body);
		const signature = sign({ provider: 'twilio', secret: TOKEN, body, url })['X-Twilio-Signature'];
		expect(validateRequestWithBody(TOKEN, signature, url, body)).toBe(true);
		expect(validateRequestWithBody(TOKEN, signature, url, changeOneByte(body))).toBe(false);
	});
});

describe('Twilio × twilio (HMAC-SHA256, X-Twilio-Webhooks-Signature-Settings)', () => {
	const settings = 'key=webhooks_sharedkey_0123456789abcdef,algorithm=HMAC_SHA256';

	test.each([...FORMS, ...JSON_BODIES.slice(0, 1)])('%s: twilio signs with HMAC_SHA256, our verify accepts; one changed byte is refused', (_name, body) => {
		const isJson = body.startsWith('{');
		const url = isJson ? `${URL_BASE}&bodySHA256=${createHash('sha256').update(body, 'utf8').digest('hex')}` : URL_BASE;
		const signature = getExpectedTwilioSignature(TOKEN, url, isJson ? {} : params(body), 'HMAC_SHA256');
		expect(Buffer.from(signature, 'base64')).toHaveLength(32);
		const headers = { 'X-Twilio-Signature': signature, 'X-Twilio-Webhooks-Signature-Settings': settings };
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers, body, url })).toMatchObject({ valid: true });
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers, body: changeOneByte(body), url })).toMatchObject({ valid: false, reason: 'invalid_signature' });
		// Without the settings header the same bytes are an HMAC-SHA1 request, which this SHA-256 signature is not.
		expect(verify({ provider: 'twilio', secrets: [TOKEN], headers: { 'X-Twilio-Signature': signature }, body, url }).valid).toBe(false);
	});

	test.each(FORMS)('%s: our sign with algorithm sha256, twilio validateRequest(HMAC_SHA256) accepts; one changed byte is refused', (_name, body) => {
		const headers = sign({ provider: 'twilio', secret: TOKEN, body, url: URL_BASE, options: { algorithm: 'sha256', keyId: 'webhooks_sharedkey_0123456789abcdef' } });
		expect(headers['X-Twilio-Webhooks-Signature-Settings']).toBe(settings);
		const signature = headers['X-Twilio-Signature'];
		expect(validateRequest(TOKEN, signature, URL_BASE, params(body), 'HMAC_SHA256')).toBe(true);
		// The SHA-1 check of the same request fails: the algorithm really is SHA-256.
		expect(validateRequest(TOKEN, signature, URL_BASE, params(body), 'HMAC_SHA1')).toBe(false);
		expect(validateRequest(TOKEN, signature, URL_BASE, params(changeOneByte(body || 'a=1')), 'HMAC_SHA256')).toBe(false);
	});
});
