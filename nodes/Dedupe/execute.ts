import {
	NodeOperationError,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import {
	dedupeScope,
	DEFAULT_MAX_KEYS,
	DEFAULT_STORE_OUTAGE_WAIT_SECONDS,
	DedupeConfigurationError,
	durationMs,
	failedItemRoute,
	failOpenClaimToken,
	hashFields,
	hashValue,
	MemoryStoreRegistry,
	normaliseKey,
	onMissingKey as missingKeyAction,
	onStoreFailure,
	outputForOutcome,
	persistentView,
	RedisDedupeStore,
	redisEvictionWarning,
	resultInfo,
	retryWhileStoreUnavailable,
	scopedStorageKey,
	sharedRedisPool,
	storeFailureMessage,
	waitsOutStoreOutage,
	type DedupeOperation,
	type DedupeOutcome,
	NEW_OUTPUT,
	type DedupeOutput,
	type DedupeRequest,
	type DedupeResultInfo,
	type DedupeScope,
	type DedupeStore,
	type MemoryDedupeStore,
	type RedisConnectionSettings,
} from '../core/dedupe';
import { runsInQueueMode } from './queueMode';

/** Built-in stores of this n8n process: one per scope, shared by every execution. */
export const builtInStores = new MemoryStoreRegistry();
const persistentViews = new WeakMap<MemoryDedupeStore, ReturnType<typeof persistentView>>();
/** Redis connections whose eviction warning is already in n8n's log (once per connection, not per execution). */
const evictionWarningLogged = new WeakSet<object>();

/**
 * A Redis whose eviction policy can drop dedupe keys: logged once per connection (n8n log, warn level) and
 * shown as a warning hint on the node's output in every execution that uses it.
 */
function reportEvictionRisk(ctx: IExecuteFunctions, client: object, warning: string | undefined): void {
	if (warning === undefined) return;
	if (!evictionWarningLogged.has(client)) {
		evictionWarningLogged.add(client);
		ctx.logger?.warn(`Dedupe node "${ctx.getNode().name}": ${warning}`);
	}
	// Optional: older test contexts and n8n versions without execution hints simply skip it.
	ctx.addExecutionHints?.({ message: warning, type: 'warning', location: 'outputPane' });
}

/** The Dedupe Redis credential's fields as connection settings and the key prefix (default `n8n:dedupe:`). */
export function redisSettingsFromCredential(data: ICredentialDataDecryptedObject): RedisConnectionSettings & { keyPrefix: string } {
	return {
		host: String(data.host ?? 'localhost'),
		port: Number(data.port ?? 6379),
		database: Number(data.database ?? 0),
		user: data.user ? String(data.user) : undefined,
		password: data.password ? String(data.password) : undefined,
		tls: data.tls === true,
		tlsRejectUnauthorized: data.tlsRejectUnauthorized !== false,
		keyPrefix: typeof data.prefix === 'string' ? data.prefix : 'n8n:dedupe:',
	};
}

function resolveScope(ctx: IExecuteFunctions): DedupeScope {
	try {
		return dedupeScope(ctx.getNodeParameter('scope', 0) as string, {
			workflowId: ctx.getWorkflow().id || 'unsaved',
			nodeId: ctx.getNode().id,
			namespace: String(ctx.getNodeParameter('namespace', 0, '')),
		});
	} catch (error) {
		if (error instanceof DedupeConfigurationError) throw new NodeOperationError(ctx.getNode(), error.message);
		throw error;
	}
}

function durationParameterMs(ctx: IExecuteFunctions, amountName: string, unitName: string, itemIndex: number): number {
	try {
		return durationMs(Number(ctx.getNodeParameter(amountName, itemIndex)), ctx.getNodeParameter(unitName, itemIndex) as string, amountName);
	} catch (error) {
		if (error instanceof DedupeConfigurationError) throw new NodeOperationError(ctx.getNode(), error.message, { itemIndex });
		throw error;
	}
}

function deriveKey(ctx: IExecuteFunctions, operation: DedupeOperation, item: INodeExecutionData, itemIndex: number): string | undefined {
	if (operation === 'confirm' || operation === 'release') return normaliseKey(ctx.getNodeParameter('key', itemIndex, ''));
	const source = ctx.getNodeParameter('keySource', itemIndex) as string;
	if (source === 'item') return hashValue(item.json);
	if (source === 'fields') {
		const fields = String(ctx.getNodeParameter('fields', itemIndex, '')).split(',');
		if (fields.every((field) => field.trim() === '')) {
			throw new NodeOperationError(ctx.getNode(), 'Name at least one field to hash in "Fields to Hash"', { itemIndex });
		}
		return hashFields(item.json, fields);
	}
	return normaliseKey(ctx.getNodeParameter('key', itemIndex, ''));
}

function buildRequest(ctx: IExecuteFunctions, operation: DedupeOperation, scopedKey: string, itemIndex: number): DedupeRequest {
	switch (operation) {
		case 'checkAndRecord':
			return { op: operation, key: scopedKey, ttlMs: durationParameterMs(ctx, 'window', 'windowUnit', itemIndex) };
		case 'claim':
			return { op: operation, key: scopedKey, leaseMs: durationParameterMs(ctx, 'lease', 'leaseUnit', itemIndex) };
		case 'confirm':
		case 'release': {
			const token = String(ctx.getNodeParameter('claimToken', itemIndex, '') ?? '');
			if (token.trim() === '') {
				throw new NodeOperationError(ctx.getNode(), `${operation === 'confirm' ? 'Confirm' : 'Release'} needs the claim token that Claim put out`, {
					itemIndex,
					description: 'Map "Claim Token" to the dedupe.claimToken field of the Claim node\'s output.',
				});
			}
			return operation === 'confirm'
				? { op: operation, key: scopedKey, token, ttlMs: durationParameterMs(ctx, 'window', 'windowUnit', itemIndex) }
				: { op: operation, key: scopedKey, token };
		}
	}
}

/**
 * The built-in store for this scope, hydrated from the workflow's static data on first use in this process.
 * Returns a commit function that, if the batch changed the store, puts a live view into static data so that
 * n8n saves the newest full state when this execution ends.
 */
function builtInStoreFor(ctx: IExecuteFunctions, scope: DedupeScope): { store: MemoryDedupeStore; commit: () => void } {
	const maxKeys = Number(ctx.getNodeParameter('maxKeys', 0, DEFAULT_MAX_KEYS));
	if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new NodeOperationError(ctx.getNode(), '"Max Keys" must be a whole number of at least 1');
	const store = builtInStores.get(scope.id, maxKeys);
	const staticData = ctx.getWorkflowStaticData(scope.staticDataType);
	builtInStores.hydrateOnce(scope.id, ctx.getWorkflow().id || 'unsaved', staticData[scope.staticDataProperty]);
	const versionBefore = store.version;
	return {
		store,
		commit: () => {
			if (store.version === versionBefore) return;
			let view = persistentViews.get(store);
			if (!view) persistentViews.set(store, (view = persistentView(store)));
			staticData[scope.staticDataProperty] = view as unknown as IDataObject;
		},
	};
}

function builtInInQueueModeError(ctx: IExecuteFunctions, itemIndex: number): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		'The built-in store does not work in queue mode: it keeps keys per n8n process, so each worker would dedupe only its own executions. Choose the Redis store.',
		{
			itemIndex,
			description:
				'n8n runs in queue mode here (EXECUTIONS_MODE=queue, or this is an n8n worker). Set "Store" to Redis, with a Redis that every worker reaches. Nothing was recorded for this item.',
		},
	);
}

/** "Wait for an Unreachable Store" in milliseconds (Confirm and Release with Redis). */
function storeOutageWaitMs(ctx: IExecuteFunctions): number {
	const seconds = Number(ctx.getNodeParameter('storeOutageWait', 0, DEFAULT_STORE_OUTAGE_WAIT_SECONDS));
	if (!Number.isFinite(seconds) || seconds < 0) throw new NodeOperationError(ctx.getNode(), '"Wait for an Unreachable Store" must be 0 or more seconds');
	return seconds * 1000;
}

/** An item whose key is known, waiting for the store's answer. */
interface PendingItem {
	itemIndex: number;
	key: string;
	request: DedupeRequest;
}

/** The node's execute(): derives each item's key, asks the store once for the whole batch, routes the items. */
export async function executeDedupe(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const operation = ctx.getNodeParameter('operation', 0) as DedupeOperation;
	const storeType = ctx.getNodeParameter('store', 0) as 'builtIn' | 'redis';
	const onMissingKeySetting = ctx.getNodeParameter('onMissingKey', 0, 'error') as 'error' | 'passAsNew';
	const onStoreError = storeType === 'redis' ? (ctx.getNodeParameter('onStoreError', 0, 'fail') as 'fail' | 'passAsNew') : 'fail';
	const infoField = String(ctx.getNodeParameter('infoField', 0, 'dedupe')).trim() || 'dedupe';
	const scope = resolveScope(ctx);
	const outputs: INodeExecutionData[][] = [[], []];
	// Filled per item so that outputs keep the input order within each branch.
	const results: Array<{ output: DedupeOutput; item: INodeExecutionData } | undefined> = new Array(items.length);

	const routeItem = (itemIndex: number, output: DedupeOutput, info: DedupeResultInfo, error?: NodeOperationError) => {
		const json = { ...items[itemIndex].json, [infoField]: info as unknown as IDataObject };
		if (error) json.error = error.message;
		const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (items[itemIndex].binary) item.binary = items[itemIndex].binary;
		if (error) item.error = error;
		results[itemIndex] = { output, item };
	};
	const failItem = (itemIndex: number, error: NodeOperationError, key?: string) => {
		const route = failedItemRoute(ctx.continueOnFail(), key);
		if (route === 'failNode') throw error;
		routeItem(itemIndex, route.output, route.info, error);
	};

	// A configuration error, not an outage: fail open would silently turn deduplication off, so every item fails.
	if (storeType === 'builtIn' && runsInQueueMode()) {
		for (let itemIndex = 0; itemIndex < items.length; itemIndex++) failItem(itemIndex, builtInInQueueModeError(ctx, itemIndex));
		for (const result of results) if (result) outputs[result.output].push(result.item);
		return outputs;
	}

	const pending: PendingItem[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const key = deriveKey(ctx, operation, items[itemIndex], itemIndex);
			if (key === undefined) {
				if (missingKeyAction(operation, onMissingKeySetting) === 'passAsNew') {
					routeItem(itemIndex, NEW_OUTPUT, { key: null, status: 'noKey' });
					continue;
				}
				throw new NodeOperationError(ctx.getNode(), 'This item has no dedupe key', {
					itemIndex,
					description:
						'The key expression gave nothing (or every field to hash is missing). Fix the key, or set "Item Without a Key" to pass such items as new.',
				});
			}
			pending.push({ itemIndex, key, request: buildRequest(ctx, operation, scopedStorageKey(scope, key), itemIndex) });
		} catch (error) {
			const wrapped = error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
			failItem(itemIndex, wrapped);
		}
	}

	if (pending.length > 0) {
		let outcomes: DedupeOutcome[] | undefined;
		let storeError: Error | undefined;
		if (storeType === 'builtIn') {
			// No await between hydration, the check and the write: atomic within this process.
			const { store, commit } = builtInStoreFor(ctx, scope);
			outcomes = store.applySync(pending.map((p) => p.request));
			commit();
		} else {
			try {
				const credential = await ctx.getCredentials('dedupeRedisApi');
				const settings = redisSettingsFromCredential(credential);
				const { keyPrefix, ...connection } = settings;
				const askRedis = async () => {
					const client = await sharedRedisPool.acquire(connection);
					reportEvictionRisk(ctx, client, redisEvictionWarning(client));
					const store: DedupeStore = new RedisDedupeStore(client, { keyPrefix, endpoint: `${settings.host}:${settings.port} (database ${settings.database})` });
					return await store.apply(pending.map((p) => p.request));
				};
				outcomes = waitsOutStoreOutage(operation) ? await retryWhileStoreUnavailable(askRedis, { budgetMs: storeOutageWaitMs(ctx) }) : await askRedis();
			} catch (error) {
				if (onStoreFailure(error, operation, onStoreError) === 'failNode') throw new NodeOperationError(ctx.getNode(), error as Error);
				storeError = error as Error;
			}
		}
		for (let index = 0; index < pending.length; index++) {
			const { itemIndex, key } = pending[index];
			if (storeError) {
				if (onStoreFailure(storeError, operation, onStoreError) === 'passAsNew') {
					const claimToken = operation === 'claim' ? { claimToken: failOpenClaimToken() } : {};
					routeItem(itemIndex, NEW_OUTPUT, { key, status: 'failOpen', storeError: storeError.message, ...claimToken });
					continue;
				}
				const { message, description } = storeFailureMessage(storeError);
				failItem(itemIndex, new NodeOperationError(ctx.getNode(), message, { itemIndex, description }), key);
				continue;
			}
			const outcome = outcomes![index];
			if (outcome.status === 'refused') {
				const what = operation === 'confirm' ? 'Confirm' : 'Release';
				// Recorded: another run confirmed the key first, so this run did the same work a second time.
				const refusal =
					outcome.state === 'recorded'
						? {
								message: `${what} refused: the key was already recorded as processed by another run; nothing was changed`,
								description:
									'Another run confirmed this key while this run held no claim on it: its lease had lapsed, or its Claim failed open while the store was unreachable. This run\'s work was a second copy; the sender\'s next retry is a duplicate.',
							}
						: {
								message: `${what} refused: the key is held by another claim, not by this claim token`,
								description: 'Only the holder of a claim may confirm or release it. The lease may have expired and another delivery claimed the key since.',
							};
				failItem(itemIndex, new NodeOperationError(ctx.getNode(), refusal.message, { itemIndex, description: refusal.description }), key);
				continue;
			}
			routeItem(itemIndex, outputForOutcome(outcome), resultInfo(outcome, key));
		}
	}

	for (const result of results) if (result) outputs[result.output].push(result.item);
	return outputs;
}
