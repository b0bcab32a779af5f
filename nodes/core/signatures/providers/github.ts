import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** SHA-256 over the raw body; the legacy SHA-1 header counts only with `options.allowSha1`. */
export default defineScheme({
	id: 'github',
	displayName: 'GitHub',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
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
	deliveryId: fromHeader('X-GitHub-Delivery'),
	eventType: fromHeader('X-GitHub-Event'),
});
