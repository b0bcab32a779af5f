import { keyValues } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `t=<unix>,v1=<hex>[,v1=...]` over `t.body`; any v1 may match (secret rolls), v0 is ignored.
 * The whole `whsec_...` string is the key, as UTF-8 (NOT base64-decoded, unlike Standard Webhooks).
 * Past-only window, as stripe-node.
 */
export default defineScheme({
	id: 'stripe',
	displayName: 'Stripe',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	retries: { retries: true, horizon: '3 days (live mode; a few hours in a sandbox)', horizonSeconds: 259_200, source: 'https://docs.stripe.com/webhooks#retries' },
	signature: { header: 'Stripe-Signature', format: keyValues(',', 't', 'v1'), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { unit: 's', toleranceSeconds: 300, direction: 'past-only' },
	timestampSource: 'signature header t=',
	content: signed(TIMESTAMP, '.', BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('id'),
	eventType: fromBody('type'),
	docs: { signature: '`Stripe-Signature` (`t=…,v1=…`, any v1, v0 ignored)', signed: '`t.body`, key = whole `whsec_…` string' },
});
