import { prefixed } from '../formats';
import { xCrc } from '../handshakes';
import { defineScheme, hmacKeys, signed, BODY } from '../scheme';
import type { ContentBuilder } from '../scheme';

const body = signed(BODY);

/**
 * Only JSON object bodies are signed candidates: X's events are JSON objects, and the CRC answer (an HMAC of any
 * crc_token with the same key) must never double as a signature of some other body.
 */
const content: ContentBuilder = (parts) => {
	const json = parts.request.json();
	return json !== undefined && typeof json === 'object' && json !== null && !Array.isArray(json) ? body(parts) : [];
};

/**
 * X (Twitter) Account Activity: `x-twitter-webhooks-signature` = `sha256=` base64 HMAC-SHA256 of the body with the
 * app's consumer secret (API secret key); the GET `crc_token` check is answered with the same HMAC of the token.
 * Source: https://developer.x.com/en/docs/x-api/enterprise/account-activity-api/guides/securing-webhooks,
 * https://docs.x.com/x-api/webhooks/quickstart. Test vectors: xdevplatform/autohook test/signature.js (test/vectors/x.json).
 */
export default defineScheme({
	id: 'x',
	displayName: 'X (Twitter) Account Activity',
	kind: 'hmac',
	secretLabel: 'Consumer secret',
	signature: { header: 'x-twitter-webhooks-signature', format: prefixed('sha256='), encoding: 'base64', algorithm: 'sha256' },
	extraMethods: ['GET'],
	content,
	keys: hmacKeys(),
	handshake: xCrc,
	docs: { signature: '`x-twitter-webhooks-signature` (`sha256=` base64)', signed: 'body (JSON object), key = consumer secret', handshake: 'GET crc_token (HMAC answer)' },
});
