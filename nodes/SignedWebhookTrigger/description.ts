/**
 * What the editor shows for the Signed Webhook Trigger: its parameters, options, notices, credentials and webhook,
 * laid out beside the node as n8n's own Webhook node does. No behaviour here: the node file holds the class, its
 * webhook and lifecycle methods and the calls into the core.
 */
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { providers, type SchemeSwitch } from '../core/signatures';
import { DEFAULT_REPEAT_WINDOW_SECONDS, formatSeconds } from '../core/door';
import { settingsCollection } from '../shared/schemeProperties';
import { ALL_METHODS } from './methods';
import { DEFAULT_CHOICE, PROVIDER_CHOICES, PUBLIC_KEY_CHOICES, SECRET_CHOICES } from './providerChoices';
import { signedWebhookDescription } from './webhookDescription';

const providerOptions = PROVIDER_CHOICES.map(({ name, value, description }) => ({ name, value, description }));

const providerNames = Object.fromEntries(providerOptions.map((option) => [option.value, option.name]));

const methodOptions = ALL_METHODS.map((method) => ({ name: method, value: method }));

/** Each provider's settings collection (Generic HMAC's Signature Scheme, ...), shown only for that provider. */
const settingsCollections: INodeProperties[] = providers.flatMap((provider) =>
	provider.settings ? [settingsCollection(provider.id, provider.settings, 'provider')] : [],
);

/** One boolean per switch option, shown for every provider that offers it, with its warning while on. */
function switchParameters(): INodeProperties[] {
	const byOption = new Map<string, { item: SchemeSwitch; providers: string[] }>();
	for (const provider of providers) {
		for (const item of provider.switches) {
			const entry = byOption.get(item.option) ?? { item, providers: [] };
			entry.providers.push(provider.id);
			byOption.set(item.option, entry);
		}
	}
	return [...byOption.values()].flatMap(({ item, providers: shownFor }) => [
		{
			displayName: item.displayName,
			name: item.option,
			type: 'boolean' as const,
			default: false,
			displayOptions: { show: { provider: shownFor } },
			description: item.description,
		},
		...(item.warningWhenOn
			? [
					{
						displayName: item.warningWhenOn.text,
						name: item.warningWhenOn.parameter,
						type: 'notice' as const,
						default: '',
						displayOptions: { show: { provider: shownFor, [item.option]: [true] } },
					},
				]
			: []),
	]);
}

/** "5 min (Stripe, Slack, …); 10 min (Twitch EventSub); …": every provider's published window, from its facts. */
function providerWindows(): string {
	const byWindow = new Map<number, string[]>();
	for (const provider of providers) {
		if (provider.defaultToleranceSeconds === null || provider.toleranceUnpublished) continue;
		byWindow.set(provider.defaultToleranceSeconds, [...(byWindow.get(provider.defaultToleranceSeconds) ?? []), provider.displayName]);
	}
	const unpublished = providers.filter((provider) => provider.toleranceUnpublished);
	const windows = [...byWindow.entries()]
		.sort(([a, aNames], [b, bNames]) => bNames.length - aNames.length || b - a)
		.map(([seconds, names]) => `${formatWindow(seconds)} (${names.join(', ')})`);
	if (unpublished.length > 0) {
		windows.push(`${formatWindow(unpublished[0].defaultToleranceSeconds ?? 0)} where none is published (${unpublished.map((p) => p.displayName).join(', ')})`);
	}
	return windows.join('; ');
}

function formatWindow(seconds: number): string {
	return seconds >= 60 && seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}

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
		displayOptions: { hide: { provider: PUBLIC_KEY_CHOICES } },
	},
	{
		name: 'webhookPublicKeyApi',
		required: true,
		testedBy: 'webhookPublicKeyApiTest',
		displayOptions: { hide: { provider: SECRET_CHOICES } },
	},
];

/**
 * Backpressure with the Redis circuit store: the Reliable HTTP Forward's (and Dedupe's) Redis credential. Kept out of
 * triggerCredentials, which are the providers' credentials (one per provider choice).
 */
export const backpressureCredential: NonNullable<INodeTypeDescription['credentials']>[number] = {
	name: 'dedupeRedisApi',
	required: true,
	testedBy: 'dedupeRedisConnectionTest',
	// Shown whenever the trigger's one state store (backpressureStore, used by Backpressure and Drop Repeated
	// Deliveries) is Redis: a node holds one credential per type, so both features share it. Parameters of a feature
	// that is off are not saved by the editor, so the store (and this) falls back to Built-In when neither is on.
	displayOptions: { show: { backpressureStore: ['redis'] } },
};

/** The node's subtitle: the provider's own name ("Verify GitHub"), not its id. */
export const triggerSubtitle = `={{"Verify " + (${JSON.stringify(providerNames)}[$parameter["provider"]] || $parameter["provider"])}}`;

/** Templates plus plain functions n8n 2.x runs instead of its expression engine (see webhookDescription.ts). */
export const triggerWebhooks: INodeTypeDescription['webhooks'] = [signedWebhookDescription];

/**
 * Backpressure at the door: while the named destination's circuit (Reliable HTTP Forward) is open, verified
 * deliveries from providers that retry get 503 + Retry-After and start nothing. Top-level parameters, because the
 * Redis credential is shown by them.
 */
const backpressureProperties: INodeProperties[] = [
	{
		displayName: 'Hold Deliveries While Destination Is Down',
		name: 'backpressure',
		type: 'boolean',
		default: false,
		description:
			"Whether to answer 503 with Retry-After, and start nothing, while the circuit breaker of the destination below is open. Only providers that retry failed deliveries are held (see the README's provider table); others are accepted as usual.",
	},
	{
		displayName: 'Destination',
		name: 'backpressureDestination',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com or a Destination Name',
		displayOptions: { show: { backpressure: [true] } },
		description:
			"The Reliable HTTP Forward's circuit: its Destination Name, or its URL (its origin is the key, as in the Forward node)",
	},
	{
		displayName: 'Circuit Store',
		name: 'backpressureStore',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Built-In', value: 'builtIn', description: 'The circuits of this n8n process (not in queue mode)' },
			{ name: 'Redis', value: 'redis', description: 'Circuits shared through Redis (Dedupe Redis credential), as the Forward node keeps them' },
		],
		default: 'builtIn',
		displayOptions: { show: { backpressure: [true] } },
		description:
			"The Reliable HTTP Forward's State Store: the same one, or this trigger sees no circuit. Also the store of Drop Repeated Deliveries when that is on.",
	},
];

const unitOptions = [
	{ name: 'Seconds', value: 'seconds' },
	{ name: 'Minutes', value: 'minutes' },
	{ name: 'Hours', value: 'hours' },
	{ name: 'Days', value: 'days' },
];

/** Per provider with a published retry horizon: what it is, shown under a custom window. */
function horizonNotices(): INodeProperties[] {
	const hasHorizon = (provider: (typeof providers)[number]) => (provider.retries?.horizonSeconds ?? 0) > 0;
	// Per editor choice (a provider's extra choices, such as a public-key variant, share its horizon).
	const choicesOf = (id: string) => PROVIDER_CHOICES.filter((choice) => choice.provider.id === id).map((choice) => choice.value);
	const without = PROVIDER_CHOICES.filter((choice) => !hasHorizon(choice.provider)).map((choice) => choice.value);
	return [
		...providers.filter(hasHorizon).map((provider) => ({
			displayName: `${provider.displayName} retries for up to ${provider.retries?.horizon ?? formatSeconds(provider.retries?.horizonSeconds ?? 0)} (${provider.retries?.source ?? 'its documentation'}). A shorter window lets a late retry run the workflow again; activation logs a warning when it is shorter.`,
			name: `repeatHorizonNotice_${provider.id.replace(/[^a-zA-Z0-9]/g, '_')}`,
			type: 'notice' as const,
			default: '',
			displayOptions: { show: { dropRepeats: [true], repeatWindow: ['custom'], provider: choicesOf(provider.id) } },
		})),
		{
			displayName: `This provider publishes no retry horizon here; the default window is ${formatSeconds(DEFAULT_REPEAT_WINDOW_SECONDS)}. A shorter window lets a late retry run the workflow again.`,
			name: 'repeatHorizonNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { dropRepeats: [true], repeatWindow: ['custom'], provider: without } },
		},
	];
}

/**
 * Drop Repeated Deliveries at the door: the Dedupe node's stores and key space, read with no expression (the key is
 * the verified delivery id, a header, or a JSON path), so a repeat costs no execution and no expression evaluation.
 */
const repeatProperties: INodeProperties[] = [
	{
		displayName: 'Drop Repeated Deliveries',
		name: 'dropRepeats',
		type: 'boolean',
		default: false,
		description:
			'Whether to answer a repeat of a delivery already received without starting an execution. Uses the Dedupe node\'s stores and keys, so a Dedupe node can confirm or release what this trigger claimed.',
	},
	{
		displayName: 'Mode',
		name: 'repeatMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Record on Arrival',
				value: 'record',
				description: 'The first delivery is recorded for the window; repeats are answered 200 duplicate_delivery',
			},
			{
				name: 'Claim Until Confirmed',
				value: 'claim',
				description:
					'The first delivery claims the key for the lease; a Dedupe node (Confirm) records it when the work is done. Repeats meanwhile get 503 with Retry-After; an unconfirmed claim lapses and the next retry runs.',
			},
		],
		default: 'record',
		displayOptions: { show: { dropRepeats: [true] } },
	},
	{
		displayName: 'Key',
		name: 'repeatKey',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Delivery ID', value: 'deliveryId', description: "The verified delivery ID the provider sends (the output's verification.deliveryId)" },
			{ name: 'Header', value: 'header', description: 'A request header' },
			{ name: 'JSON Path', value: 'jsonPath', description: 'A dot path into the verified JSON body' },
		],
		default: 'deliveryId',
		displayOptions: { show: { dropRepeats: [true] } },
	},
	{
		displayName: 'Key Header',
		name: 'repeatKeyHeader',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'X-Event-Key',
		displayOptions: { show: { dropRepeats: [true], repeatKey: ['header'] } },
	},
	{
		displayName: 'Key JSON Path',
		name: 'repeatKeyPath',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'data.object',
		description: 'Dot path into the body; a number step indexes an array (items.0.key)',
		displayOptions: { show: { dropRepeats: [true], repeatKey: ['jsonPath'] } },
	},
	{
		displayName: 'Scope',
		name: 'repeatScope',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Workflow', value: 'workflow', description: 'Keys of this workflow (a Dedupe node with Scope Workflow shares them)' },
			{ name: 'Named Namespace', value: 'namespace', description: 'Keys shared by every workflow using the same namespace' },
		],
		default: 'workflow',
		displayOptions: { show: { dropRepeats: [true] } },
	},
	{
		displayName: 'Namespace',
		name: 'repeatNamespace',
		type: 'string',
		noDataExpression: true,
		default: '',
		displayOptions: { show: { dropRepeats: [true], repeatScope: ['namespace'] } },
	},
	{
		displayName: 'Window',
		name: 'repeatWindow',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: "Sender's Retry Horizon",
				value: 'providerHorizon',
				description: `How long the provider documents that it retries; ${formatSeconds(DEFAULT_REPEAT_WINDOW_SECONDS)} where it publishes none`,
			},
			{ name: 'Custom', value: 'custom' },
		],
		default: 'providerHorizon',
		displayOptions: { show: { dropRepeats: [true] } },
		description: 'How long a received (or confirmed) key drops its repeats',
	},
	{
		displayName: 'Window Length',
		name: 'repeatWindowAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 3,
		displayOptions: { show: { dropRepeats: [true], repeatWindow: ['custom'] } },
	},
	{
		displayName: 'Window Unit',
		name: 'repeatWindowUnit',
		type: 'options',
		options: unitOptions,
		default: 'days',
		displayOptions: { show: { dropRepeats: [true], repeatWindow: ['custom'] } },
	},
	{
		displayName: 'Lease',
		name: 'repeatLeaseAmount',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5, // DEFAULT_CLAIM_LEASE_SECONDS in minutes (the linter wants a literal)
		displayOptions: { show: { dropRepeats: [true], repeatMode: ['claim'] } },
		description: 'How long a claim holds the key before it lapses unconfirmed (then the next retry runs)',
	},
	{
		displayName: 'Lease Unit',
		name: 'repeatLeaseUnit',
		type: 'options',
		options: unitOptions,
		default: 'minutes',
		displayOptions: { show: { dropRepeats: [true], repeatMode: ['claim'] } },
	},
	{
		displayName:
			'Confirm with a Dedupe node (Operation Confirm, the same Scope and Store, Key {{ $json.dedupe.key }}, Claim Token {{ $json.dedupe.claimToken }}, Window as here) when the work is done; Release on the failure path lets the next retry run at once.',
		name: 'repeatClaimNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { dropRepeats: [true], repeatMode: ['claim'] } },
	},
	{
		// The trigger's one state store: the same parameter as Backpressure's Circuit Store, shown here when that is off.
		displayName: 'Store',
		name: 'backpressureStore',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Built-In', value: 'builtIn', description: "This n8n process, shared with its Dedupe nodes and kept across restarts (not in queue mode)" },
			{ name: 'Redis', value: 'redis', description: 'Shared by every n8n process (Dedupe Redis credential): needed in queue mode' },
		],
		default: 'builtIn',
		displayOptions: { show: { dropRepeats: [true] }, hide: { backpressure: [true] } },
	},
	{
		displayName: 'When the Store Is Unreachable',
		name: 'repeatStoreDown',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Answer 503 (Fail Closed)', value: 'failClosed', description: 'The sender retries later; nothing runs twice' },
			{ name: 'Run the Workflow (Fail Open)', value: 'failOpen', description: 'Nothing waits; repeats run again while it lasts' },
		],
		default: 'failClosed',
		displayOptions: { show: { dropRepeats: [true], backpressureStore: ['redis'] } },
	},
	{
		displayName: 'While Redis is unreachable, repeats run the workflow again (their items carry dedupe.status "failOpen").',
		name: 'repeatFailOpenNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { dropRepeats: [true], backpressureStore: ['redis'], repeatStoreDown: ['failOpen'] } },
	},
];

// The retry horizon notices go right under the window.
repeatProperties.splice(repeatProperties.findIndex((property) => property.name === 'repeatLeaseAmount'), 0, ...horizonNotices());

/** Conditions without expressions, and report-only verification. */
const doorProperties: INodeProperties[] = [
	{
		displayName: 'Conditions',
		name: 'conditions',
		type: 'fixedCollection',
		placeholder: 'Add Condition',
		typeOptions: { multipleValues: true },
		default: {},
		description:
			'Checked after verification, without expressions; all must hold. A verified delivery that misses one is answered 200 condition_not_met and starts nothing.',
		options: [
			{
				displayName: 'Condition',
				name: 'condition',
				values: [
					{
						displayName: 'Source',
						name: 'source',
						type: 'options',
						noDataExpression: true,
						options: [
							{ name: 'Header', value: 'header' },
							{ name: 'JSON Path of the Body', value: 'jsonPath' },
						],
						default: 'jsonPath',
					},
					{
						displayName: 'Name or Path',
						name: 'name',
						type: 'string',
						noDataExpression: true,
						default: '',
						placeholder: 'data.object.livemode',
					},
					{
						displayName: 'Operator',
						name: 'operator',
						type: 'options',
						noDataExpression: true,
						options: [
							{ name: 'Equals', value: 'equals' },
							{ name: 'Exists', value: 'exists' },
							{ name: 'Is One Of', value: 'isOneOf', description: 'Comma-separated values' },
							{ name: 'Starts With', value: 'startsWith' },
						],
						default: 'equals',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						noDataExpression: true,
						default: '',
						displayOptions: { hide: { operator: ['exists'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Report-Only Verification',
		name: 'reportOnly',
		type: 'boolean',
		default: false,
		description:
			'Whether to run the workflow even when verification fails, with verification.valid and verification.reason in the item. For switching an endpoint over while its secrets are set up.',
	},
	{
		displayName:
			'Report-only verification is on: forged and unsigned requests start this workflow. Check verification.valid in the workflow, and turn this off once deliveries verify.',
		name: 'reportOnlyNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { reportOnly: [true] } },
	},
];

/** Every parameter, option and notice of the node, in the order the editor shows them. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Provider',
		name: 'provider',
		type: 'options',
		options: providerOptions,
		default: DEFAULT_CHOICE,
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
	...settingsCollections,
	...switchParameters(),
	{
		displayName: 'Timestamp Check',
		name: 'timestampCheck',
		type: 'options',
		options: [
			{
				name: "Provider's Default Window",
				value: 'providerDefault',
				description: providerWindows(),
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
		displayName:
			"n8n's Engine 2.0 (a workflow whose settings hold \"engineType\": \"v2\", n8n 2.41+ with the engine-v2 module) accepts only Respond Immediately: it answers every call with 400 before the signature is checked, so publishing such a workflow is refused.",
		name: 'engineV2Notice',
		type: 'notice',
		default: '',
		displayOptions: { show: { responseMode: ['lastNode', 'responseNode'] } },
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
	...backpressureProperties,
	...repeatProperties,
	...doorProperties,
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
				description: 'Whether to add the exact bytes received as binary property "data" (never for a provider that carries its secret in the body, such as Microsoft Graph)',
			},
		],
	},
];
