'use strict';
/**
 * Queue mode, side by side in ONE cluster (a script, not a test): PostgreSQL + Redis on loopback, one main, two
 * webhook processes and two workers (test/harness/queue-mode.ts, as in test/e2e/queue-mode.e2e.test.ts), with two
 * workflows published at once:
 *
 *   ours      examples/queue-mode-claim-confirm.json: Signed Webhook Trigger (GitHub, When Last Node Finishes)
 *             → Claim (Redis) → Reliable HTTP Forward → Confirm
 *   baseline  n8n's Webhook node (When Last Node Finishes) → n8n's HTTP Request node POSTing the body to the same
 *             receiver: no verification, no dedupe
 *
 * The same load goes to each: SENDER_CONCURRENCY lanes (16, as in the e2e test), each sending one signed delivery
 * with a fresh delivery id at a time, on a fresh connection, alternating between the two webhook processes: per
 * phase BENCH_WARMUP_SECONDS (10) of warm-up then BENCH_SECONDS measured, without a pause, so the measured window
 * starts with the pipeline full. Phases are interleaved (ours, baseline; then baseline, ours; ...) for BENCH_ROUNDS
 * rounds, and between phases the script waits until no execution is running. Printed: accepted valid requests per
 * second for each flow (200 answers arriving in the measured window; for ours, with dedupe.status "confirmed"), the
 * ratio ours / baseline, the receiver's count, and the executions each phase left, by status.
 * The machine's cores are shared by the sender, the receiver and every n8n process: compare the ratio, measured in
 * the same run, not the absolute figures.
 *
 *   npm run build && node test/bench/queue-mode-side-by-side.bench.js
 *   BENCH_SECONDS=30 BENCH_ROUNDS=3 node test/bench/queue-mode-side-by-side.bench.js
 *
 * Defaults (BENCH_SECONDS=30, BENCH_ROUNDS=2) keep the whole run under about 5 minutes including start-up; every
 * server listens on 127.0.0.1 and the cluster is stopped at the end, also on failure.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { loadTs } = require('../harness/load-ts');

const harnessDir = path.join(__dirname, '..', 'harness');
const { repoRoot, stableUuid } = loadTs(path.join(harnessDir, 'n8n.ts'));
const { startQueueMode } = loadTs(path.join(harnessDir, 'queue-mode.ts'));
const { startReceiver } = loadTs(path.join(harnessDir, 'receiver.ts'));

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 2));
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 10);
const SENDER_CONCURRENCY = 16;
/** A request still unanswered this long after its phase ended is abandoned (n8n sometimes never relays an answer). */
const DRAIN_MS = 30_000;
const OURS = 'qmBenchOurs00001';
const BASELINE = 'qmBenchBaseline1';

const secret = crypto.randomBytes(32).toString('hex');
const secretCredential = { id: 'qmBenchSecret001', name: 'Bench GitHub secret', type: 'webhookSigningSecretApi', data: { secret } };
const redisCredentialRef = { dedupeRedisApi: { id: 'qmBenchRedis0001', name: 'Bench dedupe Redis' } };

/** The shipped example, pointed at the receiver and this script's credentials (as the e2e test does). */
function ours(receiverUrl) {
	const wf = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', 'queue-mode-claim-confirm.json'), 'utf8'));
	const node = (name) => wf.nodes.find((n) => n.name === name);
	Object.assign(wf, { id: OURS, name: 'bench: ours (Signed Webhook Trigger → Claim → Forward → Confirm)' });
	const trigger = node('GitHub Delivery');
	trigger.parameters.path = 'bench-ours';
	// Every request comes from 127.0.0.1: the per-client rate limit is off, as in the e2e test.
	trigger.parameters.options = { ...trigger.parameters.options, rateLimitPerMinute: 0 };
	trigger.webhookId = stableUuid('queue-mode-bench:ours');
	trigger.credentials = { webhookSigningSecretApi: { id: secretCredential.id, name: secretCredential.name } };
	for (const name of ['Claim', 'Confirm', 'Release']) {
		node(name).credentials = redisCredentialRef;
		node(name).parameters.namespace = 'queue-mode-bench';
	}
	node('Forward').parameters.url = `${receiverUrl}/ours`;
	return wf;
}

/** n8n's own nodes: Webhook (answers when the last node finishes) → HTTP Request POSTing the body. */
function baseline(receiverUrl) {
	const node = (name, type, typeVersion, position, parameters, extra = {}) => ({ name, type, typeVersion, position, parameters, ...extra });
	return {
		id: BASELINE,
		name: 'bench: baseline (Webhook → HTTP Request)',
		nodes: [
			node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'bench-baseline', responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} }, {
				webhookId: stableUuid('queue-mode-bench:baseline'),
			}),
			node('HTTP Request', 'n8n-nodes-base.httpRequest', 4.2, [220, 0], {
				method: 'POST',
				url: `${receiverUrl}/baseline`,
				sendBody: true,
				contentType: 'raw',
				rawContentType: 'application/json',
				body: '={{ JSON.stringify($json.body) }}',
				options: {},
			}),
		],
		connections: { Webhook: { main: [[{ node: 'HTTP Request', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

/** A signed GitHub delivery with a fresh id (the e2e test's payload shape). */
function delivery() {
	const id = `bench-${crypto.randomUUID()}`;
	const body = JSON.stringify({ id, action: 'order.created', amount: id.length * 7 });
	const headers = {
		'content-type': 'application/json',
		'content-length': String(Buffer.byteLength(body)),
		'x-github-event': 'order',
		'x-github-delivery': id,
		'x-hub-signature-256': `sha256=${crypto.createHmac('sha256', secret).update(body).digest('hex')}`,
		connection: 'close',
	};
	return { id, body, headers };
}

/** One POST on a fresh connection; resolves with the status and text, or `error` / `abandoned`. */
function post(url, d, live) {
	return new Promise((resolve) => {
		const target = new URL(url);
		let abandoned = false;
		const req = http.request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent: false, headers: d.headers }, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => resolve({ status: String(res.statusCode), text: Buffer.concat(chunks).toString() }));
			res.on('error', () => resolve({ status: abandoned ? 'abandoned' : 'error', text: '' }));
		});
		const abandon = () => {
			abandoned = true;
			req.destroy();
		};
		live.add(abandon);
		req.on('close', () => live.delete(abandon));
		req.on('error', () => resolve({ status: abandoned ? 'abandoned' : 'error', text: '' }));
		req.end(d.body);
	});
}

/**
 * SENDER_CONCURRENCY lanes send deliveries to `webhookPath` on both webhook processes, without a pause, for
 * `warmup` + `seconds`; the accepted answers (`accepted(text)`) that ARRIVE within the last `seconds` are counted, so
 * the measured window starts with the pipeline already full. Answers by status cover the whole phase. Requests still
 * unanswered DRAIN_MS after the end are abandoned.
 */
async function load(bases, webhookPath, warmup, seconds, accepted) {
	const statuses = {};
	const live = new Set();
	let ok = 0;
	let sent = 0;
	let roundRobin = 0;
	const windowStart = Date.now() + warmup * 1000;
	const windowEnd = windowStart + seconds * 1000;
	const lanes = Array.from({ length: SENDER_CONCURRENCY }, async () => {
		while (Date.now() < windowEnd) {
			const base = bases[roundRobin++ % bases.length];
			sent++;
			const answer = await post(`${base}/webhook/${webhookPath}`, delivery(), live);
			const at = Date.now();
			statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
			if (answer.status === '200' && accepted(answer.text) && at >= windowStart && at <= windowEnd) ok++;
		}
	});
	const drained = setTimeout(() => {
		for (const abandon of live) abandon();
	}, windowEnd - Date.now() + DRAIN_MS);
	await Promise.all(lanes);
	clearTimeout(drained);
	return { sent, ok, statuses, perSecond: ok / seconds };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (at most 90 s) until neither workflow has an execution that is new, running or waiting. */
async function settle(cluster) {
	for (let i = 0; i < 180; i++) {
		const open = [OURS, BASELINE].some((id) => {
			const s = cluster.executionsByStatus(id);
			return (s.new ?? 0) + (s.running ?? 0) + (s.waiting ?? 0) > 0;
		});
		if (!open) return;
		await sleep(500);
	}
}

function delta(after, before) {
	const out = {};
	for (const [status, n] of Object.entries(after)) if (n - (before[status] ?? 0) !== 0) out[status] = n - (before[status] ?? 0);
	return out;
}

const confirmed = (text) => {
	try {
		return JSON.parse(text).dedupe?.status === 'confirmed';
	} catch {
		return false;
	}
};
const anyAnswer = () => true;

async function main() {
	const t0 = Date.now();
	const receiver = await startReceiver();
	let cluster;
	const flows = [
		{ key: 'ours', label: 'ours: Signed Webhook Trigger → Claim → Forward → Confirm', id: OURS, path: 'bench-ours', accepted: confirmed },
		{ key: 'baseline', label: 'baseline: Webhook → HTTP Request', id: BASELINE, path: 'bench-baseline', accepted: anyAnswer },
	];
	const totals = Object.fromEntries(flows.map((f) => [f.key, { ok: 0, seconds: 0, sent: 0, statuses: {}, executions: {}, receiver: 0 }]));
	try {
		cluster = await startQueueMode({
			workflows: [ours(receiver.url), baseline(receiver.url)],
			credentials: ({ redis }) => [
				secretCredential,
				// Database 1: the Bull queue lives in database 0 of the same server.
				{ ...redisCredentialRef.dedupeRedisApi, type: 'dedupeRedisApi', data: { host: redis.host, port: redis.port, database: 1, prefix: 'qm:bench:' } },
			],
			workers: 2,
			webhookProcesses: 2,
			webhookPaths: flows.map((f) => f.path),
		});
		console.log(
			`n8n ${cluster.version} in queue mode (1 main, 2 webhook processes, 2 workers, PostgreSQL + Redis), ready in ${cluster.timings.total} s; ` +
				`${SENDER_CONCURRENCY} lanes, fresh connection per request, ${SECONDS} s per phase after ${WARMUP_SECONDS} s warm-up, ${ROUNDS} round(s), loopback\n`,
		);
		const receiverCount = (p) => receiver.requests.filter((r) => r.path === p && r.answer.startsWith('2')).length;
		for (let round = 1; round <= ROUNDS; round++) {
			const order = round % 2 === 1 ? flows : [...flows].reverse();
			for (const flow of order) {
				await settle(cluster);
				const before = cluster.executionsByStatus(flow.id);
				const receivedBefore = receiverCount(`/${flow.key}`);
				const run = await load(cluster.webhookBaseUrls, flow.path, WARMUP_SECONDS, SECONDS, flow.accepted);
				await settle(cluster);
				const executions = delta(cluster.executionsByStatus(flow.id), before);
				const received = receiverCount(`/${flow.key}`) - receivedBefore;
				const sum = totals[flow.key];
				sum.ok += run.ok;
				sum.seconds += SECONDS;
				sum.sent += run.sent;
				sum.receiver += received;
				for (const [s, n] of Object.entries(run.statuses)) sum.statuses[s] = (sum.statuses[s] ?? 0) + n;
				for (const [s, n] of Object.entries(executions)) sum.executions[s] = (sum.executions[s] ?? 0) + n;
				console.log(
					`round ${round}  ${flow.label.padEnd(58)} ${run.perSecond.toFixed(2).padStart(6)} accepted/s  ` +
						`phase (warm-up included): sent ${run.sent}, answers ${JSON.stringify(run.statuses)}, receiver accepted ${received}, executions ${JSON.stringify(executions)}`,
				);
			}
		}
	} finally {
		await cluster?.stop();
		await receiver.close();
	}
	console.log(`\n| flow (${ROUNDS} round(s) × ${SECONDS} s measured) | accepted valid requests/s | requests sent (warm-ups included) | answers | receiver accepted | executions by status |`);
	console.log('| --- | ---: | ---: | --- | ---: | --- |');
	for (const flow of flows) {
		const s = totals[flow.key];
		console.log(`| ${flow.label} | ${(s.ok / s.seconds).toFixed(2)} | ${s.sent} | ${JSON.stringify(s.statuses)} | ${s.receiver} | ${JSON.stringify(s.executions)} |`);
	}
	const ratio = totals.ours.ok / totals.ours.seconds / (totals.baseline.ok / totals.baseline.seconds);
	console.log(`\nratio ours / baseline (same cluster, same load, interleaved): ${ratio.toFixed(2)}x`);
	console.log(`wall time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

// Exits when done (a watchdog or a lingering socket must not keep the script alive).
main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
