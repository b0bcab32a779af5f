import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-CC-Webhook-Signature`: hex HMAC-SHA256 of the body with the endpoint's shared secret; the event (`event.id`,
 * `event.type`) is wrapped in a delivery object whose own `id` changes per attempt; no timestamp.
 * Sources: https://docs.cdp.coinbase.com/commerce/docs/webhooks-security,
 * https://github.com/coinbase/coinbase-commerce-node/blob/master/test/testWebhook.spec.js (SDK test vector).
 */
export default defineScheme({
	id: 'coinbase-commerce',
	displayName: 'Coinbase Commerce',
	kind: 'hmac',
	secretLabel: 'Shared secret',
	signature: { header: 'X-CC-Webhook-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('event.id'),
	eventType: fromBody('event.type'),
	docs: { signature: '`X-CC-Webhook-Signature` (hex)', signed: 'body' },
});
