import { prefixed } from '../formats';
import { fromBody } from '../request';
import { BODY, defineScheme, ecdsaKeys, signed, TIMESTAMP } from '../scheme';

/** ECDSA P-256 / SHA-256 (base64 DER) over timestamp + body, checked with the base64 SPKI verification key. */
export default defineScheme({
	id: 'sendgrid',
	displayName: 'SendGrid Event Webhook',
	kind: 'ecdsa',
	secretLabel: 'Verification key',
	signature: { header: 'X-Twilio-Email-Event-Webhook-Signature', format: prefixed(''), encoding: 'base64' },
	timestamp: { header: 'X-Twilio-Email-Event-Webhook-Timestamp', unit: 's', toleranceSeconds: 'none published', direction: 'both' },
	content: signed(TIMESTAMP, BODY),
	keys: ecdsaKeys(),
	deliveryId: fromBody('0.sg_event_id'),
	eventType: fromBody('0.event'),
	docs: { signature: '`X-Twilio-Email-Event-Webhook-Signature` (ECDSA P-256, DER base64)', signed: 'timestamp + body' },
});
