/**
 * What the editor shows for Reliable HTTP Forward: parameters, options and notices. Laid out like n8n's own
 * Webhook node (the parameters beside the node, the node file keeps the class description's header, execute()
 * and the calls into the core).
 */
import { NodeConnectionTypes, type INodeProperties, type NodeConnectionType } from 'n8n-workflow';
import { DEFAULT_RETRYABLE_STATUS_TEXT, MAX_ATTEMPTS_LIMIT } from '../core/delivery';

/** The credential that signs each attempt when Sign Requests is on. */
export const OUTGOING_SIGNING_CREDENTIAL = 'outgoingWebhookSigningApi';

/** Output 0 = Delivered, output 1 = Failed (dead letter). A named constant: the lint rule on outputs predates multi-output nodes. */
export const DELIVERED_AND_FAILED: NodeConnectionType[] = [NodeConnectionTypes.Main, NodeConnectionTypes.Main];

/** The Dedupe node's Redis credential: the Forward node keeps circuit and rate-limit state there too. */
export const REDIS_CREDENTIAL = 'dedupeRedisApi';

/** Default timeout per attempt: the low end of the Standard Webhooks spec's recommended 15 to 30 s (README). */
export const DEFAULT_TIMEOUT_MS = 15_000;


/** Every parameter, option and notice, in the order the editor shows them. */
export const reliableHttpForwardProperties: INodeProperties[] = [
	{
		displayName: 'Method',
		name: 'method',
		type: 'options',
		options: [
			{ name: 'DELETE', value: 'DELETE' },
			{ name: 'GET', value: 'GET' },
			{ name: 'PATCH', value: 'PATCH' },
			{ name: 'POST', value: 'POST' },
			{ name: 'PUT', value: 'PUT' },
		],
		default: 'POST',
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/webhooks',
		description: 'Where to send each item. Plain http is refused unless allowed below (loopback addresses excepted).',
	},
	{
		displayName: 'Allow Plain HTTP',
		name: 'allowPlainHttp',
		type: 'boolean',
		default: false,
		description: 'Whether to allow http:// targets other than loopback addresses',
	},
	{
		displayName:
			'Plain http sends the body, the idempotency key and any signature unencrypted: anyone on the path can read or replay them',
		name: 'plainHttpNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { allowPlainHttp: [true] } },
	},
	{
		displayName: 'Body',
		name: 'bodySource',
		type: 'options',
		options: [
			{ name: 'Item JSON', value: 'json', description: 'The item as JSON (without the delivery field this node adds)' },
			{
				name: 'Raw Bytes Received',
				value: 'binary',
				description: 'A binary property sent byte for byte, e.g. the raw body the Signed Webhook Trigger kept',
			},
			{ name: 'Custom', value: 'custom', description: 'Text or an expression' },
			{ name: 'None', value: 'none' },
		],
		default: 'json',
	},
	{
		displayName: 'Binary Property',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		displayOptions: { show: { bodySource: ['binary'] } },
		description: 'Name of the binary property that holds the bytes to send',
	},
	{
		displayName: 'Body Content',
		name: 'body',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: { bodySource: ['custom'] } },
		description: 'Sent as UTF-8 text; an expression that returns an object is sent as JSON',
	},
	{
		displayName: 'Content Type',
		name: 'contentType',
		type: 'string',
		default: 'application/json',
		displayOptions: { show: { bodySource: ['json', 'custom'] } },
	},
	{
		displayName: 'Content Type',
		name: 'binaryContentType',
		type: 'string',
		default: '',
		placeholder: 'Taken from the binary property',
		displayOptions: { show: { bodySource: ['binary'] } },
		description: 'Leave empty to use the MIME type stored with the binary data',
	},
	{
		displayName: 'Headers',
		name: 'headers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Header',
		default: {},
		options: [
			{
				name: 'header',
				displayName: 'Header',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Pass Through Incoming Headers',
		name: 'passThroughHeaders',
		type: 'string',
		default: '',
		placeholder: 'x-github-event, x-github-delivery',
		description:
			'Comma-separated names of headers to copy from the item\'s "headers" field (as the Signed Webhook Trigger outputs them). Only these are copied.',
	},
	{
		displayName: 'Sign Requests',
		name: 'signRequests',
		type: 'boolean',
		default: false,
		description: 'Whether to sign each attempt with an outgoing signing credential (fresh timestamp and signature every time)',
	},
	{
		displayName: 'Idempotency Key Header',
		name: 'idempotencyHeader',
		type: 'string',
		default: 'Idempotency-Key',
		description: 'Header that carries a key which stays the same across every attempt for an item. Empty: no header.',
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '={{ $json.verification?.deliveryId ?? "" }}',
		description:
			'Defaults to the delivery ID the Signed Webhook Trigger found; when empty, a SHA-256 of the item is used',
	},
	{
		displayName: 'Retry Schedule',
		name: 'schedule',
		type: 'options',
		options: [
			{
				name: 'Exponential Backoff',
				value: 'exponential',
				description: 'Initial delay × multiplier per attempt, capped, with jitter',
			},
			{
				name: 'Svix Schedule (Long Horizon)',
				value: 'svix',
				description: 'Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h',
			},
			{
				name: 'Standard Webhooks Schedule (About 3 Days)',
				value: 'standardWebhooks',
				description: 'The spec\'s example: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h',
			},
		],
		default: 'exponential',
	},
	{
		displayName: 'Max Attempts',
		name: 'maxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_ATTEMPTS_LIMIT },
		default: 8,
		description: `Attempts in total, the first included (up to ${MAX_ATTEMPTS_LIMIT})`,
		displayOptions: { hide: { schedule: ['standardWebhooks'] } },
	},
	{
		displayName: 'Max Attempts',
		name: 'standardMaxAttempts',
		type: 'number',
		typeOptions: { minValue: 1, maxValue: MAX_ATTEMPTS_LIMIT },
		default: 10,
		description: 'Attempts in total, the first included; 10 runs the whole schedule (about 75 hours)',
		displayOptions: { show: { schedule: ['standardWebhooks'] } },
	},
	{
		displayName: 'Initial Delay (Ms)',
		name: 'initialDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 1000,
		displayOptions: { show: { schedule: ['exponential'] } },
		description: 'Wait before the second attempt',
	},
	{
		displayName: 'Multiplier',
		name: 'multiplier',
		type: 'number',
		typeOptions: { minValue: 1, numberPrecision: 1 },
		default: 2,
		displayOptions: { show: { schedule: ['exponential'] } },
	},
	{
		displayName: 'Max Delay (Ms)',
		name: 'maxDelayMs',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 60000,
		displayOptions: { show: { schedule: ['exponential'] } },
		description: 'Longest single backoff wait. A Retry-After is never shortened to it: see Honour Retry-After.',
	},
	{
		displayName: 'Jitter',
		name: 'jitter',
		type: 'options',
		options: [
			{ name: 'Full', value: 'full', description: 'A random wait between zero and the delay (spreads retries best)' },
			{ name: '±20 %', value: 'proportional' },
			{ name: 'None', value: 'none' },
		],
		default: 'full',
		displayOptions: { show: { schedule: ['exponential'] } },
	},
	{
		displayName: 'Jitter',
		name: 'scheduleJitter',
		type: 'options',
		options: [
			{ name: '±20 %', value: 'proportional' },
			{ name: 'None', value: 'none' },
		],
		default: 'none',
		displayOptions: { show: { schedule: ['svix', 'standardWebhooks'] } },
	},
	{
		displayName: 'Circuit Breaker',
		name: 'circuitBreaker',
		type: 'boolean',
		default: false,
		description:
			'Whether to stop sending to this destination while it keeps failing: after the failures set below, nothing reaches it until the circuit half-opens and a few probes succeed. Shared by every execution (and every process, with Redis).',
	},
	{
		displayName: 'Circuit Breaker Settings',
		name: 'circuitOptions',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions: { show: { circuitBreaker: [true] } },
		options: [
			{
				displayName: 'Consecutive Failures',
				name: 'consecutiveFailures',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description: 'Open after this many failures in a row (timeouts, network errors, retryable statuses)',
			},
			{
				displayName: 'Failure Rate (%)',
				name: 'failureRatePercent',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 70,
				description: 'Open when this share of the requests in the window failed (with at least Minimum Requests in it)',
			},
			{
				displayName: 'Hold Open on 410 Gone',
				name: 'holdOpenOnGone',
				type: 'boolean',
				default: false,
				description:
					'Whether a 410 Gone keeps the circuit open until it is reset (the Standard Webhooks spec asks senders to stop sending to such an endpoint). Items then fail with reason circuit_open.',
			},
			{
				displayName: 'Minimum Requests',
				name: 'minimumRequests',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 10,
				description: 'Fewer requests in the window never open the circuit by rate',
			},
			{
				displayName: 'Open For (Seconds)',
				name: 'openSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 30,
				description: "How long nothing is sent before the circuit half-opens. Items handed over meanwhile come back at that time through a Wait node, which keeps a wait under 65 s in memory, where a restart loses it: 65 or more where that matters.",
			},
			{
				displayName: 'Probes',
				name: 'probes',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 3,
				description: 'Requests let through when half-open; this many successes close the circuit, one failure opens it again',
			},
			{
				displayName: 'While Open',
				name: 'whenOpen',
				type: 'options',
				options: [
					{
						name: 'Hand Over (Scheduled)',
						value: 'schedule',
						description: 'The item goes to Failed as scheduled, with delivery.nextAttemptAt when the circuit half-opens, for the Wait loop',
					},
					{ name: 'Fail', value: 'fail', description: 'The item goes to Failed with reason circuit_open' },
				],
				default: 'schedule',
			},
			{
				displayName: 'Window (Seconds)',
				name: 'windowSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 300,
				description: 'Rolling window the failure rate is measured over',
			},
		],
	},
	{
		displayName: 'Rate Limit',
		name: 'rateLimit',
		type: 'options',
		options: [
			{ name: 'Off', value: 'off' },
			{ name: 'Requests per Second', value: 'perSecond' },
			{ name: 'Requests per Minute', value: 'perMinute' },
		],
		default: 'off',
		description:
			'Most requests to this destination, shared by every execution (and every process, with Redis). Waiting for a slot is not an attempt.',
	},
	{
		displayName: 'Requests',
		name: 'rateLimitRequests',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 10,
		displayOptions: { show: { rateLimit: ['perSecond', 'perMinute'] } },
		description: 'Requests allowed per second or minute, evenly spaced. A wait longer than Hand Over Waits Longer Than hands the item over (scheduled).',
	},
	{
		displayName: 'State Store',
		name: 'stateStore',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Built-In', value: 'builtIn', description: 'Kept in this n8n process, shared by every workflow and execution in it' },
			{ name: 'Redis', value: 'redis', description: 'For queue mode and several instances: shared by every process using the same Redis (Dedupe Redis credential)' },
		],
		default: 'builtIn',
		description: 'Where the circuit breaker and rate limit state lives',
		displayOptions: { show: { circuitBreaker: [true] } },
	},
	{
		displayName: 'State Store',
		name: 'stateStore',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Built-In', value: 'builtIn', description: 'Kept in this n8n process, shared by every workflow and execution in it' },
			{ name: 'Redis', value: 'redis', description: 'For queue mode and several instances: shared by every process using the same Redis (Dedupe Redis credential)' },
		],
		default: 'builtIn',
		description: 'Where the circuit breaker and rate limit state lives',
		displayOptions: { show: { circuitBreaker: [false], rateLimit: ['perSecond', 'perMinute'] } },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 64 },
				default: 4,
				description: 'Items sent at the same time. Output order stays the input order.',
			},
			{
				displayName: 'Destination Name',
				name: 'destinationName',
				type: 'string',
				default: '',
				placeholder: 'The URL\'s origin, e.g. https://example.com',
				description: 'Key of the circuit breaker and the rate limit: nodes that use the same name share them. Empty: the URL\'s origin (scheme, host, port).',
			},
			{
				displayName: 'Hand Over Waits Longer Than (Seconds)',
				name: 'handOverAfterSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 120,
				description:
					"A longer wait ends this run: the item goes to Failed with delivery.nextAttemptAt and its attempt state, so a Wait node can bring it back here. Keep it at 65 or more: n8n's Wait node holds shorter waits in memory, where a restart loses them.",
			},
			{
				displayName: 'Honour Retry-After',
				name: 'honourRetryAfter',
				type: 'boolean',
				default: true,
				description: 'Whether to wait as long as the receiver asks (seconds or an HTTP date), however long: a wait longer than Hand Over Waits Longer Than goes to the Wait loop, and only the overall deadline ends it. An unreadable or impossible date is ignored (backoff applies).',
			},
			{
				displayName: 'Include Response',
				name: 'includeResponse',
				type: 'options',
				options: [
					{ name: 'None', value: 'none' },
					{ name: 'Body', value: 'body' },
					{ name: 'Body and Headers', value: 'bodyAndHeaders' },
				],
				default: 'none',
				description: 'Whether to add the last response to delivery.response',
			},
			{
				displayName: 'Overall Deadline (Seconds)',
				name: 'deadlineSeconds',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Give up when the next attempt would start later than this after the first one. 0: no deadline.',
			},
			{
				displayName: 'Retry On Status Codes',
				name: 'retryOnStatus',
				type: 'string',
				default: DEFAULT_RETRYABLE_STATUS_TEXT,
				description:
					'Codes, ranges (500-599) or classes (5xx). Network errors and timeouts (refused, reset, DNS, no answer in time) are always retried; any other status fails at once.',
			},
			{
				displayName: 'Timeout Per Attempt (Ms)',
				name: 'timeoutMs',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_MS,
				description: 'The Standard Webhooks spec recommends 15 to 30 seconds so receivers have time to answer',
			},
		],
	},
];
