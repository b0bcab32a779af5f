import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-ANET-Signature: sha512=<HEX>`: HMAC-SHA512 of the body keyed with the merchant's Signature Key (as text); the
 * hex is sent in upper case (same bytes, accepted). `notificationId` and `eventType` in the body; no timestamp.
 * Source: https://developer.authorize.net/api/reference/features/webhooks.html.
 */
export default defineScheme({
	id: 'authorize-net',
	displayName: 'Authorize.net',
	kind: 'hmac',
	secretLabel: 'Signature key',
	signature: { header: 'X-ANET-Signature', format: prefixed('sha512='), encoding: 'hex', algorithm: 'sha512' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('notificationId'),
	eventType: fromBody('eventType'),
	docs: { signature: '`X-ANET-Signature` (`sha512=` hex)', signed: 'body' },
});
