import { prefixed } from '../formats';
import { firstOf, fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** Base64 HMAC-SHA256 of the raw body with the app's client secret. */
export default defineScheme({
	id: 'shopify',
	displayName: 'Shopify',
	kind: 'hmac',
	secretLabel: 'Client secret',
	signature: [
		{ header: 'X-Shopify-Hmac-Sha256', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
		{ header: 'Shopify-Hmac-Sha256', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	],
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: firstOf(fromHeader('X-Shopify-Webhook-Id'), fromHeader('Shopify-Webhook-Id')),
	eventType: firstOf(fromHeader('X-Shopify-Topic'), fromHeader('Shopify-Topic')),
});
