/**
 * ADAPTER TEST HARNESS (not a real n8n): a real Express 5 server on 127.0.0.1 that hands real HTTP requests to
 * SignedWebhookTrigger.webhook() through n8n-core's own WebhookContext, the way n8n's webhook handler does:
 *  - Express settings as n8n sets them ('query parser' extended, 'trust proxy' = N8N_PROXY_HOPS);
 *  - the body is read and parsed before webhook() as n8n's body parser does for a typeVersion-1 node
 *    (rawBody = exact bytes; JSON/form/text parsed into req.body; multipart left unread);
 *  - the webhook's registered methods, response code and response data come from evaluating the node's webhook
 *    description expressions with n8n-workflow's expression engine;
 *  - "an execution" is counted exactly where n8n starts one: when webhook() returns workflowData;
 *  - /webhook/<path> runs in production mode ('webhook'), /webhook-test/<path> in test mode ('manual', isTest), with
 *    n8n's per-mode base URLs built from `publicBaseUrl` the way n8n builds them from WEBHOOK_URL.
 * Credentials come from an in-memory helper (n8n would decrypt them from its database). The real-n8n run, with
 * executions counted in n8n's database, is test/e2e/trigger.e2e.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseQueryString } from 'node:querystring';
import type { Server } from 'node:http';

// n8n-core's InstanceSettings reads/creates <N8N_USER_FOLDER>/.n8n: keep it in a temp dir, before n8n-core loads.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'signed-trigger-n8n-'));

/* eslint-disable @typescript-eslint/no-require-imports */
const express = require('express');
const { Container } = require('@n8n/di');
const { Logger } = require('@n8n/backend-common');
const { WebhookContext } = require('n8n-core');
const { NodeHelpers, Workflow } = require('n8n-workflow');
/* eslint-enable @typescript-eslint/no-require-imports */

import type { INode, INodeExecutionData, INodeType, IWebhookResponseData } from 'n8n-workflow';
import { SignedWebhookTrigger } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';

export const NODE_TYPE = 'n8n-nodes-reliable-webhooks.signedWebhookTrigger';

/** Every line the node logged, so tests can assert no secret ever appears in one. */
export const logLines: string[] = [];
const capture =
	(level: string) =>
	(message: string, meta?: unknown): void => {
		logLines.push(`${level} ${message}${meta ? ' ' + JSON.stringify(meta) : ''}`);
	};
const capturingLogger = {
	error: capture('error'),
	warn: capture('warn'),
	info: capture('info'),
	debug: capture('debug'),
	scoped: () => capturingLogger,
};
Container.set(Logger, capturingLogger);

export interface WebhookCall {
	method: string;
	status: number;
	/** What webhook() returned; `workflowData` present = n8n would have started an execution. */
	result: IWebhookResponseData;
}

export interface TriggerServer {
	baseUrl: string;
	/** The production URL: /webhook/<path>. */
	url: string;
	/** The test URL: /webhook-test/<path> (n8n's "Listen for test event"). */
	testUrl: string;
	calls: WebhookCall[];
	/** Items of the executions n8n would have started, one entry per execution. */
	executions: INodeExecutionData[][];
	close(): Promise<void>;
}

export interface TriggerServerOptions {
	parameters: Record<string, unknown>;
	credentials: Record<string, Record<string, unknown>>;
	/** Express 'trust proxy' hop count, as n8n sets it from N8N_PROXY_HOPS. */
	proxyHops?: number;
	workflowId?: string;
	/**
	 * n8n's WEBHOOK_URL (with its trailing slash), e.g. `https://hooks.example.test/n8n/` for n8n behind a proxy
	 * under a path; n8n's webhook URLs are built from it. Default: this server's own address.
	 */
	publicBaseUrl?: string;
}

function multipart(contentType: string | undefined): boolean {
	return (contentType ?? '').toLowerCase().startsWith('multipart/');
}

/** What n8n's body parser does for a typeVersion-1 node before webhook() (middlewares/body-parser.ts). */
async function n8nBodyParser(req: any): Promise<void> {
	req.readRawBody = async () => {
		if (req.rawBody) return;
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		req.rawBody = Buffer.concat(chunks);
	};
	const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (multipart(contentType)) return;
	await req.readRawBody();
	if (!req.rawBody.length) return;
	const text = req.rawBody.toString('utf8').replace(/^\uFEFF/, '');
	if (contentType === 'application/json') req.body = JSON.parse(text);
	else if (contentType === 'application/x-www-form-urlencoded') req.body = parseQueryString(text);
	else if (contentType === 'text/plain') req.body = text;
}

export async function startTriggerServer(options: TriggerServerOptions): Promise<TriggerServer> {
	const nodeType: INodeType = new SignedWebhookTrigger();
	const description = nodeType.description;
	const nodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};

	const credentialsDescriptions = description.credentials ?? [];
	const node: INode = {
		id: 'c0ffee00-0000-4000-8000-000000000001',
		name: 'Signed Webhook Trigger',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'f00dfeed-0000-4000-8000-000000000002',
		parameters: {},
		credentials: Object.fromEntries(
			credentialsDescriptions.map((c) => [c.name, { id: `cred-${c.name}`, name: c.name }]),
		),
	};
	// The same defaulting n8n applies when a workflow is saved.
	node.parameters = NodeHelpers.getNodeParameters(description.properties, options.parameters, true, false, node, description);

	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-adapter-test',
		name: 'adapter test',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes,
		settings: {},
	});
	const webhookDescription = description.webhooks![0];
	const evaluate = (field: string, fallback: unknown) =>
		workflow.expression.getSimpleParameterValue(node, webhookDescription[field], 'internal', {}, undefined, fallback);
	const evaluateComplex = (field: string, fallback: unknown) =>
		workflow.expression.getComplexParameterValue(node, webhookDescription[field], 'internal', {}, undefined, undefined, fallback);
	const path = String(evaluate('path', '') || node.webhookId);
	const registeredMethods = String(evaluate('httpMethod', 'GET')).split(',').map((m) => m.trim());

	const calls: WebhookCall[] = [];
	const executions: INodeExecutionData[][] = [];

	const app = express();
	app.disable('x-powered-by');
	app.set('query parser', 'extended');
	if (options.proxyHops) app.set('trust proxy', options.proxyHops);

	let baseUrl = '';
	const handle = (endpoint: 'webhook' | 'webhook-test') => async (req: any, res: any) => {
		const test = endpoint === 'webhook-test';
		const requestedPath = req.path.slice(`/${endpoint}/`.length);
		if (requestedPath !== path || !registeredMethods.includes(req.method)) {
			// n8n's own answer for an unregistered method/path: 404, no execution.
			res.status(404).json({ code: 404, message: `The requested webhook "${req.method} ${requestedPath}" is not registered.` });
			return;
		}
		try {
			await n8nBodyParser(req);
		} catch {
			res.status(422).json({ code: 422, message: 'Failed to parse request body' });
			return;
		}
		// n8n: WEBHOOK_URL (trailing slash ensured) + endpoint, for both modes (services/url.service.ts).
		const urlBase = options.publicBaseUrl ?? `${baseUrl}/`;
		const additionalData = {
			httpRequest: req,
			httpResponse: res,
			webhookBaseUrl: `${urlBase}webhook`,
			webhookTestBaseUrl: `${urlBase}webhook-test`,
			restApiUrl: `${baseUrl}/rest`,
			instanceBaseUrl: baseUrl,
			variables: {},
			credentialsHelper: {
				isCredentialUsableByNode: () => true,
				getDecrypted: async (_additional: unknown, _nodeCredentials: unknown, type: string) => {
					const data = options.credentials[type];
					if (!data) throw new Error(`No credentials of type ${type}`);
					return { ...data };
				},
			},
		};
		const webhookData = {
			httpMethod: req.method,
			node: node.name,
			path,
			webhookDescription,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			...(test ? { isTest: true } : {}),
		};
		const context = new WebhookContext(workflow, node, additionalData, test ? 'manual' : 'webhook', webhookData, [], null);
		let result: IWebhookResponseData;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			// n8n answers 500 AND starts a failed execution when webhook() throws; count it so tests catch it.
			executions.push([{ json: { thrown: (error as Error).message } }]);
			if (!res.headersSent) res.status(500).json({ code: 0, message: 'Workflow could not be started!' });
			calls.push({ method: req.method, status: 500, result: { workflowData: [[{ json: {} }]] } });
			return;
		}
		if (result.workflowData) {
			executions.push(result.workflowData[0]);
			if (!res.headersSent && !result.noWebhookResponse) {
				// responseMode onReceived: n8n answers with the described code and data once the execution started.
				const code = Number(evaluate('responseCode', 200));
				const data = evaluateComplex('responseData', 'firstEntryJson');
				if (data === 'noData') res.status(code).end();
				else if (typeof data === 'object' && data !== null) res.status(code).json(data);
				else if (data && data !== 'firstEntryJson') res.status(code).send(String(data));
				else res.status(code).json({ message: 'Workflow was started' });
			}
		} else if (!result.noWebhookResponse && !res.headersSent) {
			res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
		}
		calls.push({ method: req.method, status: res.statusCode, result });
	};
	app.all('/webhook/{*rest}', handle('webhook'));
	app.all('/webhook-test/{*rest}', handle('webhook-test'));

	const server: Server = await new Promise((resolve) => {
		const s = app.listen(0, '127.0.0.1', () => resolve(s));
	});
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		baseUrl,
		url: `${baseUrl}/webhook/${path}`,
		testUrl: `${baseUrl}/webhook-test/${path}`,
		calls,
		executions,
		close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
	};
}
