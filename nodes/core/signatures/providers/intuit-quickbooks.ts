import { prefixed } from '../formats';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `intuit-signature`: BASE64 HMAC-SHA256 of the body with the app's webhooks verifier token. One delivery carries a
 * batch of `eventNotifications`; no timestamp.
 * Source: https://developer.intuit.com/app/developer/qbo/docs/develop/webhooks/managing-webhooks-notifications.
 * Test vector: intuit/QuickBooks-V3-Java-SDK WebhooksServiceTest.java (test/vectors/intuit-quickbooks.json).
 */
export default defineScheme({
	id: 'intuit-quickbooks',
	displayName: 'Intuit QuickBooks',
	kind: 'hmac',
	secretLabel: 'Verifier token',
	signature: { header: 'intuit-signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	docs: { signature: '`intuit-signature` (base64)', signed: 'body' },
});
