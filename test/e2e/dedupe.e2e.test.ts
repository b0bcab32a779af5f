/**
 * The Dedupe node inside real n8n processes (the harness installs the packed package as a community package),
 * with a real redis-server:
 * - built-in store: 50 concurrent deliveries of one key give exactly 1 New; a key expires after its window;
 *   the keys are in the workflow's saved static data and are still duplicates after an n8n restart;
 * - Redis store: two n8n processes (own user folders, databases and ports) sharing one redis-server give exactly
 *   1 New for 50 concurrent deliveries split across them; a key expires after its window.
 * Two n8n boots plus one restart in all: instance A carries every workflow, instance B only the Redis one.
 */
import { send } from '../harness/http';
import { startN8n, stableId, type N8nInstance } from '../harness/n8n';
import { startRedis, type RedisServer } from '../harness/redis';
import { credential, node, nodeType, webhookNode, webhookTwoWayWorkflow, type CredentialJson } from '../harness/workflows';

jest.setTimeout(900_000);

interface DedupeInfo {
	key: string;
	status: string;
	firstSeenAt: string;
	expiresAt?: string;
}

function dedupeWorkflow(name: string, webhookPath: string, dedupeParameters: Record<string, unknown>, redis?: CredentialJson) {
	return webhookTwoWayWorkflow(
		stableId(`workflow:${name}`),
		name,
		webhookNode(webhookPath, { responseMode: 'lastNode', responseData: 'firstEntryJson' }),
		node(nodeType.dedupe, { key: '={{ $json.body.id }}', window: 1, windowUnit: 'hours', ...dedupeParameters }, { name: 'Dedupe', position: [220, 0], credential: redis }),
		['Was New', 'Was Duplicate'],
	);
}

/** POSTs `{id}` and returns the `dedupe` field of the item the workflow answered with. */
async function deliver(url: string, id: string): Promise<DedupeInfo> {
	const { status, text, json } = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id }) });
	if (status !== 200) throw new Error(`POST ${url} answered ${status}: ${text}`);
	if (json === undefined) throw new Error(`POST ${url} answered 200 with a body that is not JSON: ${JSON.stringify(text.slice(0, 300))}`);
	const body = json as { dedupe?: DedupeInfo };
	if (!body.dedupe) throw new Error(`POST ${url} answered without a dedupe field: ${text.slice(0, 300)}`);
	return body.dedupe;
}

const count = (infos: DedupeInfo[], status: string) => infos.filter((i) => i.status === status).length;

/**
 * Delivers the same key until it comes out New again (bounded). Every answer before that must be a Duplicate of
 * the first sighting, and the New must not come before the first sighting's window ended.
 */
async function expectExpiry(url: string, id: string) {
	const first = await deliver(url, id);
	expect(first.status).toBe('new');
	const expiresAt = Date.parse(first.expiresAt as string);
	const second = await deliver(url, id);
	expect(second).toMatchObject({ status: 'duplicate', firstSeenAt: first.firstSeenAt });
	for (let attempt = 0; attempt < 300; attempt++) {
		const again = await deliver(url, id);
		if (again.status === 'new') {
			// The answer arrived after n8n decided, so this clock reading is no earlier than the decision.
			expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
			expect(Date.parse(again.firstSeenAt)).toBeGreaterThanOrEqual(expiresAt);
			return;
		}
		expect(again).toMatchObject({ status: 'duplicate', firstSeenAt: first.firstSeenAt });
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`key ${id} never came out New again after its window`);
}

const builtIn = dedupeWorkflow('dedupe built-in e2e', 'dedupe-builtin', { store: 'builtIn', scope: 'workflow' });
const builtInShortWindow = dedupeWorkflow('dedupe built-in ttl e2e', 'dedupe-builtin-ttl', {
	store: 'builtIn',
	scope: 'workflow',
	window: 10, // the first and second delivery must both fall inside it, even on a slow machine
	windowUnit: 'seconds',
});
const redisCredential = credential('dedupeRedisApi', 'dedupeRedisE2e01', 'Dedupe Redis e2e', {
	host: '127.0.0.1',
	port: 0,
	database: 0,
	user: '',
	password: '',
	tls: false,
	prefix: 'e2e:',
});
const redisShared = dedupeWorkflow('dedupe redis e2e', 'dedupe-redis', { store: 'redis', scope: 'namespace', namespace: 'shared-e2e' }, redisCredential);
const redisShortWindow = dedupeWorkflow(
	'dedupe redis ttl e2e',
	'dedupe-redis-ttl',
	{ store: 'redis', scope: 'namespace', namespace: 'ttl-e2e', window: 10, windowUnit: 'seconds' },
	redisCredential,
);

let redis: RedisServer;
let a: N8nInstance;
let b: N8nInstance;

beforeAll(async () => {
	redis = await startRedis();
	const credentials = [{ ...redisCredential, data: { ...redisCredential.data, port: redis.port } }];
	// One after the other: the machine has 2 cores.
	a = await startN8n({ workflows: [builtIn, builtInShortWindow, redisShared, redisShortWindow], credentials });
	b = await startN8n({ workflows: [redisShared], credentials });
});

afterAll(async () => {
	await a?.stop();
	await b?.stop();
	await redis?.stop();
});

describe('Dedupe in a real n8n, built-in store', () => {
	it('50 concurrent executions with one key: exactly 1 New', async () => {
		const infos = await Promise.all(Array.from({ length: 50 }, () => deliver(a.webhookUrl('dedupe-builtin'), 'evt_concurrent')));
		expect(count(infos, 'new')).toBe(1);
		expect(count(infos, 'duplicate')).toBe(49);
	});

	it('a key is New again once its window has passed', async () => {
		await expectExpiry(a.webhookUrl('dedupe-builtin-ttl'), 'evt_ttl_builtin');
	});

	it('every key recorded by concurrent executions is in the saved static data and still a duplicate after an n8n restart', async () => {
		// 20 executions record 20 different keys at once. Plain static data is last-writer-wins (each execution saves
		// the snapshot it loaded plus its own change); the node's live view must make the last save carry all of them.
		const racing = Array.from({ length: 20 }, (_, i) => `evt_distinct_${i}`);
		const first = await Promise.all(racing.map((id) => deliver(a.webhookUrl('dedupe-builtin'), id)));
		expect(count(first, 'new')).toBe(20);
		// One more execution that records a key; its save comes after every racing execution has recorded.
		expect((await deliver(a.webhookUrl('dedupe-builtin'), 'evt_before_restart')).status).toBe('new');
		// n8n saves static data before it stores the execution's final status.
		await a.waitForExecutions((results) => results.length >= 71 && results.every((r) => r.done), { workflowId: builtIn.id });

		const saved = await a.rest('GET', `/rest/workflows/${builtIn.id}`);
		expect(saved.status).toBe(200);
		const persisted = (saved.body.data ?? saved.body).staticData?.global?.['dedupe:workflow'];
		expect(persisted).toMatchObject({ v: 1 });
		const savedKeys = (JSON.parse(persisted.entries) as Array<[string]>).map((row) => row[0]);
		const recorded = ['evt_concurrent', ...racing, 'evt_before_restart'];
		expect(savedKeys.sort()).toEqual(recorded.map((id) => `wf:${builtIn.id}:${id}`).sort());

		await a.restart();

		const after = await Promise.all(recorded.map((id) => deliver(a.webhookUrl('dedupe-builtin'), id)));
		expect(after.map((info) => info.status)).toEqual(recorded.map(() => 'duplicate'));
		expect((await deliver(a.webhookUrl('dedupe-builtin'), 'evt_after_restart')).status).toBe('new');
	});
});

describe('Dedupe in two real n8n processes sharing Redis', () => {
	it('50 concurrent deliveries of one key spread over both processes: exactly 1 New', async () => {
		const infos = await Promise.all(
			Array.from({ length: 50 }, (_, i) => deliver((i % 2 === 0 ? a : b).webhookUrl('dedupe-redis'), 'evt_shared')),
		);
		expect(count(infos, 'new')).toBe(1);
		expect(count(infos, 'duplicate')).toBe(49);
		// Each process served its half (none answered from the other's state by accident).
		const perInstance = async (n8n: N8nInstance) => (await n8n.executions({ workflowId: redisShared.id })).count;
		expect(await perInstance(a)).toBeGreaterThanOrEqual(25);
		expect(await perInstance(b)).toBeGreaterThanOrEqual(25);
		// A key first seen on one process is a duplicate on the other.
		expect((await deliver(b.webhookUrl('dedupe-redis'), 'evt_cross')).status).toBe('new');
		expect((await deliver(a.webhookUrl('dedupe-redis'), 'evt_cross')).status).toBe('duplicate');
	});

	it('a key is New again once its window has passed', async () => {
		await expectExpiry(a.webhookUrl('dedupe-redis-ttl'), 'evt_ttl_redis');
	});
});
