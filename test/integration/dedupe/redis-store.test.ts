import Redis from 'ioredis';

import {
	connectRedis,
	DedupeStoreUnavailableError,
	pingRedis,
	RedisClientPool,
	RedisDedupeStore,
	serverVersionFromInfo,
	unsupportedServerReason,
	type RedisConnectionSettings,
} from '../../../nodes/core/dedupe';
import { freePort, sleep } from '../../harness/processes';
import { REDIS_SERVERS, startFlightCountingProxy, startRedis, startReplyDroppingProxy, type RedisServer } from '../../harness/redis';

jest.setTimeout(60_000);

const settingsFor = (server: { host: string; port: number }, extra: Partial<RedisConnectionSettings> = {}): RedisConnectionSettings => ({
	host: server.host,
	port: server.port,
	database: 0,
	tls: false,
	...extra,
});

async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
	for (let attempt = 0; attempt < 400; attempt++) {
		if (await condition()) return;
		await sleep(25);
	}
	throw new Error(`gave up waiting for ${what}`);
}

/** What each server must report, so that a test run proves which versions it covered. */
const EXPECTED_VERSION: Record<(typeof REDIS_SERVERS)[number], { product: 'Redis' | 'Valkey'; version: RegExp }> = {
	redis: { product: 'Redis', version: /^7\./ },
	'redis-6.0': { product: 'Redis', version: /^6\.0\./ },
	'valkey-8.0': { product: 'Valkey', version: /^8\.0\./ },
};

describe.each(REDIS_SERVERS)('RedisDedupeStore against a real %s server', (kind) => {
	let server: RedisServer;
	let client: Redis;
	let prefixCounter = 0;
	const freshStore = (options: ConstructorParameters<typeof RedisDedupeStore>[1] = {}) =>
		new RedisDedupeStore(client, { keyPrefix: `test:${++prefixCounter}:`, ...options });

	/** `count` separate connections to the suite's server, all closed once `use` settles. */
	const withConnections = async <T>(count: number, use: (clients: Redis[]) => Promise<T>): Promise<T> => {
		const clients = await Promise.all(Array.from({ length: count }, () => connectRedis(settingsFor(server))));
		try {
			return await use(clients);
		} finally {
			for (const c of clients) c.disconnect();
		}
	};

	beforeAll(async () => {
		server = await startRedis({ server: kind });
		client = await connectRedis(settingsFor(server));
	});
	afterAll(async () => {
		client?.disconnect();
		await server?.stop();
	});

	it('runs the server version this suite is for', async () => {
		const reported = serverVersionFromInfo(await client.info('server'));
		expect(reported?.product).toBe(EXPECTED_VERSION[kind].product);
		expect(reported?.version).toMatch(EXPECTED_VERSION[kind].version);
		expect(unsupportedServerReason(await client.info('server'))).toBeUndefined();
	});

	it('lets exactly 1 of 50 concurrent check-and-records of one key through, from 50 connections', async () => {
		const prefix = `race:${++prefixCounter}:`;
		const outcomes = await withConnections(50, (clients) =>
			Promise.all(clients.map((c) => new RedisDedupeStore(c, { keyPrefix: prefix }).apply([{ op: 'checkAndRecord', key: 'evt_same', ttlMs: 60_000 }]))),
		);
		const statuses = outcomes.map(([o]) => o.status);
		expect(statuses.filter((s) => s === 'new')).toHaveLength(1);
		expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(49);
		const winner = outcomes.find(([o]) => o.status === 'new')![0] as { firstSeenAt: number };
		for (const [o] of outcomes) expect((o as { firstSeenAt: number }).firstSeenAt).toBe(winner.firstSeenAt);
	});

	it('lets exactly 1 of 50 concurrent claims of one key win', async () => {
		const prefix = `claimrace:${++prefixCounter}:`;
		const outcomes = await withConnections(50, (clients) =>
			Promise.all(clients.map((c) => new RedisDedupeStore(c, { keyPrefix: prefix }).apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }]))),
		);
		const winners = outcomes.filter(([o]) => o.status === 'new');
		expect(winners).toHaveLength(1);
		expect(outcomes.filter(([o]) => o.status === 'duplicate' && o.state === 'claimed')).toHaveLength(49);
	});

	it('stores each decision as one SET with NX and a PX time-to-live', async () => {
		const store = freshStore({ keyPrefix: 'ttlcheck:' });
		await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }]);
		const pttl = await client.pttl('ttlcheck:k');
		expect(pttl).toBeGreaterThan(0);
		expect(pttl).toBeLessThanOrEqual(60_000);
	});

	it('forgets a key once its window has passed', async () => {
		const store = freshStore({ keyPrefix: 'expiry:' });
		// 1.5 s: the repeat must come within the window even on a slow machine; the expiry is then waited for.
		expect((await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 1_500 }]))[0].status).toBe('new');
		expect((await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 1_500 }]))[0].status).toBe('duplicate');
		await waitUntil(async () => (await client.exists('expiry:k')) === 0, 'the key to expire');
		expect((await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 150 }]))[0].status).toBe('new');
	});

	it('claim, duplicate claim in progress, confirm for the window, then duplicates as processed', async () => {
		const store = freshStore();
		const [claim] = (await store.apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }])) as Array<{ firstSeenAt: number; claimToken?: string }>;
		expect(claim).toMatchObject({ status: 'new', claimToken: expect.any(String) });
		const token = (claim as { claimToken: string }).claimToken;
		expect((await store.apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }]))[0]).toMatchObject({ status: 'duplicate', state: 'claimed' });
		const [confirmed] = await store.apply([{ op: 'confirm', key: 'k', token, ttlMs: 120_000 }]);
		expect(confirmed).toMatchObject({ status: 'confirmed', firstSeenAt: claim.firstSeenAt, afterLeaseExpired: false });
		expect((await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 1000 }]))[0]).toEqual({
			status: 'duplicate',
			firstSeenAt: claim.firstSeenAt,
			state: 'recorded',
		});
	});

	it('release by the holder lets the sender\'s next redelivery through; a non-holder is refused', async () => {
		const store = freshStore();
		const [claim] = (await store.apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }])) as Array<{ firstSeenAt: number; claimToken?: string }>;
		const token = (claim as { claimToken: string }).claimToken;
		expect((await store.apply([{ op: 'release', key: 'k', token: 'not-the-holder' }]))[0]).toMatchObject({ status: 'refused', reason: 'held-by-another', state: 'claimed' });
		expect((await store.apply([{ op: 'release', key: 'k', token: '' }]))[0]).toMatchObject({ status: 'refused' });
		expect((await store.apply([{ op: 'confirm', key: 'k', token: 'not-the-holder', ttlMs: 1000 }]))[0]).toMatchObject({ status: 'refused' });
		expect((await store.apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }]))[0].status).toBe('duplicate');
		expect((await store.apply([{ op: 'release', key: 'k', token }]))[0]).toEqual({ status: 'released', wasPresent: true });
		expect((await store.apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }]))[0].status).toBe('new');
	});

	it('a lease that expires lets the next claim win and shuts out the old holder', async () => {
		const store = freshStore({ keyPrefix: 'lease:' });
		const [first] = await store.apply([{ op: 'claim', key: 'k', leaseMs: 150 }]);
		await waitUntil(async () => (await client.exists('lease:k')) === 0, 'the lease to expire');
		const [second] = await store.apply([{ op: 'claim', key: 'k', leaseMs: 60_000 }]);
		expect(second.status).toBe('new');
		const oldToken = (first as { claimToken: string }).claimToken;
		expect((await store.apply([{ op: 'release', key: 'k', token: oldToken }]))[0].status).toBe('refused');
		expect((await store.apply([{ op: 'confirm', key: 'k', token: oldToken, ttlMs: 1000 }]))[0].status).toBe('refused');
	});

	it('confirm after the lease lapsed records the key when nobody else claimed it', async () => {
		const store = freshStore({ keyPrefix: 'lapsed:' });
		const [claim] = await store.apply([{ op: 'claim', key: 'k', leaseMs: 100 }]);
		await waitUntil(async () => (await client.exists('lapsed:k')) === 0, 'the lease to expire');
		const token = (claim as { claimToken: string }).claimToken;
		expect((await store.apply([{ op: 'confirm', key: 'k', token, ttlMs: 60_000 }]))[0]).toMatchObject({ status: 'confirmed', afterLeaseExpired: true });
		expect((await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }]))[0].status).toBe('duplicate');
	});

	it('a key recorded without a claim cannot be released by anyone', async () => {
		const store = freshStore();
		await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }]);
		expect((await store.apply([{ op: 'release', key: 'k', token: '' }]))[0].status).toBe('refused');
	});

	it('sends a batch of 100 mixed items as ONE round trip (counted on the wire) carrying all 100 commands', async () => {
		const proxy = await startFlightCountingProxy(server.port);
		const viaProxy = await connectRedis(settingsFor({ host: '127.0.0.1', port: proxy.port }));
		const monitor = await client.duplicate().monitor();
		const seen: string[][] = [];
		monitor.on('monitor', (_time: string, args: string[]) => {
			if (args[1]?.startsWith('batch:') || args[3]?.startsWith('batch:')) seen.push(args);
		});
		try {
			const store = new RedisDedupeStore(viaProxy, { keyPrefix: 'batch:' });
			await store.apply([{ op: 'claim', key: 'c', leaseMs: 60_000 }]); // loads the Lua scripts' first use out of the way
			const before = proxy.flights;
			const requests = Array.from({ length: 100 }, (_, i) =>
				i % 10 === 9 ? ({ op: 'release', key: 'c', token: 'nobody' } as const) : ({ op: 'checkAndRecord', key: `k${i % 50}`, ttlMs: 60_000 } as const),
			);
			const outcomes = await store.apply(requests);
			expect(proxy.flights - before).toBe(1);
			expect(store.roundTrips).toBe(2);
			expect(outcomes.filter((o) => o.status === 'new')).toHaveLength(45);
			expect(outcomes.filter((o) => o.status === 'refused')).toHaveLength(10);
			// MONITOR shows commands in the order the server ran them: once this marker shows, every command of the batch has.
			await client.exists('batch:end-of-test');
			await waitUntil(async () => seen.some((args) => args[1] === 'batch:end-of-test'), 'MONITOR to show every command');
			expect(seen.filter((args) => args[0].toLowerCase() === 'set')).toHaveLength(91);
			// Each check-and-record is one script run (by SHA-1 once the script is loaded on the connection).
			expect(seen.filter((args) => args[0].toLowerCase() === 'evalsha' && args[3]?.startsWith('batch:k'))).toHaveLength(90);
		} finally {
			monitor.disconnect();
			viaProxy.disconnect();
			await proxy.close();
		}
	});

	it('keeps recorded keys across a Redis restart (append-only file)', async () => {
		const own = await startRedis({ server: kind });
		const pool = new RedisClientPool();
		try {
			const first = new RedisDedupeStore(await pool.acquire(settingsFor(own)), { keyPrefix: 'restart:' });
			expect((await first.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 600_000 }]))[0].status).toBe('new');
			await own.restart();
			// The pooled client's connection died with the server; the pool hands out a working one again.
			await waitUntil(async () => {
				const c = await pool.acquire(settingsFor(own)).catch(() => undefined);
				return c !== undefined && (await c.ping().catch(() => '')) === 'PONG';
			}, 'the pool to reconnect');
			const after = new RedisDedupeStore(await pool.acquire(settingsFor(own)), { keyPrefix: 'restart:' });
			expect((await after.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 600_000 }]))[0].status).toBe('duplicate');
		} finally {
			await pool.closeAll();
			await own.stop();
		}
	});

	it('fails fast with a clear error when Redis is unreachable, and never queues commands offline', async () => {
		const port = await freePort();
		await expect(connectRedis({ host: '127.0.0.1', port, database: 0, tls: false, password: 'hunter2-secret' })).rejects.toThrow(
			new RegExp(`Redis at 127\\.0\\.0\\.1:${port} \\(database 0\\) is unreachable: connection refused$`),
		);
		await connectRedis({ host: '127.0.0.1', port, database: 0, tls: false, password: 'hunter2-secret' }).catch((error: Error) => {
			expect(error).toBeInstanceOf(DedupeStoreUnavailableError);
			expect(error.message).not.toContain('hunter2');
		});

		const own = await startRedis({ server: kind });
		const ownClient = await connectRedis(settingsFor(own));
		try {
			const store = new RedisDedupeStore(ownClient, { keyPrefix: 'down:', endpoint: `127.0.0.1:${own.port}` });
			await own.kill();
			await expect(store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 1000 }])).rejects.toThrow(DedupeStoreUnavailableError);
			await expect(store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 1000 }])).rejects.toThrow(/Redis at 127\.0\.0\.1:\d+ is unreachable/);
		} finally {
			ownClient.disconnect();
			await own.stop();
		}
	});

	it('authenticates with a user and password; the credential test PINGs and reports a wrong password without echoing it', async () => {
		const own = await startRedis({ server: kind, password: 'default-pass', user: { name: 'dedupe', password: 'user-pass' } });
		try {
			await expect(pingRedis(settingsFor(own, { user: 'dedupe', password: 'user-pass' }))).resolves.toBe('PONG');
			await expect(pingRedis(settingsFor(own, { password: 'default-pass' }))).resolves.toBe('PONG');
			const wrong = await pingRedis(settingsFor(own, { user: 'dedupe', password: 'wrong-pass-123' })).catch((e: Error) => e);
			expect(wrong).toBeInstanceOf(DedupeStoreUnavailableError);
			expect((wrong as Error).message).toMatch(/WRONGPASS|invalid username-password/);
			expect((wrong as Error).message).not.toContain('wrong-pass-123');
			// Database selection is honoured.
			const db3 = await connectRedis(settingsFor(own, { password: 'default-pass', database: 3 }));
			await new RedisDedupeStore(db3, { keyPrefix: 'db:' }).apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }]);
			db3.disconnect();
			const db0 = await connectRedis(settingsFor(own, { password: 'default-pass' }));
			expect(await db0.exists('db:k')).toBe(0);
			await db0.select(3);
			expect(await db0.exists('db:k')).toBe(1);
			db0.disconnect();
		} finally {
			await own.stop();
		}
	});

	it('a user that may not run INFO is not refused for its unknown version: the credential test and the store work', async () => {
		const own = await startRedis({ server: kind, user: { name: 'noinfo', password: 'noinfo-pass', commands: ['+@all', '-info'] } });
		const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined); // ioredis warns that its own ready check cannot run INFO
		try {
			const settings = settingsFor(own, { user: 'noinfo', password: 'noinfo-pass' });
			await expect(pingRedis(settings)).resolves.toBe('PONG');
			const limited = await connectRedis(settings);
			await expect(limited.info('server')).rejects.toThrow(/NOPERM/);
			const store = new RedisDedupeStore(limited, { keyPrefix: 'noinfo:' });
			expect((await store.apply([{ op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }, { op: 'checkAndRecord', key: 'k', ttlMs: 60_000 }])).map((o) => o.status)).toEqual(['new', 'duplicate']);
			limited.disconnect();
		} finally {
			warn.mockRestore();
			await own.stop();
		}
	});

	it('reuses one pooled connection per credential and closes the least recently used beyond the limit', async () => {
		const pool = new RedisClientPool(2);
		try {
			const a1 = await pool.acquire(settingsFor(server));
			expect(await pool.acquire(settingsFor(server))).toBe(a1);
			const b = await pool.acquire(settingsFor(server, { database: 1 }));
			expect(b).not.toBe(a1);
			await pool.acquire(settingsFor(server, { database: 2 }));
			expect(pool.size).toBe(2);
			await waitUntil(async () => a1.status === 'end', 'the least recently used client to close');
			expect(await pool.acquire(settingsFor(server, { database: 1 }))).toBe(b);
		} finally {
			await pool.closeAll();
		}
	});
});

describe('Redis 6.0 (Debian 11): the reason for the scripts, and the version rule', () => {
	let server: RedisServer;
	beforeAll(async () => {
		server = await startRedis({ server: 'redis-6.0' });
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('refuses SET ... NX PX ... GET (Redis 7+ only), which the store therefore never sends', async () => {
		const client = await connectRedis(settingsFor(server));
		try {
			await expect(client.call('SET', 'plain:k', 'v', 'NX', 'PX', '60000', 'GET')).rejects.toThrow(/ERR syntax error/);
			const store = new RedisDedupeStore(client, { keyPrefix: 'six:' });
			const outcomes = await store.apply([
				{ op: 'checkAndRecord', key: 'evt_1', ttlMs: 60_000 },
				{ op: 'checkAndRecord', key: 'evt_1', ttlMs: 60_000 },
				{ op: 'claim', key: 'evt_2', leaseMs: 60_000 },
				{ op: 'claim', key: 'evt_2', leaseMs: 60_000 },
			]);
			expect(outcomes.map((o) => o.status)).toEqual(['new', 'duplicate', 'new', 'duplicate']);
			expect(outcomes[1]).toEqual({ status: 'duplicate', firstSeenAt: outcomes[0].status === 'new' ? outcomes[0].firstSeenAt : -1, state: 'recorded' });
			expect(outcomes[3]).toMatchObject({ status: 'duplicate', state: 'claimed' });
		} finally {
			client.disconnect();
		}
	});

	it('a server older than 6.0 is refused at connect with the version needed (its INFO text, version line changed)', async () => {
		const client = await connectRedis(settingsFor(server));
		try {
			const info = await client.info('server');
			expect(unsupportedServerReason(info)).toBeUndefined();
			const older = info.replace(/^redis_version:.*$/m, 'redis_version:5.0.14\r');
			expect(unsupportedServerReason(older)).toBe('runs Redis 5.0.14; the Dedupe node needs Redis 6.0 or newer (or Valkey)');
			expect(unsupportedServerReason(info.replace(/^redis_version:.*$/m, 'redis_version:6.2.14\r'))).toBeUndefined();
		} finally {
			client.disconnect();
		}
	});
});

describe('the pooled connection after an outage (what the trigger and the nodes see once Redis is back)', () => {
	it('after a long outage the first request succeeds; after a short one the pooled client reconnects by itself', async () => {
		const server = await startRedis();
		const pool = new RedisClientPool();
		const ask = async () => new RedisDedupeStore(await pool.acquire(settingsFor(server))).apply([{ op: 'checkAndRecord', key: `k${Math.random()}`, ttlMs: 60_000 }]);
		try {
			await ask();
			// Longer than the client's reconnect tries (200 + 400 + ... + 1000 ms): it has ended, the pool makes a new one.
			await server.kill();
			await sleep(6000);
			await expect(ask()).rejects.toThrow(DedupeStoreUnavailableError);
			await server.start();
			await expect(ask()).resolves.toMatchObject([{ status: 'new' }]);

			// Shorter: the pooled client is still reconnecting and comes back on its own schedule (at most 1 s apart).
			await server.kill();
			await sleep(500);
			await server.start();
			await waitUntil(() => ask().then(() => true, () => false), 'the pooled client to reconnect');
		} finally {
			await pool.closeAll();
			await server.stop();
		}
	});
});

describe('a reply lost after Redis ran the command (connection cut between the write and its answer)', () => {
	it.each(['checkAndRecord', 'claim'] as const)('%s is sent again once reconnected and answers New, not Duplicate: nothing is dropped', async (op) => {
		const server = await startRedis();
		const proxy = await startReplyDroppingProxy(server.port);
		const client = await connectRedis({ host: '127.0.0.1', port: proxy.port, database: 0, tls: false });
		const direct = await connectRedis(settingsFor(server));
		try {
			const store = new RedisDedupeStore(client, { keyPrefix: 'lost:' });
			const request = (key: string) => (op === 'claim' ? { op, key, leaseMs: 60_000 } : { op, key, ttlMs: 60_000 });
			await store.apply([request('warm-up')]); // loads the script, so the cut command is the dedupe write itself
			proxy.arm('lost:order-1');
			const [outcome] = await store.apply([request('order-1')]);
			expect(proxy.cuts()).toBe(1);
			expect(outcome.status).toBe('new');
			if (op === 'claim') expect(outcome).toMatchObject({ claimToken: expect.any(String) });
			// Redis holds the key once, and the sender's real retry (a new request) is the duplicate.
			expect(await direct.exists('lost:order-1')).toBe(1);
			expect((await store.apply([request('order-1')]))[0].status).toBe('duplicate');
			if (op === 'claim') {
				const token = (outcome as { claimToken: string }).claimToken;
				expect((await store.apply([{ op: 'confirm', key: 'order-1', token, ttlMs: 60_000 }]))[0].status).toBe('confirmed');
			}
		} finally {
			client.disconnect();
			direct.disconnect();
			await proxy.close();
			await server.stop();
		}
	});
});
