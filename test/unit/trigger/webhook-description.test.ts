/**
 * The trigger's webhook description carries, next to each expression template, a plain function n8n 2.x calls
 * instead of its expression engine. Each function must return exactly what n8n-workflow's engine makes of the
 * template, for every combination of the parameters it reads.
 */
import {
	NodeHelpers,
	resolveWebhookDescriptionField,
	webhookDescriptionIsNativelyResolvable,
	Workflow,
	type INode,
	type INodeType,
} from 'n8n-workflow';
import { SignedWebhookTrigger } from '../../../nodes/SignedWebhookTrigger/SignedWebhookTrigger.node';
import { webhookFields } from '../../../nodes/SignedWebhookTrigger/webhookDescription';

const nodeType: INodeType = new SignedWebhookTrigger();
const description = nodeType.description;
const webhook = description.webhooks![0];

function nodeWith(parameters: Record<string, unknown>): { node: INode; workflow: Workflow } {
	const node: INode = {
		id: 'c0ffee00-0000-4000-8000-0000000000aa',
		name: 'Signed Webhook Trigger',
		type: 'n8n-nodes-reliable-webhooks.signedWebhookTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'f00dfeed-0000-4000-8000-0000000000bb',
		parameters: {},
	};
	// The same defaulting n8n applies to a saved node.
	node.parameters = NodeHelpers.getNodeParameters(description.properties, parameters as never, true, false, node, description)!;
	const workflow = new Workflow({
		id: 'wf-description-parity',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as never,
		settings: {},
	});
	return { node: workflow.getNode(node.name)!, workflow };
}

const combinations: Array<Record<string, unknown>> = [];
for (const provider of ['github', 'meta'])
	for (const httpMethod of ['POST', 'GET', 'PUT'])
		for (const options of [{}, { answerOtherMethods: true }, { answerOtherMethods: false }])
			for (const response of [
				{},
				{ responseMode: 'onReceived', responseCode: 202, responseBody: '{"ok":1}' },
				{ responseMode: 'onReceived', responseBody: '' },
				{ responseMode: 'lastNode', responseData: 'allEntries', responseCode: 201 },
				{ responseMode: 'lastNode' },
				{ responseMode: 'responseNode' },
			])
				combinations.push({ path: provider === 'meta' ? '' : 'hooks/in', provider, httpMethod, options, ...response });

describe('webhook description: native resolvers', () => {
	it('templates are the strings the editor evaluates, and n8n takes the description as resolvable without its engine', () => {
		for (const [name, field] of Object.entries(webhookFields)) expect((webhook as any)[name]).toBe(field.template);
		expect(webhook.isFullPath).toBe(true);
		expect(webhookDescriptionIsNativelyResolvable(webhook)).toBe(true);
	});

	it.each(combinations.map((parameters) => [JSON.stringify(parameters), parameters]))(
		'each field resolves natively to what the expression engine evaluates: %s',
		(_label, parameters) => {
			const { node, workflow } = nodeWith(parameters as Record<string, unknown>);
			for (const [name, field] of Object.entries(webhookFields)) {
				const engine =
					name === 'responseData'
						? workflow.expression.getComplexParameterValue(node, field.template, 'internal', {}, undefined, undefined)
						: workflow.expression.getSimpleParameterValue(node, field.template, 'internal', {}, undefined, undefined);
				const native = resolveWebhookDescriptionField(node, webhook, name);
				expect(native).toEqual({ resolved: true, value: engine });
			}
		},
	);

	it('a node with an expression in its parameters falls back to the engine', () => {
		const { node } = nodeWith({ path: '={{ "dynamic" }}', provider: 'github', httpMethod: 'POST' });
		expect(resolveWebhookDescriptionField(node, webhook, 'path')).toEqual({ resolved: false });
	});
});
