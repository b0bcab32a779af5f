import {
	NodeConnectionTypes,
	NodeOperationError,
	sleep,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type NodeConnectionType,
} from 'n8n-workflow';
import {
	DEFAULT_RETRYABLE_STATUS_TEXT,
	MAX_ATTEMPTS_LIMIT,
	checkIdempotencyKey,
	checkTargetUrl,
	decodeDeliveryState,
	deliverWithRetries,
	deriveIdempotencyKey,
	exponentialPolicy,
	mapWithConcurrency,
	parseStatusCodeList,
	signOutgoingRequest,
	svixPolicy,
	type DeliveryRequest,
	type DeliveryResult,
	type DeliveryState,
	type JitterMode,
	type OutgoingSigningSettings,
	type RetryPolicy,
	type SendFunction,
} from '../core/delivery';

const CREDENTIAL_TYPE = 'outgoingWebhookSigningApi';
/** Output 0 = Delivered, output 1 = Failed (dead letter). A named constant: the lint rule on outputs predates multi-output nodes. */
const DELIVERED_AND_FAILED: NodeConnectionType[] = [NodeConnectionTypes.Main, NodeConnectionTypes.Main];
/** Headers that describe the connection or the body framing; copying them from elsewhere breaks the request. */
const NEVER_PASSED_THROUGH = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive', 'upgrade', 'expect']);

interface PreparedDelivery {
	request: DeliveryRequest;
	policy: RetryPolicy;
	idempotencyKey: string;
	prior?: DeliveryState;
	timeoutMs: number;
	deadlineMs: number;
	handOverAfterMs: number;
	includeResponse: string;
	sign: boolean;
}

interface ForwardOptions {
	concurrency?: number;
	handOverAfterSeconds?: number;
	honourRetryAfter?: boolean;
	includeResponse?: string;
	deadlineSeconds?: number;
	retryOnStatus?: string;
	timeoutMs?: number;
}

/** Our own `delivery` field on an item that comes back (Wait loop) must not be sent on or hashed. */
function isOwnDeliveryField(value: unknown): value is { state?: unknown } {
	return (
		value !== null &&
		typeof value === 'object' &&
		typeof (value as IDataObject).idempotencyKey === 'string' &&
		typeof (value as IDataObject).attempts === 'number' &&
		Array.isArray((value as IDataObject).log)
	);
}

function withoutOwnDelivery(json: IDataObject): IDataObject {
	if (!isOwnDeliveryField(json.delivery)) return json;
	const { delivery: _previous, ...rest } = json;
	return rest;
}

async function prepareDelivery(context: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<PreparedDelivery> {
	const param = <T>(name: string, fallback?: T) => context.getNodeParameter(name, itemIndex, fallback) as T;
	const options = param<ForwardOptions>('options', {});
	const method = param<string>('method').toUpperCase();

	const target = checkTargetUrl(param<string>('url').trim(), param<boolean>('allowPlainHttp', false));
	if (!target.ok) throw new NodeOperationError(context.getNode(), target.message, { itemIndex });

	const ownJson = withoutOwnDelivery(item.json);
	const headers: Record<string, string> = {};
	const setHeader = (name: string, value: string) => {
		for (const key of Object.keys(headers)) if (key.toLowerCase() === name.toLowerCase()) delete headers[key];
		headers[name] = value;
	};

	let body: Buffer | undefined;
	const bodySource = param<string>('bodySource');
	if (bodySource === 'json') {
		body = Buffer.from(JSON.stringify(ownJson), 'utf8');
		setHeader('content-type', param<string>('contentType'));
	} else if (bodySource === 'binary') {
		const property = param<string>('binaryPropertyName');
		const binary = item.binary?.[property];
		if (!binary) {
			throw new NodeOperationError(context.getNode(), `The item has no binary property "${property}" to send`, { itemIndex });
		}
		body = await context.helpers.getBinaryDataBuffer(itemIndex, property);
		const contentType = param<string>('binaryContentType') || binary.mimeType;
		if (contentType) setHeader('content-type', contentType);
	} else if (bodySource === 'custom') {
		const custom = param<unknown>('body');
		body = Buffer.from(typeof custom === 'string' ? custom : JSON.stringify(custom), 'utf8');
		setHeader('content-type', param<string>('contentType'));
	}

	const passThrough = param<string>('passThroughHeaders', '')
		.split(',')
		.map((name) => name.trim().toLowerCase())
		.filter((name) => name !== '' && !NEVER_PASSED_THROUGH.has(name));
	const incoming = (ownJson.headers ?? {}) as IDataObject;
	for (const name of passThrough) {
		const found = Object.keys(incoming).find((key) => key.toLowerCase() === name);
		const value = found === undefined ? undefined : incoming[found];
		if (typeof value === 'string') setHeader(name, value);
		else if (Array.isArray(value)) setHeader(name, value.join(', '));
	}
	const userHeaders = param<{ header?: Array<{ name: string; value: string }> }>('headers', {}).header ?? [];
	for (const { name, value } of userHeaders) if (name.trim() !== '') setHeader(name.trim(), String(value ?? ''));

	let prior: DeliveryState | undefined;
	if (isOwnDeliveryField(item.json.delivery) && item.json.delivery.state !== undefined) {
		try {
			prior = decodeDeliveryState(item.json.delivery.state);
		} catch (error) {
			throw new NodeOperationError(context.getNode(), `Cannot resume this delivery: ${(error as Error).message}`, { itemIndex });
		}
	}
	let idempotencyKey = prior?.idempotencyKey ?? String(param<unknown>('idempotencyKey', '') ?? '').trim();
	if (idempotencyKey === '') idempotencyKey = deriveIdempotencyKey(ownJson, bodySource === 'binary' ? body : undefined);
	const keyProblem = checkIdempotencyKey(idempotencyKey);
	if (keyProblem) throw new NodeOperationError(context.getNode(), keyProblem, { itemIndex });
	const idempotencyHeader = param<string>('idempotencyHeader', '').trim();
	if (idempotencyHeader !== '') setHeader(idempotencyHeader, idempotencyKey);

	let policy: RetryPolicy;
	try {
		const common = {
			maxAttempts: param<number>('maxAttempts'),
			honourRetryAfter: options.honourRetryAfter ?? true,
			...(options.retryOnStatus !== undefined ? { retryableStatuses: parseStatusCodeList(options.retryOnStatus) } : {}),
		};
		policy =
			param<string>('schedule') === 'svix'
				? svixPolicy({ ...common, jitter: param<JitterMode>('scheduleJitter') })
				: exponentialPolicy({
						...common,
						initialDelayMs: param<number>('initialDelayMs'),
						multiplier: param<number>('multiplier'),
						maxDelayMs: param<number>('maxDelayMs'),
						jitter: param<JitterMode>('jitter'),
					});
	} catch (error) {
		throw new NodeOperationError(context.getNode(), (error as Error).message, { itemIndex });
	}

	return {
		request: { method, url: target.url.toString(), headers, body },
		policy,
		idempotencyKey,
		prior,
		timeoutMs: options.timeoutMs ?? 10_000,
		deadlineMs: (options.deadlineSeconds ?? 0) * 1000,
		handOverAfterMs: (options.handOverAfterSeconds ?? 120) * 1000,
		includeResponse: options.includeResponse ?? 'none',
		sign: param<boolean>('signRequests', false),
	};
}

/** One attempt through n8n's request helpers, so n8n's proxy and SSRF settings apply. */
function sender(context: IExecuteFunctions, signRequests: boolean): SendFunction {
	return async (request, { timeoutMs }) => {
		const options: IHttpRequestOptions = {
			method: request.method as IHttpRequestMethods,
			url: request.url,
			headers: { ...request.headers },
			body: request.body,
			timeout: timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
		};
		// Signing lives in the credential's authenticate(), which n8n runs on every call: a fresh signature per attempt.
		const response = (signRequests
			? await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options)
			: await context.helpers.httpRequest(options)) as { statusCode: number; headers: IDataObject; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body };
	};
}

function deliveryField(result: DeliveryResult, includeResponse: string): IDataObject {
	const field: IDataObject = {
		outcome: result.outcome,
		attempts: result.attempts,
		status: result.status,
		durationMs: result.durationMs,
		idempotencyKey: result.idempotencyKey,
		log: result.log as unknown as IDataObject[],
	};
	if (result.reason) field.reason = result.reason;
	if (result.error) field.error = result.error;
	if (result.state) {
		field.nextAttemptAt = result.state.nextAttemptAt;
		field.state = result.state as unknown as IDataObject;
	}
	if (includeResponse !== 'none' && result.response) {
		field.response = {
			statusCode: result.response.statusCode,
			body: result.response.body as IDataObject,
			...(includeResponse === 'bodyAndHeaders' ? { headers: result.response.headers as IDataObject } : {}),
		};
	}
	return field;
}

export class ReliableHttpForward implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Reliable HTTP Forward',
		name: 'reliableHttpForward',
		icon: { light: 'file:reliableHttpForward.svg', dark: 'file:reliableHttpForward.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["method"] + " " + $parameter["url"]}}',
		description:
			'Send each item on with retries, backoff, Retry-After, idempotency keys and optional signatures; what cannot be delivered goes to the Failed output',
		defaults: { name: 'Reliable HTTP Forward' },
		inputs: ['main'],
		outputs: DELIVERED_AND_FAILED,
		outputNames: ['Delivered', 'Failed'],
		credentials: [
			{
				name: 'outgoingWebhookSigningApi',
				required: true,
				displayOptions: { show: { signRequests: [true] } },
				testedBy: 'outgoingWebhookSigningApiTest',
			},
		],
		properties: [
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
				description: 'Longest single wait, also for Retry-After',
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
				displayOptions: { show: { schedule: ['svix'] } },
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
						displayName: 'Hand Over Waits Longer Than (Seconds)',
						name: 'handOverAfterSeconds',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 120,
						description:
							'A longer wait ends this run: the item goes to Failed with delivery.nextAttemptAt and its attempt state, so a Wait node can bring it back here. Nothing is held in memory meanwhile.',
					},
					{
						displayName: 'Honour Retry-After',
						name: 'honourRetryAfter',
						type: 'boolean',
						default: true,
						description: 'Whether to wait as long as the receiver asks (seconds or a date), up to the max delay',
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
							'Codes, ranges (500-599) or classes (5xx). Network errors and timeouts are always retried; any other status fails at once.',
					},
					{
						displayName: 'Timeout Per Attempt (Ms)',
						name: 'timeoutMs',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 10000,
					},
				],
			},
		],
	};

	methods = {
		credentialTest: {
			// Nothing remote to call: check that the secret signs a sample request under the chosen scheme.
			async outgoingWebhookSigningApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					signOutgoingRequest(credential.data as unknown as OutgoingSigningSettings, {
						method: 'POST',
						url: 'https://example.com/',
						headers: {},
						body: '{"test":true}',
					});
					return { status: 'OK', message: 'The secret signs requests under the chosen scheme' };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const concurrency = (this.getNodeParameter('options', 0, {}) as ForwardOptions).concurrency ?? 4;

		// Prepare every item first, so a configuration error stops the node before anything is sent.
		const prepared: Array<PreparedDelivery | { error: string }> = [];
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
			try {
				prepared.push(await prepareDelivery(this, itemIndex, items[itemIndex]));
			} catch (error) {
				if (!this.continueOnFail()) {
					if (error instanceof NodeOperationError) throw error;
					throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				}
				prepared.push({ error: (error as Error).message });
			}
		}

		const results = await mapWithConcurrency(prepared, concurrency, async (entry) => {
			if ('error' in entry) return entry;
			return {
				prepared: entry,
				result: await deliverWithRetries({
					request: entry.request,
					policy: entry.policy,
					idempotencyKey: entry.idempotencyKey,
					prior: entry.prior,
					attemptTimeoutMs: entry.timeoutMs,
					deadlineMs: entry.deadlineMs,
					scheduleAfterMs: entry.handOverAfterMs,
					send: sender(this, entry.sign),
					sleep,
				}),
			};
		});

		// A request that could not be made at all (no credential, a body that cannot be signed, a blocked URL) is a
		// setup problem: stop the node as n8n does, unless "continue on fail" routes it to Failed.
		if (!this.continueOnFail()) {
			const broken = results.findIndex((entry) => !('error' in entry) && entry.result.reason === 'send_error');
			if (broken !== -1) {
				const entry = results[broken] as { result: DeliveryResult };
				throw new NodeOperationError(this.getNode(), `The request could not be sent: ${entry.result.error}`, { itemIndex: broken });
			}
		}

		const delivered: INodeExecutionData[] = [];
		const failed: INodeExecutionData[] = [];
		results.forEach((outcome, itemIndex) => {
			const item = items[itemIndex];
			const json = withoutOwnDelivery(item.json);
			const output: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
			if (item.binary) output.binary = item.binary;
			if ('error' in outcome) {
				output.json = { ...json, delivery: { outcome: 'failed', reason: 'invalid_request', attempts: 0, log: [], error: outcome.error } };
				failed.push(output);
				return;
			}
			output.json = { ...json, delivery: deliveryField(outcome.result, outcome.prepared.includeResponse) };
			(outcome.result.outcome === 'delivered' ? delivered : failed).push(output);
		});
		return [delivered, failed];
	}
}
