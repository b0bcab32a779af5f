import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/**
 * Brex signs like Standard Webhooks: `Webhook-Id/-Timestamp/-Signature`, the secret from GET /v1/webhooks/secrets is
 * base64 (the key is its decoded bytes; several secrets are active while one is rotated), `v1,` base64
 * HMAC-SHA256 of `id.timestamp.body`; event name in body `event_type`. Source: https://developer.brex.com/docs/webhooks.
 */
export default standardWebhooksScheme({
	id: 'brex',
	displayName: 'Brex',
	secretLabel: 'Webhook secret',
	headerPrefix: 'webhook',
	eventType: fromBody('event_type'),
});
