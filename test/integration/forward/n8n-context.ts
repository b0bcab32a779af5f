/**
 * Runs the Reliable HTTP Forward node's execute() inside n8n-core's real ExecuteContext (the class n8n itself
 * uses): parameters and expressions are resolved by n8n-workflow, HTTP goes through n8n's own request helpers
 * (`httpRequest`, `httpRequestWithAuthentication`), and waits through n8n-workflow's `sleep`. The only stand-in
 * is the credentials store: a small credentials helper that hands over decrypted data and applies the
 * credential's `authenticate`, the way n8n's CredentialsHelper does for a function-style authenticate.
 * n8n-core 2.41.1 declares Node >= 24 but this part of it loads and runs on Node 20.
 */
import { ExecuteContext } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type IExecuteData,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { OutgoingWebhookSigningApi } from '../../../credentials/OutgoingWebhookSigningApi.credentials';
import { ReliableHttpForward } from '../../../nodes/ReliableHttpForward/ReliableHttpForward.node';

export const FAST_RETRIES: INodeParameters = {
	schedule: 'exponential',
	initialDelayMs: 100,
	multiplier: 2,
	maxDelayMs: 2_000,
	jitter: 'none',
	maxAttempts: 5,
};

export interface RunOptions {
	parameters: INodeParameters;
	items: INodeExecutionData[];
	credentials?: ICredentialDataDecryptedObject;
	/** Dedupe Redis credential data, for State Store = Redis. */
	redisCredentials?: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	/** Receives what the node logs (n8n's logger otherwise). */
	logger?: CapturedLogger;
}

/** Lines logged through the context's logger, by level. */
export interface CapturedLogger {
	lines: Array<{ level: string; message: string }>;
}

export const captureLogger = (): CapturedLogger => ({ lines: [] });

const BASE = 'http://127.0.0.1:5678';

export function buildContext({ parameters, items, credentials, redisCredentials, continueOnFail, logger }: RunOptions) {
	const nodeType = new ReliableHttpForward();
	const credentialType = new OutgoingWebhookSigningApi();
	const node: INode = {
		id: 'forward-1',
		name: 'Reliable HTTP Forward',
		type: 'n8n-nodes-reliable-webhooks.reliableHttpForward',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(credentials || redisCredentials
			? {
					credentials: {
						...(credentials ? { outgoingWebhookSigningApi: { id: 'cred-1', name: 'Outgoing signing' } } : {}),
						...(redisCredentials ? { dedupeRedisApi: { id: 'cred-2', name: 'Redis' } } : {}),
					},
				}
			: {}),
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ id: 'wf-forward', name: 'forward', nodes: [node], connections: {}, active: false, nodeTypes });
	const workflowNode = workflow.getNode(node.name)!;
	const additionalData = {
		executionId: 'exec-1',
		restApiUrl: `${BASE}/rest`,
		instanceBaseUrl: `${BASE}/`,
		webhookBaseUrl: `${BASE}/webhook`,
		webhookTestBaseUrl: `${BASE}/webhook-test`,
		webhookWaitingBaseUrl: `${BASE}/webhook-waiting`,
		formWaitingBaseUrl: `${BASE}/form-waiting`,
		variables: {},
		credentialsHelper: {
			getParentTypes: () => [],
			isCredentialUsableByNode: () => true,
			getDecrypted: async (_data: unknown, _nodeCredentials: unknown, type: string) => {
				const found = type === 'dedupeRedisApi' ? redisCredentials : credentials;
				if (!found) throw new Error(`no ${type} credentials configured for this run`);
				return { ...found };
			},
			preAuthentication: async () => undefined,
			authenticate: async (data: ICredentialDataDecryptedObject, _type: string, requestOptions: IHttpRequestOptions) =>
				await credentialType.authenticate(data, requestOptions),
		},
	} as unknown as IWorkflowExecuteAdditionalData;
	const executeData: IExecuteData = { node: workflowNode, data: { main: [items] }, source: null };
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		'manual',
		createRunExecutionData(),
		0,
		items,
		{ main: [items] },
		executeData,
		[],
	);
	if (logger) {
		const log = (level: string) => (message: string) => logger.lines.push({ level, message });
		const capture = { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') };
		Object.defineProperty(context, 'logger', { get: () => capture });
	}
	return { context, nodeType };
}

export async function runForward(options: RunOptions): Promise<{ delivered: INodeExecutionData[]; failed: INodeExecutionData[] }> {
	const { context, nodeType } = buildContext(options);
	const [delivered, failed] = await nodeType.execute.call(context);
	return { delivered, failed };
}

/** `delivery` of an output item, typed loosely for assertions. */
export function deliveryOf(item: INodeExecutionData): Record<string, any> {
	return item.json.delivery as Record<string, any>;
}
