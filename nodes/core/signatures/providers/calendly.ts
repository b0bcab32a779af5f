import { keyValues } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/** `t=<unix>,v1=<hex>` over `t.body` (Stripe-like); Calendly's example allows 3 minutes, past only. */
export default defineScheme({
	id: 'calendly',
	displayName: 'Calendly',
	kind: 'hmac',
	secretLabel: 'Webhook signing key',
	signature: { header: 'Calendly-Webhook-Signature', format: keyValues(',', 't', 'v1'), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { unit: 's', toleranceSeconds: 180, direction: 'past-only' },
	timestampSource: 'signature header t=',
	content: signed(TIMESTAMP, '.', BODY),
	keys: hmacKeys(),
	eventType: fromBody('event'),
	docs: { signature: '`Calendly-Webhook-Signature` (`t=…,v1=…`)', signed: '`t.body`' },
});
