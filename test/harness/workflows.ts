/**
 * Builders for the workflow and credential JSON the end-to-end tests import into n8n (the shape of n8n's
 * `import:workflow` / `import:credentials` files), so a test names only what it is about.
 *
 *   const secret = credential('webhookSigningSecretApi', 'e2eGithubSecret1', 'e2e github', { secret: '...' });
 *   const wf = workflow('e2eGithubFlow001', 'e2e github', [signedWebhookTrigger({ path: 'gh', provider: 'github' }, { credential: secret })]);
 */
import { packageName } from './n8n';

/** Node type names of this package and of the n8n built-ins the tests use. */
export const nodeType = {
	signedWebhookTrigger: `${packageName}.signedWebhookTrigger`,
	dedupe: `${packageName}.dedupe`,
	reliableHttpForward: `${packageName}.reliableHttpForward`,
	webhook: 'n8n-nodes-base.webhook',
	noOp: 'n8n-nodes-base.noOp',
	respondToWebhook: 'n8n-nodes-base.respondToWebhook',
	httpRequest: 'n8n-nodes-base.httpRequest',
} as const;

/** One credential as `n8n import:credentials` reads it (its data in plain text; n8n encrypts it on import). */
export interface CredentialJson {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export function credential(type: string, id: string, name: string, data: Record<string, unknown>): CredentialJson {
	return { id, name, type, data };
}

/** A node's `credentials` field pointing at `cred`: `{ [type]: { id, name } }`. */
export function credentialRef(cred: Pick<CredentialJson, 'id' | 'name' | 'type'>): Record<string, { id: string; name: string }> {
	return { [cred.type]: { id: cred.id, name: cred.name } };
}

/** One node of a workflow. `webhookId` fixes the node's webhook id (otherwise the harness derives a stable one). */
export interface NodeJson {
	parameters: Record<string, any>;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	webhookId?: string;
	credentials?: Record<string, { id: string; name: string }>;
	[key: string]: unknown;
}

export interface NodeOptions {
	name?: string;
	typeVersion?: number;
	position?: [number, number];
	webhookId?: string;
	/** The credential the node uses (its slot is the credential's type). */
	credential?: Pick<CredentialJson, 'id' | 'name' | 'type'>;
}

/** A node of `type` with `parameters`, named `options.name`; version 1 at [0, 0] unless `options` say otherwise. */
export function node(type: string, parameters: Record<string, unknown>, options: NodeOptions & { name: string }): NodeJson {
	return {
		parameters,
		name: options.name,
		type,
		typeVersion: options.typeVersion ?? 1,
		position: options.position ?? [0, 0],
		...(options.webhookId === undefined ? {} : { webhookId: options.webhookId }),
		...(options.credential ? { credentials: credentialRef(options.credential) } : {}),
	};
}

/** The Signed Webhook Trigger ("Signed Webhook Trigger", version 1 unless told); `options: {}` unless given. */
export function signedWebhookTrigger(parameters: Record<string, unknown>, options: NodeOptions = {}): NodeJson {
	return node(nodeType.signedWebhookTrigger, { options: {}, ...parameters }, { name: 'Signed Webhook Trigger', ...options });
}

/** n8n's own Webhook node (version 2, "Webhook") on POST `path`; `parameters` add to or replace the defaults. */
export function webhookNode(path: string, parameters: Record<string, unknown> = {}, options: NodeOptions = {}): NodeJson {
	return node(nodeType.webhook, { httpMethod: 'POST', path, responseMode: 'onReceived', options: {}, ...parameters }, { name: 'Webhook', typeVersion: 2, ...options });
}

/** A No Operation node: a named end of a branch. */
export function noOp(name: string, position: [number, number]): NodeJson {
	return node(nodeType.noOp, {}, { name, position });
}

/**
 * The `connections` entry of one node: output i goes to the node(s) named in `outputs[i]` (a name, a list of names,
 * or an empty list for an output connected to nothing).
 */
export function connect(...outputs: Array<string | string[]>): { main: Array<Array<{ node: string; type: 'main'; index: number }>> } {
	return { main: outputs.map((to) => (Array.isArray(to) ? to : [to]).map((name) => ({ node: name, type: 'main' as const, index: 0 }))) };
}

/** One workflow as `n8n import:workflow` reads it; the harness fills in what is left out and publishes it. */
export interface WorkflowJson {
	id: string;
	name: string;
	nodes: NodeJson[];
	connections: Record<string, ReturnType<typeof connect>>;
	[key: string]: unknown;
}

export function workflow(id: string, name: string, nodes: NodeJson[], connections: WorkflowJson['connections'] = {}, extra: Record<string, unknown> = {}): WorkflowJson {
	return { id, name, nodes, connections, ...extra };
}

/**
 * Webhook → `middle` → "Delivered"/"Dead Letter" (or any two named ends): the two-output chains the Dedupe and Forward
 * end-to-end tests repeat. Output 0 of `middle` goes to `ends[0]`, output 1 to `ends[1]`.
 */
export function webhookTwoWayWorkflow(
	id: string,
	name: string,
	webhook: NodeJson,
	middle: NodeJson,
	ends: [string, string],
): WorkflowJson {
	return workflow(
		id,
		name,
		[webhook, middle, noOp(ends[0], [440, -100]), noOp(ends[1], [440, 100])],
		{ [webhook.name]: connect(middle.name), [middle.name]: connect(ends[0], ends[1]) },
	);
}
