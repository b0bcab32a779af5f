import { prefixed } from '../formats';
import { fromBody, fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** Jira Cloud admin webhooks with a secret: `sha256=` hex HMAC of the body (WebSub style). */
export default defineScheme({
	id: 'jira',
	displayName: 'Jira Cloud',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'X-Hub-Signature', format: prefixed('sha256='), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('X-Atlassian-Webhook-Identifier'),
	eventType: fromBody('webhookEvent'),
	docs: { signature: '`X-Hub-Signature` (`sha256=` hex)', signed: 'body' },
});
