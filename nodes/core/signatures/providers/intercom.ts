import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** `sha1=` hex HMAC-SHA1 of the body with the app's client secret. */
export default defineScheme({
	id: 'intercom',
	displayName: 'Intercom',
	kind: 'hmac',
	secretLabel: 'Client secret',
	signature: { header: 'X-Hub-Signature', format: prefixed('sha1='), encoding: 'hex', algorithm: 'sha1' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('id'),
	eventType: fromBody('topic'),
	docs: { signature: '`X-Hub-Signature` (`sha1=` hex)', signed: 'body' },
});
