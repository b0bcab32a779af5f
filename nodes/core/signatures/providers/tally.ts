import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `Tally-Signature`: BASE64 HMAC-SHA256 of the body with the webhook's signing secret; `eventId` and `eventType` in
 * the body; no timestamp. Source: https://tally.so/help/webhooks.
 */
export default defineScheme({
	id: 'tally',
	displayName: 'Tally',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	signature: { header: 'Tally-Signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('eventId'),
	eventType: fromBody('eventType'),
	docs: { signature: '`Tally-Signature` (base64)', signed: 'body' },
});
