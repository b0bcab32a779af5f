import { prefixed } from '../formats';
import { firstOf, fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Base64 HMAC-SHA256 of the raw body with the app's client secret. Delivery id: X-Shopify-Event-Id, the same for every
 * delivery of one event (Shopify: "the same value across more than one webhook indicates a duplicate"; one event
 * reaches every subscription), https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates. X-Shopify-Webhook-Id
 * (one per delivery) only when no event id is sent; unprefixed `Shopify-*` names are the Events product's.
 */
export default defineScheme({
	id: 'shopify',
	displayName: 'Shopify',
	kind: 'hmac',
	secretLabel: 'Client secret',
	retries: { retries: true, horizon: '4 hours (8 retries)', horizonSeconds: 14_400, source: 'https://shopify.dev/changelog/updates-to-webhook-retry-mechanism' },
	signature: [
		{ header: 'X-Shopify-Hmac-Sha256', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
		{ header: 'Shopify-Hmac-Sha256', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	],
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: firstOf(fromHeader('X-Shopify-Event-Id'), fromHeader('Shopify-Event-Id'), fromHeader('X-Shopify-Webhook-Id'), fromHeader('Shopify-Webhook-Id')),
	eventType: firstOf(fromHeader('X-Shopify-Topic'), fromHeader('Shopify-Topic')),
	docs: { signature: '`X-Shopify-Hmac-Sha256` (base64)', signed: 'body' },
});
