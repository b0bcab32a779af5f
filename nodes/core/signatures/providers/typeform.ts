import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** `sha256=` followed by BASE64 (not hex) HMAC-SHA256 of the body. */
export default defineScheme({
	id: 'typeform',
	displayName: 'Typeform',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'Typeform-Signature', format: prefixed('sha256='), encoding: 'base64', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('event_id'),
	eventType: fromBody('event_type'),
	docs: { signature: '`Typeform-Signature` (`sha256=` base64)', signed: 'body' },
});
