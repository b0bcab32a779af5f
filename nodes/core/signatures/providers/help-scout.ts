import { prefixed } from '../formats';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/**
 * `X-HelpScout-Signature`: BASE64 HMAC-SHA1 of the body with the webhook's secret key; event name in
 * `X-HelpScout-Event`; no timestamp. Source: https://developer.helpscout.com/webhooks/.
 */
export default defineScheme({
	id: 'help-scout',
	displayName: 'Help Scout',
	kind: 'hmac',
	secretLabel: 'Secret key',
	signature: { header: 'X-HelpScout-Signature', format: prefixed(''), encoding: 'base64', algorithm: 'sha1' },
	content: signed(BODY),
	keys: hmacKeys(),
	eventType: fromHeader('X-HelpScout-Event'),
	docs: { signature: '`X-HelpScout-Signature` (base64, HMAC-SHA1)', signed: 'body' },
});
