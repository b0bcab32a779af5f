import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/** Svix-signed senders (Clerk, Resend, ...): Standard Webhooks with `svix-*` header names. */
export default standardWebhooksScheme({
	id: 'svix',
	displayName: 'Svix (Clerk, Resend, ...)',
	secretLabel: 'Signing secret',
	headerPrefix: 'svix',
	eventType: fromBody('type'),
	// Svix retries on a fixed schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).
	// horizonSeconds: those delays added up, each counted from the previous attempt (99,305 s).
	retries: { retries: true, horizon: 'about 27 hours (8 attempts)', horizonSeconds: 99_305, source: 'https://docs.svix.com/retries' },
});
