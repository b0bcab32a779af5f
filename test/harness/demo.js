'use strict';
/**
 * The demo behind `npm run demo` (see demo.sh): boots a real n8n with the packed package and the orchestrator
 * example (examples/orchestrator-github-to-ci.json) on 127.0.0.1, with a local receiver as "the next system".
 * Secrets are made up for this run and never printed; the curl line carries a signature computed with the
 * package's own sign(). Ctrl-C stops n8n and the receiver.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const { loadTs } = require('./load-ts');

const repoRoot = path.resolve(__dirname, '..', '..');
const harness = loadTs(path.join(__dirname, 'n8n.ts'));
const selfTest = process.argv.includes('--self-test');

const secrets = {
	github: crypto.randomBytes(20).toString('hex'),
	outgoing: `whsec_${crypto.randomBytes(32).toString('base64')}`,
};

/** The next system: verifies our Standard Webhooks signature with the package's verify() and logs what came in. */
function startReceiver(api) {
	const received = [];
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const result = api.verify({ provider: 'standard-webhooks', secrets: [secrets.outgoing], headers: req.headers, body });
			received.push({ path: req.url, valid: result.valid, deliveryId: req.headers['idempotency-key'] });
			console.log(
				`[receiver] ${req.method} ${req.url}  signature ${result.valid ? 'verified' : `REJECTED (${result.reason})`}` +
					`  Idempotency-Key ${req.headers['idempotency-key'] ?? '-'}  ${body.length} bytes`,
			);
			res.writeHead(result.valid ? 202 : 401, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ accepted: result.valid }));
		});
	});
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${server.address().port}`, received, server }));
	});
}

/** The made-up GitHub secret in a file only this user can read (inside n8n's user folder, removed on stop). */
function writeSecretFile(dir) {
	const file = path.join(dir, 'github-webhook-secret');
	fs.writeFileSync(file, secrets.github, { mode: 0o600 });
	return file;
}

function shellQuote(value) {
	return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

async function main() {
	console.log('Building and packing the package, preparing n8n (the first run takes longer) ...');
	const packed = await harness.packPackage();
	// The package exactly as n8n loaded it: its programmatic API signs the sample delivery and verifies at the receiver.
	const api = require(path.join(packed.nodesDir, 'node_modules', 'n8n-nodes-reliable-webhooks'));
	const receiver = await startReceiver(api);

	const workflow = JSON.parse(fs.readFileSync(path.join(repoRoot, 'examples', 'orchestrator-github-to-ci.json'), 'utf8'));
	workflow.id = 'demoOrchestrator';
	const forward = workflow.nodes.find((n) => n.type === 'n8n-nodes-reliable-webhooks.reliableHttpForward');
	Object.assign(forward.parameters, { url: `${receiver.url}/ci-trigger`, allowPlainHttp: true });
	const credentials = [
		{ id: 'exampleGithubSecret', name: 'GitHub webhook secret', type: 'webhookSigningSecretApi', data: { secret: secrets.github } },
		{
			id: 'exampleCiSigning',
			name: 'CI signing secret',
			type: 'outgoingWebhookSigningApi',
			data: { scheme: 'standard-webhooks', secret: secrets.outgoing },
		},
	];

	const n8n = await harness.startN8n({ workflows: [workflow], credentials });
	let stopping = false;
	const stop = async (code) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the receiver ...');
		await n8n.stop();
		receiver.server.close();
		console.log('Stopped.');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-reliable-webhooks.signedWebhookTrigger');
	const webhookUrl = n8n.webhookUrl(trigger.parameters.path);
	const body = JSON.stringify({ ref: 'refs/heads/main', repository: { full_name: 'acme/demo' }, pusher: { name: 'octocat' } });
	const deliveryId = crypto.randomUUID();
	// The test sender's line gets its own fixed id, so that sending that line again is a repeat too.
	const senderDeliveryId = crypto.randomUUID();
	const headers = {
		'Content-Type': 'application/json',
		'X-GitHub-Event': 'push',
		'X-GitHub-Delivery': deliveryId,
		...api.sign({ provider: 'github', secret: secrets.github, body }),
	};
	const curl = [
		'curl -i -X POST',
		...Object.entries(headers).map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`),
		`--data-binary ${shellQuote(body)}`,
		shellQuote(webhookUrl),
	].join(' ');

	console.log(`
n8n ${n8n.version} is running with n8n-nodes-reliable-webhooks (ready in ${n8n.timings.total.toFixed(1)} s).

  Editor:       ${n8n.baseUrl}   (log in as ${harness.owner.email} / ${harness.owner.password})
  Workflow:     "${workflow.name}"
  Webhook URL:  ${webhookUrl}
  Next system:  ${receiver.url}/ci-trigger   (this script; it verifies the forwarded signature)

Send a signed GitHub delivery:

${curl}

Or with the package's test sender (the secret comes from a file only you can read; add --tamper to see the 401):

npx reliable-webhooks-send --provider github --url ${shellQuote(webhookUrl)} --event push --delivery-id ${senderDeliveryId} --data ${shellQuote(body)} --secret-stdin < ${shellQuote(writeSecretFile(n8n.userFolder))}

Send either line again: the Dedupe node recognises its delivery id and nothing is forwarded twice.
Change one byte of the body (keep the JSON valid, or n8n itself answers 422 before the trigger runs), or drop the
signature header: 401, and no execution is created.
Press Ctrl-C to stop.
`);

	if (selfTest) {
		const send = (h) => fetch(webhookUrl, { method: 'POST', headers: h, body });
		const statuses = [(await send(headers)).status, (await send(headers)).status];
		const forged = await send({ ...headers, 'X-Hub-Signature-256': `sha256=${'0'.repeat(64)}` });
		const results = await n8n.waitForExecutions((r) => r.length === 2 && r.every((e) => e.done));
		const ok =
			statuses.every((s) => s === 200) &&
			forged.status === 401 &&
			results.every((e) => e.status === 'success') &&
			receiver.received.length === 1 &&
			receiver.received[0].valid &&
			receiver.received[0].deliveryId === deliveryId;
		console.log(
			`[self-test] signed: ${statuses.join(', ')}; forged: ${forged.status}; executions: ${results.length}; ` +
				`forwarded: ${receiver.received.length} (${receiver.received.every((r) => r.valid) ? 'signature verified' : 'signature NOT verified'})`,
		);
		console.log(ok ? '[self-test] OK' : '[self-test] FAILED');
		await stop(ok ? 0 : 1);
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
