import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `x-paystack-signature`: hex HMAC-SHA512 (not SHA-256) of the body, keyed with the integration's secret key; no
 * timestamp. Source: https://paystack.com/docs/payments/webhooks/#verify-event-origin.
 */
export default defineScheme({
	id: 'paystack',
	displayName: 'Paystack',
	kind: 'hmac',
	secretLabel: 'Secret key',
	signature: { header: 'x-paystack-signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha512' },
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromBody('event'),
	docs: { signature: '`x-paystack-signature` (hex, HMAC-SHA512)', signed: 'body' },
});
