import { fromBody } from '../request';
import type { Scheme } from '../scheme';
import { standardWebhooksScheme } from '../standard';

/** `webhook-id/-timestamp/-signature`; `whsec_` base64 secrets (v1 HMAC) or `whpk_` public keys (v1a Ed25519). */
const verifying: Scheme = standardWebhooksScheme({
	id: 'standard-webhooks',
	displayName: 'Standard Webhooks',
	secretLabel: 'Signing secret',
	headerPrefix: 'webhook',
	eventType: fromBody('type'),
	choices: [
		{
			value: 'standard-webhooks-v1a',
			displayName: 'Standard Webhooks (Ed25519 Public Key, V1a)',
			description: 'Verifies webhook-signature v1a entries with a whpk_ public key',
			credential: 'publicKey',
		},
	],
});

const standardWebhooks: Scheme = {
	...verifying,
	/**
	 * The outgoing credential's default. `webhook-signature` is a space-delimited list "to support zero downtime secret
	 * rotation" (Standard Webhooks spec, "Webhook headers"), so while rotating both secrets sign.
	 */
	outgoing: {
		displayName: 'Standard Webhooks',
		description: 'Webhook-ID, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 over ID.timestamp.body)',
		rotation: 'both',
		credentialDefault: true,
	},
};
export default standardWebhooks;
