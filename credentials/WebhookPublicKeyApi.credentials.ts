import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * Public key(s) of a sender that signs with Ed25519 or ECDSA: Discord (hex), Standard Webhooks v1a (whpk_…),
 * SendGrid (base64 DER), or any PEM. A previous key keeps verifying during a key rotation. Surrounding whitespace is
 * ignored (it carries nothing in these encodings); the trigger's credential test and activation parse each key with
 * the very parsers the verifier uses (nodes/SignedWebhookTrigger/credentialChecks.ts).
 */
export class WebhookPublicKeyApi implements ICredentialType {
	name = 'webhookPublicKeyApi';

	displayName = 'Webhook Public Key API';

	icon: Icon = { light: 'file:icons/webhookPublicKey.svg', dark: 'file:icons/webhookPublicKey.dark.svg' };

	documentationUrl = 'https://github.com/reliable-webhooks/n8n-nodes-reliable-webhooks#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Public Key',
			name: 'publicKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				"The sender's verification key: 64 hex characters (Discord), whpk_… (Standard Webhooks), base64 DER (SendGrid) or PEM",
		},
		{
			displayName: 'Previous Public Key',
			name: 'previousPublicKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. While the sender rotates keys, the key being replaced; it still verifies until you clear it. Active triggers pick up saved changes within 10 seconds.',
		},
	];
}
