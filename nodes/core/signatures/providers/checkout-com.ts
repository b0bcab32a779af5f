import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `Cko-Signature`: hex HMAC-SHA256 of the body with the webhook's secret key; event `id` and `type` in the body;
 * no timestamp. Source: https://www.checkout.com/docs/developer-resources/webhooks/manage-webhooks#Verify_webhook_signatures.
 */
export default defineScheme({
	id: 'checkout-com',
	displayName: 'Checkout.com',
	kind: 'hmac',
	secretLabel: 'Secret key',
	signature: { header: 'Cko-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('id'),
	eventType: fromBody('type'),
	docs: { signature: '`Cko-Signature` (hex)', signed: 'body' },
});
