import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-WC-Webhook-Signature`: BASE64 HMAC-SHA256 of the body with the webhook's secret; `X-WC-Webhook-Delivery-ID`
 * and `X-WC-Webhook-Topic` name the delivery and event; no timestamp.
 * Source: https://woocommerce.github.io/woocommerce-rest-api-docs/#webhooks.
 */
export default defineScheme({
	id: 'woocommerce',
	displayName: 'WooCommerce',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'X-WC-Webhook-Signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('X-WC-Webhook-Delivery-ID'),
	eventType: fromHeader('X-WC-Webhook-Topic'),
	docs: { signature: '`X-WC-Webhook-Signature` (base64)', signed: 'body' },
});
