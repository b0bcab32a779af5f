/**
 * Redis memory settings that lose dedupe keys or refuse them, against real servers (Redis 7, Redis 6.0, Valkey 8):
 * an evicting policy is warned about at connect (store, node, credential test), a full `maxmemory` under
 * `noeviction` gives a clear error through the store and the node, fail closed and fail open.
 * The memory settings are set with CONFIG SET right after start (the harness takes no extra server arguments);
 * the server behaves the same as with `--maxmemory` / `--maxmemory-policy` on its command line.
 */
import Redis from 'ioredis';
import { NodeOperationError, type IDataObject, type INode, type INodeExecutionData, type NodeExecutionHint } from 'n8n-workflow';

import {
	connectRedis,
	DedupeStoreUnavailableError,
	DedupeStoreWriteRefusedError,
	redisEvictionWarning,
	redisMemoryAtConnect,
	RedisDedupeStore,
	sharedRedisPool,
	type RedisConnectionSettings,
} from '../../../nodes/core/dedupe';
import { Dedupe } from '../../../nodes/Dedupe/Dedupe.node';
import { REDIS_SERVERS, startRedis, type RedisServer } from '../../harness/redis';

jest.setTimeout(60_000);

const settingsFor = (server: { host: string; port: number }, extra: Partial<RedisConnectionSettings> = {}): RedisConnectionSettings => ({
	host: server.host,
	port: server.port,
	database: 0,
	tls: false,
	...extra,
});

/** Starts a server and applies `memory` (maxmemory in bytes or Redis units, policy) before any client of the test connects. */
async function startWithMemory(kind: (typeof REDIS_SERVERS)[number], memory: { maxmemory?: string; policy?: string }, options: Parameters<typeof startRedis>[0] = {}): Promise<RedisServer> {
	const server = await startRedis({ ...options, server: kind });
	const admin = new Redis({ host: server.host, port: server.port, password: options.password, lazyConnect: true });
	try {
		await admin.connect();
		if (memory.maxmemory !== undefined) await admin.config('SET', 'maxmemory', memory.maxmemory);
		if (memory.policy !== undefined) await admin.config('SET', 'maxmemory-policy', memory.policy);
	} finally {
		admin.disconnect();
	}
	return server;
}

/**
 * Makes the server full with a margin: stores 100 kB values (SETRANGE, so no Lua heap or big query buffer is
 * involved) until used memory is `margin` bytes past `maxmemory`, then sets `maxmemory`. Filling until the first
 * OOM left used memory just past the limit, and freed client or Lua memory later took it back under, so a write
 * the test expected to be refused was stored (seen once on Valkey 8). Returns how many values were stored.
 */
async function fillPastLimit(server: RedisServer, maxmemory: number, margin = 512 * 1024): Promise<number> {
	const filler = new Redis({ host: server.host, port: server.port, lazyConnect: true });
	await filler.connect();
	try {
		await filler.config('SET', 'maxmemory', '0');
		const usedMemory = async (): Promise<number> => Number(/^used_memory:(\d+)/m.exec(await filler.info('memory'))?.[1]);
		let stored = 0;
		while ((await usedMemory()) < maxmemory + margin) {
			if (stored === 500) throw new Error('used memory never passed the limit');
			await filler.setrange(`filler:${stored++}`, 99_999, 'x');
		}
		await filler.config('SET', 'maxmemory', String(maxmemory));
		await expect(filler.set('probe', '1')).rejects.toThrow(/OOM command not allowed when used memory > 'maxmemory'/);
		return stored;
	} finally {
		filler.disconnect();
	}
}

async function flushAll(server: RedisServer): Promise<void> {
	const admin = new Redis({ host: server.host, port: server.port, lazyConnect: true });
	await admin.connect();
	await admin.flushall();
	admin.disconnect();
}

interface NodeRun {
	New: INodeExecutionData[];
	Duplicate: INodeExecutionData[];
	warnings: string[];
	hints: NodeExecutionHint[];
}

const node: INode = { id: 'node-evict', name: 'Dedupe', type: 'n8n-nodes-reliable-webhooks.dedupe', typeVersion: 1, position: [0, 0], parameters: {} };
const baseParameters: Record<string, unknown> = {
	operation: 'checkAndRecord',
	store: 'redis',
	keySource: 'expression',
	window: 1,
	windowUnit: 'hours',
	lease: 5,
	leaseUnit: 'minutes',
	scope: 'node',
	namespace: '',
	onMissingKey: 'error',
	onStoreError: 'fail',
	infoField: 'dedupe',
};

/** One execution of the real node with a thin context that records its log lines and execution hints. */
async function runNode(
	keys: string[],
	credentials: IDataObject,
	options: { onStoreError?: 'fail' | 'passAsNew'; continueOnFail?: boolean; workflowId?: string; log?: string[] } = {},
): Promise<NodeRun> {
	const items: INodeExecutionData[] = keys.map((key) => ({ json: { id: key } }));
	const parameters: Record<string, unknown> = { ...baseParameters, onStoreError: options.onStoreError ?? 'fail' };
	const warnings = options.log ?? [];
	const hints: NodeExecutionHint[] = [];
	const ctx = {
		getInputData: () => items,
		getNode: () => node,
		getWorkflow: () => ({ id: options.workflowId ?? 'wf-evict', name: 'test', active: true }),
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			if (name === 'key') return items[itemIndex].json.id;
			if (name in parameters) return parameters[name];
			if (fallback !== undefined) return fallback;
			throw new Error(`unknown parameter ${name}`);
		},
		getCredentials: async (type: string) => {
			if (type !== 'dedupeRedisApi') throw new NodeOperationError(node, `no credentials of type ${type}`);
			return credentials;
		},
		continueOnFail: () => options.continueOnFail === true,
		logger: { warn: (line: string) => warnings.push(line), info: () => undefined, debug: () => undefined, error: () => undefined },
		addExecutionHints: (...added: NodeExecutionHint[]) => hints.push(...added),
	};
	const [New, Duplicate] = (await new Dedupe().execute.call(ctx as never)) as INodeExecutionData[][];
	return { New, Duplicate, warnings, hints };
}

/** A warning with its `…, 990.6 KiB used)` figure blanked: used memory differs between two connections. */
const withoutUsed = (text: string | undefined) => text?.replace(/, [0-9.]+ (bytes|KiB|MiB|GiB) used\)/g, ', <used>)');

const credentialTest = (server: RedisServer, extra: IDataObject = {}) =>
	new Dedupe().methods.credentialTest.dedupeRedisConnectionTest.call({} as never, {
		id: 'c1',
		name: 'Dedupe Redis',
		type: 'dedupeRedisApi',
		data: { host: server.host, port: server.port, database: 0, ...extra },
	});

describe.each(REDIS_SERVERS)('eviction policy warnings against a real %s server', (kind) => {
	const servers: RedisServer[] = [];
	const clients: Redis[] = [];
	afterAll(async () => {
		for (const client of clients) client.disconnect();
		await sharedRedisPool.closeAll();
		for (const server of servers) await server.stop();
	});

	async function connectedTo(memory: { maxmemory?: string; policy?: string }, options: Parameters<typeof startRedis>[0] = {}, extra: Partial<RedisConnectionSettings> = {}) {
		const server = await startWithMemory(kind, memory, options);
		servers.push(server);
		const client = await connectRedis(settingsFor(server, extra));
		clients.push(client);
		return { server, client };
	}

	it('warns for allkeys-lru with a maxmemory: store connection, credential test and node (logged once, hinted each run)', async () => {
		const { server, client } = await connectedTo({ maxmemory: '64mb', policy: 'allkeys-lru' });
		const endpoint = `127.0.0.1:${server.port} (database 0)`;
		const warning = redisEvictionWarning(client);
		expect(warning).toMatch(
			new RegExp(
				`^Redis at ${endpoint.replace(/[().]/g, '\\$&')} can evict dedupe keys: its maxmemory-policy is allkeys-lru \\(maxmemory 64\\.0 MiB, [0-9.]+ (KiB|MiB) used\\): when memory is full it deletes any key, dedupe keys included\\. An evicted key is forgotten before its window ends, so a repeat of that delivery passes as New\\. Set maxmemory-policy to noeviction`,
			),
		);
		expect(redisMemoryAtConnect(client)).toMatchObject({ maxmemory: 64 * 1024 * 1024, policy: 'allkeys-lru' });

		// The credential test reports it (n8n's editor shows only an Error's message).
		const tested = await credentialTest(server);
		expect(tested.status).toBe('Error');
		expect(withoutUsed(tested.message)).toBe(`Connected (PING answered PONG), but: ${withoutUsed(warning)}`);

		// The node still dedupes, warns in the log once per connection, and hints on every execution.
		const log: string[] = [];
		const credentials = { host: server.host, port: server.port, database: 0 };
		const first = await runNode(['a', 'b'], credentials, { log });
		expect(first.New.map((item) => (item.json.dedupe as IDataObject).status)).toEqual(['new', 'new']);
		const second = await runNode(['a'], credentials, { log });
		expect(second.Duplicate).toHaveLength(1);
		expect(log.map(withoutUsed)).toEqual([`Dedupe node "Dedupe": ${withoutUsed(warning)}`]);
		for (const run of [first, second]) {
			expect(run.hints).toHaveLength(1);
			expect(run.hints[0]).toMatchObject({ type: 'warning', location: 'outputPane' });
			expect(withoutUsed(run.hints[0].message)).toBe(withoutUsed(warning));
		}
		// The warning never goes into the items.
		expect(JSON.stringify([first.New, second.Duplicate])).not.toContain('evict');
	});

	it('warns for allkeys-random even without a maxmemory (it evicts as soon as one is set)', async () => {
		const { client } = await connectedTo({ maxmemory: '0', policy: 'allkeys-random' });
		expect(redisEvictionWarning(client)).toMatch(/its maxmemory-policy is allkeys-random \(no maxmemory set yet, [0-9.]+ (KiB|MiB) used\)/);
	});

	it('warns for volatile-lru with a maxmemory: every dedupe key has a time-to-live, so it is evictable', async () => {
		const { server, client } = await connectedTo({ maxmemory: '32mb', policy: 'volatile-lru' });
		expect(redisEvictionWarning(client)).toMatch(/its maxmemory-policy is volatile-lru \(maxmemory 32\.0 MiB, .*\): when memory is full it deletes keys that have a time-to-live, and every dedupe key has one/);
		const tested = await credentialTest(server);
		expect(tested.status).toBe('Error');
		expect(tested.message).toMatch(/^Connected \(PING answered PONG\), but: Redis at 127\.0\.0\.1:\d+ \(database 0\) can evict dedupe keys: its maxmemory-policy is volatile-lru/);
	});

	it('does not warn for a volatile policy without a maxmemory, for noeviction, or for the default setup', async () => {
		for (const memory of [{ maxmemory: '0', policy: 'volatile-ttl' }, { maxmemory: '64mb', policy: 'noeviction' }, {}]) {
			const { server, client } = await connectedTo(memory);
			expect(redisMemoryAtConnect(client)?.policy).toBe(memory.policy ?? 'noeviction');
			expect(redisEvictionWarning(client)).toBeUndefined();
			expect(await credentialTest(server)).toEqual({ status: 'OK', message: 'Connected: PING answered PONG' });
			const log: string[] = [];
			const run = await runNode(['x'], { host: server.host, port: server.port, database: 0 }, { log });
			expect(run.New).toHaveLength(1);
			expect(run.hints).toEqual([]);
			expect(log).toEqual([]);
		}
	});

	it('does not fail when INFO is forbidden (managed services): no warning, the store works', async () => {
		const { server, client } = await connectedTo(
			{ maxmemory: '64mb', policy: 'allkeys-lru' },
			{ user: { name: 'noinfo', password: 'noinfo-pass', commands: ['+@all', '-info'] } },
			{ user: 'noinfo', password: 'noinfo-pass' },
		);
		await expect(client.info('memory')).rejects.toThrow(/NOPERM/);
		expect(redisEvictionWarning(client)).toBeUndefined();
		expect(redisMemoryAtConnect(client)).toBeUndefined();
		const store = new RedisDedupeStore(client, { keyPrefix: 'noinfo:' });
		const [outcome] = await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }]);
		expect(outcome.status).toBe('new');
		expect(await credentialTest(server, { user: 'noinfo', password: 'noinfo-pass' })).toEqual({ status: 'OK', message: 'Connected: PING answered PONG' });
	});
});

describe.each(REDIS_SERVERS)('a full maxmemory with noeviction on a real %s server', (kind) => {
	let server: RedisServer;
	let client: Redis;
	let credentials: IDataObject;
	let endpointPattern: string;

	beforeAll(async () => {
		server = await startWithMemory(kind, { maxmemory: '2mb', policy: 'noeviction' });
		client = await connectRedis(settingsFor(server));
		credentials = { host: server.host, port: server.port, database: 0 };
		endpointPattern = `Redis at 127\\.0\\.0\\.1:${server.port} \\(database 0\\)`;
		// Something was stored before it filled up: a repeat of it must still be recognised afterwards.
		await new RedisDedupeStore(client, { keyPrefix: 'full:' }).apply([{ op: 'checkAndRecord', key: 'before', ttlMs: 3_600_000 }]);
		expect(await fillPastLimit(server, 2 * 1024 * 1024)).toBeGreaterThan(0);
	});
	afterAll(async () => {
		client?.disconnect();
		await sharedRedisPool.closeAll();
		await server?.stop();
	});

	it('is not warned about at connect (noeviction drops nothing)', () => {
		expect(redisEvictionWarning(client)).toBeUndefined();
	});

	it('the store rejects with a clear "is full" error naming the server, the limit and what to do, for every writing operation', async () => {
		const store = new RedisDedupeStore(client, { keyPrefix: 'full:', endpoint: `127.0.0.1:${server.port} (database 0)` });
		for (const request of [
			{ op: 'checkAndRecord', key: 'new-key', ttlMs: 60_000 },
			{ op: 'claim', key: 'new-key', leaseMs: 60_000 },
			{ op: 'confirm', key: 'new-key', token: 't', ttlMs: 60_000 },
		] as const) {
			const failure = await store.apply([request]).then(
				() => undefined,
				(error: unknown) => error,
			);
			expect(failure).toBeInstanceOf(DedupeStoreWriteRefusedError);
			expect(failure).toBeInstanceOf(DedupeStoreUnavailableError);
			expect((failure as DedupeStoreWriteRefusedError).reason).toBe('full');
			expect((failure as Error).message).toMatch(
				new RegExp(
					`^${endpointPattern} is full: its used memory reached maxmemory \\(2\\.0 MiB\\) and its maxmemory-policy noeviction removes nothing, so it refuses to store dedupe keys \\(OOM\\)\\. Raise maxmemory, delete data this Redis does not need, or shorten the Window`,
				),
			);
			expect((failure as Error).message).not.toMatch(/@user_script|ERR Error running script/);
		}
		// Release only deletes, which a full server still allows.
		expect(await store.apply([{ op: 'release', key: 'new-key', token: 't' }])).toEqual([{ status: 'released', wasPresent: false }]);
	});

	it('fail closed: the node fails with the clear message; with Continue On Fail the items go to Duplicate with it', async () => {
		const failure = await runNode(['n1'], credentials).then(
			() => undefined,
			(error: unknown) => error,
		);
		expect(failure).toBeInstanceOf(NodeOperationError);
		expect((failure as Error).message).toMatch(new RegExp(`^Dedupe store unavailable: ${endpointPattern} is full: its used memory reached maxmemory \\(2\\.0 MiB\\)`));
		expect((failure as NodeOperationError).description).toMatch(/Redis answered but refused to write/);

		const run = await runNode(['n1', 'n2'], credentials, { continueOnFail: true });
		expect(run.New).toEqual([]);
		expect(run.Duplicate.map((item) => item.json.dedupe)).toEqual([
			{ key: 'n1', status: 'error' },
			{ key: 'n2', status: 'error' },
		]);
		for (const item of run.Duplicate) expect(String(item.json.error)).toMatch(new RegExp(`^Dedupe store unavailable: ${endpointPattern} is full`));
	});

	it('fail open: the items pass to New as failOpen with the clear message', async () => {
		const run = await runNode(['o1', 'o2'], credentials, { onStoreError: 'passAsNew' });
		expect(run.Duplicate).toEqual([]);
		expect(run.New).toHaveLength(2);
		for (const item of run.New) {
			const info = item.json.dedupe as IDataObject;
			expect(info.status).toBe('failOpen');
			expect(String(info.storeError)).toMatch(new RegExp(`^${endpointPattern} is full: .*\\(OOM\\)`));
		}
	});

	it('works again once memory is freed', async () => {
		await flushAll(server);
		const run = await runNode(['after'], credentials);
		expect(run.New.map((item) => (item.json.dedupe as IDataObject).status)).toEqual(['new']);
	});
});
