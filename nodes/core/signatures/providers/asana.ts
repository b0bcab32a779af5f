import { prefixed } from '../formats';
import { asanaHookSecret } from '../handshakes';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Asana: `X-Hook-Signature` = hex HMAC-SHA256 of the body, keyed with the secret Asana handed over in the
 * `X-Hook-Secret` handshake (echoed back; the handshake exposes it as `issuedSecret` for the caller to keep).
 * Sources: https://developers.asana.com/reference/createwebhook, https://developers.asana.com/docs/webhooks-guide.
 */
export default defineScheme({
	id: 'asana',
	displayName: 'Asana',
	kind: 'hmac',
	secretLabel: 'X-Hook-Secret',
	signature: { header: 'X-Hook-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	redactHeaders: ['X-Hook-Secret'],
	content: signed(BODY),
	keys: hmacKeys(),
	handshake: asanaHookSecret,
	issuesSecret: true,
	docs: { signature: '`X-Hook-Signature` (hex)', signed: 'body, key = the X-Hook-Secret from the handshake', handshake: 'X-Hook-Secret echo' },
});
