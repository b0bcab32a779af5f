/**
 * The harness itself, against a real n8n: the package loads as a community package, workflows are imported and
 * published, webhooks answer, executions are readable through the REST API, restart() and stop() work.
 */
import { N8nInstance, packageName, startN8n } from '../harness/n8n';

jest.setTimeout(300_000);

const probeWorkflow = {
	name: 'harness probe',
	nodes: [
		{
			parameters: { httpMethod: 'POST', path: 'harness-probe', responseMode: 'onReceived', options: {} },
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
		},
	],
	connections: {},
};

describe('n8n harness (latest)', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ workflows: [probeWorkflow] });
		// eslint-disable-next-line no-console
		console.log(`n8n ${n8n.version} started in ${n8n.timings.total}s`, n8n.timings);
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('loads the package as a community package named after it', async () => {
		const res = await n8n.rest('GET', '/types/nodes.json');
		expect(res.status).toBe(200);
		const names = (res.body as Array<{ name: string }>).map((n) => n.name);
		expect(names.filter((n) => n.startsWith(`${packageName}.`)).length).toBeGreaterThan(0);
	});

	it('serves the published webhook and records the execution', async () => {
		const before = await n8n.executions();
		const res = await fetch(n8n.webhookUrl('harness-probe'), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ hello: 'world' }),
		});
		expect(res.status).toBe(200);
		const after = await n8n.waitForExecutions((r) => r.length === before.count + 1 && r.every((e) => e.done));
		const detail = await n8n.execution(after[0].id);
		expect(detail.rawData).toContain('world');
	});

	it('keeps the workflow published across a restart', async () => {
		await n8n.restart();
		const res = await fetch(n8n.webhookUrl('harness-probe'), { method: 'POST', body: '{}' });
		expect(res.status).toBe(200);
		expect(n8n.logs()).toContain('exited');
	});
});
