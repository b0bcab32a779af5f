/**
 * The harness itself, against a real n8n (the pinned latest and the floor): the package loads as a community
 * package under its own name, credentials and workflows are imported and published through n8n's command line,
 * the Signed Webhook Trigger answers, executions are readable through the REST API, restart() keeps the workflow
 * published, and the secret never reaches n8n's log.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { githubDelivery as signedGithubDelivery, uniqueId } from '../harness/deliveries';
import { N8nInstance, packageName, repoRoot, startN8n } from '../harness/n8n';
import { credential as credentialJson, signedWebhookTrigger, workflow as workflowJson } from '../harness/workflows';

jest.setTimeout(300_000);

const secret = 'harness-github-secret-0123456789abcdef';
const credential = credentialJson('webhookSigningSecretApi', 'harnessGithubSec', 'Harness GitHub secret', { secret });
const workflow = workflowJson('harnessProbeFlow', 'harness probe', [
	signedWebhookTrigger({ path: 'harness-github', provider: 'github' }, { credential }),
]);

/** Node type names as n8n derives them from the files listed in package.json. */
const expectedNodeTypes: string[] = JSON.parse(
	fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
).n8n.nodes.map((file: string) => {
	const base = path.basename(file, '.node.js');
	return `${packageName}.${base[0].toLowerCase()}${base.slice(1)}`;
});

const githubDelivery = (body: string, signingSecret = secret) =>
	signedGithubDelivery(body, signingSecret, { 'x-github-delivery': uniqueId('harness-') });

describe.each(['latest', 'floor'])('n8n harness (%s)', (version) => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ version, workflows: [workflow], credentials: [credential] });
		// eslint-disable-next-line no-console
		console.log(`n8n ${n8n.version} ready in ${n8n.timings.total}s`, n8n.timings);
	});
	afterAll(async () => {
		await n8n?.stop();
	});

	it('loads every node of the package under the package name, as users\' saved workflows reference them', async () => {
		const res = await n8n.rest('GET', '/types/nodes.json');
		expect(res.status).toBe(200);
		const names = new Set((res.body as Array<{ name: string }>).map((n) => n.name));
		for (const type of expectedNodeTypes) expect(names).toContain(type);
	});

	it('runs the published Signed Webhook Trigger: a signed call starts one execution, a forged one none', async () => {
		const before = (await n8n.executions()).count;
		const forged = await fetch(n8n.webhookUrl('harness-github'), githubDelivery('{"forged":true}', 'not-the-secret'));
		expect(forged.status).toBe(401);
		const valid = await fetch(n8n.webhookUrl('harness-github'), githubDelivery('{"hello":"harness"}'));
		expect(valid.status).toBe(200);
		const results = await n8n.waitForExecutions((r) => r.length > before && r.every((e) => e.done));
		expect(results).toHaveLength(before + 1);
		const detail = await n8n.execution(results[0].id);
		expect(detail.rawData).toContain('harness');
		expect(detail.rawData).not.toContain('forged');
	});

	it('keeps the workflow published across a restart', async () => {
		await n8n.restart();
		const res = await fetch(n8n.webhookUrl('harness-github'), githubDelivery('{"after":"restart"}'));
		expect(res.status).toBe(200);
		expect(n8n.logs()).toMatch(/n8n main exited/);
		// eslint-disable-next-line no-console
		console.log(`n8n ${n8n.version} restarted in ${n8n.timings.restart}s (stop ${n8n.timings.restartStop}s)`);
	});

	it('never writes the signing secret to n8n\'s log or the user folder\'s files', () => {
		expect(n8n.logs()).not.toContain(secret);
		expect(fs.existsSync(path.join(n8n.userFolder, 'import', 'credentials.json'))).toBe(false);
	});
});
