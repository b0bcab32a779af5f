/**
 * The trigger's parameters turned into what a request needs (TriggerSettings), and the parameter checks that
 * activation runs on the same code (Timestamp Check, Allowed Event Types). Provider-specific parameters come from
 * the provider's facts (switches, settings), never from its id.
 */
import type { IDataObject, IWebhookFunctions } from 'n8n-workflow';

import { destinationKeyOf, type CircuitReader } from '../core/circuit';
import { splitAllowlistEntries } from '../core/http';
import { runsInQueueMode } from '../Dedupe/queueMode';
import { checkToleranceSeconds, type ProviderOptions } from '../core/signatures';
import { dedupeScope, DedupeConfigurationError, durationMs, type DedupeScope, type DedupeStore } from '../core/dedupe';
import {
	DEFAULT_CLAIM_LEASE_SECONDS,
	defaultRepeatWindowSeconds,
	parseConditions,
	shortWindowNotice,
	type ConditionRow,
	type DoorCondition,
	type RepeatKeySource,
	type RepeatMode,
} from '../core/door';
import { acceptedMethods } from './methods';
import type { PipelineSettings } from './pipeline';
import { coreProviderId, providerChoice } from './providerChoices';
import { headersToRedact } from './redaction';
import { cachedAllowlist, rateLimiterFor } from './requestLimits';

/** Everything a request needs from the node's parameters; built once per node and TTL (see settingsCache.ts). */
export interface TriggerSettings {
	/** Workflow id + node id: rate limiter and rejection log throttle key. */
	nodeKey: string;
	/** The Provider parameter as saved (a provider id, or another choice such as a public-key variant). */
	providerChoice: string;
	pipeline: Omit<PipelineSettings, 'secrets' | 'loadCredential'>;
	publicUrl: string;
	/**
	 * n8n's webhook URL for this node per mode, for providers that sign the URL; filled on first use (building it
	 * may evaluate the path expression), null when n8n gave none (the Host header is used then).
	 */
	webhookUrls: { production?: string | null; test?: string | null };
	rawBodyAsBinary: boolean;
	/** Backpressure at the door; absent when off (the trigger then behaves exactly as without it). */
	backpressure?: BackpressureSettings;
	/** Drop Repeated Deliveries; absent when off. */
	repeats?: RepeatSettings;
	/** Conditions on the verified request (empty: none). */
	conditions: readonly DoorCondition[];
	/** Report-only verification: failed verification still runs the workflow, with the verdict in the item. */
	reportOnly: boolean;
}

/** The trigger's Drop Repeated Deliveries parameters, resolved. Durations in MILLISECONDS. */
export interface RepeatSettings {
	mode: RepeatMode;
	keySource: RepeatKeySource;
	/** The Dedupe node's key space: Scope Workflow (`wf:<id>`) or a Named Namespace (`ns:<name>`). */
	scope: DedupeScope;
	windowMs: number;
	/** Claim Until Confirmed only (record: unused). */
	leaseMs: number;
	store: 'builtIn' | 'redis';
	/** Store unreachable: run the workflow (true) or answer 503 + Retry-After (false, the default). */
	failOpen: boolean;
	/** Set when the window is shorter than the sender's retry horizon: shown in n8n's log at activation. */
	shortWindowNotice?: string;
	/** The store, opened on first use and kept with these settings. */
	opened?: Promise<DedupeStore>;
}

/** The built-in store refused in queue mode, as the Dedupe node refuses it (keys are per n8n process). */
export const BUILT_IN_REPEAT_STORE_IN_QUEUE_MODE =
	'Drop Repeated Deliveries: the built-in store keeps keys per n8n process, so in queue mode each webhook process would drop only its own repeats. Set the store to Redis (the Dedupe Redis credential).';

/** The trigger's Backpressure parameters, resolved. */
export interface BackpressureSettings {
	/** Circuit key, as the Reliable HTTP Forward computes it (destinationKeyOf). */
	destinationKey: string;
	store: 'builtIn' | 'redis';
	/** The provider's `retries` fact (unknown = false). */
	senderRetries: boolean;
	/** The store, opened on first use and kept with these settings (Redis: from the Dedupe Redis credential). */
	opened?: Promise<CircuitReader>;
}

/** The Backpressure parameters' problem, as the text to show; in queue mode the built-in store is refused (per process). */
export const BUILT_IN_STORE_IN_QUEUE_MODE =
	'Backpressure: the built-in circuit store keeps state per n8n process, so in queue mode this trigger would not see circuits opened by the workers. Set Circuit Store to Redis (the same Redis credential as the Reliable HTTP Forward).';

/**
 * Backpressure from the node's parameters: undefined when off. Throws an Error naming the parameter when the
 * destination is empty, or the built-in store is chosen in queue mode (`queueMode`, default: this process).
 */
export function backpressureFrom(choice: string, readParameter: ParameterReader, queueMode = runsInQueueMode()): BackpressureSettings | undefined {
	if (readParameter('backpressure', false) !== true) return undefined;
	let destinationKey: string;
	try {
		destinationKey = destinationKeyOf(String(readParameter('backpressureDestination', '') ?? ''));
	} catch {
		throw new Error('Backpressure: Destination is empty. Enter the Destination Name of the Reliable HTTP Forward, or its URL.');
	}
	const store = readParameter('backpressureStore', 'builtIn') === 'redis' ? 'redis' : 'builtIn';
	if (store === 'builtIn' && queueMode) throw new Error(BUILT_IN_STORE_IN_QUEUE_MODE);
	return { destinationKey, store, senderRetries: providerChoice(choice)?.provider.retries?.retries === true };
}

/**
 * Drop Repeated Deliveries from the node's parameters: undefined when off. The store parameter is the trigger's one
 * state store (`backpressureStore`, shared with backpressure: a node holds one Redis credential). Throws an Error
 * naming the parameter when the key, scope, window or lease cannot be used, when the provider names no delivery id and
 * the key is the delivery id, or when the built-in store is chosen in queue mode (`queueMode`, default: this process).
 */
export function repeatsFrom(
	choice: string,
	readParameter: ParameterReader,
	ids: { workflowId: string },
	queueMode = runsInQueueMode(),
): RepeatSettings | undefined {
	if (readParameter('dropRepeats', false) !== true) return undefined;
	const provider = providerChoice(choice)?.provider;
	const keySource = repeatKeySourceFrom(readParameter, provider);
	let scope: DedupeScope;
	let windowMs: number;
	let leaseMs: number;
	try {
		scope = dedupeScope(String(readParameter('repeatScope', 'workflow')), {
			workflowId: ids.workflowId,
			nodeId: '',
			namespace: String(readParameter('repeatNamespace', '') ?? ''),
		});
		const horizonSeconds = provider?.retries?.horizonSeconds;
		windowMs =
			readParameter('repeatWindow', 'providerHorizon') === 'custom'
				? durationMs(Number(readParameter('repeatWindowAmount', 3)), String(readParameter('repeatWindowUnit', 'days')), 'Window')
				: defaultRepeatWindowSeconds(horizonSeconds) * 1000;
		leaseMs = durationMs(Number(readParameter('repeatLeaseAmount', DEFAULT_CLAIM_LEASE_SECONDS / 60)), String(readParameter('repeatLeaseUnit', 'minutes')), 'Lease');
	} catch (error) {
		if (error instanceof DedupeConfigurationError) throw new Error(`Drop Repeated Deliveries: ${error.message}.`);
		throw error;
	}
	const store = readParameter('backpressureStore', 'builtIn') === 'redis' ? 'redis' : 'builtIn';
	if (store === 'builtIn' && queueMode) throw new Error(BUILT_IN_REPEAT_STORE_IN_QUEUE_MODE);
	const notice = shortWindowNotice(windowMs / 1000, {
		displayName: provider?.displayName ?? choice,
		horizonSeconds: provider?.retries?.horizonSeconds,
		horizon: provider?.retries?.horizon,
	});
	return {
		mode: readParameter('repeatMode', 'record') === 'claim' ? 'claim' : 'record',
		keySource,
		scope,
		windowMs,
		leaseMs,
		store,
		failOpen: readParameter('repeatStoreDown', 'failClosed') === 'failOpen',
		...(notice && { shortWindowNotice: notice }),
	};
}

function repeatKeySourceFrom(readParameter: ParameterReader, provider: { displayName: string; deliveryIdSource?: string } | undefined): RepeatKeySource {
	const from = readParameter('repeatKey', 'deliveryId');
	if (from === 'header') {
		const name = String(readParameter('repeatKeyHeader', '') ?? '').trim();
		if (name === '') throw new Error('Drop Repeated Deliveries: Key Header is empty. Enter the header that carries the delivery id.');
		return { from: 'header', name: name.toLowerCase() };
	}
	if (from === 'jsonPath') {
		const path = String(readParameter('repeatKeyPath', '') ?? '').trim();
		if (path === '') throw new Error('Drop Repeated Deliveries: Key JSON Path is empty. Enter a dot path into the body, such as data.id.');
		return { from: 'jsonPath', path };
	}
	if (provider && provider.deliveryIdSource === undefined) {
		throw new Error(
			`Drop Repeated Deliveries: ${provider.displayName} sends no delivery id this trigger can read. Set Key to a header or a JSON path of the body.`,
		);
	}
	return { from: 'deliveryId' };
}

/** Conditions from the node's `conditions` fixedCollection; throws an Error naming a row that cannot be used. */
export function conditionsFrom(readParameter: ParameterReader): DoorCondition[] {
	const value = readParameter('conditions', {}) as { condition?: ConditionRow[] } | undefined;
	return parseConditions(value?.condition);
}

/** Reads one node parameter, with a fallback (IWebhookFunctions / IHookFunctions getNodeParameter). */
export type ParameterReader = (name: string, fallback?: unknown) => unknown;

/** Allowed Event Types as entered: comma-separated names or `prefix*` patterns. */
export function parseEventTypes(input: string | undefined): string[] {
	return splitAllowlistEntries(input ?? '');
}

/**
 * The provider's options from its own parameters: one boolean per switch it offers (allowSha1) and the fields of
 * its settings collection (Generic HMAC, Generic Token, Convoy).
 */
export function providerOptionsFrom(choice: string, readParameter: ParameterReader): ProviderOptions {
	const provider = providerChoice(choice)?.provider;
	const options: ProviderOptions = {};
	for (const item of provider?.switches ?? []) options[item.option] = readParameter(item.option, false) as boolean;
	if (provider?.settings) Object.assign(options, readParameter(provider.settings.parameter, {}));
	return options;
}

/**
 * The Timestamp Check parameters as verify()'s toleranceSeconds (SECONDS): undefined = the provider's window,
 * Infinity = off, else the custom window. `problem` names the field when a custom window is not > 0 (verify() refuses
 * 0, which Stripe's SDKs read as "no check", and negative windows).
 */
export function toleranceFrom(readParameter: ParameterReader): { toleranceSeconds?: number; problem?: string } {
	const timestampCheck = readParameter('timestampCheck', 'providerDefault');
	if (timestampCheck === 'off') return { toleranceSeconds: Infinity };
	if (timestampCheck !== 'custom') return {};
	const value = readParameter('toleranceSeconds', 300);
	try {
		return { toleranceSeconds: checkToleranceSeconds(value) };
	} catch {
		return {
			problem: 'Tolerance (Seconds) must be a number of seconds greater than 0. To accept signed requests of any age, set Timestamp Check to Off.',
		};
	}
}

/** Builds a node's TriggerSettings; throws an Error naming the parameter when one cannot be used. */
export function resolveTriggerSettings(context: IWebhookFunctions, nodeKey: string): TriggerSettings {
	const readParameter: ParameterReader = (name, fallback) => context.getNodeParameter(name, fallback as never);
	const choice = context.getNodeParameter('provider') as string;
	const httpMethod = context.getNodeParameter('httpMethod', 'POST') as string;
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const providerOptions = providerOptionsFrom(choice, readParameter);

	const tolerance = toleranceFrom(readParameter);
	if (tolerance.problem) throw new Error(tolerance.problem);

	const allowlistText = String(options.ipAllowlist ?? '').trim();
	const ipAllowlist = allowlistText === '' ? undefined : cachedAllowlist(allowlistText);
	if (ipAllowlist && ipAllowlist.invalidEntries.length > 0) {
		context.logger.warn(`Signed Webhook Trigger: ignoring IP allowlist entries that do not parse: ${ipAllowlist.invalidEntries.join(', ')}`);
	}

	const perMinute = Number(options.rateLimitPerMinute ?? 0);
	const rateLimiter = perMinute > 0 ? rateLimiterFor(nodeKey, perMinute, Number(options.rateLimitBurst ?? 0)) : undefined;

	const maxKib = options.maxBodySizeKib === undefined ? 0 : Number(options.maxBodySizeKib);

	const repeats = repeatsFrom(choice, readParameter, { workflowId: context.getWorkflow().id || 'unsaved' });
	const conditions = conditionsFrom(readParameter);
	const reportOnly = readParameter('reportOnly', false) === true;

	return {
		nodeKey,
		providerChoice: choice,
		pipeline: {
			provider: coreProviderId(choice),
			acceptedMethods: acceptedMethods(httpMethod, choice),
			ipAllowlist,
			rateLimiter,
			maxBodyBytes: maxKib > 0 ? Math.floor(maxKib * 1024) : 0,
			toleranceSeconds: tolerance.toleranceSeconds,
			allowedEventTypes: parseEventTypes(options.allowedEventTypes as string | undefined),
			providerOptions,
			redactHeaders: headersToRedact([providerOptions.header as string | undefined]),
			...(providerChoice(choice)?.provider.redactBody && { redactBody: providerChoice(choice)!.provider.redactBody }),
		},
		publicUrl: String(options.publicUrl ?? ''),
		webhookUrls: {},
		// The raw bytes would carry the secret a provider keeps in its body (Microsoft Graph): never attached for those.
		rawBodyAsBinary: options.rawBodyAsBinary === true && !providerChoice(choice)?.provider.redactBody,
		...withBackpressure(backpressureFrom(choice, readParameter)),
		...(repeats && { repeats }),
		conditions,
		reportOnly,
	};
}

function withBackpressure(backpressure: BackpressureSettings | undefined): { backpressure?: BackpressureSettings } {
	return backpressure ? { backpressure } : {};
}
