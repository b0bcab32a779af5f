import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-Signature`: hex HMAC-SHA256 of the body with the webhook's signing secret; event name in `X-Event-Name`; no
 * timestamp. Source: https://docs.lemonsqueezy.com/help/webhooks/signing-requests.
 */
export default defineScheme({
	id: 'lemon-squeezy',
	displayName: 'Lemon Squeezy',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	signature: { header: 'X-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromHeader('X-Event-Name'),
	docs: { signature: '`X-Signature` (hex)', signed: 'body' },
});
