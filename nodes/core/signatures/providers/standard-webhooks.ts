import { fromBody } from '../request';
import { standardWebhooksScheme } from '../standard';

/** `webhook-id/-timestamp/-signature`; `whsec_` base64 secrets (v1 HMAC) or `whpk_` public keys (v1a Ed25519). */
export default standardWebhooksScheme({
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
