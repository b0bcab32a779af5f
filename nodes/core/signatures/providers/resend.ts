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
	// Resend publishes Svix's schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); the delays added up.
	retries: { retries: true, horizon: 'about 27 hours (8 attempts)', horizonSeconds: 99_305, source: 'https://resend.com/docs/webhooks/retries-and-replays' },
});
