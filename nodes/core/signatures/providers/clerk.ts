import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/**
 * Clerk delivers through Svix: `svix-id/-timestamp/-signature`, a `whsec_` base64 signing secret, `v1,` base64
 * HMAC-SHA256 of `id.timestamp.body`, 300 s both ways (Svix's window); event name in body `type`.
 * Source: https://clerk.com/docs/webhooks/sync-data (verification with `svix` / `verifyWebhook`).
 */
export default standardWebhooksScheme({
	id: 'clerk',
	displayName: 'Clerk',
	secretLabel: 'Signing secret',
	headerPrefix: 'svix',
	eventType: fromBody('type'),
});
