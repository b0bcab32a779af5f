import { keyValues } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `ts=<unix>;h1=<hex>` over `ts:body`; any h1 may match (the SDK keeps only the last); 5 s, past only, as the SDKs.
 * Delivery id: event_id, Paddle's deduplication key (one event gives one notification per destination, each with its
 * own notification_id): https://developer.paddle.com/webhooks/about/how-webhooks-work
 */
export default defineScheme({
	id: 'paddle',
	displayName: 'Paddle Billing',
	kind: 'hmac',
	secretLabel: 'Secret key',
	retries: { retries: true, horizon: '3 days (live: up to 60 retries)', horizonSeconds: 259_200, source: 'https://developer.paddle.com/webhooks/respond-to-webhooks' },
	signature: { header: 'Paddle-Signature', format: keyValues(';', 'ts', 'h1'), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { unit: 's', toleranceSeconds: 5, direction: 'past-only' },
	timestampSource: 'signature header ts=',
	content: signed(TIMESTAMP, ':', BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('event_id', 'notification_id'),
	eventType: fromBody('event_type'),
	docs: { signature: '`Paddle-Signature` (`ts=…;h1=…`)', signed: '`ts:body`' },
});
