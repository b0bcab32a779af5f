import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Segment's Webhooks destination with a shared secret: `X-Signature` is the hex HMAC-SHA1 of the body; `messageId`
 * and `type` in the body; no timestamp.
 * Source: https://segment.com/docs/connections/destinations/catalog/webhooks/#authentication.
 */
export default defineScheme({
	id: 'segment',
	displayName: 'Segment',
	kind: 'hmac',
	secretLabel: 'Shared secret',
	signature: { header: 'X-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha1' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('messageId'),
	eventType: fromBody('type'),
	docs: { signature: '`X-Signature` (hex, HMAC-SHA1)', signed: 'body' },
});
