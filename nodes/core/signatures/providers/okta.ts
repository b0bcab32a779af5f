import { prefixed } from '../formats';
import { oktaVerification } from '../handshakes';
import { fromBody } from '../request';
import { defineScheme, signed, tokenKeys } from '../scheme';

/**
 * Okta event hooks: no signature; the hook's authentication header (key `Authorization`, the value you chose) comes
 * back verbatim on every call, the one-time verification GET included, which gets `{"verification": …}` once that
 * header matched. Set the hook's header name to `Authorization`. A failed delivery (no 2xx within 3 s) is retried
 * once. Source: https://developer.okta.com/docs/concepts/event-hooks/.
 */
export default defineScheme({
	id: 'okta',
	displayName: 'Okta event hooks',
	kind: 'token',
	secretLabel: 'Authorization header value',
	signature: { header: 'Authorization', format: prefixed(''), encoding: 'text' },
	extraMethods: ['GET'],
	content: signed(),
	keys: tokenKeys(),
	deliveryId: fromBody('eventId'),
	eventType: fromBody('data.events.0.eventType'),
	handshake: oktaVerification,
	docs: { signature: '`Authorization` (token)', signed: '— (token only)', handshake: 'GET X-Okta-Verification-Challenge' },
});
