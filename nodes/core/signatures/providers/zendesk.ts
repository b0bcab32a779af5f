import { prefixed } from '../formats';
import { fromBody, fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed, TIMESTAMP } from '../scheme';

/** Base64 HMAC-SHA256 over timestamp + body (no separator). The secret looks base64 but is used as text. */
export default defineScheme({
	id: 'zendesk',
	displayName: 'Zendesk',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	signature: { header: 'X-Zendesk-Webhook-Signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	timestamp: { header: 'X-Zendesk-Webhook-Signature-Timestamp', unit: 'rfc3339', toleranceSeconds: 'none published', direction: 'both' },
	content: signed(TIMESTAMP, BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('X-Zendesk-Webhook-Invocation-Id'),
	eventType: fromBody('type'),
	docs: { signature: '`X-Zendesk-Webhook-Signature` (base64)', signed: 'timestamp + body' },
});
