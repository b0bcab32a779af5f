/**
 * What the editor shows for the Signed Webhook Trigger: its parameters, options, notices, credentials and webhook,
 * laid out beside the node as n8n's own Webhook node does. No behaviour here: the node file holds the class, its
 * webhook and lifecycle methods and the calls into the core.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { providers } from '../core/signatures';
import { ALL_METHODS, PUBLIC_KEY_PROVIDERS, SECRET_PROVIDERS, STANDARD_WEBHOOKS_PUBLIC_KEY } from './settings';
import { signedWebhookDescription } from './webhookDescription';

const providerOptions = [
	...providers.map((provider) => ({
		name: provider.displayName,
		value: provider.id,
		description: `Verifies ${provider.signatureHeader}`,
	})),
	{
		name: 'Standard Webhooks (Ed25519 Public Key, V1a)',
		value: STANDARD_WEBHOOKS_PUBLIC_KEY,
		description: 'Verifies webhook-signature v1a entries with a whpk_ public key',
	},
].sort((a, b) => a.name.localeCompare(b.name));

const providerNames = Object.fromEntries(providerOptions.map((option) => [option.value, option.name]));

const methodOptions = ALL_METHODS.map((method) => ({ name: method, value: method }));

const hasGenericHmac = providers.some((p) => p.id === 'generic-hmac');
const hasGenericToken = providers.some((p) => p.id === 'generic-token');

const genericHmacSettings: INodeProperties = {
	displayName: 'Signature Scheme',
	name: 'genericHmac',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	displayOptions: { show: { provider: ['generic-hmac'] } },
	description: 'How the sender signs: which header, which hash, which encoding, and what bytes are signed',
	options: [
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'SHA-1', value: 'sha1' },
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: 'sha256',
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
		},
		{
			displayName: 'ID Header',
			name: 'idHeader',
			type: 'string',
			default: '',
			placeholder: 'X-Webhook-ID',
			description: 'Header holding the delivery ID',
			hint: 'Its value fills the {id} placeholder of Signed Content',
		},
		{
			displayName: 'Signature Header',
			name: 'header',
			type: 'string',
			default: 'X-Signature',
		},
		{
			displayName: 'Signature Prefix',
			name: 'prefix',
			type: 'string',
			default: '',
			placeholder: 'sha256=',
			description: 'Text before the signature in the header, if any',
		},
		{
			displayName: 'Signed Content',
			name: 'template',
			type: 'string',
			default: '{body}',
			placeholder: '{timestamp}.{body}',
			description: 'Template of the exact bytes the sender signs',
			hint: 'Placeholders: {body} {timestamp} {id} {method} {url}',
		},
		{
			displayName: 'Timestamp Header',
			name: 'timestampHeader',
			type: 'string',
			default: '',
			placeholder: 'X-Timestamp',
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
		},
	],
};

const genericTokenSettings: INodeProperties = {
	displayName: 'Token Location',
	name: 'genericToken',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	displayOptions: { show: { provider: ['generic-token'] } },
	options: [
		{
			displayName: 'Header',
			name: 'header',
			type: 'string',
			default: 'Authorization',
		},
		{
			displayName: 'Bearer',
			name: 'bearer',
			type: 'boolean',
			default: true,
			description: 'Whether the header value starts with "Bearer "',
		},
	],
};

const convoySettings: INodeProperties = {
	displayName: 'Project Signature Settings',
	name: 'convoy',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	displayOptions: { show: { provider: ['convoy'] } },
	description: "As set in the Convoy project's signature settings; simple or advanced is read from the header",
	options: [
		{
			displayName: 'Algorithm',
			name: 'algorithm',
			type: 'options',
			options: [
				{ name: 'SHA-256', value: 'sha256' },
				{ name: 'SHA-512', value: 'sha512' },
			],
			default: 'sha256',
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
		},
	],
};


/**
 * The two credentials, one shown per provider. `hide`, not `show`: when every option of a parameter appears in
 * credentials' `show` lists, the editor takes that parameter for an auth-type switch, drops it from the panel and
 * offers it only inside the credential dialog.
 */
export const triggerCredentials: INodeTypeDescription['credentials'] = [
	{
		name: 'webhookSigningSecretApi',
		required: true,
		testedBy: 'webhookSigningSecretApiTest',
		displayOptions: { hide: { provider: PUBLIC_KEY_PROVIDERS } },
	},
	{
		name: 'webhookPublicKeyApi',
		required: true,
		testedBy: 'webhookPublicKeyApiTest',
		displayOptions: { hide: { provider: SECRET_PROVIDERS } },
	},
];

/** The node's subtitle: the provider's own name ("Verify GitHub"), not its id. */
export const triggerSubtitle = `={{"Verify " + (${JSON.stringify(providerNames)}[$parameter["provider"]] || $parameter["provider"])}}`;

/** Templates plus plain functions n8n 2.x runs instead of its expression engine (see webhookDescription.ts). */
export const triggerWebhooks: INodeTypeDescription['webhooks'] = [signedWebhookDescription];

/** Every parameter, option and notice of the node, in the order the editor shows them. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: providerOptions,
		default: 'github',
		description: 'Who sends the webhooks: decides which headers carry the signature and what bytes are signed',
	},
	{
		displayName: 'HTTP Method',
		name: 'httpMethod',
		type: 'options',
		options: methodOptions,
		default: 'POST',
		description: 'The HTTP method the sender uses',
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'github-events',
		description: 'The path after /webhook/. Empty uses the node\'s webhook ID.',
	},
	...(hasGenericHmac ? [genericHmacSettings] : []),
	...(hasGenericToken ? [genericTokenSettings] : []),
	...(providers.some((p) => p.id === 'convoy') ? [convoySettings] : []),
	{
		displayName: 'Accept Legacy SHA-1 Signature',
		name: 'allowSha1',
		type: 'boolean',
		default: false,
		displayOptions: { show: { provider: ['github', 'meta'] } },
		description:
			'Whether to accept the X-Hub-Signature (HMAC-SHA1) header when the SHA-256 one is absent. Only for old senders.',
	},
	{
		displayName: 'SHA-1 is weak: accept it only if this sender cannot send X-Hub-Signature-256',
		name: 'sha1Notice',
		type: 'notice',
		default: '',
		displayOptions: { show: { provider: ['github', 'meta'], allowSha1: [true] } },
	},
	{
		displayName: 'Timestamp Check',
		name: 'timestampCheck',
		type: 'options',
		options: [
			{
				name: "Provider's Default Window",
				value: 'providerDefault',
				description: 'Most 5 min (Stripe, Slack, Standard Webhooks, Svix, Zoom); Twitch 10 min; Calendly 3 min; Linear 1 min; Paddle 5 s',
			},
			{ name: 'Custom Window', value: 'custom' },
			{ name: 'Off', value: 'off', description: 'Accept signed requests of any age' },
		],
		default: 'providerDefault',
		description:
			'How old a signed timestamp may be. Only for providers that sign a timestamp; a stale request is a likely replay.',
	},
	{
		displayName: 'Tolerance (Seconds)',
		name: 'toleranceSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		displayOptions: { show: { timestampCheck: ['custom'] } },
	},
	{
		displayName:
			'With the timestamp check off, a captured request can be replayed at any later time. Pair this with a Dedupe node on the delivery ID.',
		name: 'timestampOffNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { timestampCheck: ['off'] } },
	},
	{
		displayName: 'Respond',
		name: 'responseMode',
		type: 'options',
		options: [
			{ name: 'Immediately', value: 'onReceived', description: 'As soon as the verified call is accepted' },
			{ name: 'When Last Node Finishes', value: 'lastNode', description: 'Returns data of the last-executed node' },
			{ name: "Using 'Respond to Webhook' Node", value: 'responseNode', description: 'Response defined in that node' },
		],
		default: 'onReceived',
		description: 'When to answer a verified call. Rejections and handshakes are always answered at once.',
	},
	{
		displayName:
			"Needs n8n's Respond to Webhook node at version 1: newer versions answer only n8n's own Webhook node. The editor adds the newest, so paste version 1 from this package's README, or respond When Last Node Finishes.",
		name: 'respondNodeNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseMode: ['responseNode'] } },
	},
	{
		displayName: 'Response Code',
		name: 'responseCode',
		type: 'number',
		typeOptions: { minValue: 100, maxValue: 599 },
		default: 200,
		displayOptions: { show: { responseMode: ['onReceived', 'lastNode'] } },
	},
	{
		displayName: 'Response Body',
		name: 'responseBody',
		type: 'json',
		default: '{\n  "received": true\n}',
		displayOptions: { show: { responseMode: ['onReceived'] } },
		description: 'JSON sent back to a verified call. Empty sends no body.',
	},
	{
		displayName: 'Response Data',
		name: 'responseData',
		type: 'options',
		options: [
			{ name: 'All Entries', value: 'allEntries' },
			{ name: 'First Entry Binary', value: 'firstEntryBinary' },
			{ name: 'First Entry JSON', value: 'firstEntryJson' },
			{ name: 'No Response Body', value: 'noData' },
		],
		default: 'firstEntryJson',
		displayOptions: { show: { responseMode: ['lastNode'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Allowed Event Types',
				name: 'allowedEventTypes',
				type: 'string',
				default: '',
				placeholder: 'push, pull_request, customer.subscription.*',
				description:
					'Comma-separated event names; a trailing * matches a prefix. Other verified events are acknowledged with 200 and start nothing.',
			},
			{
				displayName: 'Answer Other Methods With 405',
				name: 'answerOtherMethods',
				type: 'boolean',
				default: true,
				description:
					'Whether to register every method on this path and answer the others with 405. Off: n8n answers them with 404.',
			},
			{
				displayName: 'IP Allowlist',
				name: 'ipAllowlist',
				type: 'string',
				default: '',
				placeholder: '192.0.2.0/24, 2001:db8::/32',
				description:
					'Comma-separated IPv4/IPv6 addresses and CIDR ranges. Matched on the client address as n8n computes it (set N8N_PROXY_HOPS behind a proxy).',
			},
			{
				displayName: 'Max Body Size (KiB)',
				name: 'maxBodySizeKib',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 1024,
				description: 'Larger bodies get 413. 0 leaves only n8n\'s own limit (N8N_PAYLOAD_SIZE_MAX).',
			},
			{
				displayName: 'Public URL',
				name: 'publicUrl',
				type: 'string',
				default: '',
				placeholder: 'https://hooks.example.com/webhook/twilio',
				description:
					"For providers that sign the URL (Twilio, Square, HubSpot, Generic HMAC): the URL exactly as entered at the sender. Empty uses the test or production URL n8n shows for this node, whichever was called.",
			},
			{
				displayName: 'Rate Limit (Requests per Minute)',
				name: 'rateLimitPerMinute',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 600,
				description: 'Per client address, counted before verification; over it, 429 with Retry-After. 0 is off.',
			},
			{
				displayName: 'Rate Limit Burst',
				name: 'rateLimitBurst',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Requests a client may send at once. 0 means the per-minute figure.',
			},
			{
				displayName: 'Raw Body as Binary',
				name: 'rawBodyAsBinary',
				type: 'boolean',
				default: false,
				description: 'Whether to add the exact bytes received as binary property "data"',
			},
		],
	},
];
