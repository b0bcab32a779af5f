import { standardWebhooksScheme } from '../standard';

/**
 * Replicate signs with Standard Webhooks: `webhook-id/-timestamp/-signature`, a `whsec_` base64 signing secret
 * (GET /v1/webhooks/default/secret), `v1,` base64 HMAC-SHA256 of `id.timestamp.body`. The body is the prediction
 * itself, with no event type field. Source: https://replicate.com/docs/topics/webhooks/verify-webhook.
 */
export default standardWebhooksScheme({
	id: 'replicate',
	displayName: 'Replicate',
	secretLabel: 'Webhook signing secret',
	headerPrefix: 'webhook',
});
