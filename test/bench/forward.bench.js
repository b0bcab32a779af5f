#!/usr/bin/env node
/**
 * Forward throughput: 1,000 items to a local receiver at concurrency 1, 4 and 16, in items per second, through
 * the Reliable HTTP Forward's delivery core (retry loop, idempotency header, optional Standard Webhooks signing),
 * next to a bare loop of the same HTTP client measured in the same run. Runs against the BUILT package:
 *
 *   npm run build && node test/bench/forward.bench.js
 *
 * Rows: "bare fetch" (baseline: fetch in a worker pool, nothing else), "core + fetch" (deliverWithRetries with
 * fetch as its send), "core + fetch + signing" (plus the credential's signOutgoingRequest on every attempt),
 * "core + n8n request helper" (n8n's own outbound HTTP client, as the node uses it inside n8n; needs the
 * n8n-core dev dependency), "+ shared state (built-in)" and "+ shared state (Redis)" (core + fetch with a circuit
 * breaker and a rate limit too high to wait: per attempt, one slot reservation, one admission and one record,
 * in this process's memory or in a redis-server started here; n/a when redis-server is not installed); a last table
 * measures the same with a send that answers at once, so the guard's own cost per item shows. The side-by-side with n8n's HTTP Request node inside a running n8n is in the e2e
 * benchmark. Figures drift between machines and runs: read the ratios.
 */
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomBytes } = require('node:crypto');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'nodes', 'core', 'delivery');
if (!fs.existsSync(path.join(dist, 'index.js'))) {
	console.error('dist/ is missing: run `npm run build` first');
	process.exit(1);
}
const { createDestinationGuard, decodeResponseBody, deliverWithRetries, exponentialPolicy, mapWithConcurrency, signOutgoingRequest } = require(dist);
const { DEFAULT_CIRCUIT_SETTINGS, MemoryDestinationStore, RedisDestinationStore } = require(path.join(dist, '..', 'circuit'));

const ITEMS = 1_000;
const CONCURRENCY = [1, 4, 16];
const ROUNDS = 5; // best of, to damp noise on a shared 2-core machine

function startReceiver() {
	const server = http.createServer((req, res) => {
		req.resume();
		req.on('end', () => {
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});
	server.keepAliveTimeout = 5_000;
	return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function fetchSend(request) {
	const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
	const body = await response.text();
	return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
}

function n8nSend() {
	try {
		const { Container } = require('@n8n/di');
		const { OutboundHttp } = require('@n8n/backend-network');
		const client = Container.get(OutboundHttp).requests();
		// As the node sends: raw response bytes, decoded by the core's exact JSON parse.
		return async (request, { timeoutMs }) => {
			const response = await client.request({
				method: request.method,
				url: request.url,
				headers: request.headers,
				body: request.body,
				timeout: timeoutMs,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				encoding: 'arraybuffer',
			});
			return { statusCode: response.statusCode, headers: response.headers ?? {}, body: decodeResponseBody(response.body) };
		};
	} catch (error) {
		return undefined;
	}
}

/** A throwaway redis-server on a free loopback port, or undefined when none is installed. */
async function startRedisServer() {
	const { spawn, spawnSync } = require('node:child_process');
	const net = require('node:net');
	const os = require('node:os');
	if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) return undefined;
	const port = await new Promise((resolve) => {
		const probe = net.createServer().listen(0, '127.0.0.1', () => {
			const { port: free } = probe.address();
			probe.close(() => resolve(free));
		});
	});
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forward-bench-redis-'));
	const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	const Redis = require('ioredis');
	const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: (times) => (times > 50 ? null : 50) });
	await client.connect();
	return {
		client,
		stop: async () => {
			client.disconnect();
			child.kill('SIGTERM');
			await new Promise((resolve) => child.once('exit', resolve));
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Circuit breaker and a rate limit too high to ever wait (1e9 per second): the cost of the shared state alone. */
function guardOver(store) {
	return createDestinationGuard({ key: 'http://127.0.0.1', store, circuit: DEFAULT_CIRCUIT_SETTINGS, rateIntervalMs: 1e-6 });
}

const policy = exponentialPolicy({ maxAttempts: 8, initialDelayMs: 100, jitter: 'full' });
const noSleep = async () => {};
const secret = `whsec_${randomBytes(32).toString('base64')}`;

function requestFor(url, n) {
	return {
		method: 'POST',
		url,
		headers: { 'content-type': 'application/json', 'Idempotency-Key': `evt-${n}` },
		body: Buffer.from(JSON.stringify({ id: `evt-${n}`, n, payload: 'x'.repeat(256) })),
	};
}

async function runOnce(label, concurrency, run, items) {
	const started = process.hrtime.bigint();
	const results = await mapWithConcurrency(
		Array.from({ length: items }, (_, n) => n),
		concurrency,
		run,
	);
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	const ok = results.filter(Boolean).length;
	if (ok !== items) throw new Error(`${label}: only ${ok} of ${items} delivered`);
	return items / seconds;
}

/** Variants take turns within each round (so drift on a shared machine hits all alike); best round counts. */
async function measureAll(concurrency, variants) {
	const best = {};
	for (const [label, run] of Object.entries(variants)) await runOnce(label, concurrency, run, 200); // warm-up
	for (let round = 0; round < ROUNDS; round++) {
		for (const [label, run] of Object.entries(variants)) {
			best[label] = Math.max(best[label] ?? 0, await runOnce(label, concurrency, run, ITEMS));
		}
	}
	return best;
}

(async () => {
	const server = await startReceiver();
	const url = `http://127.0.0.1:${server.address().port}/hook`;
	const viaN8n = n8nSend();
	const redis = await startRedisServer();
	const builtInStore = new MemoryDestinationStore();
	const redisStore = redis ? new RedisDestinationStore(redis.client, { keyPrefix: 'bench:' }) : undefined;
	console.log(`Forward: ${ITEMS} items to a loopback receiver, best of ${ROUNDS} rounds, items/s (ratio to bare fetch)`);
	console.log(`node ${process.version}`);
	const rows = [];
	for (const concurrency of CONCURRENCY) {
		const deliverVia = (send, store) => async (n) =>
			(
				await deliverWithRetries({
					request: requestFor(url, n),
					policy,
					send,
					sleep: noSleep,
					idempotencyKey: `evt-${n}`,
					attemptTimeoutMs: 10_000,
					...(store ? { guard: guardOver(store) } : {}),
				})
			).outcome === 'delivered';
		const variants = {
			bare: async (n) => (await fetchSend(requestFor(url, n))).statusCode === 200,
			core: deliverVia(fetchSend),
			signed: deliverVia((request) => fetchSend(signOutgoingRequest({ scheme: 'standard-webhooks', secret }, request))),
			...(viaN8n ? { n8n: deliverVia(viaN8n) } : {}),
			builtIn: deliverVia(fetchSend, builtInStore),
			...(redisStore ? { redis: deliverVia(fetchSend, redisStore) } : {}),
		};
		const { bare, core, signed, n8n, builtIn, redis: viaRedis } = await measureAll(concurrency, variants);
		rows.push({ concurrency, bare, core, signed, n8n, builtIn, redis: viaRedis });
	}
	const fmt = (value, base) => (value === undefined ? 'n/a'.padStart(18) : `${value.toFixed(0).padStart(7)} (${(value / base).toFixed(2)}x)`.padStart(18));
	console.log(`${'concurrency'.padEnd(12)}${'bare fetch'.padStart(18)}${'core + fetch'.padStart(18)}${'+ signing'.padStart(18)}${'core + n8n helper'.padStart(20)}`);
	for (const row of rows) {
		console.log(`${String(row.concurrency).padEnd(12)}${fmt(row.bare, row.bare)}${fmt(row.core, row.bare)}${fmt(row.signed, row.bare)}  ${fmt(row.n8n, row.bare)}`);
	}
	console.log('');
	console.log('Shared state per item (circuit breaker + rate limit), ratio to bare fetch; cost per item against core + fetch');
	const perItemUs = (value, core) => (value === undefined ? 'n/a' : `${((1 / value - 1 / core) * 1e6).toFixed(1)} µs/item`);
	console.log(`${'concurrency'.padEnd(12)}${'+ built-in state'.padStart(18)}${'+ Redis state'.padStart(18)}${'built-in cost'.padStart(18)}${'Redis cost'.padStart(18)}`);
	for (const row of rows) {
		console.log(
			`${String(row.concurrency).padEnd(12)}${fmt(row.builtIn, row.bare)}${fmt(row.redis, row.bare)}${perItemUs(row.builtIn, row.core).padStart(18)}${perItemUs(row.redis, row.core).padStart(18)}`,
		);
	}
	// The HTTP round trip's noise hides microseconds: measure the shared state once more with a send that answers
	// 200 at once (no network), so the only difference between the rows is the guard.
	console.log('');
	console.log('Shared state alone (send answers at once, no network): items/s (ratio to core alone), cost per item');
	const instant = async () => ({ statusCode: 200, headers: {} });
	console.log(`${'concurrency'.padEnd(12)}${'core alone'.padStart(18)}${'+ built-in state'.padStart(18)}${'+ Redis state'.padStart(18)}${'built-in cost'.padStart(18)}${'Redis cost'.padStart(18)}`);
	for (const concurrency of CONCURRENCY) {
		const deliverInstant = (store) => async (n) =>
			(
				await deliverWithRetries({
					request: requestFor(url, n),
					policy,
					send: instant,
					sleep: noSleep,
					idempotencyKey: `evt-${n}`,
					attemptTimeoutMs: 10_000,
					...(store ? { guard: guardOver(store) } : {}),
				})
			).outcome === 'delivered';
		const best = await measureAll(concurrency, {
			core: deliverInstant(undefined),
			builtIn: deliverInstant(builtInStore),
			...(redisStore ? { redis: deliverInstant(redisStore) } : {}),
		});
		console.log(
			`${String(concurrency).padEnd(12)}${fmt(best.core, best.core)}${fmt(best.builtIn, best.core)}${fmt(best.redis, best.core)}${perItemUs(best.builtIn, best.core).padStart(18)}${perItemUs(best.redis, best.core).padStart(18)}`,
		);
	}
	if (!redis) console.log('redis-server not installed: the Redis column is n/a');
	if (redis) await redis.stop();
	if (!viaN8n) console.log('n8n request helper not loadable (install dev dependencies for n8n-core)');
	server.closeAllConnections();
	server.close();
})().catch((error) => {
	console.error(error);
	process.exit(1);
});
