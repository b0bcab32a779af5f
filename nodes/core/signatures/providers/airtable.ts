import { decodeKeyBase64 } from '../encoding';
import { prefixed } from '../formats';
import { BODY, atLeastMinimumKeyBytes, defineScheme, hmacKeys, signed, textProblem } from '../scheme';
import type { KeyMaterial } from '../scheme';

/** `macSecretBase64` from the webhook's creation response: the key is its base64-DECODED bytes. */
const macSecret = (secret: string): KeyMaterial => {
	const problem = textProblem(secret);
	if (problem) return { problem };
	const bytes = decodeKeyBase64(secret);
	return bytes ? atLeastMinimumKeyBytes(bytes) : { problem: 'is not base64 (Airtable gives macSecretBase64)' };
};

/**
 * `X-Airtable-Content-MAC: hmac-sha256=<hex>`, the HMAC-SHA256 of the body keyed with the base64-decoded
 * `macSecretBase64`; the ping names the webhook (`webhook.id`); no signed timestamp.
 * Source: https://airtable.com/developers/web/api/webhooks-overview#webhook-notification-delivery.
 */
export default defineScheme({
	id: 'airtable',
	displayName: 'Airtable',
	kind: 'hmac',
	secretLabel: 'MAC secret (base64)',
	signature: { header: 'X-Airtable-Content-MAC', format: prefixed('hmac-sha256='), encoding: 'hex', algorithm: 'sha256' },
	content: signed(BODY),
	keys: hmacKeys(macSecret),
	docs: { signature: '`X-Airtable-Content-MAC` (`hmac-sha256=` hex)', signed: 'body, key = base64-decoded `macSecretBase64`' },
});
