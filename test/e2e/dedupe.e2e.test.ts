/**
 * The Dedupe node inside a real n8n (the harness installs the packed package as a community package):
 * 50 concurrent deliveries of one key give exactly 1 New on the built-in store.
 */
import { packageName, startN8n, type N8nInstance } from '../harness/n8n';

jest.setTimeout(600_000);

function dedupeWorkflow(name: string, webhookPath: string, dedupeParameters: Record<string, unknown>, credentials?: object) {
	return {
		id: undefined,
		name,
		nodes: [
			{
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
			},
			{
				parameters: { key: '={{ $json.body.id }}', window: 1, windowUnit: 'hours', ...dedupeParameters },
				name: 'Dedupe',
				type: `${packageName}.dedupe`,
				typeVersion: 1,
				position: [220, 0],
				...(credentials ? { credentials } : {}),
			},
			{ parameters: {}, name: 'Was New', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, -100] },
			{ parameters: {}, name: 'Was Duplicate', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [440, 100] },
		],
		connections: {
			Webhook: { main: [[{ node: 'Dedupe', type: 'main', index: 0 }]] },
			Dedupe: { main: [[{ node: 'Was New', type: 'main', index: 0 }], [{ node: 'Was Duplicate', type: 'main', index: 0 }]] },
		},
	};
}

/** POSTs `{id}` and returns the dedupe status the workflow answered with ("new" or "duplicate"). */
async function deliver(url: string, id: string): Promise<string> {
	const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
	const text = await response.text();
	if (response.status !== 200) throw new Error(`webhook answered ${response.status}: ${text}`);
	return (JSON.parse(text) as { dedupe: { status: string } }).dedupe.status;
}

const count = (statuses: string[], status: string) => statuses.filter((s) => s === status).length;

describe('Dedupe in a real n8n, built-in store', () => {
	let n8n: N8nInstance;
	const workflow = dedupeWorkflow('dedupe built-in e2e', 'dedupe-builtin', { store: 'builtIn', scope: 'workflow' });

	beforeAll(async () => {
		n8n = await startN8n({ workflows: [workflow] });
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('50 concurrent executions with one key: exactly 1 New', async () => {
		const statuses = await Promise.all(Array.from({ length: 50 }, () => deliver(n8n.webhookUrl('dedupe-builtin'), 'evt_concurrent')));
		expect(count(statuses, 'new')).toBe(1);
		expect(count(statuses, 'duplicate')).toBe(49);
	});
});
