import { keyValues } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `Mux-Signature: t=<unix s>,v1=<hex>` over `t.body` with the webhook signing secret as UTF-8 text; any v1 may
 * match, other versions are ignored; timestamps older than 300 s are refused (mux-node `verifySignature`, whose
 * tests refuse only a too-old timestamp). Sources: https://docs.mux.com/guides/listen-for-webhooks#verify-webhook-signatures,
 * https://github.com/muxinc/mux-node-sdk/blob/master/tests/api-resources/webhooks.test.ts (SDK test vector).
 */
export default defineScheme({
	id: 'mux',
	displayName: 'Mux',
	kind: 'hmac',
	secretLabel: 'Signing secret',
	signature: { header: 'Mux-Signature', format: keyValues(',', 't', 'v1'), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { unit: 's', toleranceSeconds: 300, direction: 'past-only' },
	timestampSource: 'signature header t=',
	content: signed(TIMESTAMP, '.', BODY),
	keys: hmacKeys(),
	deliveryId: fromBody('id'),
	eventType: fromBody('type'),
	docs: { signature: '`Mux-Signature` (`t=…,v1=…` hex)', signed: '`t.body`' },
});
