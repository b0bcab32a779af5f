import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** Same header name as GitHub's legacy SHA-1 one, but `sha256=`: a `sha1=` value here is malformed. */
export default defineScheme({
	id: 'bitbucket',
	displayName: 'Bitbucket Cloud',
	kind: 'hmac',
	secretLabel: 'Secret',
	signature: { header: 'X-Hub-Signature', format: prefixed('sha256='), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('X-Request-UUID'),
	eventType: fromHeader('X-Event-Key'),
	docs: { signature: '`X-Hub-Signature` (`sha256=` hex)', signed: 'body' },
});
