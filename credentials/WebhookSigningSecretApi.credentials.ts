import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

import { providers } from '../nodes/core/signatures';

/**
 * Help for Verify Token from the providers whose handshake compares one (their `docs.verifyToken`):
 * "<provider> only: <what it is>" for one provider, each provider's line joined by "; " for several.
 */
function verifyTokenHelp(): string {
	const users = providers.filter((provider) => provider.docs.verifyToken !== undefined);
	if (users.length === 0) return 'No provider checks a verify token';
	if (users.length === 1) return `${users[0].displayName} only: ${users[0].docs.verifyToken}`;
	return `Only for ${users.map((provider) => `${provider.displayName}: ${provider.docs.verifyToken}`).join('; ')}`;
}

/**
 * Shared secret(s) a webhook sender signs with. Checked by the trigger's credential test and at activation with the
 * signature core's key rules (nodes/SignedWebhookTrigger/credentialChecks.ts): non-empty, no surrounding whitespace,
 * decoded whsec_ keys of at least 16 bytes; messages name the field, never the value. The current secret and up to two previous ones all verify, so a secret
 * can be rotated without dropping deliveries; the trigger's output names the match by position (0 = current).
 */
export class WebhookSigningSecretApi implements ICredentialType {
	name = 'webhookSigningSecretApi';

	displayName = 'Webhook Signing Secret API';

	icon: Icon = { light: 'file:icons/webhookSigningSecret.svg', dark: 'file:icons/webhookSigningSecret.dark.svg' };

	documentationUrl = 'https://github.com/reliable-webhooks/n8n-nodes-reliable-webhooks#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Current Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The signing secret exactly as the sender shows it (e.g. whsec_… for Stripe, Svix or Standard Webhooks; the token for GitLab or Generic Token). Not trimmed: leave out leading or trailing spaces and line breaks. A whsec_ secret that is base64-decoded must give at least 16 bytes.',
		},
		{
			displayName: 'Previous Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional. While rotating, the secret being replaced; it still verifies until you clear it. Active triggers pick up saved changes within 10 seconds.',
		},
		{
			displayName: 'Older Secret',
			name: 'olderSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Optional. A second previous secret for overlapping rotations.',
		},
		{
			// The credential cannot see the node's provider, so the label stays neutral and the help names the providers.
			displayName: 'Verify Token (Subscription Handshake)',
			name: 'verifyToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: verifyTokenHelp(),
		},
	];
}
