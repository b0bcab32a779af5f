import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { OUTGOING_SCHEMES, signOutgoingRequest, type OutgoingSigningSettings } from '../nodes/core/delivery/outgoing-signature';
import type { OutgoingRotation } from '../nodes/core/signatures/scheme';
import { settingFields } from '../nodes/shared/schemeProperties';

/**
 * The notice for the schemes whose provider file declares this rotation behaviour (see ROTATION in
 * outgoing-signature.ts), shown while a previous secret is filled in; none when no scheme has it.
 */
function rotationNotice(name: string, rotation: OutgoingRotation, text: string): INodeProperties[] {
	const schemes = OUTGOING_SCHEMES.filter((scheme) => scheme.rotation === rotation).map((scheme) => scheme.id);
	if (schemes.length === 0) return [];
	return [{ displayName: text, name, type: 'notice', default: '', displayOptions: { show: { scheme: schemes }, hide: { previousSecret: [''] } } }];
}

/**
 * Signs requests that n8n sends, with any scheme whose provider file declares `outgoing` (GitHub style
 * X-Hub-Signature-256, Standard Webhooks webhook-id/-timestamp/-signature, a generic HMAC header): the scheme list,
 * its default, the rotation notices and Generic HMAC's fields all come from those files (OUTGOING_SCHEMES). Signing
 * happens in `authenticate`, so it runs on every attempt, and n8n's HTTP Request node can use this credential too
 * ("Predefined Credential Type"). A secret the signature core cannot use as a key (empty, surrounding whitespace, a
 * whsec_ key under 16 bytes) makes every request fail with an OutgoingSignatureError naming "Signing Secret" (or
 * "Previous Signing Secret"), never its value. Secret rotation: a previous secret keeps signing until "Previous Secret
 * Valid Until" (strict UTC ISO 8601), as both signatures (list headers) or alone (single-signature headers); see
 * ROTATION in outgoing-signature.ts.
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
			options: OUTGOING_SCHEMES.map(({ id, displayName, description }) => ({ name: displayName, value: id, description })),
			default: (OUTGOING_SCHEMES.find((scheme) => scheme.credentialDefault) ?? OUTGOING_SCHEMES[0]).id,
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
		...rotationNotice(
			'rotationNoticeList',
			'both',
			'Until Previous Secret Valid Until, every request carries two signatures in webhook-signature (new, then previous): receivers holding either secret accept it. After that date only Signing Secret signs.',
		),
		...rotationNotice(
			'rotationNoticeSingle',
			'previous',
			'This header holds one signature only, so until Previous Secret Valid Until requests are signed with the previous secret, and from that date with Signing Secret. Receivers must accept the new secret by then (the Signed Webhook Trigger: new secret as Current Secret, old one as Previous Secret).',
		),
		// The scheme's own fields (Generic HMAC's header, algorithm, ...), declared once in its provider file.
		...OUTGOING_SCHEMES.flatMap((scheme) => (scheme.settings ? settingFields(scheme.id, scheme.settings, 'scheme') : [])),
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
