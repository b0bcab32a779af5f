import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `x-webflow-signature`: hex HMAC-SHA256 of `timestamp:body` with the app's client secret (or the webhook secret
 * for webhooks made in the site settings); `x-webflow-timestamp` is epoch MILLISECONDS, refused when more than
 * 5 minutes old (the docs' example compares `Date.now() - timestamp > 300000`); event name in body `triggerType`.
 * Source: https://developers.webflow.com/data/docs/working-with-webhooks#validating-request-signatures.
 */
export default defineScheme({
	id: 'webflow',
	displayName: 'Webflow',
	kind: 'hmac',
	secretLabel: 'Client secret',
	signature: { header: 'x-webflow-signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { header: 'x-webflow-timestamp', unit: 'ms', toleranceSeconds: 300, direction: 'past-only' },
	content: signed(TIMESTAMP, ':', BODY),
	keys: hmacKeys(),
	eventType: fromBody('triggerType'),
	docs: { signature: '`x-webflow-signature` (hex)', signed: '`timestamp:body` (`x-webflow-timestamp`, ms)' },
});
