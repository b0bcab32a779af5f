import { ALLOW_SHA1, HUB_SIGNATURE_256, LEGACY_HUB_SIGNATURE_SHA1 } from '../hub-signature';
import { fromHeader } from '../request';
import { BODY, defineScheme, hmacKeys, signed } from '../scheme';

/** SHA-256 over the raw body; the legacy SHA-1 header counts only with `options.allowSha1`. */
export default defineScheme({
	id: 'github',
	displayName: 'GitHub',
	kind: 'hmac',
	secretLabel: 'Webhook secret',
	retries: { retries: false, source: 'https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries' },
	signature: [HUB_SIGNATURE_256, LEGACY_HUB_SIGNATURE_SHA1],
	switches: [ALLOW_SHA1],
	editorDefault: true,
	content: signed(BODY),
	keys: hmacKeys(),
	deliveryId: fromHeader('X-GitHub-Delivery'),
	eventType: fromHeader('X-GitHub-Event'),
	docs: { signature: '`X-Hub-Signature-256` (`sha256=` hex; `X-Hub-Signature` sha1 with `allowSha1`)', signed: 'body' },
	/**
	 * The header holds one `sha256=` signature and GitHub has no overlap when a secret changes ("Validating webhook
	 * deliveries"), so while rotating the previous secret keeps signing until the date.
	 */
	outgoing: {
		displayName: 'GitHub Style (X-Hub-Signature-256)',
		description: 'Sha256=<hex HMAC-SHA256 of the body>, as GitHub sends it',
		rotation: 'previous',
	},
});
