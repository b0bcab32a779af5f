#!/usr/bin/env node
/**
 * Dedupe throughput: items per second for batches of 1, 100 and 10,000 items on the built-in store and on
 * Redis, with baselines measured in the same run (a bare Map check-and-set; a bare ioredis SET NX per item,
 * awaited one by one; on Redis 7+ the same batch pipelined as native `SET ... NX PX ... GET`, which the store's
 * Lua script replaces for Redis 6), and Redis round trips per batch. Runs against the BUILT package:
 *
 *   npm run build && node test/bench/dedupe.bench.js
 *
 * Starts its own redis-server (Debian's package) on a free loopback port and removes it at the end.
 * `DEDUPE_BENCH_SERVER=redis-6.0` (or `valkey-8.0`) runs the server that test/harness/ensure-redis-compat.sh unpacked instead.
 * Figures drift between machines and runs: read the ratios.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { freePort, requireBuilt } = require('./common');

const { MemoryDedupeStore, RedisDedupeStore, connectRedis } = requireBuilt('nodes', 'core', 'dedupe');
const Redis = require('ioredis');

const BATCH_SIZES = [1, 100, 10_000];
// Items per measurement (bounded): enough for stable figures, small enough for a 2-core machine.
const MEMORY_ITEMS = 200_000;
const REDIS_ITEMS = { 1: 3_000, 100: 50_000, 10_000: 100_000 };
const HOUR = 3_600_000;

async function startRedisServer() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dedupe-bench-'));
	const port = await freePort();
	const kind = process.env.DEDUPE_BENCH_SERVER;
	const compat = process.env.REDIS_COMPAT_DIR || path.join(os.homedir(), '.cache', 'n8n-nodes-reliable-webhooks', 'redis-compat');
	const binary = kind ? path.join(compat, kind, 'redis-server') : 'redis-server';
	const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
		stdio: 'ignore',
	});
	child.on('error', (error) => {
		console.error(`cannot start redis-server (${error.message}): run \`bash test/harness/ensure-redis.sh\``);
		process.exit(1);
	});
	for (let attempt = 0; attempt < 200; attempt++) {
		const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
		client.on('error', () => undefined);
		const ok = await client.connect().then(() => client.ping()).catch(() => null);
		client.disconnect();
		if (ok === 'PONG') return { port, stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }).then(() => fs.rmSync(dir, { recursive: true, force: true })) };
		await new Promise((r) => setTimeout(r, 50));
	}
	throw new Error('redis-server did not start');
}

let keyCounter = 0;
const freshKeys = (n) => Array.from({ length: n }, () => `evt_${++keyCounter}`);

async function measure(totalItems, batchSize, runBatch) {
	const batches = Math.max(1, Math.floor(totalItems / batchSize));
	const keySets = Array.from({ length: batches }, () => freshKeys(batchSize));
	const start = process.hrtime.bigint();
	for (const keys of keySets) await runBatch(keys);
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	return { itemsPerSecond: (batches * batchSize) / seconds, batches };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const ratio = (a, b) => (a / b).toFixed(2) + 'x';

async function main() {
	const rows = [];

	// Built-in store against a bare Map check-and-set (the least any in-process dedupe can cost).
	for (const size of BATCH_SIZES) {
		const map = new Map();
		const baseline = await measure(MEMORY_ITEMS, size, async (keys) => {
			for (const key of keys) if (!map.has(key)) map.set(key, Date.now() + HOUR);
		});
		const store = new MemoryDedupeStore({ maxKeys: 10_000_000 });
		const builtIn = await measure(MEMORY_ITEMS, size, (keys) => store.apply(keys.map((key) => ({ op: 'checkAndRecord', key, ttlMs: HOUR }))));
		rows.push(['built-in', size, builtIn.itemsPerSecond, 'bare Map', baseline.itemsPerSecond, '-', '-']);
	}

	// Redis store (one pipeline per batch) against a bare SET NX PX per item, each awaited.
	const server = await startRedisServer();
	const settings = { host: '127.0.0.1', port: server.port, database: 0, tls: false };
	const client = await connectRedis(settings);
	const bare = new Redis({ host: '127.0.0.1', port: server.port });
	const stats = async () => Number(/total_commands_processed:(\d+)/.exec(await bare.info('stats'))[1]);
	const nativeSetGet = Number(/redis_version:(\d+)/.exec(await bare.info('server'))[1]) >= 7;
	try {
		for (const size of BATCH_SIZES) {
			const items = REDIS_ITEMS[size];
			const baseline = await measure(items, size, async (keys) => {
				for (const key of keys) await bare.set(`bench:bare:${key}`, '1', 'PX', HOUR, 'NX');
			});
			const store = new RedisDedupeStore(client, { keyPrefix: 'bench:store:' });
			const commandsBefore = await stats();
			const result = await measure(items, size, (keys) => store.apply(keys.map((key) => ({ op: 'checkAndRecord', key, ttlMs: HOUR }))));
			const commandsPerBatch = ((await stats()) - commandsBefore - 1) / result.batches;
			rows.push(['redis', size, result.itemsPerSecond, 'bare SET NX each', baseline.itemsPerSecond, (store.roundTrips / result.batches).toFixed(0) + ` (${size} if one per item)`, commandsPerBatch.toFixed(0)]);
			// What the store's Lua script costs against the one-command form it replaces (Redis 7+ only, absent on 6.x).
			if (nativeSetGet) {
				const native = await measure(items, size, async (keys) => {
					const pipeline = bare.pipeline();
					for (const key of keys) pipeline.set(`bench:native:${key}`, 'r|0|', 'PX', HOUR, 'NX', 'GET');
					await pipeline.exec();
				});
				rows.push(['redis', size, result.itemsPerSecond, 'SET..GET pipelined', native.itemsPerSecond, '1', '-']);
			}
			await bare.flushdb();
		}
	} finally {
		client.disconnect();
		bare.disconnect();
		await server.stop();
	}

	console.log(`Dedupe benchmark (node ${process.version}, ${os.cpus().length} cores, server ${process.env.DEDUPE_BENCH_SERVER || 'redis-server'}; items are all new keys)`);
	console.log('store    | batch  | items/s    | baseline           | baseline items/s | vs baseline | round trips/batch          | commands/batch');
	for (const [store, size, ips, baseName, baseIps, roundTrips, commands] of rows) {
		console.log(
			`${store.padEnd(8)} | ${String(size).padStart(6)} | ${fmt(ips).padStart(10)} | ${baseName.padEnd(18)} | ${fmt(baseIps).padStart(16)} | ${ratio(ips, baseIps).padStart(11)} | ${String(roundTrips).padEnd(26)} | ${commands}`,
		);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
