import { versionedList } from '../formats';
import { fromBody, fromHeader } from '../request';
import { BODY, ID, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Polar signs with Standard Webhooks headers (`webhook-id/-timestamp/-signature`, `v1,` base64 HMAC-SHA256 of
 * `id.timestamp.body`, 300 s both ways), but the KEY is the secret's UTF-8 bytes: Polar's SDK base64-encodes the
 * secret before handing it to the standardwebhooks library, which decodes it again (polar-js src/webhooks/index.ts:
 * `Buffer.from(secret, 'utf-8').toString('base64')`). Decoding the secret as base64, as plain Standard Webhooks does,
 * gives the wrong key (rechecked against polar-js in issue 12; cross-checked both ways in test/sdk/polar.test.ts). Sources: https://polar.sh/docs/integrate/webhooks/endpoints,
 * https://github.com/polarsource/polar-js/blob/main/src/webhooks/index.ts.
 */
export default defineScheme({
	id: 'polar',
	displayName: 'Polar',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	signature: { header: 'webhook-signature', format: versionedList('v1'), encoding: 'base64', algorithm: 'sha256', lengths: { v1: 32 } },
	timestamp: { header: 'webhook-timestamp', unit: 's', toleranceSeconds: 300, direction: 'both' },
	idHeader: 'webhook-id',
	content: signed(ID, '.', TIMESTAMP, '.', BODY),
	keys: hmacKeys(undefined, ['v1']),
	deliveryId: fromHeader('webhook-id'),
	eventType: fromBody('type'),
	docs: { signature: '`webhook-signature` (`v1,` base64)', signed: '`id.timestamp.body`, key = the secret as UTF-8 text' },
});
