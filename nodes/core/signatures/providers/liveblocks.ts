import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/**
 * Liveblocks webhooks are Svix-signed under the Standard Webhooks header names: `webhook-id/-timestamp/-signature`,
 * a `whsec_` base64 secret, `v1,` base64 HMAC-SHA256 of `id.timestamp.body`, 300 s both ways; event name in body
 * `type`. Sources: https://liveblocks.io/docs/platform/webhooks#Security-verification,
 * https://github.com/liveblocks/liveblocks/blob/main/packages/liveblocks-node/src/__tests__/webhooks.test.ts.
 */
export default standardWebhooksScheme({
	id: 'liveblocks',
	displayName: 'Liveblocks',
	secretLabel: 'Webhook secret key',
	headerPrefix: 'webhook',
	eventType: fromBody('type'),
});
