import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/**
 * OpenAI webhooks follow Standard Webhooks: `webhook-id/-timestamp/-signature`, a `whsec_` base64 signing secret,
 * `v1,` base64 HMAC-SHA256 of `id.timestamp.body`, 300 s both ways (the SDKs' `tolerance = 300`); event name in
 * body `type`. Sources: https://platform.openai.com/docs/guides/webhooks,
 * https://github.com/openai/openai-python/blob/main/tests/api_resources/test_webhooks.py (SDK test vector).
 */
export default standardWebhooksScheme({
	id: 'openai',
	displayName: 'OpenAI',
	secretLabel: 'Webhook signing secret',
	headerPrefix: 'webhook',
	eventType: fromBody('type'),
});
