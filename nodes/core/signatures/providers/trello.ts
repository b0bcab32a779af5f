import { prefixed } from '../formats';
import { trelloHead } from '../handshakes';
import { fromBody } from '../request';
import { defineScheme, hmacKeys, joined } from '../scheme';
import type { ContentBuilder } from '../scheme';

/** The body followed by the callback URL exactly as registered (the URL the sender called). */
const content: ContentBuilder = ({ request }) => joined(request.body, request.url);

/**
 * Trello: `X-Trello-Webhook` = base64 HMAC-SHA1 of body + callbackURL with the OAuth secret (the application's
 * "Secret"); the HEAD check made when the webhook is created gets 200. The URL must be the callbackURL given to Trello
 * (behind a proxy, the public one). Source: https://developer.atlassian.com/cloud/trello/guides/rest-api/webhooks/
 * ("Webhook Signatures", "Creating a Webhook").
 */
export default defineScheme({
	id: 'trello',
	displayName: 'Trello',
	kind: 'hmac',
	secretLabel: 'OAuth secret',
	signature: { header: 'X-Trello-Webhook', format: prefixed(''), encoding: 'base64', algorithm: 'sha1' },
	extraMethods: ['HEAD'],
	content,
	keys: hmacKeys(),
	eventType: fromBody('action.type'),
	deliveryId: fromBody('action.id'),
	handshake: trelloHead,
	docs: { signature: '`X-Trello-Webhook` (base64 HMAC-SHA1)', signed: 'body + callback URL, key = OAuth secret', handshake: 'HEAD' },
});
