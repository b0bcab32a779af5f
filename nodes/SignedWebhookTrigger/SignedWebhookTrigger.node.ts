import {
	NodeOperationError,
	type ICredentialsDecrypted,
	type ICredentialTestFunctions,
	type IDataObject,
	type IHookFunctions,
	type INodeCredentialTestResult,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { builtInDestinationStore, destinationKeyPrefix, RedisDestinationStore, type CircuitReader, type CircuitView } from '../core/circuit';
import {
	checkRedisConnection,
	DEFAULT_MAX_KEYS,
	describeEndpoint,
	persistentView,
	RedisDedupeStore,
	scopedStorageKey,
	sharedRedisPool,
	type DedupeOutcome,
	type DedupeStore,
	type MemoryDedupeStore,
} from '../core/dedupe';
import { formatReasonCounts, repeatDecision, repeatRequest, repeatStoreFailure, savedReason } from '../core/door';
import { detectHandshake, verify } from '../core/signatures';
import { builtInStores, redisSettingsFromCredential } from '../Dedupe/execute';
import { backpressureCredential, triggerCredentials, triggerProperties, triggerSubtitle, triggerWebhooks } from './description';
import { checkActivationSecret, checkFields, checkPublicKey, checkSigningSecret } from './credentialChecks';
import { engineV2Problem, respondNodeProblem } from './respondNodeCheck';
import {
	runPipeline,
	type BackpressureCheck,
	type CredentialMaterial,
	type IssuedSecretStore,
	type PipelineOutcome,
	type RepeatCheck,
	type SignatureVerifier,
} from './pipeline';
import { providerChoice, usesPublicKey } from './providerChoices';
import { RejectionLogThrottle } from './rejectionLog';
import { cachedAllowlist } from './requestLimits';
import { NodeSettingsCache, nodeFingerprint } from './settingsCache';
import { isTestRequest, signedUrl, webhookUrlForMode } from './signedUrl';
import { triggerPanel } from './triggerPanel';
import {
	backpressureFrom,
	parseEventTypes,
	conditionsFrom,
	providerOptionsFrom,
	repeatsFrom,
	resolveTriggerSettings,
	toleranceFrom,
	type BackpressureSettings,
	type RepeatSettings,
	type TriggerSettings,
} from './triggerSettings';

/** The parts of n8n's Express request the trigger reads (n8n-workflow types them as express.Request). */
type WebhookRequest = IncomingMessage & {
	ip?: string;
	originalUrl?: string;
	query?: IDataObject;
	body?: unknown;
	rawBody?: Buffer;
	readRawBody?: () => Promise<void>;
	contentType?: string;
};

const verifier: SignatureVerifier = {
	verify: (input) => verify(input),
	detectHandshake: (input) => detectHandshake({ ...input, query: flatQuery(input.query ?? {}) }),
};

/** Express's extended parser may nest query values; the handshakes read only flat strings. */
function flatQuery(query: Record<string, unknown>): Record<string, string | string[]> {
	const flat: Record<string, string | string[]> = {};
	for (const [name, value] of Object.entries(query)) {
		if (typeof value === 'string') flat[name] = value;
		else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) flat[name] = value as string[];
	}
	return flat;
}

export class SignedWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Signed Webhook Trigger',
		name: 'signedWebhookTrigger',
		icon: { light: 'file:signedWebhookTrigger.svg', dark: 'file:signedWebhookTrigger.dark.svg' },
		group: ['trigger'],
		// Both versions behave the same. For version-1 webhook nodes n8n evaluates an expression on every request
		// (the old Webhook node's binaryData option) before the node runs; from version 2 on it does not.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: triggerSubtitle,
		description: "Starts the workflow on webhook calls whose signature verifies; rejects the rest before any execution exists",
		eventTriggerDescription: 'Waiting for a signed call to the Test URL',
		activationMessage: 'Signed calls to the production URL now start this workflow.',
		defaults: { name: 'Signed Webhook Trigger' },
		inputs: [],
		outputs: ['main'],
		credentials: [...(triggerCredentials ?? []), backpressureCredential],
		webhooks: triggerWebhooks,
		triggerPanel,
		properties: triggerProperties,
	};

	methods = {
		credentialTest: {
			async webhookSigningSecretApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				return checkFields(
					[
						['Current Secret', data.secret, true],
						['Previous Secret', data.previousSecret, false],
						['Older Secret', data.olderSecret, false],
					],
					checkSigningSecret,
				);
			},
			async webhookPublicKeyApiTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				const data = credential.data ?? {};
				return checkFields(
					[
						['Public Key', data.publicKey, true],
						['Previous Public Key', data.previousPublicKey, false],
					],
					checkPublicKey,
				);
			},
			// The Dedupe Redis credential (Backpressure with the Redis circuit store): the same check as the Dedupe node's.
			async dedupeRedisConnectionTest(
				this: ICredentialTestFunctions,
				credential: ICredentialsDecrypted,
			): Promise<INodeCredentialTestResult> {
				try {
					const { reply } = await checkRedisConnection(redisSettingsFromCredential(credential.data ?? {}));
					return { status: 'OK', message: `Connected: PING answered ${reply}` };
				} catch (error) {
					return { status: 'Error', message: (error as Error).message };
				}
			},
		},
	};

	webhookMethods = {
		default: {
			// Nothing is registered at the sender (the URL is pasted into its dashboard), so there is nothing to look up.
			// Returning false makes n8n call create(), which checks the settings so mistakes fail at activation.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				const options = this.getNodeParameter('options', {}) as IDataObject;
				const allowlistText = String(options.ipAllowlist ?? '');
				if (allowlistText.trim() !== '') {
					const { invalidEntries } = cachedAllowlist(allowlistText);
					if (invalidEntries.length > 0) {
						throw new NodeOperationError(
							this.getNode(),
							`IP Allowlist: not an address or CIDR range: ${invalidEntries.slice(0, 5).join(', ')}`,
						);
					}
				}
				const engineProblem = engineV2Problem(typeof this.getWorkflowSettings === 'function' ? (this.getWorkflowSettings() as { engineType?: unknown }) : undefined, this.getNodeParameter('responseMode', 'onReceived') as string);
				if (engineProblem) throw new NodeOperationError(this.getNode(), engineProblem);
				if (this.getNodeParameter('responseMode', 'onReceived') === 'responseNode') {
					const problem = respondNodeProblem(this.getChildNodes(this.getNode().name));
					if (problem) throw new NodeOperationError(this.getNode(), problem);
				}
				const tolerance = toleranceFrom((name, fallback) => this.getNodeParameter(name, fallback as never));
				if (tolerance.problem) throw new NodeOperationError(this.getNode(), tolerance.problem);
				const choice = this.getNodeParameter('provider') as string;
				const provider = providerChoice(choice)?.provider;
				if (parseEventTypes(options.allowedEventTypes as string | undefined).length > 0 && !provider?.eventTypeSource) {
					throw new NodeOperationError(
						this.getNode(),
						`Allowed Event Types: ${provider?.displayName ?? choice} does not name its events, so every call would be ignored. Clear this option.`,
					);
				}
				try {
					backpressureFrom(choice, (name, fallback) => this.getNodeParameter(name, fallback as never));
				} catch (error) {
					throw new NodeOperationError(this.getNode(), (error as Error).message);
				}
				const readParameter = (name: string, fallback?: unknown) => this.getNodeParameter(name, fallback as never);
				try {
					conditionsFrom(readParameter);
					const repeats =
						readParameter('dropRepeats', false) === true
							? repeatsFrom(choice, readParameter, { workflowId: this.getWorkflow().id || 'unsaved' })
							: undefined;
					if (repeats?.shortWindowNotice) this.logger.warn(`Signed Webhook Trigger "${this.getNode().name}": ${repeats.shortWindowNotice}`);
					if (repeats?.failOpen) {
						this.logger.warn(
							`Signed Webhook Trigger "${this.getNode().name}": Drop Repeated Deliveries fails open: while its store is unreachable, repeats run the workflow again.`,
						);
					}
				} catch (error) {
					throw new NodeOperationError(this.getNode(), (error as Error).message);
				}
				if (readParameter('reportOnly', false) === true) {
					this.logger.warn(
						`Signed Webhook Trigger "${this.getNode().name}": Report-Only Verification is on: requests that fail verification run the workflow.`,
					);
				}
				const providerOptions = providerOptionsFrom(choice, (name, fallback) => this.getNodeParameter(name, fallback as never));
				const secrets = await loadCredentialSecrets(this, choice, providerOptions);
				secrets.forEach((secret, index) => {
					if (index > 0 && secret === '') return; // an unused rotation slot
					const result = checkActivationSecret(choice, secret, providerOptions);
					if (!result.ok) {
						throw new NodeOperationError(this.getNode(), `Credential: ${credentialFieldLabel(index, choice)} ${result.problem}`);
					}
				});
				return true;
			},
			// Nothing to remove at the sender.
			async delete(this: IHookFunctions): Promise<boolean> {
				// A new publication takes the next handshake's secret (Asana issues a new one per webhook).
				if (typeof this.getWorkflowStaticData === 'function') delete this.getWorkflowStaticData('node')[ISSUED_SECRET];
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as WebhookRequest;
		const res = this.getResponseObject() as unknown as ServerResponse;
		try {
			const { outcome, settings } = await processRequest(this, req);
			return await respondToOutcome(this, outcome, settings, req, res);
		} catch (error) {
			// Never throw from webhook(): n8n would answer 500 AND store a failed execution.
			this.logger.error(`Signed Webhook Trigger could not handle a request: ${(error as Error).message}`);
			writeJson(res, 500, { error: 'misconfigured', message: 'The webhook is not configured correctly.' });
			return { noWebhookResponse: true };
		}
	}

}

/** Resolved settings and secrets of each trigger node in this process: no credential load per request. */
export const triggerSettingsCache = new NodeSettingsCache<TriggerSettings, CredentialMaterial>();

/** Rejections: every one at debug level, the first per node and minute also at info. */
const rejectionLog = new RejectionLogThrottle();

async function processRequest(
	context: IWebhookFunctions,
	req: WebhookRequest,
): Promise<{ outcome: PipelineOutcome; settings: TriggerSettings }> {
	const node = context.getNode();
	const nodeKey = `${context.getWorkflow().id ?? ''}:${node.id}`;
	const entry = triggerSettingsCache.resolve(nodeKey, nodeFingerprint(node), () => resolveTriggerSettings(context, nodeKey));
	const { settings } = entry;
	const cached = entry.secrets;

	const outcome = await runPipeline(
		{
			...settings.pipeline,
			...(cached
				? { secrets: cached.secrets, providerOptions: cached.providerOptions }
				: {
						loadCredential: async () =>
							await entry.loadSecrets(async () => {
								const providerOptions = { ...settings.pipeline.providerOptions };
								const secrets = await loadCredentialSecrets(context, settings.providerChoice, providerOptions);
								return { secrets, providerOptions };
							}),
					}),
			...(settings.backpressure && { backpressure: backpressureCheck(context, settings.backpressure) }),
			...(settings.repeats && { repeats: repeatCheck(context, settings.repeats) }),
			conditions: settings.conditions,
			reportOnly: settings.reportOnly,
			// Only for a provider whose handshake hands over its secret: others never touch static data per request.
			...(providerChoice(settings.providerChoice)?.provider.issuesSecret && { issuedSecrets: issuedSecretStore(context) }),
		},
		{
			method: req.method ?? 'GET',
			clientIp: req.ip ?? req.socket?.remoteAddress,
			headers: req.headers,
			query: (req.query ?? {}) as IDataObject,
			url: signedUrl({
				publicUrl: settings.publicUrl,
				webhookUrl: settings.publicUrl === '' ? modeWebhookUrl(context, settings) : undefined,
				requestTarget: req.originalUrl ?? req.url ?? '/',
				host: req.headers.host,
			}),
			contentType: req.headers['content-type'],
			parsedBody: req.body,
			readBody: async () => {
				if (Buffer.isBuffer(req.rawBody)) return req.rawBody;
				if ((req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/')) return undefined;
				if (typeof req.readRawBody === 'function') await req.readRawBody();
				return Buffer.isBuffer(req.rawBody) ? req.rawBody : undefined;
			},
		},
		verifier,
	);
	return { outcome, settings };
}

/** Static data key (per node) of a secret handed over in a handshake (Asana's X-Hook-Secret). */
const ISSUED_SECRET = 'issuedSecret';

/**
 * Keeps an issued secret in the node's workflow static data: n8n stores it in its database with the workflow (saved
 * after an answer without an execution), so it survives a restart, and in queue mode every webhook process reads the
 * workflow, static data included, from the database. Cleared when the workflow is unpublished.
 */
function issuedSecretStore(context: IWebhookFunctions): IssuedSecretStore {
	const data = context.getWorkflowStaticData('node');
	return {
		current: () => (typeof data[ISSUED_SECRET] === 'string' && data[ISSUED_SECRET] !== '' ? (data[ISSUED_SECRET] as string) : undefined),
		keep: (secret) => {
			if (typeof data[ISSUED_SECRET] === 'string' && data[ISSUED_SECRET] !== '') return false;
			data[ISSUED_SECRET] = secret;
			return true;
		},
	};
}

/** Store errors already logged, once per message: a Redis outage is not logged per request. */
const loggedStoreErrors = new Set<string>();

/**
 * The pipeline's view of the destination's circuit. The store is opened once per cached settings; when it cannot be
 * read (Redis down), deliveries are accepted as usual and the problem is logged once: backpressure never loses one.
 */
function backpressureCheck(context: IWebhookFunctions, backpressure: BackpressureSettings): BackpressureCheck {
	return {
		destination: backpressure.destinationKey,
		senderRetries: backpressure.senderRetries,
		inspect: async (): Promise<CircuitView> => {
			try {
				backpressure.opened ??= openStore(context, backpressure);
				const store = await backpressure.opened.catch((error: unknown) => {
					backpressure.opened = undefined; // try again on the next request
					throw error;
				});
				return await store.inspect(backpressure.destinationKey);
			} catch (error) {
				// Not kept bound to a client that may have given up reconnecting: the next request asks the pool again.
				backpressure.opened = undefined;
				logStoreErrorOnce(context, `backpressure cannot read the circuit store (${(error as Error).message}); accepting deliveries as usual`);
				return { state: 'closed' };
			}
		},
	};
}

/**
 * The pipeline's view of the repeat store: the Dedupe node's built-in store of the scope (shared with Dedupe nodes in
 * this process, persisted in the workflow's static data as they persist it), or Redis under the Dedupe credential's
 * prefix. A store outage becomes the answer the settings ask for (503 or fail open, logged once per distinct error).
 */
function repeatCheck(context: IWebhookFunctions, repeats: RepeatSettings): RepeatCheck {
	return {
		keySource: repeats.keySource,
		decide: async (key, now) => {
			const request = repeatRequest(repeats.mode, scopedStorageKey(repeats.scope, key), repeats.windowMs, repeats.leaseMs);
			let outcome: DedupeOutcome;
			if (repeats.store === 'builtIn') {
				outcome = applyBuiltIn(context, repeats, request);
			} else {
				try {
					repeats.opened ??= openRepeatStore(context);
					const store = await repeats.opened.catch((error: unknown) => {
						repeats.opened = undefined; // try again on the next request
						throw error;
					});
					[outcome] = await store.apply([request]);
				} catch (error) {
					// Not kept bound to a client that may have given up reconnecting: the next request asks the pool again.
					repeats.opened = undefined;
					const decision = repeatStoreFailure(error, key, repeats.failOpen, request.op === 'claim');
					logStoreErrorOnce(context, `Drop Repeated Deliveries cannot reach its store (${(error as Error).message}); ${repeats.failOpen ? 'failing open: the workflow runs' : 'answering 503 with Retry-After'}`);
					return decision;
				}
			}
			return repeatDecision(outcome, key, { now, windowMs: repeats.windowMs, leaseMs: repeats.leaseMs });
		},
	};
}

/** Views put into static data, one per built-in store (any view serialises the store's state when n8n saves). */
const repeatViews = new WeakMap<MemoryDedupeStore, ReturnType<typeof persistentView>>();

/**
 * One request on the built-in store, with no await between hydration, check and write (atomic in this process).
 * Static data is read only to hydrate once after a start, and written only when the store changed: n8n saves it after
 * the webhook call, so a recorded key survives a restart; a repeat writes nothing.
 */
function applyBuiltIn(context: IWebhookFunctions, repeats: RepeatSettings, request: Parameters<MemoryDedupeStore['applySync']>[0][number]): DedupeOutcome {
	const { scope } = repeats;
	const workflowId = context.getWorkflow().id || 'unsaved';
	const store = builtInStores.getKeepingSize(scope.id, DEFAULT_MAX_KEYS);
	if (!builtInStores.hasMerged(scope.id, workflowId)) {
		builtInStores.hydrateOnce(scope.id, workflowId, context.getWorkflowStaticData(scope.staticDataType)[scope.staticDataProperty]);
	}
	const [outcome] = store.applySync([request]);
	// A new key: hand it to n8n's save after this call. n8n 2.x resets the static-data change flag when it creates the
	// execution this key starts, so that save can be skipped: the next answer without an execution (a repeat, or any
	// rejection, see persistBuiltInRepeats) hands the store over again while this process's saves are behind it.
	if (outcome.status === 'new' || outcome.status === 'duplicate') persistRepeatKeys(context, repeats, store, outcome.status === 'new');
	return outcome;
}

/** Per workflow and built-in store: the store version last handed to a save with no execution after it. */
const handedOver = new Map<string, number>();

/**
 * Puts the live view of the built-in store into the workflow's static data, which marks it changed so that n8n saves
 * it after this webhook call: always after a new key (`force`), else only when the store changed since the last
 * hand-over in a call without an execution. Cheap when nothing changed: one map look-up, no static data access.
 */
function persistRepeatKeys(context: IWebhookFunctions, repeats: RepeatSettings, store: MemoryDedupeStore, force: boolean): void {
	const slot = `${context.getWorkflow().id ?? ''}\u0000${repeats.scope.id}`;
	if (!force && handedOver.get(slot) === store.version) return;
	let view = repeatViews.get(store);
	if (!view) repeatViews.set(store, (view = persistentView(store)));
	context.getWorkflowStaticData(repeats.scope.staticDataType)[repeats.scope.staticDataProperty] = view as unknown as IDataObject;
	// Only a call without an execution is sure to be saved (see applyBuiltIn).
	if (!force) {
		if (handedOver.size > 1000) handedOver.clear();
		handedOver.set(slot, store.version);
	}
}

/** On an answer without an execution: hand the built-in store over if this process's saves are behind it. */
function persistBuiltInRepeats(context: IWebhookFunctions, settings: TriggerSettings): void {
	const repeats = settings.repeats;
	if (repeats?.store !== 'builtIn') return;
	const store = builtInStores.getKeepingSize(repeats.scope.id, DEFAULT_MAX_KEYS);
	if (builtInStores.hasMerged(repeats.scope.id, context.getWorkflow().id || 'unsaved')) persistRepeatKeys(context, repeats, store, false);
}

async function openRepeatStore(context: IWebhookFunctions): Promise<DedupeStore> {
	const { keyPrefix, ...connection } = redisSettingsFromCredential(await context.getCredentials('dedupeRedisApi'));
	return new RedisDedupeStore(await sharedRedisPool.acquire(connection), { keyPrefix, endpoint: describeEndpoint(connection) });
}

/** Logs a store error once per kind (and outcome), so an outage does not write a line per request. */
function logStoreErrorOnce(context: IWebhookFunctions, message: string): void {
	// The client's state (connecting, reconnecting, ...) changes during one outage; it does not make a new error.
	const kind = message.replace(/ \(connection [a-z]+\)/g, '');
	if (loggedStoreErrors.has(kind)) return;
	if (loggedStoreErrors.size > 100) loggedStoreErrors.clear();
	loggedStoreErrors.add(kind);
	context.logger.warn(`Signed Webhook Trigger: ${message}`);
}

/** The Reliable HTTP Forward's store for the same circuits: the built-in one, or Redis under the same key prefix. */
async function openStore(context: IWebhookFunctions, backpressure: BackpressureSettings): Promise<CircuitReader> {
	if (backpressure.store === 'builtIn') return builtInDestinationStore;
	const settings = redisSettingsFromCredential(await context.getCredentials('dedupeRedisApi'));
	return new RedisDestinationStore(await sharedRedisPool.acquire(settings), {
		keyPrefix: destinationKeyPrefix(settings.keyPrefix),
		endpoint: describeEndpoint(settings),
	});
}

/** Sends a rejection or handshake answer itself, or hands n8n the output item of a verified call. */
async function respondToOutcome(
	context: IWebhookFunctions,
	outcome: PipelineOutcome,
	settings: TriggerSettings,
	req: WebhookRequest,
	res: ServerResponse,
): Promise<IWebhookResponseData> {
	if (outcome.type === 'reject') {
		const { status, body, headers } = outcome.response;
		writeJson(res, status, body, headers);
		persistBuiltInRepeats(context, settings);
		const line = `Signed Webhook Trigger rejected a request: ${body.error} (${status}) from ${req.ip ?? 'unknown'}; ${outcome.detail}`;
		const loudness = rejectionLog.next(settings.nodeKey, Date.now(), savedReason(body.error));
		if (!loudness.info) context.logger.debug(line);
		else if (loudness.suppressedSince === 0) context.logger.info(line);
		else {
			const counts = loudness.byReason ? `: ${formatReasonCounts(loudness.byReason)}` : '';
			context.logger.info(`${line} (and ${loudness.suppressedSince} more without an execution since the last such line, logged at debug level${counts})`);
		}
		return { noWebhookResponse: true };
	}
	if (outcome.type === 'respond') {
		context.logger.info(`Signed Webhook Trigger answered a handshake: ${outcome.detail} (${outcome.status})`);
		res.writeHead(outcome.status, outcome.headers);
		res.end(outcome.status === 204 ? undefined : outcome.body);
		return { noWebhookResponse: true };
	}

	const item: INodeExecutionData = { json: outcome.json as unknown as IDataObject };
	if (settings.rawBodyAsBinary) {
		const mimeType = (outcome.contentType ?? 'application/octet-stream').split(';')[0].trim();
		item.binary = { data: await context.helpers.prepareBinaryData(outcome.rawBody, undefined, mimeType) };
	}
	return { workflowData: [[item]] };
}

function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	if (res.headersSent) return;
	res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
	res.end(JSON.stringify(body));
}

/** The credential field holding secret number `index` (0 = current), as the credential dialog names it. */
function credentialFieldLabel(index: number, choice: string): string {
	if (usesPublicKey(choice)) return index === 0 ? 'Public Key' : 'Previous Public Key';
	return ['Current Secret', 'Previous Secret', 'Older Secret'][index] ?? `Secret ${index + 1}`;
}

/**
 * The credential's secrets, current first, then previous ones (their positions are the secretIndex in the output).
 * Meta-style verify tokens go into `providerOptions.verifyToken`.
 */
async function loadCredentialSecrets(
	context: IWebhookFunctions | IHookFunctions,
	choice: string,
	providerOptions?: Record<string, unknown>,
): Promise<string[]> {
	if (usesPublicKey(choice)) {
		const data = await context.getCredentials<{ publicKey?: string; previousPublicKey?: string }>('webhookPublicKeyApi');
		return [data.publicKey ?? '', data.previousPublicKey ?? ''].filter((value, index) => index === 0 || value !== '');
	}
	const data = await context.getCredentials<{
		secret?: string;
		previousSecret?: string;
		olderSecret?: string;
		verifyToken?: string;
	}>('webhookSigningSecretApi');
	if (providerOptions && data.verifyToken) providerOptions.verifyToken = data.verifyToken;
	// Keep positions stable: an empty previous secret keeps its slot so "Older Secret" is always index 2.
	const secrets = [data.secret ?? '', data.previousSecret ?? '', data.olderSecret ?? ''];
	while (secrets.length > 1 && secrets[secrets.length - 1] === '') secrets.pop();
	return secrets;
}

/** n8n's webhook URL for the request's mode, built once per cached node and mode. */
function modeWebhookUrl(context: IWebhookFunctions, settings: TriggerSettings): string | undefined {
	const mode = isTestRequest(context) ? 'test' : 'production';
	let url = settings.webhookUrls[mode];
	if (url === undefined) {
		try {
			url = webhookUrlForMode(context, mode === 'test') ?? null;
		} catch {
			url = null; // the Host header then
		}
		settings.webhookUrls[mode] = url;
	}
	return url ?? undefined;
}
