import { prefixed } from '../formats';
import { metaSubscribe } from '../handshakes';
import { fromBody } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** Meta (Facebook, Instagram, WhatsApp): `sha256=` with the App secret; GET hub.challenge checks options.verifyToken. */
export default defineScheme({
	id: 'meta',
	displayName: 'Meta (Facebook, Instagram, WhatsApp)',
	kind: 'hmac',
	secretLabel: 'App secret',
	signature: [
		{ header: 'X-Hub-Signature-256', format: prefixed('sha256='), encoding: 'hex', algorithm: 'sha256' },
		{
			header: 'X-Hub-Signature',
			format: prefixed('sha1='),
			encoding: 'hex',
			algorithm: 'sha1',
			enabled: (options) => options.allowSha1 === true,
		},
	],
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromBody('object'),
	handshake: metaSubscribe,
});
