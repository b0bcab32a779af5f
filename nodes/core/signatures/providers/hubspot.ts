import { prefixed } from '../formats';
import { fromBody } from '../request';
import { defineScheme, hmacKeys, joined } from '../scheme';
import type { ContentBuilder } from '../scheme';

/** HubSpot decodes these escapes in the URI before signing (its v3 docs list them). */
const DECODED: Record<string, string> = {
	'%3A': ':', '%2F': '/', '%3F': '?', '%40': '@', '%21': '!', '%24': '$', '%27': "'",
	'%28': '(', '%29': ')', '%2A': '*', '%2C': ',', '%3B': ';',
};
const hubspotUri = (url: string) => url.replace(/%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi, (match) => DECODED[match.toUpperCase()]);

/** v3: base64 HMAC-SHA256 over METHOD + URI + body + timestamp (ms); older than 5 minutes is refused. */
const content: ContentBuilder = ({ request, timestamp }) =>
	joined(request.method + hubspotUri(request.url), request.body, timestamp ?? '');

export default defineScheme({
	id: 'hubspot',
	displayName: 'HubSpot (v3)',
	kind: 'hmac',
	secretLabel: 'Client secret',
	signature: { header: 'X-HubSpot-Signature-v3', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	timestamp: { header: 'X-HubSpot-Request-Timestamp', unit: 'ms', toleranceSeconds: 300, direction: 'past-only' },
	/** v1/v2 signatures (not verified here) still carry a signature: never shown. */
	redactHeaders: ['X-HubSpot-Signature'],
	content,
	keys: hmacKeys(),
	deliveryId: fromBody('0.eventId', 'eventId'),
	eventType: fromBody('0.subscriptionType', 'subscriptionType'),
	docs: { signature: '`X-HubSpot-Signature-v3` (base64)', signed: 'method + URI + body + timestamp (ms)' },
});
