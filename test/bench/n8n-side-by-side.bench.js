'use strict';
/**
 * Side by side in ONE real n8n run, on loopback (a script, not a test):
 *
 *   valid deliveries/s   Signed Webhook Trigger alone           vs  bare Webhook node (no verification: the ceiling)
 *                        Signed Webhook Trigger → Reliable HTTP Forward
 *                                                              vs  hand-built: Webhook (raw body) → Code (HMAC with
 *                                                                  timingSafeEqual) → HTTP Request
 *   forged deliveries/s  Signed Webhook Trigger rejecting       vs  hand-built flow failing in its Code node
 *                                                              vs  Webhook node's own IP-allowlist rejection (n8n's
 *                                                                  ceiling for rejecting without an execution)
 *   plus the executions each phase left in n8n's database.
 *
 * Load: a bounded keep-alive loop of node:http requests, 10 connections, fixed duration per phase (BENCH_SECONDS,
 * default 8) after a short warm-up. Both ends share this machine's cores, so compare the ratios printed here, which
 * are measured in the same run, not the absolute figures.
 *
 *   node test/bench/n8n-side-by-side.bench.js            (builds and packs the package; n8n from install-n8n.sh)
 *   N8N_EXPRESSION_ENGINE=legacy node test/bench/n8n-side-by-side.bench.js
 *   BENCH_ROUNDS=3 node test/bench/n8n-side-by-side.bench.js   (every phase 3 times, interleaved; for a shared machine)
 *   BENCH_CONFIGS=default,lazy node test/bench/n8n-side-by-side.bench.js   (only some of the columns below)
 *
 * Columns: one n8n per expression-engine setting, all running at once with their phases interleaved: the default,
 * N8N_EXPRESSION_ENGINE_COMPILE_CACHE=true, N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE=true, and both (BENCH_CONFIGS keys:
 * default, cache, lazy, lazy+cache). Under lazy acquisition n8n opens an expression scope per request but creates
 * the isolate only when an expression needs it, so a webhook node with none (the trigger rejecting a forged call)
 * never takes one.
 *
 * Any N8N_* variable in the environment reaches n8n. n8n 2.41's default expression engine ("vm", one isolate)
 * is taken for every credential load (the Header Auth phase pays it per request) and, for the webhook phase, for
 * every webhook node other than n8n's own Webhook node with static parameters: the Signed Webhook Trigger pays that
 * one per request, like the two Webhook phases with an expression parameter, which show n8n's ceiling with it.
 */
const crypto = require('node:crypto');
const http = require('node:http');
const path = require('node:path');

const { loadTs } = require('../harness/load-ts');
const { startSink } = require('./common');

const harness = loadTs(path.join(__dirname, '..', 'harness', 'n8n.ts'));
const PKG = 'n8n-nodes-reliable-webhooks';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const WARMUP_SECONDS = 2;
const CONNECTIONS = 10;
const MAX_REQUESTS_PER_PHASE = 200_000;
// The trigger's version in these workflows: 2 (what the editor adds), or BENCH_TRIGGER_VERSION=1 for saved v1 nodes.
const TRIGGER_VERSION = Number(process.env.BENCH_TRIGGER_VERSION ?? 2);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 1));

const secret = crypto.randomBytes(32).toString('hex');
const body = JSON.stringify({
	ref: 'refs/heads/main',
	before: '0'.repeat(40),
	after: 'f'.repeat(40),
	repository: { full_name: 'acme/api', private: true },
	pusher: { name: 'octocat' },
	commits: [{ id: 'f'.repeat(40), message: 'Bench commit', added: [], removed: [], modified: ['README.md'] }],
});

const node = (name, type, typeVersion, position, parameters, extra = {}) => ({ name, type, typeVersion, position, parameters, ...extra });
const connectTo = (...targets) => ({ main: targets.map((t) => (t ? [{ node: t, type: 'main', index: 0 }] : [])) });

function workflows(sinkUrl) {
	const credential = { webhookSigningSecretApi: { id: 'benchGithubSecret', name: 'Bench GitHub secret' } };
	// The per-client rate limit is off: every request here comes from 127.0.0.1 and we measure verification.
	const triggerOptions = { rateLimitPerMinute: 0 };
	return [
		{
			id: 'benchBareWebhook',
			name: 'bench: bare Webhook',
			nodes: [node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'bare', responseMode: 'onReceived', options: {} })],
			connections: {},
		},
		{
			id: 'benchSignedAlone',
			name: 'bench: Signed Webhook Trigger alone',
			nodes: [
				node('Signed Webhook Trigger', `${PKG}.signedWebhookTrigger`, TRIGGER_VERSION, [0, 0], { path: 'signed-alone', provider: 'github', responseMode: 'onReceived', options: triggerOptions }, { credentials: credential }),
			],
			connections: {},
		},
		{
			// Every measured request repeats one delivery id: the first is recorded, the rest are dropped at the door.
			id: 'benchSignedRepeat',
			name: 'bench: Signed Webhook Trigger dropping repeats at the door',
			nodes: [
				node('Signed Webhook Trigger', `${PKG}.signedWebhookTrigger`, TRIGGER_VERSION, [0, 0], { path: 'signed-repeats', provider: 'github', responseMode: 'onReceived', dropRepeats: true, options: triggerOptions }, { credentials: credential }),
			],
			connections: {},
		},
		{
			id: 'benchSignedFlow1',
			name: 'bench: Signed Webhook Trigger → Reliable HTTP Forward',
			nodes: [
				node('Signed Webhook Trigger', `${PKG}.signedWebhookTrigger`, TRIGGER_VERSION, [0, 0], { path: 'signed-flow', provider: 'github', responseMode: 'lastNode', responseData: 'firstEntryJson', options: triggerOptions }, { credentials: credential }),
				node('Forward', `${PKG}.reliableHttpForward`, 1, [220, 0], {
					method: 'POST',
					url: sinkUrl,
					allowPlainHttp: true,
					bodySource: 'custom',
					body: '={{ JSON.stringify($json.body) }}',
					contentType: 'application/json',
					maxAttempts: 1,
					options: {},
				}),
			],
			connections: { 'Signed Webhook Trigger': connectTo("Forward") },
		},
		{
			id: 'benchHandBuilt01',
			name: 'bench: hand-built (Webhook raw body → Code HMAC → HTTP Request)',
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'hand-built', responseMode: 'lastNode', responseData: 'firstEntryJson', options: { rawBody: true } }),
				node('Verify HMAC', 'n8n-nodes-base.code', 2, [220, 0], {
					jsCode: [
						"const crypto = require('crypto');",
						'const item = $input.first();',
						"const raw = await this.helpers.getBinaryDataBuffer(0, 'data');",
						"const received = Buffer.from(String(item.json.headers['x-hub-signature-256'] ?? ''));",
						`const expected = Buffer.from('sha256=' + crypto.createHmac('sha256', $env.BENCH_GITHUB_SECRET).update(raw).digest('hex'));`,
						"if (received.length !== expected.length || !crypto.timingSafeEqual(received, expected)) throw new Error('Invalid signature');",
						'return [{ json: item.json.body }];',
					].join('\n'),
				}),
				node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, [440, 0], {
					method: 'POST',
					url: sinkUrl,
					sendBody: true,
					contentType: 'raw',
					rawContentType: 'application/json',
					body: '={{ JSON.stringify($json) }}',
					options: {},
				}),
			],
			connections: { Webhook: connectTo("Verify HMAC"), "Verify HMAC": connectTo("HTTP Request") },
		},
		{
			// n8n's own Webhook node also loading a credential on every request (Header Auth): isolates that cost.
			id: 'benchHeaderAuth1',
			name: "bench: Webhook node's Header Auth",
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'header-auth', authentication: 'headerAuth', responseMode: 'onReceived', options: {} }, {
					credentials: { httpHeaderAuth: { id: 'benchHeaderAuth01', name: 'Bench header auth' } },
				}),
			],
			connections: {},
		},
		// The same two Webhook nodes with one parameter set by an expression: n8n 2.x then takes an expression isolate
		// for the webhook phase, as it does for every webhook node other than its own Webhook node (the trigger included).
		{
			id: 'benchBareExpress',
			name: 'bench: bare Webhook, one expression parameter',
			nodes: [node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'bare-expression', responseMode: 'onReceived', options: { ipWhitelist: '={{ "" }}' } })],
			connections: {},
		},
		{
			id: 'benchIpAllowExpr',
			name: "bench: Webhook node's IP allowlist from an expression",
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'ip-allowlist-expression', responseMode: 'onReceived', options: { ipWhitelist: '={{ "192.0.2.1" }}' } }),
			],
			connections: {},
		},
		{
			id: 'benchIpAllowlist',
			name: "bench: Webhook node's IP allowlist",
			nodes: [
				node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'ip-allowlist', responseMode: 'onReceived', options: { ipWhitelist: '192.0.2.1' } }),
			],
			connections: {},
		},
	];
}

/** The sink, and the URL the Forward and HTTP Request nodes send to. */
async function startSinkWithUrl() {
	const server = await startSink(10_000);
	return { server, url: `http://127.0.0.1:${server.address().port}/sink` };
}

/** Sends the same request over CONNECTIONS keep-alive connections for `seconds`; counts answers by status. */
async function load(url, headers, seconds) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
	const target = new URL(url);
	const statuses = {};
	let sent = 0;
	const deadline = Date.now() + seconds * 1000;
	const one = () =>
		new Promise((resolve) => {
			const req = http.request(
				{ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
				(res) => {
					res.resume();
					res.on('end', () => {
						statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
						resolve();
					});
				},
			);
			req.on('error', () => {
				statuses.error = (statuses.error ?? 0) + 1;
				resolve();
			});
			req.end(body);
		});
	const t0 = process.hrtime.bigint();
	await Promise.all(
		Array.from({ length: CONNECTIONS }, async () => {
			while (Date.now() < deadline && sent < MAX_REQUESTS_PER_PHASE) {
				sent++;
				await one();
			}
		}),
	);
	const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
	agent.destroy();
	const total = Object.values(statuses).reduce((a, b) => a + b, 0);
	return { perSecond: total / elapsed, total, statuses };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until the workflow's execution count stops moving (executions finishing after their response). */
async function settledCount(n8n, workflowId) {
	let last = -1;
	for (let i = 0; i < 60; i++) {
		const count = await n8n.countExecutions({ workflowId });
		if (count === last) return count;
		last = count;
		await sleep(1000);
	}
	return last;
}

/**
 * The expression-engine settings compared side by side, one n8n each, all running at once so their phases can be
 * interleaved. Each sets both variables, so a value in the caller's environment cannot leak into another column.
 * Read by n8n 2.x (@n8n/config, ExpressionEngineConfig), where both default to false and are listed as experimental.
 */
const CONFIGS = [
	{ key: 'default', label: 'default', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'false', N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'false' } },
	{ key: 'cache', label: 'COMPILE_CACHE', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'false', N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true' } },
	{ key: 'lazy', label: 'LAZY_ACQUIRE', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'false' } },
	{ key: 'lazy+cache', label: 'LAZY + CACHE', env: { N8N_EXPRESSION_ENGINE_LAZY_ACQUIRE: 'true', N8N_EXPRESSION_ENGINE_COMPILE_CACHE: 'true' } },
];

/** BENCH_CONFIGS=default,lazy (keys of CONFIGS) picks the columns; all four unless told. */
function chosenConfigs() {
	if (!process.env.BENCH_CONFIGS) return CONFIGS;
	const keys = process.env.BENCH_CONFIGS.split(',').map((k) => k.trim());
	const unknown = keys.filter((k) => !CONFIGS.some((c) => c.key === k));
	if (unknown.length > 0) throw new Error(`BENCH_CONFIGS: unknown ${unknown.join(', ')} (known: ${CONFIGS.map((c) => c.key).join(', ')})`);
	return CONFIGS.filter((c) => keys.includes(c.key));
}

async function main() {
	const sink = await startSinkWithUrl();
	const configs = chosenConfigs();
	const instances = [];
	const github = (signingSecret) => ({
		'content-type': 'application/json',
		'x-github-event': 'push',
		'x-github-delivery': crypto.randomUUID(),
		'x-hub-signature-256': `sha256=${crypto.createHmac('sha256', signingSecret).update(body).digest('hex')}`,
	});
	const valid = github(secret);
	const forged = github(crypto.randomBytes(32).toString('hex'));

	const phases = [
		['valid', 'bare Webhook node (ceiling)', 'bare', valid, 'benchBareWebhook'],
		['valid', 'bare Webhook node, one expression parameter', 'bare-expression', valid, 'benchBareExpress'],
		['valid', 'Signed Webhook Trigger alone', 'signed-alone', valid, 'benchSignedAlone'],
		['valid', 'Signed Webhook Trigger → Reliable HTTP Forward', 'signed-flow', valid, 'benchSignedFlow1'],
		['valid', 'hand-built Webhook → Code → HTTP Request', 'hand-built', valid, 'benchHandBuilt01'],
		['forged', 'Signed Webhook Trigger', 'signed-flow', forged, 'benchSignedFlow1'],
		['forged', 'hand-built Webhook → Code → HTTP Request', 'hand-built', forged, 'benchHandBuilt01'],
		['forged', "Webhook node's Header Auth (loads a credential)", 'header-auth', valid, 'benchHeaderAuth1'],
		['forged', "Webhook node's IP allowlist from an expression", 'ip-allowlist-expression', valid, 'benchIpAllowExpr'],
		['forged', "Webhook node's IP allowlist (n8n's ceiling)", 'ip-allowlist', valid, 'benchIpAllowlist'],
		['forged', 'Signed Webhook Trigger, repeat of one delivery (dropped at the door)', 'signed-repeats', valid, 'benchSignedRepeat'],
	];
	/** results[configKey][`${kind}:${label}`] = { total, seconds, executions, statuses, perSecond } */
	const results = {};
	try {
		for (const config of configs) {
			instances.push({
				config,
				n8n: await harness.startN8n({
					workflows: workflows(sink.url),
					credentials: [
						{ id: 'benchGithubSecret', name: 'Bench GitHub secret', type: 'webhookSigningSecretApi', data: { secret } },
						{ id: 'benchHeaderAuth01', name: 'Bench header auth', type: 'httpHeaderAuth', data: { name: 'x-bench-token', value: secret } },
					],
					env: { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto', BENCH_GITHUB_SECRET: secret, N8N_BLOCK_ENV_ACCESS_IN_NODE: 'false', ...config.env },
				}),
			});
		}
		const engine = process.env.N8N_EXPRESSION_ENGINE ?? 'default (vm)';
		console.log(
			`n8n ${instances[0].n8n.version}, expression engine ${engine}, Signed Webhook Trigger v${TRIGGER_VERSION}, ${CONNECTIONS} connections, ${SECONDS} s per phase after ${WARMUP_SECONDS} s warm-up${ROUNDS > 1 ? `, ${ROUNDS} rounds` : ''}, loopback`,
		);
		console.log(`columns (one n8n each, running side by side, phases interleaved): ${configs.map((c) => `${c.label} ${JSON.stringify(c.env)}`).join('; ')}\n`);
		// BENCH_ONLY=forged (or valid) runs one half, e.g. while investigating; the ratios need both.
		// BENCH_ROUNDS=n runs all phases n times, interleaved, so no phase always runs in the warmest or noisiest slot;
		// each figure is then its requests over its measured time summed across rounds. Within a phase the columns take
		// turns, so a column never always runs first.
		for (let round = 1; round <= ROUNDS; round++) {
			if (ROUNDS > 1) console.log(`round ${round} of ${ROUNDS}`);
			const selected = phases.filter(([k]) => !process.env.BENCH_ONLY || k === process.env.BENCH_ONLY);
			for (const [phaseIndex, [kind, label, webhookPath, headers, workflowId]] of selected.entries()) {
				const shift = (phaseIndex + round) % instances.length;
				for (const { config, n8n } of [...instances.slice(shift), ...instances.slice(0, shift)]) {
					const url = n8n.webhookUrl(webhookPath);
					await load(url, headers, WARMUP_SECONDS);
					const before = await settledCount(n8n, workflowId);
					const run = await load(url, headers, SECONDS);
					const after = await settledCount(n8n, workflowId);
					const executions = after - before;
					const sum = ((results[config.key] ??= {})[`${kind}:${label}`] ??= { total: 0, seconds: 0, executions: 0, statuses: {} });
					sum.total += run.total;
					sum.seconds += run.total / run.perSecond;
					sum.executions += executions;
					for (const [status, count] of Object.entries(run.statuses)) sum.statuses[status] = (sum.statuses[status] ?? 0) + count;
					sum.perSecond = sum.total / sum.seconds;
					console.log(
						`${config.label.padEnd(13)} ${kind.padEnd(6)}  ${label.padEnd(50)} ${run.perSecond.toFixed(1).padStart(8)} req/s  ` +
							`statuses ${JSON.stringify(run.statuses)}  executions created ${executions} (${(executions / run.total).toFixed(2)} per request)`,
					);
				}
			}
		}
	} finally {
		await Promise.all(instances.map(({ n8n }) => n8n.stop()));
		sink.server.close();
	}

	// The table: one row per phase, one column per setting (req/s, executions per request).
	const keys = Object.keys(results[configs[0].key]);
	console.log(`\n| requests/s (executions per request)${ROUNDS > 1 ? `, ${ROUNDS} rounds` : ''} | ${configs.map((c) => c.label).join(' | ')} |`);
	console.log(`| --- | ${configs.map(() => '---:').join(' | ')} |`);
	for (const key of keys) {
		const cells = configs.map((c) => {
			const sum = results[c.key][key];
			return `${sum.perSecond.toFixed(1)} (${(sum.executions / sum.total).toFixed(2)}) ${JSON.stringify(sum.statuses)}`;
		});
		console.log(`| ${key} | ${cells.join(' | ')} |`);
	}
	if (process.env.BENCH_ONLY) return;

	const ratios = [
		['valid, trigger alone / bare Webhook node', 'valid:Signed Webhook Trigger alone', 'valid:bare Webhook node (ceiling)', 2],
		['valid, trigger alone / bare Webhook, expression param', 'valid:Signed Webhook Trigger alone', 'valid:bare Webhook node, one expression parameter', 2],
		['valid, trigger → forward / hand-built flow', 'valid:Signed Webhook Trigger → Reliable HTTP Forward', 'valid:hand-built Webhook → Code → HTTP Request', 2],
		['forged rejected, trigger / Webhook IP-allowlist ceiling', 'forged:Signed Webhook Trigger', "forged:Webhook node's IP allowlist (n8n's ceiling)", 2],
		['forged rejected, trigger / IP allowlist from expression', 'forged:Signed Webhook Trigger', "forged:Webhook node's IP allowlist from an expression", 2],
		['forged rejected, trigger / Webhook Header Auth rejection', 'forged:Signed Webhook Trigger', "forged:Webhook node's Header Auth (loads a credential)", 2],
		['repeats dropped at the door, trigger / Webhook IP-allowlist ceiling', 'forged:Signed Webhook Trigger, repeat of one delivery (dropped at the door)', "forged:Webhook node's IP allowlist (n8n's ceiling)", 2],
		['forged rejected, trigger / hand-built flow', 'forged:Signed Webhook Trigger', 'forged:hand-built Webhook → Code → HTTP Request', 1],
	];
	console.log(`\n| ratio, same run | ${configs.map((c) => c.label).join(' | ')} |`);
	console.log(`| --- | ${configs.map(() => '---:').join(' | ')} |`);
	for (const [label, top, bottom, digits] of ratios) {
		console.log(`| ${label} | ${configs.map((c) => `${(results[c.key][top].perSecond / results[c.key][bottom].perSecond).toFixed(digits)}x`).join(' | ')} |`);
	}
	// Each setting against the default, phase by phase (1.00x = no change).
	if (configs.length > 1 && configs[0].key === 'default') {
		console.log(`\n| req/s against the default column | ${configs.slice(1).map((c) => c.label).join(' | ')} |`);
		console.log(`| --- | ${configs.slice(1).map(() => '---:').join(' | ')} |`);
		for (const key of keys) {
			console.log(`| ${key} | ${configs.slice(1).map((c) => `${(results[c.key][key].perSecond / results.default[key].perSecond).toFixed(2)}x`).join(' | ')} |`);
		}
	}
	for (const c of configs) {
		const forgedTrigger = results[c.key]['forged:Signed Webhook Trigger'];
		const forgedHand = results[c.key]['forged:hand-built Webhook → Code → HTTP Request'];
		console.log(
			`executions per forged request (${c.label}): trigger ${(forgedTrigger.executions / forgedTrigger.total).toFixed(2)}, hand-built ${(forgedHand.executions / forgedHand.total).toFixed(2)}`,
		);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
