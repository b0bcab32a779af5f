/**
 * HubSpot (v3 signatures) × @hubspot/api-client's `Signature` (`getSignature` signs, `isValid` verifies).
 * HubSpot's docs ("Validating requests", v3): base64 HMAC-SHA256 with the app's client secret over
 * method + URI + body + timestamp (ms), where the URI has these escapes decoded first:
 * %3A : %2F / %3F ? %40 @ %21 ! %24 $ %27 ' %28 ( %29 ) %2A * %2C , %3B ;
 * The SDK hashes the URL exactly as given (no decoding): for URLs with none of those escapes both agree; for a URL
 * with them we follow the docs and the SDK's deviation is pinned below.
 */
import { Signature } from '@hubspot/api-client';
import { sign, verify } from '../../nodes/core';
import { JSON_BODIES, changeOneByte } from './bodies';

const CLIENT_SECRET = 'b8a6a0a5-3c2f-4b5e-9d8f-7e6d5c4b3a21';
const PLAIN_URL = 'https://example.com/n8n/webhook/hubspot?portal=123&name=caf%C3%A9';
const ESCAPED_URL = 'https://example.com/webhook/hubspot?email=jane%40example.com&redirect=https%3A%2F%2Fexample.org%2Fa';
const DECODED_URL = 'https://example.com/webhook/hubspot?email=jane@example.com&redirect=https://example.org/a';

const sdkSignature = (url: string, body: string, timestamp: number, method = 'POST') =>
	Signature.getSignature(method, 'v3', { clientSecret: CLIENT_SECRET, requestBody: body, url, timestamp, signature: '' }); // signature: required by the type, unused when signing
const sdkAccepts = (url: string, body: string, signature: string, timestamp: number, method = 'POST') =>
	Signature.isValid({ signatureVersion: 'v3', method, clientSecret: CLIENT_SECRET, requestBody: body, url, signature, timestamp });
const headersFor = (signature: string, timestamp: number) => ({ 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestamp) });
const BODIES: Array<[string, string]> = [...JSON_BODIES, ['JSON array of events', '[{"eventId":1,"subscriptionType":"contact.creation","objectId":8202522731445525542}]']];

describe('HubSpot × @hubspot/api-client', () => {
	test.each(BODIES)('%s: the SDK signs, our verify accepts; one changed byte is refused', (_name, body) => {
		const timestamp = Date.now();
		const headers = headersFor(sdkSignature(PLAIN_URL, body, timestamp), timestamp);
		expect(verify({ provider: 'hubspot', secrets: [CLIENT_SECRET], headers, body, url: PLAIN_URL, method: 'POST' })).toMatchObject({ valid: true, timestamp });
		expect(verify({ provider: 'hubspot', secrets: [CLIENT_SECRET], headers, body: changeOneByte(body), url: PLAIN_URL, method: 'POST' })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test.each(BODIES)('%s: we sign, the SDK isValid accepts; one changed byte is refused', (_name, body) => {
		const timestamp = Date.now();
		const headers = sign({ provider: 'hubspot', secret: CLIENT_SECRET, body, url: PLAIN_URL, method: 'POST', timestamp: new Date(timestamp) });
		expect(headers['X-HubSpot-Request-Timestamp']).toBe(String(timestamp));
		expect(sdkAccepts(PLAIN_URL, body, headers['X-HubSpot-Signature-v3'], timestamp)).toBe(true);
		expect(sdkAccepts(PLAIN_URL, changeOneByte(body), headers['X-HubSpot-Signature-v3'], timestamp)).toBe(false);
	});

	test('a GET without a body: both sign method + URI + timestamp alike', () => {
		const timestamp = Date.now();
		const headers = sign({ provider: 'hubspot', secret: CLIENT_SECRET, body: '', url: PLAIN_URL, method: 'GET', timestamp: new Date(timestamp) });
		expect(sdkAccepts(PLAIN_URL, '', headers['X-HubSpot-Signature-v3'], timestamp, 'GET')).toBe(true);
		expect(sdkAccepts(PLAIN_URL, '', headers['X-HubSpot-Signature-v3'], timestamp, 'POST')).toBe(false);
		expect(verify({ provider: 'hubspot', secrets: [CLIENT_SECRET], headers: headersFor(sdkSignature(PLAIN_URL, '', timestamp, 'GET'), timestamp), body: '', url: PLAIN_URL, method: 'GET' }).valid).toBe(true);
	});

	test('known case: on a URL with %40/%3A/%2F the SDK hashes the URL undecoded; HubSpot (and we) sign the decoded URI', () => {
		const body = BODIES[0][1];
		const timestamp = Date.now();
		// What HubSpot sends, per its docs: the signature over the decoded URI.
		const hubspotSends = sdkSignature(DECODED_URL, body, timestamp);
		expect(verify({ provider: 'hubspot', secrets: [CLIENT_SECRET], headers: headersFor(hubspotSends, timestamp), body, url: ESCAPED_URL, method: 'POST' }).valid).toBe(true);
		expect(sign({ provider: 'hubspot', secret: CLIENT_SECRET, body, url: ESCAPED_URL, method: 'POST', timestamp: new Date(timestamp) })['X-HubSpot-Signature-v3']).toBe(hubspotSends);
		// The SDK's deviation, pinned: given the URL it received, it refuses HubSpot's signature and expects one over the raw URL.
		expect(sdkAccepts(ESCAPED_URL, body, hubspotSends, timestamp)).toBe(false);
		expect(sdkSignature(ESCAPED_URL, body, timestamp)).not.toBe(hubspotSends);
		expect(verify({ provider: 'hubspot', secrets: [CLIENT_SECRET], headers: headersFor(sdkSignature(ESCAPED_URL, body, timestamp), timestamp), body, url: ESCAPED_URL, method: 'POST' }).valid).toBe(false);
	});
});
