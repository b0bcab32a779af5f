import { prefixed } from '../formats';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `Webhook-Signature`: hex HMAC-SHA256 of the body with the webhook endpoint secret; one delivery carries a batch
 * of `events` (each with its own id), so there is no single delivery id or event type; no timestamp.
 * Sources: https://developer.gocardless.com/getting-started/staying-up-to-date-with-webhooks,
 * https://github.com/gocardless/gocardless-pro-python/blob/master/tests/webhooks_test.py (SDK test vector).
 */
export default defineScheme({
	id: 'gocardless',
	displayName: 'GoCardless',
	kind: 'hmac',
	secretLabel: 'Webhook endpoint secret',
	signature: { header: 'Webhook-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	docs: { signature: '`Webhook-Signature` (hex)', signed: 'body' },
});
