import { prefixed } from '../formats';
import { dropboxChallenge } from '../handshakes';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Dropbox: `X-Dropbox-Signature` = hex HMAC-SHA256 of the whole body with the App secret; the GET `?challenge=`
 * verification request is echoed as text/plain with nosniff. Failed notifications are retried with exponential
 * backoff "over the course of about ten minutes". Source: https://www.dropbox.com/developers/reference/webhooks.
 */
export default defineScheme({
	id: 'dropbox',
	displayName: 'Dropbox',
	kind: 'hmac',
	secretLabel: 'App secret',
	retries: { retries: true, horizon: 'about 10 minutes', horizonSeconds: 600, source: 'https://www.dropbox.com/developers/reference/webhooks' },
	signature: { header: 'X-Dropbox-Signature', format: prefixed(''), encoding: 'hex', algorithm: 'sha256' },
	extraMethods: ['GET'],
	content: signed(BODY),
	keys: hmacKeys(),
	handshake: dropboxChallenge,
	docs: { signature: '`X-Dropbox-Signature` (hex)', signed: 'body, key = App secret', handshake: 'GET challenge' },
});
