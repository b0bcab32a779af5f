import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `x-vercel-signature`: hex HMAC-SHA1 of the body with the webhook secret (or the integration's client secret);
 * event `id` and `type` in the body; no timestamp. Source: https://vercel.com/docs/webhooks/webhooks-api#securing-webhooks.
 */
export default defineScheme({
	id: 'vercel',
	displayName: 'Vercel',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	signature: { header: 'x-vercel-signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha1' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('id'),
	eventType: fromBody('type'),
	docs: { signature: '`x-vercel-signature` (hex, HMAC-SHA1)', signed: 'body' },
});
