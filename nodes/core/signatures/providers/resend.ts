import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/**
 * Resend delivers through Svix: `svix-id/-timestamp/-signature`, a `whsec_` base64 signing secret, `v1,` base64
 * HMAC-SHA256 of `id.timestamp.body`, 300 s both ways (Svix's window); event name in body `type`.
 * Source: https://resend.com/docs/dashboard/webhooks/verify-webhooks-requests.
 */
export default standardWebhooksScheme({
	id: 'resend',
	displayName: 'Resend',
	secretLabel: 'Signing secret',
	headerPrefix: 'svix',
	eventType: fromBody('type'),
});
