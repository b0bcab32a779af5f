import { keyValues } from '../formats';
import { fromBody } from '../request';
import { BODY, TIMESTAMP, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `ElevenLabs-Signature: t=<unix s>,v0=<hex>` over `t.body` with the whole webhook secret (`wsec_…`) as UTF-8 text;
 * the docs' example refuses timestamps older than 30 minutes. Event name in body `type`.
 * Source: https://elevenlabs.io/docs/product-guides/administration/webhooks.
 */
export default defineScheme({
	id: 'elevenlabs',
	displayName: 'ElevenLabs',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	signature: { header: 'ElevenLabs-Signature', format: keyValues(',', 't', 'v0'), encoding: 'hex', algorithm: 'sha256' },
	timestamp: { unit: 's', toleranceSeconds: 1800, direction: 'past-only' },
	timestampSource: 'signature header t=',
	content: signed(TIMESTAMP, '.', BODY),
	keys: hmacKeys(),
	eventType: fromBody('type'),
	docs: { signature: '`ElevenLabs-Signature` (`t=…,v0=…` hex)', signed: '`t.body`' },
});
