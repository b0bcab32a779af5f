import { keyValues } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `WorkOS-Signature: t=<epoch MILLISECONDS>, v1=<hex>` over `t.body` with the endpoint's webhook secret; refused
 * when older than 180 s (workos-node `constructEvent`, default `tolerance = 180`, compared with `Date.now()`).
 * Event `id` and name (`event`) in the body. Sources:
 * https://workos.com/docs/events/data-syncing/webhooks/3-process-the-events/b-validate-the-requests-manually,
 * https://github.com/workos/workos-node/blob/main/src/webhooks/webhooks.ts.
 */
export default defineScheme({
	id: 'workos',
	displayName: 'WorkOS',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	signature: { header: 'WorkOS-Signature', format: keyValues(',', 't', 'v1'), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { unit: 'ms', toleranceSeconds: 180, direction: 'past-only' },
	timestampSource: 'signature header t=',
	content: signed(TIMESTAMP, '.', BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('id'),
	eventType: fromBody('event'),
	docs: { signature: '`WorkOS-Signature` (`t=…, v1=…` hex, t in ms)', signed: '`t.body`' },
});
