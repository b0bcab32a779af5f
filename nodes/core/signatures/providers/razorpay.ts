import { prefixed } from '../formats';
import { fromBody, fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-Razorpay-Signature`: hex HMAC-SHA256 of the body with the webhook secret; `x-razorpay-event-id` stays the same
 * across retries (the deduplication key); event name in body `event`; no timestamp.
 * Sources: https://razorpay.com/docs/webhooks/validate-test/, https://razorpay.com/docs/webhooks/best-practices/#idempotency,
 * https://github.com/razorpay/razorpay-node/blob/master/test/utils/razorpay-utils.spec.js (SDK test vector).
 */
export default defineScheme({
	id: 'razorpay',
	displayName: 'Razorpay',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	signature: { header: 'X-Razorpay-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('x-razorpay-event-id'),
	eventType: fromBody('event'),
	docs: { signature: '`X-Razorpay-Signature` (hex)', signed: 'body' },
});
