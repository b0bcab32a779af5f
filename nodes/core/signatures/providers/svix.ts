import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/** Svix-signed senders (Clerk, Resend, ...): Standard Webhooks with `svix-*` header names. */
export default standardWebhooksScheme({
	id: 'svix',
	displayName: 'Svix (Clerk, Resend, ...)',
	secretLabel: 'Signing secret',
	headerPrefix: 'svix',
	eventType: fromBody('type'),
});
