/**
 * Shopify × @shopify/shopify-api's `webhooks.validate` (verify only: Shopify signs, the library has no signer, so
 * the SDK-side input is built as Shopify's docs define it, base64 HMAC-SHA256 of the raw body with the app's client
 * secret; Shopify docs, "Deliver webhooks through HTTPS" → "Verify webhooks"). The library runs with its Node adapter
 * on a real HTTP server on 127.0.0.1, the way an app receives deliveries.
 */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sign, verify } from '../../nodes/core';
import { EMPTY, JSON_BODIES, changeOneByte } from './bodies';

// CommonJS entry points of an SDK typed for node16 resolution (this project type-checks with node10 resolution).
require('@shopify/shopify-api/adapters/node');
const { shopifyApi, ApiVersion, LogSeverity } = require('@shopify/shopify-api');

const SECRET = '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';
const shopify = shopifyApi({
	apiKey: 'placeholder-api-key',
	apiSecretKey: SECRET,
	scopes: [],
	hostName: '127.0.0.1',
	apiVersion: ApiVersion.October25,
	isEmbeddedApp: false,
	logger: { level: LogSeverity.Error },
});
const BODIES = JSON_BODIES;
const documented = (body: string) => createHmac('sha256', SECRET).update(body, 'utf8').digest('base64');

let url = '';
const server = createServer((req, res) => {
	const chunks: Buffer[] = [];
	req.on('data', (chunk: Buffer) => chunks.push(chunk));
	req.on('end', async () => {
		const result = await shopify.webhooks.validate({ rawBody: Buffer.concat(chunks).toString('utf8'), rawRequest: req, rawResponse: res });
		res.setHeader('content-type', 'application/json');
		res.end(JSON.stringify(result));
	});
});
beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const deliveryHeaders = (hmac: string) => ({
	'X-Shopify-Hmac-Sha256': hmac,
	'X-Shopify-Topic': 'orders/create',
	'X-Shopify-Shop-Domain': 'example.myshopify.com',
	'X-Shopify-API-Version': '2025-10',
	'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
	'X-Shopify-Event-Id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
	'X-Shopify-Triggered-At': '2025-10-01T12:00:00.000000000Z',
});
async function sdkValidates(headers: Record<string, string>, body: string): Promise<{ valid: boolean; eventId?: string; webhookId?: string }> {
	const response = await fetch(url, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
	return (await response.json()) as { valid: boolean };
}

describe('Shopify × @shopify/shopify-api (verify only)', () => {
	test.each(BODIES)('%s: we sign, the SDK validates; one changed byte is refused', async (_name, body) => {
		const headers = { ...deliveryHeaders(''), ...sign({ provider: 'shopify', secret: SECRET, body }) };
		await expect(sdkValidates(headers, body)).resolves.toMatchObject({ valid: true, topic: 'ORDERS_CREATE' });
		await expect(sdkValidates(headers, changeOneByte(body))).resolves.toMatchObject({ valid: false, reason: 'invalid_hmac' });
	});

	test.each(BODIES)('%s: signed as Shopify documents, the SDK and our verify accept; one changed byte is refused', async (_name, body) => {
		const headers = deliveryHeaders(documented(body));
		await expect(sdkValidates(headers, body)).resolves.toMatchObject({ valid: true });
		expect(verify({ provider: 'shopify', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, eventType: 'orders/create' });
		expect(verify({ provider: 'shopify', secrets: [SECRET], headers, body: changeOneByte(body) })).toMatchObject({ valid: false, reason: 'invalid_signature' });
	});

	test('the delivery id is X-Shopify-Event-Id, the field the SDK reports as eventId (Shopify docs: identify duplicates by event id)', async () => {
		const body = BODIES[0][1];
		const headers = deliveryHeaders(documented(body));
		const sdk = await sdkValidates(headers, body);
		expect(sdk).toMatchObject({ valid: true, eventId: headers['X-Shopify-Event-Id'], webhookId: headers['X-Shopify-Webhook-Id'] });
		expect(verify({ provider: 'shopify', secrets: [SECRET], headers, body })).toMatchObject({ valid: true, deliveryId: sdk.eventId });
	});

	test('known case: the SDK refuses an empty body before checking the HMAC (Shopify always sends one); our verify checks the HMAC of zero bytes', async () => {
		const headers = deliveryHeaders(documented(EMPTY));
		await expect(sdkValidates(headers, EMPTY)).resolves.toMatchObject({ valid: false, reason: 'missing_body' });
		expect(verify({ provider: 'shopify', secrets: [SECRET], headers, body: EMPTY }).valid).toBe(true);
		expect(verify({ provider: 'shopify', secrets: [SECRET], headers, body: ' ' }).valid).toBe(false);
	});
});
