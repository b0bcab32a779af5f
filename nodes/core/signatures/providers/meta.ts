import { ALLOW_SHA1, HUB_SIGNATURE_256, LEGACY_HUB_SIGNATURE_SHA1 } from '../hub-signature';
import { metaSubscribe } from '../handshakes';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * Meta (Facebook, Instagram, WhatsApp): `sha256=` with the App secret (legacy `sha1=` with `allowSha1`); the GET
 * hub.challenge subscription check compares options.verifyToken.
 */
export default defineScheme({
	id: 'meta',
	displayName: 'Meta (Facebook, Instagram, WhatsApp)',
	kind: 'hmac',
	secretLabel: 'App secret',
	signature: [HUB_SIGNATURE_256, LEGACY_HUB_SIGNATURE_SHA1],
	switches: [ALLOW_SHA1],
	/** The subscription check is a GET on the same URL (https://developers.facebook.com/docs/graph-api/webhooks/getting-started). */
	extraMethods: ['GET'],
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromBody('object'),
	handshake: metaSubscribe,
	docs: {
		signature: '`X-Hub-Signature-256` (`sha256=` hex)',
		signed: 'body, key = App secret',
		handshake: 'GET hub.challenge',
		verifyToken: 'the verify token you entered in the app dashboard, checked on the subscription GET (hub.challenge)',
	},
});
