import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `Sentry-Hook-Signature`: hex HMAC-SHA256 of the body with the integration's client secret; `Sentry-Hook-Resource`
 * names the resource (issue, error, ...), `Request-ID` the request; `Sentry-Hook-Timestamp` is sent but not signed.
 * Source: https://docs.sentry.io/organization/integrations/integration-platform/webhooks/.
 */
export default defineScheme({
	id: 'sentry',
	displayName: 'Sentry',
	kind: 'hmac',
	secretLabel: 'Client secret',
	signature: { header: 'Sentry-Hook-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('Request-ID'),
	eventType: fromHeader('Sentry-Hook-Resource'),
	docs: { signature: '`Sentry-Hook-Signature` (hex)', signed: 'body' },
});
