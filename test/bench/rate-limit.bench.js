#!/usr/bin/env node
/**
 * Rate limit accuracy, measured at the receiver: 30 seconds at concurrency 16 (two "executions" of 8 sharing the
 * limit), for the built-in store and for Redis (each execution with its own connection, as two n8n processes
 * would have). Prints requests per 1-second window and the worst deviation from the limit. Runs against the
 * BUILT package:
 *
 *   npm run build && node test/bench/rate-limit.bench.js [requestsPerSecond=20] [seconds=30]
 *
 * The Redis run needs redis-server installed (bash test/harness/ensure-redis.sh); it is skipped otherwise.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { spawn, spawnSync } = require('node:child_process');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'core');
if (!fs.existsSync(path.join(dist, 'circuit', 'index.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const { createDestinationGuard, deliverWithRetries, exponentialPolicy, mapWithConcurrency } = require(path.join(dist, 'delivery'));
const { MemoryDestinationStore, RedisDestinationStore, rateIntervalMs } = require(path.join(dist, 'circuit'));

const RATE = Number(process.argv[2] ?? 20);
const SECONDS = Number(process.argv[3] ?? 30);
const EXECUTIONS = 2;
const CONCURRENCY = 8;

function startReceiver(arrivals) {
	const server = http.createServer((req, res) => {
		if (req.url === '/hook') arrivals.push(performance.now());
		req.resume();
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function startRedis() {
	if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) return undefined;
	const net = require('node:net');
	const port = await new Promise((resolve) => {
		const probe = net.createServer().listen(0, '127.0.0.1', () => {
			const { port: free } = probe.address();
			probe.close(() => resolve(free));
		});
	});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rate-bench-redis-'));
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	const Redis = require('ioredis');
	const connect = async () => {
		const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: (times) => (times > 50 ? null : 50) });
		await client.connect();
		return client;
	};
	return {
		connect,
		stop: async () => {
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function run(label, stores) {
	const arrivals = [];
	const server = await startReceiver(arrivals);
	const url = `http://127.0.0.1:${server.address().port}/hook`;
	const interval = rateIntervalMs(RATE, 'second');
	const items = RATE * SECONDS;
	const policy = exponentialPolicy({ maxAttempts: 3, jitter: 'none' });
	const send = async (request) => {
		const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
		await response.text();
		return { statusCode: response.status, headers: {} };
	};
	// One uncounted request first: a fresh process's first fetch is slow, which would shift the windows.
	await (await fetch(url.replace('/hook', '/warm-up'), { method: 'POST', body: '{}' })).text();
	let attempts = 0;
	await Promise.all(
		stores.map((store, execution) =>
			mapWithConcurrency(
				Array.from({ length: items / EXECUTIONS }, (_, n) => n),
				CONCURRENCY,
				async (n) => {
					const result = await deliverWithRetries({
						request: { method: 'POST', url, headers: { 'content-type': 'application/json' }, body: Buffer.from(`{"n":${n}}`) },
						policy,
						send,
						sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
						idempotencyKey: `e${execution}-${n}`,
						attemptTimeoutMs: 15_000,
						guard: createDestinationGuard({ key: 'bench-destination', store, rateIntervalMs: interval }),
					});
					attempts += result.attempts;
					if (result.outcome !== 'delivered') throw new Error(`${label}: item ${n} ${result.outcome}`);
				},
			),
		),
	);
	server.close();
	const start = arrivals[0];
	const windows = Math.floor((arrivals[arrivals.length - 1] - start) / 1000);
	const counts = Array.from({ length: windows }, (_, w) => arrivals.filter((t) => t >= start + w * 1000 && t < start + (w + 1) * 1000).length);
	const worst = Math.max(...counts.map((count) => Math.abs(count - RATE) / RATE));
	const overall = (arrivals.length - 1) / ((arrivals[arrivals.length - 1] - start) / 1000);
	console.log(`${label}: ${arrivals.length} requests, ${attempts} attempts, overall ${overall.toFixed(2)}/s (limit ${RATE}/s)`);
	console.log(`  per 1-s window: ${counts.join(' ')}`);
	console.log(`  worst window off by ${(worst * 100).toFixed(1)} % ${worst <= 0.1 ? '(within 10 %)' : '(OUTSIDE 10 %)'}`);
	return worst;
}

(async () => {
	console.log(`Rate limit ${RATE}/s, ${SECONDS} s, ${EXECUTIONS} executions x concurrency ${CONCURRENCY}; node ${process.version}`);
	const shared = new MemoryDestinationStore();
	const results = [await run('built-in store', [shared, shared])];
	const redis = await startRedis();
	if (redis) {
		const clients = [await redis.connect(), await redis.connect()];
		results.push(await run('Redis store (two connections)', clients.map((client) => new RedisDestinationStore(client, { keyPrefix: 'bench:' }))));
		for (const client of clients) client.disconnect();
		await redis.stop();
	} else {
		console.log('redis-server not installed: Redis run skipped');
	}
	process.exitCode = results.every((worst) => worst <= 0.1) ? 0 : 1;
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
