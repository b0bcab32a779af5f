'use strict';
/**
 * What the Signed Webhook Trigger does under n8n's Engine 2.0 (a script, not a test; it prints what it sees).
 *
 *   node test/bench/engine-v2-probe.js
 *
 * n8n 2.41 ships Engine 2.0 as the `engine-v2` module, off by default. It runs a workflow whose settings say
 * `engineType: "v2"`, only when the module is on (N8N_ENABLED_MODULES=engine-v2), not in queue mode, and with its own
 * PostgreSQL database (N8N_ENGINE_DATABASE_URL). For webhooks it accepts only Respond Immediately: n8n checks that
 * before it calls the webhook node (EngineV2Webhooks.assertSupported in n8n/dist/webhooks/engine-v2-webhooks.js) and
 * answers 400 "Engine 2.0 does not support the '<mode>' response mode yet. Respond immediately instead."
 *
 * This starts one n8n 2.x (SQLite) with the module on, a private PostgreSQL for the engine, a receiver on 127.0.0.1,
 * and workflows with `engineType: "v2"`: the trigger in each of its three Respond modes, the trigger → Reliable HTTP
 * Forward, and n8n's own Webhook node for comparison. It sends each a valid and a forged signed delivery and prints the
 * status, the answer, the executions and what the receiver got.
 */
const crypto = require('node:crypto');
const http = require('node:http');
const path = require('node:path');

const { loadTs } = require('../harness/load-ts');

const harness = loadTs(path.join(__dirname, '..', 'harness', 'n8n.ts'));
const { startPostgres } = loadTs(path.join(__dirname, '..', 'harness', 'postgres.ts'));
const { freePort } = loadTs(path.join(__dirname, '..', 'harness', 'processes.ts'));
const PKG = 'n8n-nodes-reliable-webhooks';
const secret = crypto.randomBytes(32).toString('hex');
const credential = { webhookSigningSecretApi: { id: 'probeGithubSecret', name: 'Probe GitHub secret' } };
const v2 = { executionOrder: 'v1', engineType: 'v2' };

const node = (name, type, typeVersion, position, parameters, extra = {}) => ({ name, type, typeVersion, position, parameters, ...extra });
const connectTo = (...targets) => ({ main: targets.map((t) => (t ? [{ node: t, type: 'main', index: 0 }] : [])) });
const trigger = (pathName, respond, extra = {}) =>
	node('Signed Webhook Trigger', `${PKG}.signedWebhookTrigger`, 2, [0, 0], { path: pathName, provider: 'github', responseMode: respond, options: { rateLimitPerMinute: 0 }, ...extra }, { credentials: credential });

function workflows(receiverUrl) {
	return [
		{ id: 'probeV2Immediate', name: 'v2: trigger, Respond Immediately', settings: v2, nodes: [trigger('v2-immediate', 'onReceived'), node('Done', 'n8n-nodes-base.noOp', 1, [220, 0], {})], connections: { 'Signed Webhook Trigger': connectTo('Done') } },
		{ id: 'probeV2LastNode1', name: 'v2: trigger, When Last Node Finishes', settings: v2, nodes: [trigger('v2-last-node', 'lastNode', { responseData: 'firstEntryJson' }), node('Done', 'n8n-nodes-base.noOp', 1, [220, 0], {})], connections: { 'Signed Webhook Trigger': connectTo('Done') } },
		{
			id: 'probeV2RespNode1',
			name: "v2: trigger, Using 'Respond to Webhook' Node",
			settings: v2,
			nodes: [trigger('v2-respond-node', 'responseNode'), node('Respond to Webhook', 'n8n-nodes-base.respondToWebhook', 1, [220, 0], { respondWith: 'json', responseBody: '={{ { "ok": true } }}', options: {} })],
			connections: { 'Signed Webhook Trigger': connectTo('Respond to Webhook') },
		},
		{
			id: 'probeV2Forward01',
			name: 'v2: trigger → Reliable HTTP Forward',
			settings: v2,
			nodes: [
				trigger('v2-forward', 'onReceived'),
				node('Forward', `${PKG}.reliableHttpForward`, 1, [220, 0], { method: 'POST', url: receiverUrl, bodySource: 'custom', body: '={{ JSON.stringify($json.body) }}', contentType: 'application/json', idempotencyKey: '={{ $json.verification.deliveryId }}', maxAttempts: 1, options: {} }),
			],
			connections: { 'Signed Webhook Trigger': connectTo('Forward') },
		},
		{ id: 'probeV2Webhook01', name: "v2: n8n's Webhook node, Respond Immediately", settings: v2, nodes: [node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'v2-webhook', responseMode: 'onReceived', options: {} })], connections: {} },
		{ id: 'probeV2WebhookLN', name: "v2: n8n's Webhook node, When Last Node Finishes", settings: v2, nodes: [node('Webhook', 'n8n-nodes-base.webhook', 2, [0, 0], { httpMethod: 'POST', path: 'v2-webhook-last', responseMode: 'lastNode', options: {} })], connections: {} },
		{ id: 'probeV1LastNode1', name: 'v1 (default engine): trigger, When Last Node Finishes', settings: { executionOrder: 'v1' }, nodes: [trigger('v1-last-node', 'lastNode', { responseData: 'firstEntryJson' }), node('Done', 'n8n-nodes-base.noOp', 1, [220, 0], {})], connections: { 'Signed Webhook Trigger': connectTo('Done') } },
	];
}

const body = JSON.stringify({ ref: 'refs/heads/main', probe: true });
function github(signingSecret) {
	return {
		'content-type': 'application/json',
		'x-github-event': 'push',
		'x-github-delivery': crypto.randomUUID(),
		'x-hub-signature-256': `sha256=${crypto.createHmac('sha256', signingSecret).update(body).digest('hex')}`,
	};
}

async function main() {
	const received = [];
	const receiver = http.createServer((req, res) => {
		let data = '';
		req.on('data', (c) => (data += c));
		req.on('end', () => {
			received.push({ path: req.url, key: req.headers['idempotency-key'], body: data });
			res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
		});
	});
	await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
	const receiverUrl = `http://127.0.0.1:${receiver.address().port}/v2-forward`;
	const pg = await startPostgres();
	let n8n;
	try {
		n8n = await harness.startN8n({
			workflows: workflows(receiverUrl),
			credentials: [{ id: 'probeGithubSecret', name: 'Probe GitHub secret', type: 'webhookSigningSecretApi', data: { secret } }],
			env: {
				N8N_ENABLED_MODULES: 'engine-v2',
				N8N_ENGINE_DATABASE_URL: `postgres://${encodeURIComponent(pg.user)}:${encodeURIComponent(pg.password)}@${pg.host}:${pg.port}/${pg.database}`,
				N8N_ENGINE_HOST: '127.0.0.1',
				N8N_ENGINE_PORT: String(await freePort()),
				N8N_ENGINE_CONTROL_PLANE_PORT: String(await freePort()),
			},
		});
		console.log(`n8n ${n8n.version}, N8N_ENABLED_MODULES=engine-v2, engine database on PostgreSQL\n`);
		const cases = [
			['v2-immediate', 'probeV2Immediate'],
			['v2-last-node', 'probeV2LastNode1'],
			['v2-respond-node', 'probeV2RespNode1'],
			['v2-forward', 'probeV2Forward01'],
			['v2-webhook', 'probeV2Webhook01'],
			['v2-webhook-last', 'probeV2WebhookLN'],
			['v1-last-node', 'probeV1LastNode1'],
		];
		for (const [webhookPath, workflowId] of cases) {
			for (const [kind, headers] of [['valid', github(secret)], ['forged', github(crypto.randomBytes(32).toString('hex'))]]) {
				const res = await fetch(n8n.webhookUrl(webhookPath), { method: 'POST', headers, body });
				const text = await res.text();
				console.log(`${webhookPath.padEnd(16)} ${kind.padEnd(6)} ${res.status} ${text.slice(0, 200)}`);
			}
			await new Promise((r) => setTimeout(r, 3000));
			const { results } = await n8n.executions({ workflowId });
			console.log(`${''.padEnd(16)} executions: ${JSON.stringify(results.map((e) => ({ id: e.id, status: e.status, mode: e.mode })))}`);
		}
		console.log(`\nreceiver got ${received.length} request(s): ${JSON.stringify(received)}`);
		const lines = n8n.logs().split('\n').filter((l) => /engine|Engine 2\.0|v2/i.test(l) && !/^\$ n8n/.test(l));
		console.log(`\nn8n log lines about the engine (last 25):\n${lines.slice(-25).join('\n')}`);
	} finally {
		await n8n?.stop();
		await pg.stop();
		receiver.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
