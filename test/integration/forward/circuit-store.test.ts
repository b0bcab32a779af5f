/**
 * The Redis circuit/rate store against real servers (Redis 7, Redis 6.0, Valkey 8.0): it must decide exactly as the
 * pure state machine does (the memory store), and state written by one client must stop another.
 */
import Redis from 'ioredis';

import {
	MemoryDestinationStore,
	RedisDestinationStore,
	type CircuitResult,
	type CircuitSettings,
	type DestinationStateStore,
} from '../../../nodes/core/circuit';
import { connectRedis } from '../../../nodes/core/dedupe';
import { REDIS_SERVERS, startRedis, startReplyDroppingProxy, type RedisServer } from '../../harness/redis';

jest.setTimeout(60_000);

const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);
const SETTINGS: CircuitSettings = { consecutiveFailures: 4, failureRatePercent: 60, minimumRequests: 6, windowMs: 5_000, openMs: 2_000, probes: 2 };

/** A small deterministic generator (mulberry32), so a failing sequence can be replayed from its seed. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

async function connect(server: RedisServer): Promise<Redis> {
	const client = new Redis({ host: server.host, port: server.port, lazyConnect: true, enableOfflineQueue: false });
	await client.connect();
	return client;
}

describe.each(REDIS_SERVERS)('RedisDestinationStore against a real %s server', (kind) => {
	let server: RedisServer;
	let clientA: Redis;
	let clientB: Redis;
	beforeAll(async () => {
		server = await startRedis({ server: kind });
		clientA = await connect(server);
		clientB = await connect(server);
	});
	afterAll(async () => {
		clientA?.disconnect();
		clientB?.disconnect();
		await server?.stop();
	});

	it.each([1, 2, 3, 4, 5])('decides exactly as the memory store over a random sequence (seed %d)', async (seed) => {
		const next = random(seed);
		const memory = new MemoryDestinationStore();
		const redis = new RedisDestinationStore(clientA, { keyPrefix: `parity:${seed}:` });
		let now = T0;
		const results: CircuitResult[] = ['ok', 'fail', 'fail', 'neutral', 'gone'];
		const seen = new Set<string>();
		for (let step = 0; step < 400; step++) {
			now += Math.floor(next() * 600);
			const [a, b] = await Promise.all([memory.admit('d', SETTINGS, now), redis.admit('d', SETTINGS, now)]);
			expect(b).toEqual(a);
			seen.add(a.state);
			if (!a.allowed) continue;
			const result = results[Math.floor(next() * results.length)];
			const hold = next() < 0.02;
			const [ra, rb] = await Promise.all([
				memory.record('d', SETTINGS, result, a.probe, hold, now),
				redis.record('d', SETTINGS, result, a.probe, hold, now),
			]);
			expect(rb).toEqual(ra);
			if (ra.state === 'held-open') {
				await Promise.all([memory.reset('d'), redis.reset('d')]);
				expect(await redis.peek('d')).toBe('closed');
			}
		}
		// The sequence went through every state, so the comparison covered every rule.
		expect([...seen].sort()).toEqual(['closed', 'half-open', 'open']);
	});

	it('rate slots match the memory store, including a refused long wait', async () => {
		const memory = new MemoryDestinationStore();
		const redis = new RedisDestinationStore(clientA, { keyPrefix: 'rate-parity:' });
		const interval = 1000 / 3;
		for (let i = 0; i < 30; i++) {
			const now = T0 + i * 50;
			const maxWait = i % 7 === 6 ? 100 : undefined;
			const [a, b] = await Promise.all([memory.reserve('d', interval, now, maxWait), redis.reserve('d', interval, now, maxWait)]);
			expect(b.reserved).toBe(a.reserved);
			// Redis keeps the next free slot to the microsecond (%.3f ms): rounding adds at most 0.0005 ms per slot.
			expect(Math.abs(b.waitMs - a.waitMs)).toBeLessThan(0.0005 * (i + 1));
		}
	});

	it('two independent clients share one circuit: when one trips it, the other is refused', async () => {
		const one: DestinationStateStore = new RedisDestinationStore(clientA, { keyPrefix: 'shared:' });
		const two: DestinationStateStore = new RedisDestinationStore(clientB, { keyPrefix: 'shared:' });
		const now = Date.now();
		for (let i = 0; i < SETTINGS.consecutiveFailures; i++) {
			const admission = await one.admit('https://dead.example', SETTINGS, now);
			expect(admission.allowed).toBe(true);
			const after = await one.record('https://dead.example', SETTINGS, 'fail', false, false, now);
			if (i === SETTINGS.consecutiveFailures - 1) expect(after).toEqual({ state: 'open', transition: { from: 'closed', to: 'open' } });
		}
		expect(await two.admit('https://dead.example', SETTINGS, now + 1)).toEqual({ allowed: false, state: 'open', retryAt: now + SETTINGS.openMs });
		// Half-open: the two clients together get exactly `probes` probes, and only one of them sees the transition.
		const later = now + SETTINGS.openMs;
		const admissions = await Promise.all([one, two, one, two].map((store) => store.admit('https://dead.example', SETTINGS, later)));
		expect(admissions.filter((a) => a.allowed)).toHaveLength(SETTINGS.probes);
		expect(admissions.filter((a) => a.transition)).toHaveLength(1);
	});

	it('a held circuit (410) has no expiry; other circuits expire after their window', async () => {
		const store = new RedisDestinationStore(clientA, { keyPrefix: 'ttl:' });
		const now = Date.now();
		await store.admit('held', SETTINGS, now);
		await store.record('held', SETTINGS, 'gone', false, true, now);
		await store.admit('normal', SETTINGS, now);
		await store.record('normal', SETTINGS, 'fail', false, false, now);
		expect(await clientA.pttl('ttl:circuit:held')).toBe(-1);
		expect(await clientA.pttl('ttl:circuit:normal')).toBeGreaterThan(0);
		expect(await store.peek('held')).toBe('held-open');
	});
});

describe('RedisDestinationStore when Redis is down', () => {
	it('names the endpoint and fails each call with DestinationStoreUnavailableError', async () => {
		const server = await startRedis();
		const client = await connectRedis({ host: server.host, port: server.port, database: 0, tls: false });
		try {
			const store = new RedisDestinationStore(client, { endpoint: 'test-redis' });
			await server.kill();
			await expect(store.admit('d', SETTINGS, T0)).rejects.toThrow(/^Redis at test-redis/);
			await expect(store.reserve('d', 10, T0)).rejects.toMatchObject({ name: 'DestinationStoreUnavailableError' });
		} finally {
			client.disconnect();
			await server.stop();
		}
	});
});

describe('RedisDestinationStore when a reply is lost after Redis ran the call (connection cut between the write and its answer)', () => {
	const ONE_PROBE: CircuitSettings = { ...SETTINGS, consecutiveFailures: 2, probes: 1 };

	async function withCuttingProxy(test: (store: RedisDestinationStore, proxy: Awaited<ReturnType<typeof startReplyDroppingProxy>>, direct: Redis) => Promise<void>) {
		const server = await startRedis();
		const proxy = await startReplyDroppingProxy(server.port);
		const client = await connectRedis({ host: '127.0.0.1', port: proxy.port, database: 0, tls: false });
		const direct = await connect(server);
		try {
			const store = new RedisDestinationStore(client, { keyPrefix: 'lost:' });
			await store.peek('warm-up'); // loads the script, so the cut command is the circuit call itself
			await test(store, proxy, direct);
		} finally {
			client.disconnect();
			direct.disconnect();
			await proxy.close();
			await server.stop();
		}
	}

	it('a failure whose reply was lost is counted once: the circuit opens after 2 failures, not after 1 sent twice', async () => {
		await withCuttingProxy(async (store, proxy, direct) => {
			proxy.arm('lost:circuit:dest');
			expect(await store.record('dest', ONE_PROBE, 'fail', false, false, T0)).toEqual({ state: 'closed' });
			expect(proxy.cuts()).toBe(1);
			expect(await direct.hget('lost:circuit:dest', 'consec')).toBe('1');
			expect(await store.record('dest', ONE_PROBE, 'fail', false, false, T0 + 1)).toEqual({ state: 'open', transition: { from: 'closed', to: 'open' } });
		});
	});

	it('an admitted probe whose reply was lost is still the probe: the same answer, one slot taken', async () => {
		await withCuttingProxy(async (store, proxy, direct) => {
			await store.record('dest', ONE_PROBE, 'fail', false, false, T0);
			await store.record('dest', ONE_PROBE, 'fail', false, false, T0);
			const halfOpenAt = T0 + ONE_PROBE.openMs;
			proxy.arm('lost:circuit:dest');
			expect(await store.admit('dest', ONE_PROBE, halfOpenAt)).toEqual({ allowed: true, probe: true, state: 'half-open', transition: { from: 'open', to: 'half-open' } });
			expect(proxy.cuts()).toBe(1);
			expect(await direct.hget('lost:circuit:dest', 'probes')).toBe('1');
			// The slot is taken once: the next caller is refused until the probe answers.
			expect(await store.admit('dest', ONE_PROBE, halfOpenAt + 1)).toMatchObject({ allowed: false, state: 'half-open' });
		});
	});

	it('a rate-limit slot whose reply was lost is reserved once: the next caller gets the next slot, not the one after', async () => {
		await withCuttingProxy(async (store, proxy) => {
			proxy.arm('lost:rate:dest');
			expect(await store.reserve('dest', 100, T0)).toEqual({ reserved: true, waitMs: 0, nextFreeAt: T0 + 100 });
			expect(proxy.cuts()).toBe(1);
			expect(await store.reserve('dest', 100, T0)).toEqual({ reserved: true, waitMs: 100, nextFreeAt: T0 + 200 });
		});
	});
});
