import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-Signature`: hex HMAC-SHA256 of the body with the secret returned when the webhook was created; event name in
 * body `event`; no timestamp. Source: https://developer.clickup.com/docs/webhooksignature.
 */
export default defineScheme({
	id: 'clickup',
	displayName: 'ClickUp',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	signature: { header: 'X-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromBody('event'),
	docs: { signature: '`X-Signature` (hex)', signed: 'body' },
});
