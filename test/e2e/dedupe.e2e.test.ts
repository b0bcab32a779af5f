/**
 * The Dedupe node inside a real n8n (the harness installs the packed package as a community package):
 * 50 concurrent deliveries of one key give exactly 1 New on the built-in store, the keys survive an n8n
 * restart, and two n8n processes sharing a real redis-server give exactly 1 New between them.
 */
import { packageName, startN8n, type N8nInstance } from '../harness/n8n';
import { startRedis, type RedisServer } from '../harness/redis';

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

	it('keys seen before an n8n restart are still duplicates after it', async () => {
		expect(await deliver(n8n.webhookUrl('dedupe-builtin'), 'evt_before_restart')).toBe('new');
		// Static data is saved when each execution ends: wait until every execution has finished.
		await n8n.waitForExecutions((results) => results.length >= 51 && results.every((r) => r.done));
		await n8n.restart();
		expect(await deliver(n8n.webhookUrl('dedupe-builtin'), 'evt_before_restart')).toBe('duplicate');
		expect(await deliver(n8n.webhookUrl('dedupe-builtin'), 'evt_concurrent')).toBe('duplicate');
		expect(await deliver(n8n.webhookUrl('dedupe-builtin'), 'evt_after_restart')).toBe('new');
	});
});

describe('Dedupe in two real n8n processes sharing Redis', () => {
	let redis: RedisServer;
	const instances: N8nInstance[] = [];

	beforeAll(async () => {
		redis = await startRedis();
		const credential = {
			id: 'dedupeRedisE2e01',
			name: 'Dedupe Redis e2e',
			type: 'dedupeRedisApi',
			data: { host: '127.0.0.1', port: redis.port, database: 0, user: '', password: '', tls: false, prefix: 'e2e:' },
		};
		const workflow = dedupeWorkflow('dedupe redis e2e', 'dedupe-redis', { store: 'redis', scope: 'namespace', namespace: 'shared-e2e' }, {
			dedupeRedisApi: { id: credential.id, name: credential.name },
		});
		// One after the other: the machine has 2 cores.
		instances.push(await startN8n({ workflows: [workflow], credentials: [credential] }));
		instances.push(await startN8n({ workflows: [workflow], credentials: [credential] }));
	});
	afterAll(async () => {
		for (const instance of instances) await instance.stop();
		await redis?.stop();
	});

	it('50 concurrent deliveries of one key spread over both processes: exactly 1 New', async () => {
		const statuses = await Promise.all(
			Array.from({ length: 50 }, (_, i) => deliver(instances[i % 2].webhookUrl('dedupe-redis'), 'evt_shared')),
		);
		expect(count(statuses, 'new')).toBe(1);
		expect(count(statuses, 'duplicate')).toBe(49);
		// And a key first seen on one process is a duplicate on the other.
		expect(await deliver(instances[0].webhookUrl('dedupe-redis'), 'evt_cross')).toBe('new');
		expect(await deliver(instances[1].webhookUrl('dedupe-redis'), 'evt_cross')).toBe('duplicate');
	});
});
