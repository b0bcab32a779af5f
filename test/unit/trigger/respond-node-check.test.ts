import { NodeOperationError } from 'n8n-workflow';

import { engineV2Problem, respondNodeProblem, RESPOND_TO_WEBHOOK_TYPE } from '../../../nodes/SignedWebhookTrigger/respondNodeCheck';
import { SignedWebhookTrigger } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';

const respond = (typeVersion: number, extra: { name?: string; disabled?: boolean } = {}) => ({
	name: extra.name ?? 'Respond to Webhook',
	type: RESPOND_TO_WEBHOOK_TYPE,
	typeVersion,
	disabled: extra.disabled ?? false,
});
const other = { name: 'Dedupe', type: 'n8n-nodes-reliable-webhooks.dedupe', typeVersion: 1, disabled: false };

describe("Respond 'Using Respond to Webhook Node': which Respond to Webhook versions work with this trigger", () => {
	it('accepts version 1 (the one without the Webhook-node check)', () => {
		expect(respondNodeProblem([other, respond(1)])).toBeUndefined();
	});

	it.each([1.1, 1.2, 1.3, 1.4, 1.5])('refuses version %s, naming the node and both ways out', (version) => {
		const problem = respondNodeProblem([other, respond(1), respond(version, { name: 'Answer 202' })]);
		expect(problem).toBe(
			`Respond: "Answer 202" is Respond to Webhook version ${version}, which answers only n8n's own Webhook node. Use version 1 of it (paste it from this package's README), or set Respond to When Last Node Finishes.`,
		);
	});

	it('refuses a workflow with no (enabled) Respond to Webhook node after the trigger', () => {
		expect(respondNodeProblem([other])).toMatch(/^Respond: no Respond to Webhook node follows this trigger/);
		expect(respondNodeProblem([other, respond(1, { disabled: true })])).toMatch(/no Respond to Webhook node follows/);
		// A disabled newer one does not run, so it does not count against an enabled version 1.
		expect(respondNodeProblem([respond(1.5, { disabled: true }), respond(1)])).toBeUndefined();
	});
});

describe('activation (webhookMethods.create) checks the Respond to Webhook node only in that mode', () => {
	const node = new SignedWebhookTrigger();
	function hookContext(responseMode: string, children: object[]) {
		const parameters: Record<string, unknown> = { provider: 'github', responseMode, options: {} };
		return {
			getNode: () => ({ name: 'Signed Webhook Trigger', type: 'signedWebhookTrigger', typeVersion: 1, parameters }),
			getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
			getCredentials: async () => ({ secret: 'a-long-enough-signing-secret' }),
			getChildNodes: (name: string) => (name === 'Signed Webhook Trigger' ? children : []),
		} as never;
	}

	it('refuses a newer Respond to Webhook node with a NodeOperationError, so the workflow cannot be published', async () => {
		const error = await node.webhookMethods.default.create.call(hookContext('responseNode', [respond(1.5)])).catch((e: Error) => e);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect((error as Error).message).toMatch(/is Respond to Webhook version 1\.5, which answers only n8n's own Webhook node/);
	});

	it('accepts version 1, and ignores Respond to Webhook nodes in the other modes', async () => {
		await expect(node.webhookMethods.default.create.call(hookContext('responseNode', [respond(1)]))).resolves.toBe(true);
		await expect(node.webhookMethods.default.create.call(hookContext('lastNode', [respond(1.5)]))).resolves.toBe(true);
		await expect(node.webhookMethods.default.create.call(hookContext('onReceived', []))).resolves.toBe(true);
	});
});

describe("engineV2Problem (n8n's Engine 2.0 accepts only Respond Immediately)", () => {
	it('refuses When Last Node Finishes and the Respond to Webhook node under engineType v2, naming the fix', () => {
		for (const mode of ['lastNode', 'responseNode']) expect(engineV2Problem({ engineType: 'v2' }, mode)).toMatch(/Engine 2\.0.*Set Respond to Immediately/);
	});
	it('accepts Respond Immediately under v2, and every mode on the default engine', () => {
		expect(engineV2Problem({ engineType: 'v2' }, 'onReceived')).toBeUndefined();
		for (const mode of ['onReceived', 'lastNode', 'responseNode']) {
			expect(engineV2Problem({}, mode)).toBeUndefined();
			expect(engineV2Problem(undefined, mode)).toBeUndefined();
			expect(engineV2Problem({ engineType: 'v1' }, mode)).toBeUndefined();
		}
	});
});
