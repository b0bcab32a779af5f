import { prefixed } from '../formats';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `x-xero-signature`: BASE64 HMAC-SHA256 of the body with the app's webhooks key. Xero's "intent to receive" check
 * sends correctly and incorrectly signed requests and expects 200 and 401: the plain verification answers it. One
 * delivery carries a batch of `events`; no timestamp.
 * Source: https://developer.xero.com/documentation/guides/webhooks/configuring-your-server/.
 */
export default defineScheme({
	id: 'xero',
	displayName: 'Xero',
	kind: 'hmac',
	secretLabel: 'Webhooks key',
	signature: { header: 'x-xero-signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	docs: { signature: '`x-xero-signature` (base64)', signed: 'body' },
});
