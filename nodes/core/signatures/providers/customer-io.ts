import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Reporting webhooks: `X-CIO-Signature` is the hex HMAC-SHA256 of `v0:<X-CIO-Timestamp>:<body>` with the webhook
 * signing key; the timestamp is in seconds and no window is published. `event_id` and `metric` in the body.
 * Source: https://docs.customer.io/journeys/webhooks/#securely-verify-requests.
 */
export default defineScheme({
	id: 'customer-io',
	displayName: 'Customer.io',
	kind: 'hmac',
	secretLabel: 'Webhook signing key',
	signature: { header: 'X-CIO-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { header: 'X-CIO-Timestamp', unit: 's', toleranceSeconds: 'none published', direction: 'both' },
	content: signed('v0:', TIMESTAMP, ':', BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('event_id'),
	eventType: fromBody('metric'),
	docs: { signature: '`X-CIO-Signature` (hex)', signed: '`v0:timestamp:body`' },
});
