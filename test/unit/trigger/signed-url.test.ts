/**
 * The URL a sender signed (Twilio, Square, HubSpot v3, Generic HMAC {url}): n8n's webhook URL for the request's mode,
 * exactly as n8n shows it, plus the query string as received. Issue 10, kind 10: with WEBHOOK_URL=https://host/n8n/
 * the old code kept only the origin and lost the /n8n prefix.
 */
import type { IWebhookFunctions } from 'n8n-workflow';
import { isTestRequest, signedUrl, webhookUrlForMode } from '../../../nodes/SignedWebhookTrigger/signedUrl';

describe('signedUrl', () => {
	const base = { publicUrl: '', host: '127.0.0.1:5678' };

	it('uses n8n\'s webhook URL exactly (path prefix included) plus the received query string', () => {
		expect(
			signedUrl({ ...base, webhookUrl: 'https://hooks.example.test/n8n/webhook/twilio', requestTarget: '/webhook/twilio?b=2&a=1' }),
		).toBe('https://hooks.example.test/n8n/webhook/twilio?b=2&a=1');
		// The query is kept byte for byte: order, encoding and empty values as sent.
		expect(
			signedUrl({ ...base, webhookUrl: 'https://h.test/n8n/webhook-test/x', requestTarget: '/webhook-test/x?q=a%20b&empty=&q=c' }),
		).toBe('https://h.test/n8n/webhook-test/x?q=a%20b&empty=&q=c');
		expect(signedUrl({ ...base, webhookUrl: 'https://h.test:8443/webhook/x', requestTarget: '/webhook/x' })).toBe(
			'https://h.test:8443/webhook/x',
		);
	});

	it('fills dynamic :name segments of n8n\'s URL from the received path, keeping the prefix', () => {
		expect(
			signedUrl({
				...base,
				webhookUrl: 'https://h.test/n8n/webhook/3f1c/orders/:orderId/items/:item',
				requestTarget: '/webhook/3f1c/orders/1234/items/a%2Fb?x=1',
			}),
		).toBe('https://h.test/n8n/webhook/3f1c/orders/1234/items/a%2Fb?x=1');
	});

	it('a Public URL wins; the received query is appended unless the Public URL has its own', () => {
		const webhookUrl = 'https://h.test/n8n/webhook/x';
		expect(signedUrl({ ...base, publicUrl: 'https://public.test/hook', webhookUrl, requestTarget: '/webhook/x?a=1' })).toBe(
			'https://public.test/hook?a=1',
		);
		expect(signedUrl({ ...base, publicUrl: 'https://public.test/hook?k=v', webhookUrl, requestTarget: '/webhook/x?a=1' })).toBe(
			'https://public.test/hook?k=v',
		);
	});

	it('without a URL from n8n, the Host header and the received target', () => {
		expect(signedUrl({ ...base, webhookUrl: undefined, requestTarget: '/webhook/x?a=1' })).toBe('http://127.0.0.1:5678/webhook/x?a=1');
		expect(signedUrl({ publicUrl: '', host: undefined, webhookUrl: undefined, requestTarget: '/webhook/x' })).toBe('http://localhost/webhook/x');
	});
});

describe('webhookUrlForMode', () => {
	const production = 'https://h.test/n8n/webhook/twilio';
	const additionalData = { webhookBaseUrl: 'https://h.test/n8n/webhook', webhookTestBaseUrl: 'https://h.test/n8n/webhook-test' };
	const context = (mode: string, extra: Record<string, unknown> = {}) =>
		({ getMode: () => mode, getNodeWebhookUrl: () => production, additionalData, ...extra }) as unknown as IWebhookFunctions;

	it('production: getNodeWebhookUrl as n8n builds it', () => {
		expect(isTestRequest(context('webhook'))).toBe(false);
		expect(webhookUrlForMode(context('webhook'), false)).toBe(production);
	});

	it("test mode ('manual'): n8n 2.x's getWebhookResourceUrl when it gives the test URL", () => {
		const ctx = context('manual', { getWebhookResourceUrl: () => 'https://h.test/n8n/webhook-test/twilio' });
		expect(isTestRequest(ctx)).toBe(true);
		expect(webhookUrlForMode(ctx, true)).toBe('https://h.test/n8n/webhook-test/twilio');
	});

	it('test mode on n8n without it (1.x), or where it returns the production URL: n8n\'s test base in place of the production base', () => {
		expect(webhookUrlForMode(context('manual'), true)).toBe('https://h.test/n8n/webhook-test/twilio');
		expect(webhookUrlForMode(context('manual', { getWebhookResourceUrl: () => production }), true)).toBe(
			'https://h.test/n8n/webhook-test/twilio',
		);
	});

	it('test mode with no base URLs to go by: undefined (the caller falls back to the Host header)', () => {
		const ctx = { getMode: () => 'manual', getNodeWebhookUrl: () => production } as unknown as IWebhookFunctions;
		expect(webhookUrlForMode(ctx, true)).toBeUndefined();
	});
});
