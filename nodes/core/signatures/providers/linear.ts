import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** Hex HMAC-SHA256 of the body; the timestamp is `webhookTimestamp` (ms) inside the signed body, 60 s either way. */
export default defineScheme({
	id: 'linear',
	displayName: 'Linear',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	signature: { header: 'Linear-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { fromBody: 'webhookTimestamp', unit: 'ms', toleranceSeconds: 60, direction: 'both' },
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('Linear-Delivery'),
	eventType: fromHeader('Linear-Event'),
	docs: { signature: '`Linear-Signature` (hex)', signed: 'body (`webhookTimestamp` ms inside)' },
});
