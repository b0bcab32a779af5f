import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { signOutgoingRequest, type OutgoingSigningSettings } from '../nodes/core/delivery/outgoing-signature';

/**
 * Signs requests that n8n sends: GitHub style (X-Hub-Signature-256), Standard Webhooks (webhook-id,
 * webhook-timestamp, webhook-signature) or a generic HMAC header. Signing happens in `authenticate`, so it runs
 * on every attempt, and n8n's HTTP Request node can use this credential too ("Predefined Credential Type"). A secret
 * the signature core cannot use as a key (empty, surrounding whitespace, a whsec_ key under 16 bytes) makes every
 * request fail with an OutgoingSignatureError naming "Signing Secret" (or "Previous Signing Secret"), never its value.
 * Secret rotation: a previous secret keeps signing until "Previous Secret Valid Until" (strict UTC ISO 8601), as
 * both signatures (Standard Webhooks) or alone (single-signature headers); see ROTATION in outgoing-signature.ts.
 */
export class OutgoingWebhookSigningApi implements ICredentialType {
	name = 'outgoingWebhookSigningApi';

	displayName = 'Outgoing Webhook Signing API';

	icon: Icon = { light: 'file:icons/outgoingWebhookSigning.svg', dark: 'file:icons/outgoingWebhookSigning.dark.svg' };

	documentationUrl = 'https://github.com/reliable-webhooks/n8n-nodes-reliable-webhooks#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Signature Scheme',
			name: 'scheme',
			type: 'options',
			options: [
				{
					name: 'GitHub Style (X-Hub-Signature-256)',
					value: 'github',
					description: 'Sha256=<hex HMAC-SHA256 of the body>, as GitHub sends it',
				},
				{
					name: 'Standard Webhooks',
					value: 'standard-webhooks',
					description: 'Webhook-ID, webhook-timestamp and webhook-signature (v1, HMAC-SHA256 over ID.timestamp.body)',
				},
				{
					name: 'Generic HMAC',
					value: 'generic-hmac',
					description: 'Your own header, algorithm, encoding and signed content',
				},
			],
			default: 'standard-webhooks',
		},
		{
			displayName: 'Signing Secret',
			name: 'secret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The secret the receiver verifies with. For Standard Webhooks: whsec_ followed by base64 of 24 to 64 random bytes (fewer than 16 is refused). Not trimmed: no leading or trailing spaces or line breaks.',
		},
		{
			displayName: 'Previous Signing Secret',
			name: 'previousSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Optional, while rotating: the secret being replaced. It keeps signing until Previous Secret Valid Until, so receivers can switch at their own pace. Same rules as Signing Secret.',
		},
		{
			displayName: 'Previous Secret Valid Until',
			name: 'previousValidUntil',
			type: 'string',
			default: '',
			placeholder: '2026-12-31T00:00:00Z',
			description:
				'Required with a previous secret: the date and time in UTC (YYYY-MM-DDTHH:MM:SSZ) after which only Signing Secret signs. A date that does not exist is refused.',
		},
		{
			displayName:
				'Until Previous Secret Valid Until, every request carries two signatures in webhook-signature (new, then previous): receivers holding either secret accept it. After that date only Signing Secret signs.',
			name: 'rotationNoticeList',
			type: 'notice',
			default: '',
			displayOptions: { show: { scheme: ['standard-webhooks'] }, hide: { previousSecret: [''] } },
		},
		{
			displayName:
				'This header holds one signature only, so until Previous Secret Valid Until requests are signed with the previous secret, and from that date with Signing Secret. Receivers must accept the new secret by then (the Signed Webhook Trigger: new secret as Current Secret, old one as Previous Secret).',
			name: 'rotationNoticeSingle',
			type: 'notice',
			default: '',
			displayOptions: { show: { scheme: ['github', 'generic-hmac'] }, hide: { previousSecret: [''] } },
		},
		{
			displayName: 'Signature Header',
			name: 'header',
			type: 'string',
			default: 'X-Signature',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'SHA-1 (Legacy)', value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: 'sha256',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
		{
			displayName: 'Encoding',
			name: 'encoding',
			type: 'options',
			options: [
				{ name: 'Hex', value: 'hex' },
				{ name: 'Base64', value: 'base64' },
			],
			default: 'hex',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
		{
			displayName: 'Signature Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'sha256=',
			description: 'Text put before the signature in the header',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
		{
			displayName: 'Signed Content',
			name: 'template',
			type: 'string',
			default: '{body}',
			description: 'What the HMAC covers, built from {timestamp}, {id}, {method}, {url} and {body}',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: '',
			placeholder: 'X-Timestamp',
			description: 'Optional. Header that carries the signed timestamp.',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
		{
			displayName: 'Timestamp Unit',
			name: 'timestampUnit',
			type: 'options',
			options: [
				{ name: 'Seconds', value: 's' },
				{ name: 'Milliseconds', value: 'ms' },
			],
			default: 's',
			displayOptions: { show: { scheme: ['generic-hmac'] } },
		},
	];

	// Runs for every request n8n sends with this credential, so each retry gets a fresh timestamp and signature.
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const settings = credentials as unknown as OutgoingSigningSettings;
		return signOutgoingRequest(settings, requestOptions as Parameters<typeof signOutgoingRequest>[1]) as IHttpRequestOptions;
	};
}
