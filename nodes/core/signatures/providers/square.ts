import { prefixed } from '../formats';
import { fromBody } from '../request';
import { defineScheme, hmacKeys, joined } from '../scheme';

/** Base64 HMAC-SHA256 over the notification URL exactly as registered + body (`url`, or options.notificationUrl). */
export default defineScheme({
	id: 'square',
	displayName: 'Square',
	kind: 'hmac',
	secretLabel: 'Signature key',
	signature: { header: 'x-square-hmacsha256-signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha256' },
	content: ({ request }) => {
		const url = typeof request.options.notificationUrl === 'string' ? request.options.notificationUrl : request.url;
		return joined(url, request.body);
	},
	/** Square's legacy HMAC-SHA1 header (not verified here) still carries a signature: never shown. */
	redactHeaders: ['x-square-signature'],
	keys: hmacKeys(),
	deliveryId: fromBody('event_id'),
	eventType: fromBody('type'),
	docs: { signature: '`x-square-hmacsha256-signature` (base64)', signed: 'notification URL + body' },
});
