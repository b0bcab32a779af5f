import {
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
} from 'n8n-workflow';
import {
	buildForwardRequest,
	checkIdempotencyKey,
	checkTargetUrl,
	chooseIdempotencyKey,
	decodeDeliveryState,
	decodeResponseBody,
	deliverWithRetries,
	deliveryReport,
	isOwnDeliveryField,
	mapWithConcurrency,
	retryPolicyFromSettings,
	signOutgoingRequest,
	withoutOwnDeliveryField,
	type DeliveryRequest,
	type DeliveryResult,
	type DeliveryState,
	type ForwardBody,
	type IncludeResponse,
	type OutgoingSigningSettings,
	type RetryPolicy,
	type RetrySettings,
	type SendFunction,
} from '../core/delivery';
import { createDestinationGuard, type DestinationGuard } from '../core/delivery/guard';
import {
	builtInDestinationStore,
	DEFAULT_CIRCUIT_SETTINGS,
	destinationKeyPrefix,
	rateIntervalMs,
	RedisDestinationStore,
	validateCircuitSettings,
	type CircuitSettings,
	type DestinationStateStore,
} from '../core/circuit';
import { describeEndpoint, sharedRedisPool } from '../core/dedupe';
import { redisSettingsFromCredential } from '../Dedupe/execute';
import {
	DEFAULT_TIMEOUT_MS,
	DELIVERED_AND_FAILED,
	OUTGOING_SIGNING_CREDENTIAL,
	REDIS_CREDENTIAL,
	reliableHttpForwardProperties,
} from './description';

interface PreparedDelivery {
	request: DeliveryRequest;
	policy: RetryPolicy;
	idempotencyKey: string;
	prior?: DeliveryState;
	timeoutMs: number;
	deadlineMs: number;
	handOverAfterMs: number;
	includeResponse: IncludeResponse;
	sign: boolean;
	/** The circuit breaker and rate limit key: the name set, or the URL's origin. */
	destinationKey: string;
}

interface CircuitOptions {
	consecutiveFailures?: number;
	failureRatePercent?: number;
	minimumRequests?: number;
	windowSeconds?: number;
	openSeconds?: number;
	probes?: number;
	whenOpen?: 'schedule' | 'fail';
	holdOpenOnGone?: boolean;
}

/** Circuit breaker and rate limit, read once per execution (from the first item's parameters). */
interface Protection {
	store: DestinationStateStore;
	circuit?: CircuitSettings;
	whenOpen: 'schedule' | 'fail';
	holdOpenOnGone: boolean;
	rateIntervalMs?: number;
}

interface ForwardOptions {
	concurrency?: number;
	destinationName?: string;
	handOverAfterSeconds?: number;
	honourRetryAfter?: boolean;
	includeResponse?: IncludeResponse;
	deadlineSeconds?: number;
	retryOnStatus?: string;
	timeoutMs?: number;
}

/** Reads one item's parameters (n8n) and hands the decisions to the core; throws NodeOperationError on bad input. */
async function prepareDelivery(context: IExecuteFunctions, itemIndex: number, item: INodeExecutionData): Promise<PreparedDelivery> {
	const param = <T>(name: string, fallback?: T) => context.getNodeParameter(name, itemIndex, fallback) as T;
	const fail = (message: string) => new NodeOperationError(context.getNode(), message, { itemIndex });
	const options = param<ForwardOptions>('options', {});

	const target = checkTargetUrl(param<string>('url').trim(), param<boolean>('allowPlainHttp', false));
	if (!target.ok) throw fail(target.message);

	const itemJson = withoutOwnDeliveryField(item.json);
	const bodySource = param<string>('bodySource');
	let body: ForwardBody;
	if (bodySource === 'json') body = { source: 'json', value: itemJson, contentType: param<string>('contentType') };
	else if (bodySource === 'custom') body = { source: 'custom', value: param<unknown>('body'), contentType: param<string>('contentType') };
	else if (bodySource === 'binary') {
		const property = param<string>('binaryPropertyName');
		const binary = item.binary?.[property];
		if (!binary) throw fail(`The item has no binary property "${property}" to send`);
		body = {
			source: 'binary',
			bytes: await context.helpers.getBinaryDataBuffer(itemIndex, property),
			contentType: param<string>('binaryContentType') || binary.mimeType,
		};
	} else body = { source: 'none' };

	let prior: DeliveryState | undefined;
	if (isOwnDeliveryField(item.json.delivery) && item.json.delivery.state !== undefined) {
		try {
			prior = decodeDeliveryState(item.json.delivery.state);
		} catch (error) {
			throw fail(`Cannot resume this delivery: ${(error as Error).message}`);
		}
	}
	const idempotencyKey = chooseIdempotencyKey({
		resumedKey: prior?.idempotencyKey,
		// A resumed delivery keeps its key; the expression is not evaluated again (it may no longer resolve).
		configuredKey: prior ? undefined : param<unknown>('idempotencyKey', ''),
		itemJson,
		rawBody: body.source === 'binary' ? body.bytes : undefined,
	});
	const keyProblem = checkIdempotencyKey(idempotencyKey);
	if (keyProblem) throw fail(keyProblem);

	let policy: RetryPolicy;
	try {
		const schedule = param<RetrySettings['schedule']>('schedule');
		policy = retryPolicyFromSettings({
			schedule,
			maxAttempts: schedule === 'standardWebhooks' ? param<number>('standardMaxAttempts', 10) : param<number>('maxAttempts'),
			honourRetryAfter: options.honourRetryAfter,
			retryOnStatus: options.retryOnStatus,
			...(schedule === 'svix' || schedule === 'standardWebhooks'
				? { jitter: param<RetrySettings['jitter']>('scheduleJitter') }
				: {
						jitter: param<RetrySettings['jitter']>('jitter'),
						initialDelayMs: param<number>('initialDelayMs'),
						multiplier: param<number>('multiplier'),
						maxDelayMs: param<number>('maxDelayMs'),
					}),
		});
	} catch (error) {
		throw fail((error as Error).message);
	}

	return {
		request: buildForwardRequest({
			method: param<string>('method'),
			url: target.url.toString(),
			body,
			incomingHeaders: itemJson.headers,
			passThroughHeaders: param<string>('passThroughHeaders', ''),
			headers: param<{ header?: Array<{ name: string; value: string }> }>('headers', {}).header ?? [],
			idempotencyHeader: param<string>('idempotencyHeader', ''),
			idempotencyKey,
		}),
		policy,
		idempotencyKey,
		prior,
		timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
		deadlineMs: (options.deadlineSeconds ?? 0) * 1000,
		handOverAfterMs: (options.handOverAfterSeconds ?? 120) * 1000,
		includeResponse: options.includeResponse ?? 'none',
		sign: param<boolean>('signRequests', false),
		destinationKey: String(options.destinationName ?? '').trim() || target.url.origin,
	};
}

/** Reads the circuit breaker and rate limit settings; undefined when both are off. Throws NodeOperationError on bad values. */
async function readProtection(context: IExecuteFunctions): Promise<Protection | undefined> {
	const param = <T>(name: string, fallback?: T) => context.getNodeParameter(name, 0, fallback) as T;
	const circuitOn = param<boolean>('circuitBreaker', false);
	const rateMode = param<string>('rateLimit', 'off');
	if (!circuitOn && rateMode === 'off') return undefined;
	const fail = (message: string) => new NodeOperationError(context.getNode(), message);

	let circuit: CircuitSettings | undefined;
	const circuitOptions = circuitOn ? param<CircuitOptions>('circuitOptions', {}) : {};
	if (circuitOn) {
		try {
			circuit = validateCircuitSettings({
				consecutiveFailures: circuitOptions.consecutiveFailures ?? DEFAULT_CIRCUIT_SETTINGS.consecutiveFailures,
				failureRatePercent: circuitOptions.failureRatePercent ?? DEFAULT_CIRCUIT_SETTINGS.failureRatePercent,
				minimumRequests: circuitOptions.minimumRequests ?? DEFAULT_CIRCUIT_SETTINGS.minimumRequests,
				windowMs: Math.round((circuitOptions.windowSeconds ?? DEFAULT_CIRCUIT_SETTINGS.windowMs / 1000) * 1000),
				openMs: Math.round((circuitOptions.openSeconds ?? DEFAULT_CIRCUIT_SETTINGS.openMs / 1000) * 1000),
				probes: circuitOptions.probes ?? DEFAULT_CIRCUIT_SETTINGS.probes,
			});
		} catch (error) {
			throw fail((error as Error).message);
		}
	}
	let interval: number | undefined;
	if (rateMode !== 'off') {
		try {
			interval = rateIntervalMs(Number(param<number>('rateLimitRequests', 10)), rateMode === 'perMinute' ? 'minute' : 'second');
		} catch (error) {
			throw fail((error as Error).message);
		}
	}

	let store: DestinationStateStore = builtInDestinationStore;
	if (param<string>('stateStore', 'builtIn') === 'redis') {
		const settings = redisSettingsFromCredential(await context.getCredentials(REDIS_CREDENTIAL));
		try {
			store = new RedisDestinationStore(await sharedRedisPool.acquire(settings), {
				keyPrefix: destinationKeyPrefix(settings.keyPrefix),
				endpoint: describeEndpoint(settings),
			});
		} catch (error) {
			// The state store is down: deliveries go on without circuit and rate limit (see the README), and say so.
			context.logger.warn(`Reliable HTTP Forward: ${(error as Error).message}; sending without circuit breaker and rate limit`);
			return undefined;
		}
	}
	return {
		store,
		circuit,
		whenOpen: circuitOptions.whenOpen ?? 'schedule',
		holdOpenOnGone: circuitOptions.holdOpenOnGone === true,
		rateIntervalMs: interval,
	};
}

function guardFor(context: IExecuteFunctions, protection: Protection, key: string, storeErrors: Set<string>): DestinationGuard {
	return createDestinationGuard({
		key,
		store: protection.store,
		circuit: protection.circuit,
		holdOpenOnGone: protection.holdOpenOnGone,
		rateIntervalMs: protection.rateIntervalMs,
		// The store made this transition for this caller only: one line per transition across executions and processes.
		onTransition: (destination, { from, to }) =>
			context.logger.warn(`Reliable HTTP Forward: circuit for ${destination} went from ${from} to ${to}`),
		onStoreError: (error) => {
			const message = (error as Error).message;
			if (storeErrors.has(message)) return;
			storeErrors.add(message);
			context.logger.warn(`Reliable HTTP Forward: ${message}; sending without circuit breaker and rate limit`);
		},
	});
}

/** One attempt through n8n's request helpers, so n8n's proxy and SSRF settings apply. */
function sendThroughN8n(context: IExecuteFunctions, signRequests: boolean): SendFunction {
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
			// The raw bytes, so the core parses JSON exactly (n8n's own parse would round integers beyond 2^53).
			encoding: 'arraybuffer',
		};
		// Signing lives in the credential's authenticate(), which n8n runs on every call: a fresh signature per attempt.
		const response = (signRequests
			? await context.helpers.httpRequestWithAuthentication.call(context, OUTGOING_SIGNING_CREDENTIAL, options)
			: await context.helpers.httpRequest(options)) as { statusCode: number; headers: IDataObject; body: unknown };
		return { statusCode: response.statusCode, headers: response.headers ?? {}, body: decodeResponseBody(response.body) };
	};
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
			{
				name: REDIS_CREDENTIAL,
				required: true,
				displayOptions: { show: { stateStore: ['redis'] } },
			},
		],
		properties: reliableHttpForwardProperties,
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

		const protection = prepared.some((entry) => !('error' in entry)) ? await readProtection(this) : undefined;
		const storeErrors = new Set<string>();

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
					send: sendThroughN8n(this, entry.sign),
					sleep,
					...(protection
						? { guard: guardFor(this, protection, entry.destinationKey, storeErrors), onCircuitOpen: protection.whenOpen }
						: {}),
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
			const json = withoutOwnDeliveryField(item.json);
			const output: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
			if (item.binary) output.binary = item.binary;
			if ('error' in outcome) {
				output.json = { ...json, delivery: { outcome: 'failed', reason: 'invalid_request', attempts: 0, log: [], error: outcome.error } };
				failed.push(output);
				return;
			}
			output.json = { ...json, delivery: deliveryReport(outcome.result, outcome.prepared.includeResponse) as IDataObject };
			(outcome.result.outcome === 'delivered' ? delivered : failed).push(output);
		});
		return [delivered, failed];
	}
}
